"""Scoring a draft against a control's rubric: which elements it covers, whether it is well formed, and why it matters.

A draft is cut into units: each sentence of each 対策基準 statement ("standard") and each 実施手順 step ("procedure").
An element is covered by a unit of the right kind when the unit is usable (a statement sentence written as a rule and
not a list of words; a step with a person and a task) and not negated, and contains one of the element's terms (and one
of its `with_terms`, if any) after normalisation.

score = COVERAGE_WEIGHT * covered elements / all elements + (1 - COVERAGE_WEIGHT) * structure, in [0, 1], where
structure weighs well-formed statements, complete steps and the filled frame fields (purpose, scope, owner, review).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from ..catalog import RubricElement, get_control
from ..answers.draft import STEP_FIELDS, Draft
from ..i18n import t
from .text import normalize, sentences

COVERAGE_WEIGHT = 0.7
STRUCTURE_WEIGHTS = {"statements": 0.4, "steps": 0.4, "frame": 0.2}
FRAME_FIELDS = ("purpose", "scope", "owner", "review")
HEAD_LENGTH = 15
# Keyword lists that fool the particle test of text.Sentence.list_like because some terms carry particles
# (「会社の機器」「画面をロック」): a long sentence mostly made of rubric terms, or a rule whose whole content before
# 〜しなければならない is rubric terms and nothing else (「会社の機器しなければならない」).
LIST_MIN_LENGTH = 20
LIST_TERM_SHARE = 0.6
_PARTICLES = re.compile(r"(?<![ぁ-ん])[をにでがはへ](?![ぁ-ん])|して|し、|する")
MIN_PARTICLES = 3
_NOT_LETTERS = re.compile(r"[\s、。,.・/|!?()「」]")
# A field holding only one of these says nothing (「記録：なし」 is a missing record).
EMPTY_VALUES = frozenset(normalize(v) for v in ("", "なし", "特になし", "不要", "未定", "-", "n/a", "tbd", "?", "…"))


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
    kind: str        # "standard" or "procedure"
    text: str        # normalised
    usable: bool     # a rule sentence / a step with who and what
    negated: bool
    listy: bool


@dataclass(frozen=True)
class _Matcher:
    element: RubricElement
    terms: re.Pattern
    with_terms: re.Pattern | None

    def mentions(self, text):
        return self.terms.search(text) is not None

    def matches(self, text):
        return self.mentions(text) and (self.with_terms is None or self.with_terms.search(text) is not None)


def _pattern(words):
    normalised = sorted({normalize(w) for w in words} - {""}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, normalised))) if normalised else None


@dataclass(frozen=True)
class _Rubric:
    matchers: tuple[_Matcher, ...]
    all_terms: re.Pattern | None  # every term and with_term of every element

    def is_list(self, sentence):
        """sentence: a text.Sentence."""
        if sentence.list_like:
            return True
        if self.all_terms is None:
            return False
        letters = len(_NOT_LETTERS.sub("", sentence.text))
        if (letters >= LIST_MIN_LENGTH and self._term_letters(sentence.text) >= letters * LIST_TERM_SHARE
                and not self._has_grammar_between_terms(sentence.text)):
            return True
        core_letters = len(_NOT_LETTERS.sub("", sentence.core))
        return sentence.obligation and core_letters > 0 and self._term_letters(sentence.core) >= core_letters

    def _has_grammar_between_terms(self, text):
        """A real sentence dense with rubric terms still joins them with particles and verbs (「…を示し、…で確かめ」)."""
        rest = self.all_terms.sub("|", text)
        return len(_PARTICLES.findall(rest)) >= MIN_PARTICLES

    def _term_letters(self, text):
        return sum(len(_NOT_LETTERS.sub("", m.group())) for m in self.all_terms.finditer(text))


@lru_cache(maxsize=64)
def _rubric(elements):
    """Compile the normalised terms once per element list (RubricElement is frozen, so a tuple of them is hashable)."""
    matchers = []
    for e in elements:
        terms = _pattern(e.terms)
        if terms is None:
            raise ValueError(f"rubric element {e.id!r} has no usable terms / 観点 {e.id} に語句がありません")
        matchers.append(_Matcher(e, terms, _pattern(e.with_terms) if e.with_terms else None))
    return _Rubric(tuple(matchers), _pattern([w for e in elements for w in e.terms + e.with_terms]))


def _as_element(e):
    if isinstance(e, RubricElement):
        return e
    if isinstance(e, dict):  # hidden grading tests may write their keys as plain dicts
        return RubricElement(id=e["id"], label=e.get("label", e["id"]), why=e.get("why", ""),
                             terms=tuple(e["terms"]), with_terms=tuple(e.get("with_terms", ())),
                             where=e.get("where", "any"))
    raise TypeError(f"rubric element expected, got {type(e).__name__}")


def _blank(value):
    return normalize(value) in EMPTY_VALUES


def _head(text):
    text = " ".join(text.split())
    return text if len(text) <= HEAD_LENGTH else text[:HEAD_LENGTH] + "…"


# --- structure -----------------------------------------------------------------------------------------------------

def _statement_units(draft, rubric, messages):
    """Units of the statements, and the share of statements that are well-formed rules."""
    units, good, total = [], 0, 0
    for raw in draft.statements:
        analysed = sentences(raw)
        if not analysed:
            continue
        total += 1
        problem = None
        for s in analysed:
            listy = s.bare or rubric.is_list(s)
            units.append(_Unit("standard", s.text, s.obligation and not listy, s.negated, listy))
            if s.exception:
                continue
            if listy:
                problem = problem or "rubric.list_like"
            elif not s.obligation:
                problem = problem or "rubric.not_obligation"
        if problem:
            messages.append(t(problem, n=total, head=_head(raw)))
        else:
            good += 1
    if total == 0:
        messages.append(t("rubric.no_statements"))
    return units, (good / total if total else 0.0)


def _step_units(draft, rubric, messages):
    """Units of the steps, and the mean share of filled fields (who, what, when, record) per step."""
    units, shares = [], []
    steps = [s for s in draft.steps if not s.is_empty()]
    for n, step in enumerate(steps, 1):
        fields = {f: normalize(getattr(step, f)) for f in STEP_FIELDS}
        filled = {f: fields[f] not in EMPTY_VALUES for f in STEP_FIELDS}
        what = sentences(step.what)
        listy = filled["what"] and any(rubric.is_list(s) for s in what)
        if listy:
            messages.append(t("rubric.step_list_like", n=n))
        missing = [f for f in STEP_FIELDS if not filled[f]]
        if missing:
            messages.append(t("rubric.step_missing", n=n,
                              fields=t("rubric.field.separator").join(t(f"rubric.field.{f}") for f in missing),
                              reasons="".join(t(f"rubric.why.{f}") for f in missing)))
        shares.append((sum(filled.values()) - listy) / len(STEP_FIELDS))
        text = " | ".join(fields.values())
        negated = any(s.negated for s in what + sentences(step.when))
        units.append(_Unit("procedure", text, filled["who"] and filled["what"] and not listy, negated, listy))
    if not steps:
        messages.append(t("rubric.no_steps"))
    return units, (sum(shares) / len(shares) if shares else 0.0)


def _frame_share(draft, messages):
    missing = [f for f in FRAME_FIELDS if _blank(getattr(draft, f))]
    if missing:
        messages.append(t("rubric.frame_missing",
                          fields=t("rubric.field.separator").join(t(f"rubric.field.{f}") for f in missing)))
    return 1 - len(missing) / len(FRAME_FIELDS)


# --- elements ------------------------------------------------------------------------------------------------------

def _allowed(where, kind):
    return where == "any" or where == kind


def _judge(matcher, units):
    """(covered, message key) for one element."""
    where = matcher.element.where
    for u in units:
        if _allowed(where, u.kind) and u.usable and not u.negated and matcher.matches(u.text):
            return True, "rubric.element.covered"
    mentioned = [u for u in units if matcher.mentions(u.text)]
    full = [u for u in mentioned if matcher.matches(u.text)]
    placed = [u for u in full if _allowed(where, u.kind)]
    if any(u.negated for u in placed):
        return False, "rubric.element.negated"
    if full and not placed:
        return False, "rubric.element.needs_procedure" if where == "procedure" else "rubric.element.needs_standard"
    if any(u.listy for u in placed):
        return False, "rubric.element.list_like"
    if any(u.kind == "standard" for u in placed):
        return False, "rubric.element.not_rule"
    if placed:
        return False, "rubric.element.step_incomplete"
    if any(_allowed(where, u.kind) for u in mentioned):
        return False, "rubric.element.vague"
    return False, "rubric.element.missing"


def score_draft(draft: Draft, elements: Sequence[RubricElement] | None = None) -> Feedback:
    """Score a draft; `elements` defaults to the control's rubric in the catalog (graders pass their own keys)."""
    if isinstance(draft, dict):
        draft = Draft.from_dict(draft)
    if elements is None:
        elements = get_control(draft.control).rubric
    rubric = _rubric(tuple(_as_element(e) for e in elements))

    structure_messages = []
    statement_units, statements_share = _statement_units(draft, rubric, structure_messages)
    step_units, steps_share = _step_units(draft, rubric, structure_messages)
    frame_share = _frame_share(draft, structure_messages)
    structure = (STRUCTURE_WEIGHTS["statements"] * statements_share + STRUCTURE_WEIGHTS["steps"] * steps_share
                 + STRUCTURE_WEIGHTS["frame"] * frame_share)

    units = statement_units + step_units
    results, element_messages = [], []
    for m in rubric.matchers:
        covered, key = _judge(m, units)
        message = t(key, label=m.element.label, why=m.element.why)
        results.append(ElementResult(m.element.id, m.element.label, covered, message))
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
