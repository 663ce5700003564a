"""Scoring a draft against a control's rubric: which elements it covers, whether it is well formed, and why it matters.

A draft is cut into units: each sentence of each 対策基準 statement ("standard") and each 実施手順 step ("procedure").
A statement sentence is usable when it binds (modality.py: an obligation or a prohibition, not a list of words); a step
when it names who and what, and its task is not hedged, waived or denied. An element is covered by a usable unit of its
`where` that holds one of its terms and, if it has any, one of its `with_terms`, each widened to its concepts
(concepts.py), and, if the element names slots, whose step fills them.

score = COVERAGE_WEIGHT * covered elements / all elements + (1 - COVERAGE_WEIGHT) * structure, in [0, 1], where
structure weighs the share of statements that bind, the filled step fields and the filled frame fields (purpose,
scope, owner, review). A field holding 「未定」「適宜」「随時」「必要に応じて」… is empty (fields.py).

Given the learner's company profile, the company's own role names count as the roles they are (concepts.role_words):
a draft of a company whose profile calls the top manager オーナー covers 「社長に報告する」 with 「オーナーに報告する」.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from ..answers.draft import STEP_FIELDS, Draft
from ..catalog import RubricElement, get_control
from ..i18n import t
from . import modality as M
from .concepts import Matcher, Text, matcher, role_words
from .fields import is_empty
from .sentence import analyse
from .text import normalize, split_sentences

COVERAGE_WEIGHT = 0.7
STRUCTURE_WEIGHTS = {"statements": 0.4, "steps": 0.4, "frame": 0.2}
FRAME_FIELDS = ("purpose", "scope", "owner", "review")
TIME_FIELDS = ("when", "review")
HEAD_LENGTH = 15
# One sentence that touches most of the rubric while listing many items is a list of keywords, not a rule: a real rule
# sentence carries one or two duties.
CROWDED_MIN_ELEMENTS = 4
CROWDED_SHARE = 0.5
CROWDED_MIN_SEPARATORS = 4
CROWDED_MANY_SEPARATORS = 8
CROWDED_MAX_VERBS = 2
_LIST_JOINERS = ("、", "・", "や", "及び", "および", "並びに")  # what stands between the items of a list
SALAD_MIN_LETTERS = 20
SALAD_TERM_SHARE = 0.6
SALAD_MIN_PARTICLES = 3
_PARTICLES = re.compile(r"(?<![ぁ-ん])[をにでがはへ](?![ぁ-ん])|して|し、|する")
_NOT_LETTERS = re.compile(r"[\s、。,.・/|!?()「」]")
# The analysis stops after this many characters of the statements, and of the steps (a pasted document); the learner
# is told. A long real draft has about 1,000 of each.
MAX_CHARACTERS = 3_000
# A draft whose letters are mostly not Japanese is not read (the self-check reads Japanese).
MIN_JAPANESE_SHARE = 0.3
_JAPANESE = re.compile("[ぁ-ゖァ-ヺ一-龯々〆ー]")
_LATIN = re.compile("[A-Za-zÀ-ÿ]")
_OTHER_SCRIPT = re.compile("[\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\uac00-\ud7af]")  # Cyrillic, Arabic, Thai, Hangul


@dataclass
class ElementResult:
    id: str
    label: str
    covered: bool
    message: str  # Japanese: what is missing and why it matters


@dataclass
class Feedback:
    control: str
    score: float
    covered: list[str]
    missing: list[str]
    messages: list[str]
    elements: list[ElementResult] = field(default_factory=list)

    def to_dict(self):
        return {"control": self.control, "score": self.score, "covered": list(self.covered),
                "missing": list(self.missing), "messages": list(self.messages)}


@dataclass(frozen=True)
class _Unit:
    kind: str            # "standard" or "procedure"
    text: Text
    usable: bool         # binds (a statement sentence) / names who and what (a step)
    reason: str          # why it is not usable: "", hedge, evaluation, permission, negation, statement, list, step
    cue: str = ""        # the learner's own words behind a hedge
    filled: frozenset = frozenset()  # the step fields that say something


@dataclass(frozen=True)
class _Rubric:
    elements: tuple  # of _Element
    own_terms: re.Pattern | None  # every term and with_term as written, on normalised text

    def __iter__(self):
        return iter(self.elements)

    def __len__(self):
        return len(self.elements)

    def mostly_terms(self, sentence):
        """A sentence made mostly of the rubric's own words, with little grammar between them (a keyword salad
        written with spaces or nothing between the words)."""
        if self.own_terms is None:
            return False
        text = sentence.text.surface
        letters = len(_NOT_LETTERS.sub("", text))
        if letters < SALAD_MIN_LETTERS:
            return False
        terms = sum(len(_NOT_LETTERS.sub("", m.group())) for m in self.own_terms.finditer(text))
        rest = self.own_terms.sub("|", text)
        return terms >= letters * SALAD_TERM_SHARE and len(_PARTICLES.findall(rest)) < SALAD_MIN_PARTICLES


@dataclass(frozen=True)
class _Element:
    element: RubricElement
    terms: Matcher
    with_terms: Matcher | None

    def mentions(self, text):
        return self.terms.search(text)

    def matches(self, text):
        return self.terms.search(text) and (self.with_terms is None or self.with_terms.search(text))


@lru_cache(maxsize=64)
def _rubric(elements, roles=()):
    """Each element's terms widened to their concepts (and the company's role words), once per element tuple
    (RubricElement is frozen) and company role table."""
    compiled = []
    for e in elements:
        terms = matcher(tuple(e.terms), roles)
        if terms is None:
            raise ValueError(f"rubric element {e.id!r} has no usable terms / 観点 {e.id} に語句がありません")
        compiled.append(_Element(e, terms, matcher(tuple(e.with_terms), roles) if e.with_terms else None))
    words = sorted({normalize(w) for e in elements for w in e.terms + e.with_terms} - {""}, key=len, reverse=True)
    return _Rubric(tuple(compiled), re.compile("|".join(map(re.escape, words))) if words else None)


def _as_element(e):
    if isinstance(e, RubricElement):
        return e
    if isinstance(e, dict):  # hidden grading tests may write their keys as plain dicts
        return RubricElement(id=e["id"], label=e.get("label", e["id"]), why=e.get("why", ""),
                             terms=tuple(e["terms"]), with_terms=tuple(e.get("with_terms", ())),
                             where=e.get("where", "any"), slots=tuple(e.get("slots", ())))
    raise TypeError(f"rubric element expected, got {type(e).__name__}")


def _head(text):
    text = " ".join(text.split())
    return text if len(text) <= HEAD_LENGTH else text[:HEAD_LENGTH] + "…"


# --- language and length -------------------------------------------------------------------------------------------

def _all_text(draft):
    return " ".join([draft.purpose, draft.scope, *draft.statements, draft.owner, draft.review,
                     *(getattr(s, f) for s in draft.steps for f in STEP_FIELDS)])


def _reads_as_japanese(text):
    japanese = len(_JAPANESE.findall(text))
    foreign = len(_LATIN.findall(text)) / 4 + len(_OTHER_SCRIPT.findall(text))  # ~4 Latin letters per word
    return japanese + foreign == 0 or japanese >= (japanese + foreign) * MIN_JAPANESE_SHARE


def _within_budget(draft, messages):
    """The statements and the steps, each cut to MAX_CHARACTERS (a message says so when anything is cut)."""
    statements, budget = [], MAX_CHARACTERS
    for s in draft.statements:
        if budget <= 0:
            break
        statements.append(s[:budget])
        budget -= len(s)
    steps, budget = [], MAX_CHARACTERS
    for s in draft.steps:
        budget -= sum(len(getattr(s, f)) for f in STEP_FIELDS)
        if budget < 0:
            break
        steps.append(s)
    if sum(map(len, statements)) < sum(map(len, draft.statements)) or len(steps) < len(draft.steps):
        messages.append(t("rubric.too_long", limit=f"{MAX_CHARACTERS:,}"))
    return statements, steps


# --- structure -----------------------------------------------------------------------------------------------------

_SENTENCE_PROBLEM = {
    "list": "rubric.list_like",
    M.HEDGE: "rubric.hedged",
    M.EVALUATION: "rubric.evaluation",
    M.PERMISSION: "rubric.waived",
    M.NEGATION: "rubric.waived",
    M.STATEMENT: "rubric.not_obligation",
}


def _crowded(sentence, rubric):
    """True for a sentence that names most of the rubric's elements in one list (see CROWDED_*)."""
    separators = sum(sentence.text.lemmas.count(f"|{s}|") for s in _LIST_JOINERS)
    if separators < CROWDED_MIN_SEPARATORS or len(rubric) < CROWDED_MIN_ELEMENTS:
        return False
    touched = sum(1 for e in rubric if e.matches(sentence.text))
    if touched < max(CROWDED_MIN_ELEMENTS, len(rubric) * CROWDED_SHARE):
        return False
    return sentence.generic_act or (separators >= CROWDED_MANY_SEPARATORS and sentence.verbs <= CROWDED_MAX_VERBS)


def _statement_units(statements, rubric, messages):
    """Units of the statements, and the share of statements that bind."""
    units, good, total = [], 0, 0
    for raw in statements:
        analysed = [analyse(s) for s in split_sentences(raw)]
        if not analysed:
            continue
        total += 1
        problem = None
        for s in analysed:
            listy = s.list_like or _crowded(s, rubric) or rubric.mostly_terms(s)
            reason = "list" if listy else "" if s.binding else s.modality.kind
            units.append(_Unit("standard", s.text, not reason, reason, s.modality.cue))
            if reason and not s.modality.exception and problem is None:
                problem = (reason, s.modality.cue)
        if problem:
            messages.append(t(_SENTENCE_PROBLEM[problem[0]], n=total, head=_head(raw), cue=problem[1]))
        else:
            good += 1
    if total == 0:
        messages.append(t("rubric.no_statements"))
    return units, (good / total if total else 0.0)


def _step_units(steps, messages):
    """Units of the steps, and the mean share of fields (who, what, when, record) that say something."""
    units, shares = [], []
    steps = [s for s in steps if not s.is_empty()]
    for n, step in enumerate(steps, 1):
        filled = {f: not is_empty(getattr(step, f), f) for f in STEP_FIELDS}
        what = [analyse(s, task=True) for s in split_sentences(step.what)]
        listy = filled["what"] and any(s.list_like for s in what)
        weak = next((s.modality for s in what if s.modality.kind in (M.HEDGE, M.PERMISSION, M.NEGATION)), None)
        if listy:
            messages.append(t("rubric.step_list_like", n=n))
        elif weak is not None and step.what.strip():
            filled["what"] = False
            key = "rubric.step_hedged" if weak.kind == M.HEDGE else "rubric.step_waived"
            messages.append(t(key, n=n, cue=weak.cue))
        missing = [f for f in STEP_FIELDS if not filled[f]]
        if missing:
            messages.append(t("rubric.step_missing", n=n,
                              fields=t("rubric.field.separator").join(t(f"rubric.field.{f}") for f in missing),
                              reasons="".join(t(f"rubric.why.{f}") for f in missing)))
        shares.append((sum(filled.values()) - listy) / len(STEP_FIELDS))
        text = Text.of(" | ".join(getattr(step, f) for f in STEP_FIELDS))
        usable = filled["who"] and filled["what"] and not listy
        reason = "" if usable else ("list" if listy else weak.kind if weak else "step")
        units.append(_Unit("procedure", text, usable, reason, weak.cue if weak else "",
                           frozenset(f for f in STEP_FIELDS if filled[f])))
    if not steps:
        messages.append(t("rubric.no_steps"))
    return units, (sum(shares) / len(shares) if shares else 0.0)


def _frame_share(draft, messages):
    missing = [f for f in FRAME_FIELDS if is_empty(getattr(draft, f), f)]
    if missing:
        messages.append(t("rubric.frame_missing",
                          fields=t("rubric.field.separator").join(t(f"rubric.field.{f}") for f in missing)))
    return 1 - len(missing) / len(FRAME_FIELDS)


# --- elements ------------------------------------------------------------------------------------------------------

def _allowed(where, kind):
    return where == "any" or where == kind


_ELEMENT_PROBLEM = {
    M.HEDGE: "rubric.element.hedged",
    M.EVALUATION: "rubric.element.evaluation",
    M.PERMISSION: "rubric.element.negated",
    M.NEGATION: "rubric.element.negated",
    M.STATEMENT: "rubric.element.not_rule",
    "list": "rubric.element.list_like",
    "step": "rubric.element.step_incomplete",
}


def _fills_slots(element, unit):
    return unit.kind != "procedure" or set(element.slots) <= unit.filled


def _judge(e, units):
    """(covered, message key, cue) for one element."""
    where = e.element.where
    placed = [u for u in units if _allowed(where, u.kind) and e.matches(u.text)]
    if any(u.usable and _fills_slots(e.element, u) for u in placed):
        return True, "rubric.element.covered", ""
    if any(u.usable for u in placed):
        return False, "rubric.element.slots_missing", ""
    for reason in (M.PERMISSION, M.NEGATION, M.HEDGE, M.EVALUATION, "list", M.STATEMENT, "step"):
        unit = next((u for u in placed if u.reason == reason), None)
        if unit is not None:
            return False, _ELEMENT_PROBLEM[reason], unit.cue
    if any(e.matches(u.text) for u in units):
        return False, ("rubric.element.needs_procedure" if where == "procedure"
                       else "rubric.element.needs_standard"), ""
    if any(_allowed(where, u.kind) and e.mentions(u.text) for u in units):
        return False, "rubric.element.vague", ""
    return False, "rubric.element.missing", ""


def _not_japanese(draft, elements):
    message = t("rubric.not_japanese")
    results = [ElementResult(e.id, e.label, False, message) for e in elements]
    return Feedback(draft.control, 0.0, [], [r.id for r in results], [message], results)


def company_roles(profile):
    """The role table of a CompanyProfile (or of its saved dict) as (key, 呼称, 担当) triples; () for None."""
    if profile is None:
        return ()
    if isinstance(profile, dict):
        from ..profile import CompanyProfile
        profile = CompanyProfile.from_dict(profile)
    return tuple((r.key, r.name, r.holder) for r in profile.role_table())


def score_draft(draft: Draft, elements: Sequence[RubricElement] | None = None, profile=None) -> Feedback:
    """Score a draft; `elements` defaults to the control's rubric in the catalog (graders pass their own keys).
    `profile` (a CompanyProfile, or the dict saved in answers/company_profile.json) makes the company's own role
    names count as those roles; without it only the lexicon's words do (the corpus is scored so)."""
    if isinstance(draft, dict):
        draft = Draft.from_dict(draft)
    if elements is None:
        elements = get_control(draft.control).rubric
    elements = tuple(_as_element(e) for e in elements)
    rubric = _rubric(elements, role_words(company_roles(profile)))
    if not _reads_as_japanese(_all_text(draft)[:MAX_CHARACTERS]):
        return _not_japanese(draft, elements)

    structure_messages = []
    statements, steps = _within_budget(draft, structure_messages)
    statement_units, statements_share = _statement_units(statements, rubric, structure_messages)
    step_units, steps_share = _step_units(steps, structure_messages)
    frame_share = _frame_share(draft, structure_messages)
    structure = (STRUCTURE_WEIGHTS["statements"] * statements_share + STRUCTURE_WEIGHTS["steps"] * steps_share
                 + STRUCTURE_WEIGHTS["frame"] * frame_share)

    units = statement_units + step_units
    results, element_messages = [], []
    for e in rubric:
        covered, key, cue = _judge(e, units)
        message = t(key, label=e.element.label, why=e.element.why, cue=cue,
                    slots=t("rubric.field.separator").join(t(f"rubric.field.{s}") for s in e.element.slots))
        results.append(ElementResult(e.element.id, e.element.label, covered, message))
        if not covered:
            element_messages.append(message)

    covered_ids = [r.id for r in results if r.covered]
    if results:
        score = COVERAGE_WEIGHT * len(covered_ids) / len(results) + (1 - COVERAGE_WEIGHT) * structure
    else:
        score = structure
        structure_messages.insert(0, t("rubric.no_elements"))
    messages = structure_messages + element_messages or [t("rubric.all_covered")]
    return Feedback(
        control=draft.control,
        score=round(min(max(score, 0.0), 1.0), 4),
        covered=covered_ids,
        missing=[r.id for r in results if not r.covered],
        messages=messages,
        elements=results,
    )
