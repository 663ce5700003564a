"""Chapter 15 (people controls): model answers, lessons and rubrics of 6.1–6.5 and 6.8.

The coverage check here is a small stand-alone version of the rubric rule (NFKC, substring, same sentence or step),
so that these content tests do not depend on course/rubric.
"""

import unicodedata

import pytest

from course.catalog import load_catalog

CONTROLS = ("6.1", "6.2", "6.3", "6.4", "6.5", "6.8")
OBLIGATION_ENDINGS = ("しなければならない。", "してはならない。", "なければならない。")


@pytest.fixture(scope="module")
def controls():
    return {c.number: c for c in load_catalog()}


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def step_text(step):
    return "".join((step.who, step.what, step.when, step.record))


def units(model, where, with_clauses=True):
    """Texts in which a rubric element may be found: statements (standard), steps (procedure) or both (any)."""
    clauses = model.profile_clauses if with_clauses else ()
    standard = list(model.statements) + [c.statement for c in clauses]
    procedure = [step_text(s) for s in model.steps] + [step_text(c.step) for c in clauses if c.step]
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
    m = control.model
    parts = [m.purpose, m.scope, *m.statements, *(step_text(s) for s in m.steps)]
    for c in m.profile_clauses:
        parts.append(c.statement)
        if c.step:
            parts.append(step_text(c.step))
    return nfkc("".join(parts))


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
    missing = [e.id for e in c.rubric if not covered(e, units(c.model, e.where))]
    assert not missing, f"{number}: model does not cover {missing}"


@pytest.mark.parametrize("number", CONTROLS)
def test_model_scores_full_marks_without_profile_clauses(controls, number):
    """A company without telework, cloud or contractors gets the model without the clauses: still full coverage."""
    c = controls[number]
    missing = [e.id for e in c.rubric if not covered(e, units(c.model, e.where, with_clauses=False))]
    assert not missing, f"{number}: base model does not cover {missing}"


def test_coverage_check_is_not_vacuous(controls):
    """The checker must reject a model that lacks the idea: drop 6.1's consent statement and consent is missing."""
    c = controls["6.1"]
    consent = next(e for e in c.rubric if e.id == "consent")
    texts = [u for u in units(c.model, consent.where) if "同意" not in u]
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
