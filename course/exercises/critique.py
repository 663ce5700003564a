"""Critique exercises: a flawed draft to correct, and its grade (#15, point 2).

Each graded assignment with a critique question has a flawed draft written for this course (FLAWED: 5.23 in
ch14_organizational, 6.7 in ch15_people) with three kinds of flaw: hedges (「必要に応じて…検討する」,
「できるだけ…努める」) that oblige nobody, rules that are missing altogether, and a contradiction (two different
deadlines for the same act). The Workbench opens with it (`Workbench(control, start=flawed_draft(control),
show_model=False)`), and `grade_critique(control, draft, elements, profile)` scores what the learner corrected:

    base(d) = COVERAGE_WEIGHT · (covered key elements + one_deadline) / (key elements + 1)
              + (1 − COVERAGE_WEIGHT) · structure
    score   = max(0, base(draft) − base(FLAWED)) / (1 − base(FLAWED)),   0 when the draft is the catalog model

with the key elements and the structure (0..1) of course.drafting.adaptation.grade_draft (its element "adapted" is
left out: the company's content is already there, the task is the correction). So the unchanged flawed draft scores 0,
a draft that fixes every flaw (every key element covered, one deadline, a complete structure) scores 1, and partial
fixes lie in between. A draft that is the catalog model (grade_draft's copied) scores 0, and so does a draft whose
added part — the statements and steps that are not the flawed start's (adaptation.added_part) — is the model
(similarity >= COPY_THRESHOLD: the flawed start with the model pasted under it); both print a REVIEW model_copied line
for the instructor.

Hedges have no element of their own: grade_draft's rubric already reads a hedged sentence or step as no rule (it covers
no element) and counts it against the structure (statements that bind, steps whose task is not hedged). An element
"no hedges" would count the same flaw a second time and change what the score measures, so there is none.

`one_deadline`, the contradiction check of each control (CHECKS):
- 5.23: the request periods 「N営業日前」 of a クラウドサービス 申請 over the draft's sentences and steps
  (course/drafting/consistency.py); covered when there is exactly one.
- 6.7: the deadlines for reporting a lost or stolen device, in hours (すぐに・直ちに = 0, 1時間以内 = 1, 翌営業日 = 24,
  3日以内 = 72), over the units (statement sentences and steps) that speak of such a report; a clause naming the
  written report (報告書・書面・提出) is a different act and is not compared. Covered when there is at least one
  deadline and they differ by at most ONE_DEADLINE_SPREAD hours.
"""

import copy
import re
from dataclasses import dataclass, field
from typing import Callable

from ..answers.draft import STEP_FIELDS, Draft
from ..drafting import consistency as C
from ..drafting.adaptation import (ADAPTED_ID, COPY_THRESHOLD, added_part, as_draft, fitted_model, grade_draft,
                                   model_similarity)
from ..i18n import t
from ..rubric.lines import review
from ..rubric.score import COVERAGE_WEIGHT, ElementResult
from ..rubric.text import normalize, split_sentences

ONE_DEADLINE_ID = "one_deadline"
ONE_DEADLINE_SPREAD = 4  # hours: 「すぐに」 and 「1時間以内」 agree; 「すぐに」 and 「翌営業日」 do not

FLAWED = {
    "5.23": {
        "schema": "course.draft/1", "control": "5.23",
        "purpose": "業務で使うクラウドサービスに預けた情報を守る。",
        "scope": "全従業員と、業務で使うすべてのクラウドサービス",
        "statements": [
            "クラウドサービスの利用は、利用開始の10営業日前までに情報システム担当者に申請し、社長の承認を得なければならない。",
            "クラウドサービスに預ける情報は、必要に応じてバックアップを取ることを検討する。",
            "管理者アカウントには、できるだけ多要素認証を設定するよう努める。",
            "クラウドサービスの利用をやめるときは、預けたデータをすべて取り出してから解約しなければならない。",
        ],
        "owner": "社長",
        "review": "年1回",
        "related": [],
        "steps": [
            {"who": "利用したい従業員", "what": "使いたいクラウドサービスの名前と、預ける情報を書いて申請する。",
             "when": "利用開始の3営業日前", "record": ""},
            {"who": "社長", "what": "申請の内容を確かめ、問題がなければ承認する。", "when": "申請を受けた日",
             "record": ""},
            {"who": "情報システム担当者", "what": "必要に応じて、利用中のサービスの設定を見直すことを検討する。",
             "when": "適宜", "record": ""},
        ],
    },
    "6.7": {
        "schema": "course.draft/1", "control": "6.7",
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
            {"who": "在宅勤務を希望する従業員", "what": "在宅勤務申請書を所属長に出し、許可を受ける。",
             "when": "初めて在宅勤務をする前", "record": "在宅勤務申請書"},
            {"who": "情報システム担当", "what": "貸与するノートパソコンにVPNの設定をしてから渡す。", "when": "貸与する前",
             "record": ""},
            {"who": "紛失に気付いた従業員", "what": "所属長に紛失を報告する。", "when": "翌営業日まで",
             "record": "紛失報告書"},
            {"who": "所属長", "what": "必要に応じて、在宅勤務の状況を確認することを検討する。", "when": "適宜",
             "record": ""},
        ],
    },
}


def flawed_draft(control):
    """A fresh copy of the flawed draft of a control (a dict in the answer record's form)."""
    return copy.deepcopy(FLAWED[str(control)])


# --- 5.23: one request period for a cloud service --------------------------------------------------------------------

def request_periods(draft, obj="cloud"):
    """The different application deadlines (「N営業日前」 of a 申請) for one object in the draft: {"10営業日", ...}."""
    draft = as_draft(draft, "5.23")
    found = set()
    for u in C.units(draft):
        if "申請" in C.norm(u.what) and (p := C.periods(u, "前")) and p[0] == obj:
            found.add(p[1])
    return found


def _request_problem(draft):
    periods = request_periods(draft)
    return "" if len(periods) == 1 else t("critique.request.deadlines", periods="、".join(sorted(periods)) or "なし")


# --- 6.7: one deadline for reporting a lost device -------------------------------------------------------------------

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
    draft = as_draft(draft, "6.7")
    found = []
    for unit in _units(draft):
        if not (_LOSS.search(unit) and _REPORT.search(unit)):
            continue
        for clause in _CLAUSE.findall(unit):
            if _WRITTEN.search(clause):
                continue
            found += [(h, clause.strip("（）() ")) for h in sorted(_hours(clause))]
    return found


def _loss_report_problem(draft):
    deadlines = loss_report_deadlines(draft)
    if not deadlines:
        return t("critique.loss_report.no_deadline")
    hours = [h for h, _ in deadlines]
    if max(hours) - min(hours) > ONE_DEADLINE_SPREAD:
        shown = "」「".join(dict.fromkeys(c for _, c in deadlines))
        return t("critique.loss_report.contradiction", found=shown[:120])
    return ""


# --- the contradiction check of each control -------------------------------------------------------------------------

@dataclass(frozen=True)
class DeadlineCheck:
    label: str                     # i18n key of the element's label
    problem: Callable[[Draft], str]  # the draft -> "" when it has one deadline, else the Japanese message


CHECKS = {
    "5.23": DeadlineCheck("critique.request.one_deadline", _request_problem),
    "6.7": DeadlineCheck("critique.loss_report.one_deadline", _loss_report_problem),
}


def one_deadline(control, draft):
    """The element "one_deadline" of a control's draft (an ElementResult; see CHECKS and the module docstring)."""
    check = CHECKS[str(control)]
    problem = check.problem(as_draft(draft, control))
    return ElementResult(ONE_DEADLINE_ID, t(check.label), not problem, problem)


# --- the grade --------------------------------------------------------------------------------------------------------

@dataclass
class CritiqueGrade:
    control: str
    score: float
    base: float          # base(draft) of the module docstring
    start_base: float    # base(FLAWED)
    copied: bool
    model_similarity: float
    elements: list = field(default_factory=list)   # the key elements and one_deadline (the RUBRIC lines)
    messages: list = field(default_factory=list)


_NOT_CRITIQUE = ("adaptation.missing", "adaptation.copied_element", "rubric.all_covered")


def _base(control, draft, elements, profile):
    graded = grade_draft(control, draft, elements=elements, profile=profile)
    results = [e for e in graded.elements if e.id != ADAPTED_ID] + [one_deadline(control, draft)]
    base = COVERAGE_WEIGHT * sum(e.covered for e in results) / len(results) + (1 - COVERAGE_WEIGHT) * graded.structure
    return base, results, graded


def grade_critique(control, draft, elements=None, profile=None):
    """The learner's correction of a control's flawed draft, scored 0..1 by what it improved (module docstring)."""
    control = str(control)
    draft = as_draft(draft, control)
    start_base, _, _ = _base(control, Draft.from_dict(FLAWED[control]), elements, profile)
    base, results, graded = _base(control, draft, elements, profile)
    copied, notes = graded.copied, []
    if not copied:  # the flawed start is the course's text too: what the learner added must not be the model
        added = model_similarity(added_part(draft, FLAWED[control]), fitted_model(control, profile))
        if added >= COPY_THRESHOLD:
            copied, notes = True, [t("critique.added_is_model", similarity=f"{added:.2f}")]
            review("model_copied", f"{control} 追記部分の類似度 {added:.2f}")
    score = 0.0 if copied or start_base >= 1 else max(0.0, base - start_base) / (1 - start_base)
    skip = {t(key) for key in _NOT_CRITIQUE}
    messages = [e.message for e in results if e.id == ONE_DEADLINE_ID and e.message]
    messages += [m for m in graded.messages if m not in skip]
    messages = notes + messages
    return CritiqueGrade(control, round(min(score, 1.0), 4), round(base, 4), round(start_base, 4), copied,
                         graded.model_similarity, results, messages or [t("rubric.all_covered")])


__all__ = ["CHECKS", "FLAWED", "CritiqueGrade", "flawed_draft", "grade_critique", "loss_report_deadlines",
           "one_deadline", "request_periods"]
