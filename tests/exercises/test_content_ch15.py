"""Chapter 15 (people controls): model answers, lessons and rubrics of 6.1–6.5 and 6.8.

The coverage check here is a small stand-alone version of the rubric rule (NFKC, substring, same sentence or step),
so that these content tests do not depend on course/rubric. Model texts hold placeholders ({company}, {role.<key>},
{cal.<key>}): coverage is checked on the model as course.drafting.fit.model_draft fits it to a company with every
profile trait (all clauses) and to one with none (no clause).
"""

import re
import unicodedata

import pytest

from course.catalog import load_catalog
from course.drafting.fit import model_draft
from course.profile import CompanyProfile

CONTROLS = ("6.1", "6.2", "6.3", "6.4", "6.5", "6.8")
OBLIGATION_ENDINGS = ("しなければならない。", "してはならない。", "なければならない。")
KNOWN_PLACEHOLDERS = set(CompanyProfile().placeholders())
BRACED = re.compile(r"\{([^{}]*)\}")
PLAIN = CompanyProfile()  # 当社, no traits, default role table and calendar
EVERYTHING = CompanyProfile(company="株式会社みどり精機", telework="all", cloud=["会計クラウド"], contractors=["IT保守のA社"],
                            calendar={"review_month": 10, "access_review": {"every": "half", "month": 4},
                                      "account_review": {"every": "quarter", "month": 1}, "request_lead_days": 3,
                                      "approval_days": 2})


@pytest.fixture(scope="module")
def controls():
    return {c.number: c for c in load_catalog()}


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def step_text(step):
    return "".join((step.who, step.what, step.when, step.record))


def units(control, where, with_clauses=True):
    """Texts in which a rubric element may be found: statements (standard), steps (procedure) or both (any), of the
    model fitted to a company with every profile trait (with_clauses) or with none."""
    draft = model_draft(control, EVERYTHING if with_clauses else PLAIN)
    clauses = control.model.profile_clauses if with_clauses else ()
    assert len(draft.statements) == len(control.model.statements) + len(clauses)
    standard = list(draft.statements)
    procedure = [step_text(s) for s in draft.steps]
    chosen = {"standard": standard, "procedure": procedure, "any": standard + procedure}[where]
    return [nfkc(u) for u in chosen]


def covered(element, texts):
    terms = [nfkc(t) for t in element.terms]
    with_terms = [nfkc(t) for t in element.with_terms]
    return any(
        any(t in u for t in terms) and (not with_terms or any(w in u for w in with_terms))
        for u in texts
    )


def model_text(control):
    """The whole model fitted to a company with every profile trait."""
    d = model_draft(control, EVERYTHING)
    return nfkc("".join([d.purpose, d.scope, *d.statements, *(step_text(s) for s in d.steps)]))


@pytest.mark.parametrize("number", CONTROLS)
def test_model_exists_and_is_complete(controls, number):
    m = controls[number].model
    assert m is not None, f"{number}: no model"
    for name in ("purpose", "scope", "owner", "review"):
        assert getattr(m, name).strip(), f"{number}: empty {name}"
    assert m.related, f"{number}: no related documents"
    assert 3 <= len(m.statements) <= 6, f"{number}: {len(m.statements)} statements"
    assert 3 <= len(m.steps) <= 6, f"{number}: {len(m.steps)} steps"


@pytest.mark.parametrize("number", CONTROLS)
def test_statements_are_obligations(controls, number):
    m = controls[number].model
    sentences = list(m.statements) + [c.statement for c in m.profile_clauses]
    for s in sentences:
        assert s.strip().endswith(OBLIGATION_ENDINGS), f"{number}: not an obligation sentence: {s}"
        assert s.count("。") == 1, f"{number}: a statement should be one sentence: {s}"


@pytest.mark.parametrize("number", CONTROLS)
def test_steps_name_who_what_when_record(controls, number):
    m = controls[number].model
    steps = list(m.steps) + [c.step for c in m.profile_clauses if c.step]
    for i, s in enumerate(steps):
        for name in ("who", "what", "when", "record"):
            assert getattr(s, name).strip(), f"{number}: step {i} has empty {name}"


@pytest.mark.parametrize("number", CONTROLS)
def test_placeholders_are_known_and_filled(controls, number):
    m = controls[number].model
    steps = list(m.steps) + [c.step for c in m.profile_clauses if c.step]
    texts = [m.purpose, m.scope, m.owner, m.review, *m.related, *m.statements, *(c.statement for c in m.profile_clauses)]
    texts += [getattr(s, f) for s in steps for f in ("who", "what", "when", "record")]
    for text in texts:
        unknown = set(BRACED.findall(text)) - KNOWN_PLACEHOLDERS
        assert not unknown, f"{number}: placeholder the profile does not know {unknown} in {text}"
        assert text.count("{") == text.count("}") == len(BRACED.findall(text)), f"{number}: stray brace in {text}"
    for profile in (PLAIN, EVERYTHING):
        fitted = repr(model_draft(controls[number], profile))
        assert "{" not in fitted and "}" not in fitted, f"{number}: a placeholder is left after fitting"


@pytest.mark.parametrize("number", CONTROLS)
def test_lesson(controls, number):
    lesson = controls[number].lesson
    assert lesson is not None, f"{number}: no lesson"
    assert lesson.case.strip() and lesson.tip.strip()
    assert 3 <= len(lesson.mistakes) <= 4
    # lines of Japanese prose must not be joined with spaces (a folded YAML scalar would do that)
    assert "。 " not in lesson.case and "。 " not in lesson.tip


@pytest.mark.parametrize("number", CONTROLS)
def test_rubric_shape(controls, number):
    rubric = controls[number].rubric
    assert 5 <= len(rubric) <= 8, f"{number}: {len(rubric)} rubric elements"
    ids = [e.id for e in rubric]
    assert len(ids) == len(set(ids)), f"{number}: duplicate rubric ids"
    for e in rubric:
        assert e.id.isascii() and e.id.replace("_", "").isalnum() and e.id == e.id.lower(), e.id
        assert e.label.strip() and e.why.strip() and e.terms


@pytest.mark.parametrize("number", CONTROLS)
def test_every_rubric_element_is_covered_by_the_model(controls, number):
    c = controls[number]
    missing = [e.id for e in c.rubric if not covered(e, units(c, e.where))]
    assert not missing, f"{number}: model does not cover {missing}"


@pytest.mark.parametrize("number", CONTROLS)
def test_model_scores_full_marks_without_profile_clauses(controls, number):
    """A company without telework, cloud or contractors gets the model without the clauses: still full coverage."""
    c = controls[number]
    missing = [e.id for e in c.rubric if not covered(e, units(c, e.where, with_clauses=False))]
    assert not missing, f"{number}: base model does not cover {missing}"


def test_coverage_check_is_not_vacuous(controls):
    """The checker must reject a model that lacks the idea: drop 6.1's consent statement and consent is missing."""
    c = controls["6.1"]
    consent = next(e for e in c.rubric if e.id == "consent")
    assert covered(consent, units(c, consent.where))
    texts = [u for u in units(c, consent.where) if "同意" not in u]
    assert not covered(consent, texts)


def test_profile_clauses_where_they_apply(controls):
    expected = {"6.1": {"contractors"}, "6.2": {"contractors"}, "6.3": {"telework"},
                "6.5": {"cloud", "contractors"}, "6.8": {"telework"}}
    for number, conditions in expected.items():
        assert {c.when for c in controls[number].model.profile_clauses} == conditions, number


def test_screening_model_mentions_consent_and_all_employment_types(controls):
    text = model_text(controls["6.1"])
    assert "同意" in text
    assert any(w in text for w in ("パート", "アルバイト", "派遣"))


def test_terms_of_employment_model_mentions_pledge(controls):
    assert "誓約書" in model_text(controls["6.2"])


def test_other_fields_untouched(controls):
    """The chapter work adds model, lesson and rubric only; the catalogue fields stay as the skeleton had them."""
    for number in CONTROLS:
        c = controls[number]
        assert c.theme == "people" and c.verified and c.in_seminar
        assert c.source.endswith(f"{number}.yaml")
