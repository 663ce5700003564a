"""Critique exercises: a flawed draft to correct, and its grade (#15, point 2).

The learner starts from a draft written for this course with three kinds of flaw: hedges (「必要に応じて…検討する」,
「できるだけ…努める」) that oblige nobody, elements that are missing altogether, and a contradiction (two different
deadlines for the same request). The Workbench opens with it (`Workbench(control, start=flawed_draft(control))`).

`grade_critique(control, draft, elements, profile)` grades the corrected draft:

    score = 0.7 · (covered elements + adapted) / (elements + 1) + 0.1 · structure
          + 0.1 · (no hedge left) + 0.1 · (one deadline for the request, and there is one)

with the elements and the structure (0..1) of course.drafting.adaptation.grade_draft on the draft with its hedged
sentences and steps left out; "adapted" is judged against the flawed draft (its words are the course's, not the
learner's), and a draft that is the catalog model (grade_draft's copied) covers no element.

Hedged sentences and steps are left out before the rubric reads the draft, so an element written only as a hedge is
not covered. The deadline check is course/drafting/consistency.py's (the request periods 「N営業日前」 of one object,
over the draft's sentences and steps). The unchanged flawed draft earns about a quarter of the points, the model
at most 0.3 (see tests/exercises/test_critique.py).
"""

import copy
from dataclasses import dataclass, field

from ..answers.draft import Draft
from ..drafting import consistency as C
from ..drafting.adaptation import ADAPTED_ID, ADAPTED_MIN_ITEMS, company_items, grade_draft
from ..i18n import t
from ..rubric import modality as M
from ..rubric.score import ElementResult
from ..rubric.sentence import analyse
from ..rubric.text import split_sentences

ELEMENT_WEIGHT = 0.7
FIX_WEIGHT = 0.1

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
}


def flawed_draft(control):
    """A fresh copy of the flawed draft of a control (a dict in the answer record's form)."""
    return copy.deepcopy(FLAWED[str(control)])


def _hedged(sentence, task=False):
    return analyse(sentence, task=task).modality.kind == M.HEDGE


def hedges(draft):
    """The hedged sentences of the statements and the steps whose task hedges (as written)."""
    draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft)
    found = [s for raw in draft.statements for s in split_sentences(raw) if _hedged(s)]
    found += [step.what for step in draft.steps if any(_hedged(s, task=True) for s in split_sentences(step.what))]
    return found


def without_hedges(draft):
    """The draft with every hedged statement sentence and hedging step left out."""
    draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft)
    data = draft.to_dict()
    data["statements"] = ["。".join(s for s in split_sentences(raw) if not _hedged(s)) for raw in draft.statements]
    data["statements"] = [s + "。" for s in data["statements"] if s.strip()]
    data["steps"] = [d for d, s in zip(data["steps"], draft.steps)
                     if not any(_hedged(x, task=True) for x in split_sentences(s.what))]
    return Draft.from_dict(data)


def request_periods(draft, obj="cloud"):
    """The different application deadlines (「N営業日前」 of a 申請) for one object in the draft: {"10営業日", ...}."""
    draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft)
    found = set()
    for u in C.units(draft):
        if "申請" in C.norm(u.what) and (p := C.periods(u, "前")) and p[0] == obj:
            found.add(p[1])
    return found


@dataclass
class CritiqueGrade:
    control: str
    score: float
    elements: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    coverage: float = 0.0   # share of the rubric's elements and "adapted" covered (0 when the draft is the model)
    copied: bool = False


def grade_critique(control, draft, elements=None, profile=None):
    """Grade a corrected flawed draft (module docstring): the rubric on the unhedged part, plus two fixes."""
    draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft or {"control": control})
    left = hedges(draft)
    periods = request_periods(draft)
    stripped = without_hedges(draft)
    base = grade_draft(control, stripped, elements=elements, profile=profile)
    # "adapted" counts what the learner added: the flawed draft's own words are the course's, like a model's
    flawed = Draft.from_dict(FLAWED[str(control)]) if str(control) in FLAWED else None
    own = company_items(stripped, flawed, profile) if flawed is not None and not base.copied else []
    adapted = len(own) >= ADAPTED_MIN_ITEMS
    rubric = [e for e in base.elements if e.id != ADAPTED_ID]
    coverage = 0.0 if base.copied else (sum(1 for e in rubric if e.covered) + adapted) / (len(rubric) + 1)
    adapted_element = ElementResult(ADAPTED_ID, t("adaptation.label"), adapted,
                                    "" if adapted else t("adaptation.missing"))
    no_hedges = not left and not draft.is_empty()
    one_deadline = len(periods) == 1
    fixes = [
        ElementResult("no_hedges", t("critique.no_hedges"), no_hedges,
                      "" if no_hedges else t("critique.hedges_left", n=len(left), example=(left or [""])[0][:40])),
        ElementResult("one_deadline", t("critique.one_deadline"), one_deadline,
                      "" if one_deadline else t("critique.deadlines", periods="、".join(sorted(periods)) or "なし")),
    ]
    score = (ELEMENT_WEIGHT * coverage + FIX_WEIGHT * base.structure + FIX_WEIGHT * no_hedges
             + FIX_WEIGHT * one_deadline)
    messages = [f.message for f in fixes if f.message] + [m for m in base.messages if m != t("adaptation.missing")]
    if not adapted:
        messages.append(t("adaptation.missing"))
    return CritiqueGrade(str(control), round(score, 4), [*rubric, adapted_element, *fixes], messages,
                         round(coverage, 4), base.copied)


__all__ = ["FLAWED", "flawed_draft", "hedges", "without_hedges", "request_periods", "grade_critique", "CritiqueGrade"]
