"""The critique question of the graded assignment ch15_people: a flawed draft of 6.7 (リモートワーク) to correct.

The learner starts from FLAWED_67 (the Workbench pre-fills it): hedged rules (「必要に応じて…検討する」), two missing
rules, and two deadlines for the same act (a lost device is reported 「すぐに」 in the standard and 「翌営業日まで」 in
the procedure). `grade_critique` credits what the learner corrected:

    base(d)  = COVERAGE_WEIGHT · (covered key elements + one_deadline) / (key elements + 1)
               + (1 - COVERAGE_WEIGHT) · structure                     (course.drafting.adaptation.grade_draft)
    score    = max(0, base(draft) − base(FLAWED)) / (1 − base(FLAWED))

so the unchanged flawed draft scores 0 and a draft that fixes every flaw (and keeps the rest) scores 1. grade_draft's
element "adapted" is left out (the company's content is already there; the task is the correction); its copy rule
stays: a draft that is the catalog model of 6.7 (shown in the lesson ch15_04) keeps grade_draft's capped score as its
base, which is below the flawed draft's, so it earns nothing, and grade_draft asks for the instructor's review.

`one_deadline` (the contradiction check): the units (statement sentences and steps) that speak of reporting a lost or
stolen device, and the deadlines they give for it, in hours (すぐに・直ちに = 0, 1時間以内 = 1, 翌営業日 = 24, 3日以内 =
72). Deadlines of the written report (a clause naming 報告書・書面・提出) are a different act and are not compared.
The element is covered when at least one deadline is given and they differ by at most ONE_DEADLINE_SPREAD hours.
"""

import re
from dataclasses import dataclass, field

from ..answers.draft import STEP_FIELDS, Draft
from ..i18n import t
from ..rubric.score import COVERAGE_WEIGHT, ElementResult
from ..rubric.text import normalize, split_sentences

CONTROL = "6.7"
ONE_DEADLINE_ID = "one_deadline"
ONE_DEADLINE_SPREAD = 4  # hours: 「すぐに」 and 「1時間以内」 agree; 「すぐに」 and 「翌営業日」 do not

FLAWED_67 = {
    "schema": "course.draft/1", "control": CONTROL,
    "purpose": "当社の従業員が自宅や出張先で働くときも、会社の情報を守れるようにする。",
    "scope": "自宅や出張先で当社の仕事をする従業員。",
    "statements": [
        "在宅勤務をする従業員は、事前に所属長の許可を得なければならない。",
        "社外での業務には、会社が貸与したノートパソコンだけを使わなければならない。",
        "社外から社内のファイルサーバに接続するときは、会社が用意したVPNを使わなければならない。",
        "カフェや駅の公衆無線LANについては、必要に応じて利用を控えることを検討する。",
        "パソコンや書類を紛失したときは、気付いた時点ですぐに所属長に報告しなければならない。",
    ],
    "owner": "情報システム担当",
    "review": "必要に応じて",
    "related": ["在宅勤務申請書"],
    "steps": [
        {"who": "在宅勤務を希望する従業員", "what": "在宅勤務申請書を所属長に出し、許可を受ける。", "when": "初めて在宅勤務をする前",
         "record": "在宅勤務申請書"},
        {"who": "情報システム担当", "what": "貸与するノートパソコンにVPNの設定をしてから渡す。", "when": "貸与する前",
         "record": ""},
        {"who": "紛失に気付いた従業員", "what": "所属長に紛失を報告する。", "when": "翌営業日まで", "record": "紛失報告書"},
        {"who": "所属長", "what": "必要に応じて、在宅勤務の状況を確認することを検討する。", "when": "適宜", "record": ""},
    ],
}

_LOSS = re.compile(r"紛失|盗難|なくし|失くし|盗まれ|置き忘れ|なくなっ")
_REPORT = re.compile(r"報告|連絡|知らせ|届け|通報")
_WRITTEN = re.compile(r"報告書|書面|提出|記入")
_CLAUSE = re.compile(r"[（(][^）)]*[）)]|[^、，,（(]+")
_IMMEDIATE = re.compile(r"直ちに|ただちに|すぐ|速やかに|即時|即座|時点で|その場で|直後")
_WITHIN = re.compile(r"(\d+)(分|時間|営業日|日)(?:以内|まで|後)")
_NEXT_DAY = re.compile(r"翌営業日|翌日|翌朝|週明け")


def _hours(clause):
    found = set()
    if _IMMEDIATE.search(clause):
        found.add(0.0)
    for number, unit in _WITHIN.findall(clause):
        n = float(number)
        found.add(n / 60 if unit == "分" else n if unit == "時間" else 24 * n)
    if _NEXT_DAY.search(clause):
        found.add(24.0)
    return found


def _units(draft):
    units = [s for raw in draft.statements for s in split_sentences(raw)]
    units += ["、".join(getattr(s, f) for f in STEP_FIELDS if getattr(s, f)) for s in draft.steps]
    return [normalize(u) for u in units if u.strip()]


def loss_report_deadlines(draft):
    """[(deadline in hours, the clause that gives it)] of the units about reporting a lost or stolen device."""
    draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft)
    found = []
    for unit in _units(draft):
        if not (_LOSS.search(unit) and _REPORT.search(unit)):
            continue
        for clause in _CLAUSE.findall(unit):
            if _WRITTEN.search(clause):
                continue
            found += [(h, clause.strip("（）() ")) for h in sorted(_hours(clause))]
    return found


def one_deadline(draft):
    """An ElementResult: covered when the loss report has deadlines that agree (see the module docstring)."""
    deadlines = loss_report_deadlines(draft)
    label = t("ch15.critique.one_deadline")
    if not deadlines:
        return ElementResult(ONE_DEADLINE_ID, label, False, t("ch15.critique.no_deadline"))
    hours = [h for h, _ in deadlines]
    if max(hours) - min(hours) > ONE_DEADLINE_SPREAD:
        shown = "」「".join(dict.fromkeys(c for _, c in deadlines))
        return ElementResult(ONE_DEADLINE_ID, label, False, t("ch15.critique.contradiction", found=shown[:120]))
    return ElementResult(ONE_DEADLINE_ID, label, True, "")


@dataclass
class CritiqueGrade:
    control: str
    score: float
    base: float
    start_base: float
    copied: bool
    model_similarity: float
    elements: list = field(default_factory=list)


def _base(draft, elements, profile):
    from ..drafting.adaptation import ADAPTED_ID, grade_draft

    graded = grade_draft(CONTROL, draft, elements=elements, profile=profile)
    key = [e for e in graded.elements if e.id != ADAPTED_ID]
    consistent = one_deadline(graded_draft(draft))
    results = key + [consistent]
    base = COVERAGE_WEIGHT * sum(e.covered for e in results) / len(results) \
        + (1 - COVERAGE_WEIGHT) * graded.structure
    if graded.copied:
        base = graded.score
    return base, results, graded


def graded_draft(draft):
    if isinstance(draft, Draft):
        return draft
    data = dict(draft or {})
    data.setdefault("control", CONTROL)
    return Draft.from_dict(data)


def grade_critique(draft, elements, profile=None, start=None):
    """The learner's correction of the flawed draft, scored 0..1 by what it improved (module docstring)."""
    draft = graded_draft(draft)
    start_base, _, _ = _base(graded_draft(start or FLAWED_67), elements, profile)
    base, results, graded = _base(draft, elements, profile)
    score = max(0.0, base - start_base) / (1 - start_base) if start_base < 1 else 0.0
    return CritiqueGrade(CONTROL, round(min(score, 1.0), 4), round(base, 4), round(start_base, 4), graded.copied,
                         graded.model_similarity, results)


__all__ = ["FLAWED_67", "CritiqueGrade", "grade_critique", "loss_report_deadlines", "one_deadline"]
