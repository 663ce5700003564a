"""Model content for chapter 14, part A: Annex A controls 5.1–5.14.

Checks that each control has a model 対策基準 / 実施手順 in the right shape, a lesson where the course teaches the control,
and a rubric whose every element the model answer itself covers. The coverage check is a small matcher of its own
(NFKC, substring match within one sentence or one step), so that it does not depend on course/rubric.

Model texts name the company, its roles and its calendar as placeholders ({company}, {role.<key>}, {cal.<key>});
coverage is checked on the model as a learner gets it, fitted by course.drafting.fit.model_draft: for a company with
none of the profile traits (no profile clauses) and for one with all of them and a calendar other than the default.
"""

import re
import unicodedata

import pytest

import fixtures
from course.catalog import PROFILE_CONDITIONS, get_control
from course.drafting.fit import model_draft
from course.profile import CompanyProfile


LESSON_CONTROLS = ["5.1", "5.2", "5.3", "5.4", "5.5", "5.7", "5.8", "5.12", "5.13", "5.14"]
CATALOG_ONLY = ["5.6", "5.9", "5.10", "5.11"]
ALL = LESSON_CONTROLS + CATALOG_ONLY
OBLIGATION_ENDINGS = ("しなければならない。", "してはならない。", "なければならない。")
ROLE_HINTS = ("社長", "責任者", "担当", "部長", "部門長", "所属長", "従業員", "者", "役員", "経営陣")
KNOWN_PLACEHOLDERS = set(CompanyProfile().placeholders())  # company, role.<key>, cal.<key>
BRACED = re.compile(r"\{([^{}]*)\}")
# the default: 当社, no remote work, cloud services or contractors, the default role table and calendar
PLAIN = CompanyProfile()
# every trait (so every profile clause) and a calendar other than the default
EVERYTHING = CompanyProfile(company="株式会社みどり精機", telework="all", cloud=["会計クラウド"], contractors=["IT保守のA社"],
                            calendar={"review_month": 10, "access_review": {"every": "half", "month": 4},
                                      "account_review": {"every": "quarter", "month": 1}, "request_lead_days": 3,
                                      "approval_days": 2})
PROFILES = {"plain": PLAIN, "everything": EVERYTHING}


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def model_texts(model):
    """Every text of a catalog model (profile clauses included), placeholders as written."""
    texts = [model.purpose, model.scope, model.owner, model.review, *model.related, *model.statements]
    steps = list(model.steps) + [c.step for c in model.profile_clauses if c.step is not None]
    texts += [c.statement for c in model.profile_clauses]
    texts += [getattr(s, f) for s in steps for f in ("who", "what", "when", "record")]
    return texts


def fitted(number, profile):
    """The model as the learner gets it for this company: placeholders filled, its profile clauses added."""
    return model_draft(get_control(number), profile)


def standard_units(draft):
    """The 対策基準 sentences of a fitted model (profile-clause statements included)."""
    return [nfkc(s) for s in draft.statements]


def procedure_units(draft):
    """The 実施手順 steps of a fitted model, each joined into one text (profile-clause steps included)."""
    return [nfkc(" ".join((s.who, s.what, s.when, s.record))) for s in draft.steps]


def units_for(draft, where):
    if where == "standard":
        return standard_units(draft)
    if where == "procedure":
        return procedure_units(draft)
    return standard_units(draft) + procedure_units(draft)


def covers(unit, element):
    if not any(nfkc(t) in unit for t in element.terms):
        return False
    return not element.with_terms or any(nfkc(w) in unit for w in element.with_terms)


@pytest.fixture(scope="module")
def annex():
    return {row["number"]: row for row in fixtures.annex_a_rows()}


@pytest.mark.parametrize("number", ALL)
def test_identity_unchanged(number, annex):
    c = get_control(number)
    assert c.title_ja == annex[number]["title_ja"]
    assert c.title_en == annex[number]["title_en"]
    assert c.in_seminar == (annex[number]["in_seminar"] == "yes")


@pytest.mark.parametrize("number", ALL)
def test_model_exists_and_is_complete(number):
    m = get_control(number).model
    assert m is not None, f"{number}: no model"
    for name in ("purpose", "scope", "owner", "review"):
        assert getattr(m, name).strip(), f"{number}: empty {name}"
    assert m.related, f"{number}: no related documents"
    low = 3 if number in LESSON_CONTROLS else 2
    assert low <= len(m.statements) <= 6, f"{number}: {len(m.statements)} statements"
    low = 3
    assert low <= len(m.steps) <= 6, f"{number}: {len(m.steps)} steps"


@pytest.mark.parametrize("number", ALL)
def test_statements_are_obligations(number):
    m = get_control(number).model
    sentences = list(m.statements) + [c.statement for c in m.profile_clauses]
    for s in sentences:
        assert s.endswith(OBLIGATION_ENDINGS), f"{number}: not an obligation sentence: {s}"
        assert s.count("。") == 1, f"{number}: one sentence per statement: {s}"


@pytest.mark.parametrize("number", ALL)
def test_statements_use_company_placeholder(number):
    m = get_control(number).model
    assert any("{company}" in s for s in m.statements), f"{number}: no statement names {{company}}"
    for text in model_texts(m):
        unknown = set(BRACED.findall(text)) - KNOWN_PLACEHOLDERS
        assert not unknown, f"{number}: placeholder the profile does not know {unknown} in {text}"
        assert text.count("{") == text.count("}") == len(BRACED.findall(text)), f"{number}: stray brace in {text}"
    for name, profile in PROFILES.items():
        text = repr(fitted(number, profile))
        assert "{" not in text and "}" not in text, f"{number}: a placeholder is left after fitting ({name} profile)"


@pytest.mark.parametrize("number", ALL)
def test_steps_have_all_fields(number):
    m = get_control(number).model
    steps = list(m.steps) + [c.step for c in m.profile_clauses if c.step is not None]
    for i, s in enumerate(steps):
        for name in ("who", "what", "when", "record"):
            assert getattr(s, name).strip(), f"{number}: step {i} has empty {name}"
    for name, profile in PROFILES.items():
        for i, s in enumerate(fitted(number, profile).steps):
            assert any(h in s.who for h in ROLE_HINTS), f"{number} ({name}): step {i} who is not a role: {s.who}"


@pytest.mark.parametrize("number", ALL)
def test_profile_clauses(number):
    for c in get_control(number).model.profile_clauses:
        assert c.when in PROFILE_CONDITIONS


@pytest.mark.parametrize("number", LESSON_CONTROLS)
def test_lesson_controls_have_lesson(number):
    lesson = get_control(number).lesson
    assert lesson is not None, f"{number}: no lesson"
    assert lesson.case.strip() and lesson.tip.strip()
    assert 3 <= len(lesson.mistakes) <= 4, f"{number}: {len(lesson.mistakes)} mistakes"


@pytest.mark.parametrize("number", CATALOG_ONLY)
def test_catalog_only_controls_have_no_lesson(number):
    assert get_control(number).lesson is None


@pytest.mark.parametrize("number", ALL)
def test_rubric_size(number):
    rubric = get_control(number).rubric
    low = 5 if number in LESSON_CONTROLS else 4
    assert low <= len(rubric) <= 8, f"{number}: {len(rubric)} rubric elements"
    assert len({e.label for e in rubric}) == len(rubric), f"{number}: duplicate labels"


@pytest.mark.parametrize("number", ALL)
def test_rubric_terms_are_specific(number):
    for e in get_control(number).rubric:
        assert e.id.isascii() and e.id == e.id.lower(), f"{number}: id {e.id}"
        for t in e.terms + e.with_terms:
            assert nfkc(t).strip() == nfkc(t) and t not in ("管理", "情報"), f"{number}/{e.id}: term {t!r}"
        assert e.why.endswith("。"), f"{number}/{e.id}: why should be a sentence"


@pytest.mark.parametrize("number", ALL)
def test_model_covers_every_rubric_element(number):
    """The model fitted for a company with every trait (all profile clauses) covers the whole rubric."""
    c = get_control(number)
    draft = fitted(number, EVERYTHING)
    assert len(draft.statements) == len(c.model.statements) + len(c.model.profile_clauses)
    missing = [e.id for e in c.rubric if not any(covers(u, e) for u in units_for(draft, e.where))]
    assert not missing, f"{number}: model answer does not cover {missing}"


@pytest.mark.parametrize("number", ALL)
def test_model_covers_rubric_without_profile_clauses(number):
    """A company with none of the profile traits still gets a model answer that covers the whole rubric."""
    c = get_control(number)
    draft = fitted(number, PLAIN)
    assert len(draft.statements) == len(c.model.statements)  # no profile clause for this company
    missing = [e.id for e in c.rubric if not any(covers(u, e) for u in units_for(draft, e.where))]
    assert not missing, f"{number}: covered only through profile clauses: {missing}"


NEGATION_LIKE = re.compile(r"ない|ず[、。に]|なく|不要|禁止|ません")


def negation_like(unit):
    """True when the text, apart from an obligation ending, has a form a rubric scorer may treat as negated."""
    for ending in OBLIGATION_ENDINGS:
        if unit.endswith(ending):
            unit = unit[: -len(ending)]
            break
    return bool(NEGATION_LIKE.search(unit))


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("number", ALL)
def test_coverage_does_not_rely_on_negation_like_text(number, profile):
    """Scorers skip negated sentences; each element must be covered by at least one plainly affirmative unit."""
    c = get_control(number)
    draft = fitted(number, PROFILES[profile])
    weak = [e.id for e in c.rubric
            if not any(covers(u, e) and not negation_like(u) for u in units_for(draft, e.where))]
    assert not weak, f"{number}: covered only by negation-like text: {weak}"


@pytest.mark.parametrize("number", LESSON_CONTROLS)
def test_lesson_lengths(number):
    lesson = get_control(number).lesson
    assert 3 <= lesson.case.count("。") <= 6, f"{number}: case should be 3–6 sentences"
    assert 2 <= lesson.tip.count("。") <= 4, f"{number}: tip should be 2–4 sentences"
    for m in lesson.mistakes:
        assert m.endswith("。") and m.count("。") == 1, f"{number}: mistake should be one sentence: {m}"


def test_matcher_is_honest():
    """The matcher used above is not trivially true: unrelated text covers nothing, and a term alone is not enough."""
    c = get_control("5.14")
    unrelated = nfkc("{company}は、事務所の照明を毎日消さなければならない。")
    assert not any(covers(unrelated, e) for e in c.rubric)
    sample = next(e for e in c.rubric if e.with_terms)
    term, partner = sample.terms[0], sample.with_terms[0]
    assert not covers(nfkc(f"{{company}}は、{term}しなければならない。"), sample) or any(
        nfkc(w) in nfkc(term) for w in sample.with_terms)
    assert covers(nfkc(f"{{company}}は、{term}を{partner}しなければならない。"), sample)
