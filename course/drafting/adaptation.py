"""Adapted, not copied: how close a draft is to the catalog model, and a grade that credits the company's own content.

Similarity (`model_similarity`): the Ochiai (cosine) coefficient of the sets of character 3-grams of the two texts,

    similarity = |G(draft) ∩ G(model)| / sqrt(|G(draft)| · |G(model)|)

where G(x) is the set of 3-grams of the 対策基準 statements and of the 実施手順 steps (担当・作業・時期・記録), each piece
normalised on its own (course/rubric/text.normalize, lower case, spaces and punctuation removed). It is the geometric
mean of two containments: the share of the draft that is the model's and the share of the model that is in the draft.
Sets make it blind to order and to repetition; a changed word moves only the few 3-grams around it; filler added to the
model lowers only the first containment (the model plus as much filler again still measures about 0.7). The model is
the one fitted to the learner's profile (course.drafting.fit.model_draft), so role names, dates and the company name
that the profile put into the model are the model's words, not the learner's. Purpose, scope, owner and review are not
compared: they are short frames that a good draft may well share with the model.

A draft is *copied* when similarity >= COPY_THRESHOLD (0.6). On the tuning corpus (tests/rubric/corpus/tuning) the
drafts written on the model ("model_good": company name put in, sentences reordered, one dropped) measure 0.80–0.96;
independently written good drafts ("everyday_good", "adapted_good") 0.07–0.31; every other kind stays at or below 0.32.
The held-out corpus was only measured (ARCHITECTURE.md, "Adapted, not copied").

Grade (`grade_draft`): course.rubric.score.score_draft, unchanged, plus one element "adapted" (自社に合わせた内容) that
weighs as much as each rubric element:

    score = COVERAGE_WEIGHT · (covered + adapted) / (elements + 1) + (1 - COVERAGE_WEIGHT) · structure

"adapted" is covered when the part of the draft that is not the model's (statement sentences and steps whose 3-grams
are mostly not in the model) names at least ADAPTED_MIN_ITEMS company-specific things: the profile's own values (the
company name, sites, cloud services, contractors, industry, IT staff, role names and holders the learner changed), or
concrete words and numbers that the fitted model does not have (a system's name, 毎月10日, 5営業日, 総務部長). A copied
draft earns at most the structure share, (1 - COVERAGE_WEIGHT) · structure, and asks for the instructor's review
(course.rubric.lines.review("model_copied", ...)). The fitted model itself therefore scores at most the structure share,
an adapted model can reach 1.0, and a blank draft 0.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field

from ..answers.draft import STEP_FIELDS, Draft
from ..i18n import t
from ..rubric.score import COVERAGE_WEIGHT, ElementResult, Feedback, score_draft
from ..rubric.text import normalize, split_sentences
from .drafts import resolve_control

NGRAM = 3
COPY_THRESHOLD = 0.6
# A statement sentence or step of which at least this share of 3-grams is in the model is the model's, not the learner's.
UNIT_MODEL_SHARE = 0.6
ADAPTED_MIN_ITEMS = 3
ADAPTED_ID = "adapted"
MIN_WORD = 2  # characters: one-letter nouns (日, 者, 表) say nothing about a company

_NOT_TEXT = re.compile(r"[\s、。,.，．・/|｜!?！？()（）「」『』\[\]【】<>:：;；\"'`~〜…ー\-‐]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:か月|ヶ月|カ月|ケ月|営業日|日間|週間|時間|年間|日|週|月|年|時|分|名|人|回|件|台|%|字|文字|桁|gb|mb)?")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9+#]*(?: ?[0-9]+)?")
_KANA_ONLY = re.compile(r"^[ぁ-ゖー]*$")


def _clean(text):
    return _NOT_TEXT.sub("", normalize(text or "").lower())


def _pieces(draft):
    """The compared text: every statement and every step (its four fields together), cleaned."""
    pieces = [_clean(s) for s in draft.statements]
    pieces += [_clean(" ".join(getattr(s, f) for f in STEP_FIELDS)) for s in draft.steps]
    return [p for p in pieces if p]


def _grams(pieces, n=NGRAM):
    grams = set()
    for p in pieces:
        grams.update(p[i:i + n] for i in range(len(p) - n + 1) if len(p) >= n)
        if 0 < len(p) < n:
            grams.add(p)
    return grams


def as_draft(draft, control=None):
    """A Draft from a Draft, an answer record's dict (its control filled in when missing) or None (empty)."""
    if isinstance(draft, Draft):
        return draft
    if draft is None:
        return Draft(control or "")
    if isinstance(draft, dict):
        data = dict(draft)
        if control and not data.get("control"):
            data["control"] = control
        return Draft.from_dict(data)
    raise TypeError(f"draft expected, got {type(draft).__name__}")


def model_similarity(draft, model):
    """0..1: how much the draft is the model (Ochiai coefficient of their character 3-gram sets; see the module
    docstring). `model` is the fitted model Draft (course.drafting.fit.model_draft(control, profile)), or None (0.0)."""
    if model is None:
        return 0.0
    mine, theirs = _grams(_pieces(as_draft(draft))), _grams(_pieces(as_draft(model)))
    if not mine or not theirs:
        return 0.0
    return round(len(mine & theirs) / math.sqrt(len(mine) * len(theirs)), 4)


def added_part(draft, start):
    """The statements and steps of `draft` that are mostly not in `start` (the draft the course handed out, e.g. the
    flawed draft of a critique question): what the learner wrote. Same share rule as the company-specific part."""
    draft, start = as_draft(draft), as_draft(start)
    given = _grams(_pieces(start))

    def new(text):
        grams = _grams([_clean(text)])
        return bool(grams) and len(grams & given) < UNIT_MODEL_SHARE * len(grams)

    steps = [s for s in draft.steps if new(" ".join(getattr(s, f) for f in STEP_FIELDS))]
    return Draft(draft.control, statements=[s for s in draft.statements if new(s)], steps=steps)


def fitted_model(control, profile=None):
    """The model of the control fitted to the profile, or None when the control has no model."""
    from .fit import model_draft

    control = resolve_control(control)
    if control.model is None:
        return None
    return model_draft(control, _profile(profile))


def _profile(profile):
    if isinstance(profile, dict):
        from ..profile import CompanyProfile
        return CompanyProfile.from_dict(profile)
    return profile


# --- company-specific content ----------------------------------------------------------------------------------------

def _units(draft):
    """(raw text, usable) for each statement sentence and each step: a sentence is usable when it binds (an obligation
    or a prohibition, not a list of words), a step when it names who and what without hedging or waiving its task."""
    from ..rubric import modality as M
    from ..rubric.fields import is_empty
    from ..rubric.sentence import analyse

    units = [(s, analyse(s).binding) for raw in draft.statements for s in split_sentences(raw)]
    for step in draft.steps:
        what = [analyse(s, task=True) for s in split_sentences(step.what)]
        usable = (not is_empty(step.who, "who") and not is_empty(step.what, "what")
                  and not any(s.modality.kind in (M.HEDGE, M.PERMISSION, M.NEGATION) or s.list_like for s in what))
        units.append((" ".join(getattr(step, f) for f in STEP_FIELDS), usable))
    return units


def _own_units(draft, model_grams):
    """The usable statement sentences and steps of the draft that are mostly not the model's (raw text)."""
    own = []
    for raw, usable in _units(draft):
        grams = _grams([_clean(raw)])
        if usable and grams and len(grams & model_grams) < UNIT_MODEL_SHARE * len(grams):
            own.append(raw)
    return own


def profile_items(profile):
    """The profile's own values, cleaned: what only this company would write (default role names are not its own)."""
    from ..profile import split_list, role_specs

    profile = _profile(profile)
    if profile is None:
        return set()
    items = [profile.company, profile.industry, profile.it_staff, *split_list(profile.sites), *profile.cloud,
             *profile.contractors]
    defaults = {s.key: s for s in role_specs()}
    for role in profile.role_table():
        spec = defaults.get(role.key)
        if spec is None or role.name != spec.name:
            items.append(role.name)
        if spec is None or role.holder != spec.holder:
            items.append(role.holder)
    items = {_clean(re.sub(r"[（(][^）)]*[）)]", "", i)) for i in items if i}
    return {i for i in items if len(i) >= MIN_WORD and i != _clean("当社")}


def _words(unit):
    """Concrete words of a unit as written: numbers with their unit, Latin words, and nouns (runs of nouns make one
    word: 販売管理システム, 総務部長); words of kana only (こと, とき) and one-letter words say nothing of a company."""
    from ..rubric.analyser import tokens

    text = unicodedata.normalize("NFKC", unit).lower()
    found = set(_NUMBER.findall(text)) | set(_LATIN_WORD.findall(text))
    noun, words = "", []
    for tok in tokens(text):
        if (tok.pos == "名詞" and tok.pos_detail not in ("数詞", "代名詞") or (noun and tok.pos == "接尾辞")) \
                and tok.pos_detail != "非自立可能" and not _KANA_ONLY.match(tok.surface):
            noun += tok.surface
            continue
        words.append(noun)
        noun = ""
    words.append(noun)
    found |= {w for w in words if not _KANA_ONLY.match(w)}
    return {w for w in found if len(_clean(w)) >= MIN_WORD}


def company_items(draft, model=None, profile=None):
    """The company-specific things in the part of the draft that is not the model's: profile values and words or
    numbers that the model does not have (sorted, as written after cleaning)."""
    draft = as_draft(draft)
    model_pieces = _pieces(model) if model is not None else []
    model_text = "|".join(model_pieces)
    own = _own_units(draft, _grams(model_pieces))
    items = {i for i in profile_items(profile) if any(i in u for u in own)}
    for unit in own:
        items |= {_clean(w) for w in _words(unit) if _clean(w) not in model_text}
    return sorted(items)


# --- the grade ---------------------------------------------------------------------------------------------------------

@dataclass
class Grade(Feedback):
    """A Feedback (score, elements incl. "adapted", messages) with the model similarity and the copy verdict."""

    model_similarity: float = 0.0
    copied: bool = False
    structure: float = 0.0
    company_items: list = field(default_factory=list)

    def to_dict(self):
        return {**super().to_dict(), "model_similarity": self.model_similarity, "copied": self.copied}


def _structure(feedback):
    """The structure share (0..1) behind a score_draft Feedback: its score less the covered share's part."""
    n = len(feedback.elements)
    if not n:
        return feedback.score
    coverage = COVERAGE_WEIGHT * len(feedback.covered) / n
    return min(max((feedback.score - coverage) / (1 - COVERAGE_WEIGHT), 0.0), 1.0)


def copied_message(similarity):
    return t("adaptation.copied", percent=round(similarity * 100))


def copy_check(draft, control, profile=None):
    """(similarity to the model fitted to the profile, the Japanese message when the draft is a copy, else "")."""
    similarity = model_similarity(draft, fitted_model(control, profile))
    return similarity, (copied_message(similarity) if similarity >= COPY_THRESHOLD else "")


def grade_draft(control, draft, elements=None, profile=None):
    """The draft's score with the rubric (score_draft, with the company's role names) and the element "adapted";
    capped at the structure share when the draft is the fitted model (similarity >= COPY_THRESHOLD), which also
    prints a REVIEW model_copied line for the instructor. Returns a Grade."""
    from ..rubric.lines import review

    control = resolve_control(control)
    draft = as_draft(draft, control.number)
    if draft.control != control.number:
        draft = Draft.from_dict({**draft.to_dict(), "control": control.number})
    profile = _profile(profile)
    base = score_draft(draft, elements=elements, profile=profile)
    model = fitted_model(control, profile)
    similarity = model_similarity(draft, model)
    copied = similarity >= COPY_THRESHOLD
    read = base.messages != [t("rubric.not_japanese")]  # a draft the self-check does not read earns nothing
    items = company_items(draft, model, profile) if read and not copied else []
    adapted = len(items) >= ADAPTED_MIN_ITEMS
    structure = _structure(base)

    n = len(base.elements)
    score = COVERAGE_WEIGHT * (len(base.covered) + adapted) / (n + 1) + (1 - COVERAGE_WEIGHT) * structure
    if copied:
        score = min(score, (1 - COVERAGE_WEIGHT) * structure)
    message = ("" if adapted else t("adaptation.copied_element") if copied else t("adaptation.missing"))
    element = ElementResult(ADAPTED_ID, t("adaptation.label"), adapted, message)
    messages = [m for m in base.messages if m != t("rubric.all_covered") or adapted]
    if copied:
        messages.insert(0, copied_message(similarity))
    elif not adapted:
        messages.append(message)
    if copied:
        review("model_copied", f"{control.number} 類似度 {similarity:.2f}")
    return Grade(
        control=control.number,
        score=round(min(max(score, 0.0), 1.0), 4),
        covered=base.covered + ([ADAPTED_ID] if adapted else []),
        missing=base.missing + ([] if adapted else [ADAPTED_ID]),
        messages=messages or [t("rubric.all_covered")],
        elements=[*base.elements, element],
        model_similarity=similarity,
        copied=copied,
        structure=round(structure, 4),
        company_items=items,
    )


__all__ = ["COPY_THRESHOLD", "Grade", "added_part", "as_draft", "copy_check", "company_items", "fitted_model", "grade_draft", "model_similarity"]
