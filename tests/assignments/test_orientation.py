"""The real nbgrader pipeline on assignment 00_orientation: generate → submit → autograde → feedback → export."""

import json

import nbformat
import pytest

from course.profile import EXAMPLES
from fixtures.nbgrader import (cell, course_grade, feedback_html, grade, make_course, release_notebook, submit, twin,
                               with_answer)
from fixtures.orientation import A, CORRECT, profile_record, submit_ordinary

# Issue #15's two fixtures. "copied": the form's displayed examples typed in, the question answered honestly (the
# examples earn nothing: copy points 0). "helper calls": the form saved untouched by calling its own save(), and a
# course helper asked for the answer (there is none: course.catalog only lists controls), so only the data work counts.
COPIED = dict(EXAMPLES, telework="none", cloud=[], contractors=[])
HELPER = ("from course.profile import ProfileForm\nProfileForm().save()\n" + CORRECT)


def submit_issue15_fixtures(course, release):
    submit(course, A, "copied", with_answer(release, "q2_answer", CORRECT), records=profile_record(COPIED))
    submit(course, A, "helper_calls", with_answer(release, "q2_answer", HELPER))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("orientation"), A)
    release = release_notebook(course, A)
    submit_ordinary(course, release)
    submit_issue15_fixtures(course, release)
    ours = course_grade(twin(course), A)
    return course, release, grade(course, A), ours


@pytest.mark.slow
def test_exact_scores(graded):
    _, _, scores, _ = graded
    assert scores == {"model": 4.0, "blank": 0.0, "partial": 1.0, "raises": 2.0, "learner": 4.0, "copied": 2.0,
                      "helper_calls": 2.0}


@pytest.mark.slow
def test_copying_the_forms_examples_earns_nothing_and_no_more_than_the_copy_points(graded):
    from course.instructor.point_kinds import read, totals
    from fixtures import GRADING

    course, _, scores, _ = graded
    rubric = json.loads((course / "autograded" / "copied" / A / "answers" / "company_profile.json").read_text())
    assert rubric["data"]["company"] == EXAMPLES["company"]
    html = feedback_html(course, A, "copied")
    assert "入力欄の例のまま" in html
    sums, _ = totals(read(GRADING / "source" / A / f"{A}.ipynb"))
    # both fixtures earn only the data question's 2 analysis points: nothing that copying or a helper could give
    assert scores["copied"] - 2.0 <= sums["copy"] and scores["helper_calls"] - 2.0 <= sums["copy"]


@pytest.mark.slow
def test_release_carries_no_model_answers_or_hidden_tests(graded):
    course, release, _, _ = graded
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "有限会社ささき製作所", "len(unverified_numbers) == 16"):
        assert secret not in text
    assert not (course / "release" / A / "answers").exists()
    assert "ProfileForm()" in cell(release, "q1_form").source


@pytest.mark.slow
def test_learner_answer_record_is_not_overwritten(graded):
    course, _, _, _ = graded
    saved = json.loads((course / "autograded" / "learner" / A / "answers" / "company_profile.json").read_text())
    assert saved["data"]["company"] == "有限会社あおば商店"


@pytest.mark.slow
def test_feedback_is_generated_for_everyone(graded):
    course, _, scores, _ = graded
    for student in scores:
        html = feedback_html(course, A, student)
        assert "00_orientation" in html
        for secret in ("BEGIN HIDDEN TESTS", "len(unverified_numbers) == 16", "record.employees is not None"):
            assert secret not in html, (student, secret)


@pytest.mark.slow
def test_course_grade_gives_stock_scores_without_flags(graded):
    """`course grade` scores the graded cells outside the kernel: honest submissions keep stock nbgrader's scores
    exactly, and the only flags are records the learner did not hand in."""
    _, _, stock, (ours, flags) = graded
    assert ours == stock
    assert all(set(codes) <= {"record_missing"} for codes in flags.values()), flags


def test_config_excludes_starter_answer_records_from_overwriting(tmp_path):
    import shutil

    from traitlets.config.loader import PyFileConfigLoader

    from fixtures import GRADING

    shutil.copy(GRADING / "nbgrader_config.py", tmp_path)
    (tmp_path / "source" / "a1" / "answers").mkdir(parents=True)
    (tmp_path / "source" / "a1" / "answers" / "5.15.json").write_text("{}")
    (tmp_path / "source" / "a2").mkdir()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    assert config.Autograde.exclude_overwriting == {"a1": ["answers/5.15.json"], "a2": []}
    assert config.CourseDirectory.root == str(tmp_path)
