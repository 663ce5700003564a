"""The real nbgrader pipeline on assignment ch15_people: generate → submit → autograde → feedback → export.

Design (21 points): questions 1–3 are drafts of 6.1, 6.5 and 6.8 saved by the Workbench, worth 4 × score_draft(draft,
hidden key); questions 4–6 are functions run on another year's data (a seed only the hidden tests know), worth
3 × the self-check score on that data.

The partial submission is a learner who
- wrote a decent 6.5 draft (4 rules, purpose/scope/owner/review filled) whose 3 steps have no record, and who left out
  shared passwords, the periodic account check and any record: 4 of the key's 7 elements;
  structure = 0.4 × 1 (rules) + 0.4 × 3/4 (steps) + 0.2 × 1 (frame) = 0.9;
  score = 0.7 × 4/7 + 0.3 × 0.9 = 0.67, so 4 × 0.67 = 2.68 points;
- answered question 4 correctly in their own way (3 points);
- wrote a question-5 function that fails (0 points, no crash of the grading run), and left question 6 blank (0).
Total 5.68.
"""

import json

import nbformat
import pytest

from course.rubric.lines import cell_rubric
from fixtures.nbgrader import (cell, course_grade, feedback_html, grade, make_course, release_notebook, source_notebook,
                              submit, twin, with_answer)

A = "ch15_people"

PARTIAL_65 = {
    "schema": "course.draft/1", "control": "6.5",
    "purpose": "退職や異動のときに、権限と会社の物を確実に回収する。",
    "scope": "全従業員（パート・アルバイトを含む）",
    "statements": [
        "当社は、退職者のアカウントを最終出社日までに停止しなければならない。",
        "当社は、退職者にパソコン、入館証及び鍵を返却させなければならない。",
        "当社は、退職者に、退職後も秘密を守る義務が続くことを説明しなければならない。",
        "当社は、異動した従業員の不要になった権限を削除しなければならない。",
    ],
    "owner": "総務部長", "review": "年1回", "related": [],
    "steps": [
        {"who": "所属長", "what": "退職が決まったら総務部長とIT担当者に知らせる。", "when": "退職の決定時", "record": ""},
        {"who": "IT担当者", "what": "アカウントを止める。", "when": "最終出社日", "record": ""},
        {"who": "総務担当者", "what": "貸与したパソコンと入館証を受け取る。", "when": "最終出社日", "record": ""},
    ],
}

# A learner's own correct answer to question 4 (not the model's merge): a set difference of (number, course) pairs.
LEARNER_Q4 = '''
def missed_people(required, records):
    answer = []
    taken = set(zip(records["社員番号"], records["研修名"]))
    for number, course in zip(required["社員番号"], required["研修名"]):
        if (number, course) not in taken and number not in answer:
            answer.append(number)
    return answer
'''

# A question-5 function that fails on any data (a column that does not exist).
FAILING_Q5 = '''
def follow_up_department(results):
    answer = ""
    answer = results.groupby("所属")["クリック"].mean().idxmax()
    return answer
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("ch15"), A)
    release = release_notebook(course, A)
    submit(course, A, "model", source_notebook(course, A))
    submit(course, A, "blank", release)
    partial = with_answer(with_answer(release, "q4_answer", LEARNER_Q4), "q5_answer", FAILING_Q5)
    submit(course, A, "partial", partial, records={"6.5": ("draft", PARTIAL_65)})
    ours = course_grade(twin(course), A)
    return course, release, grade(course, A), ours


@pytest.mark.slow
def test_exact_scores(graded):
    _, _, scores, _ = graded
    assert set(scores) == {"model", "blank", "partial"}
    assert scores["model"] == pytest.approx(21.0, abs=1e-9)
    assert scores["blank"] == pytest.approx(0.0, abs=1e-9)
    assert scores["partial"] == pytest.approx(4 * 0.67 + 3, abs=1e-9)


@pytest.mark.slow
def test_release_carries_no_model_answers_keys_or_hidden_seed(graded):
    course, release, _, _ = graded
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "save_draft(model_draft", "drop_duplicates", "idxmax",
                   "isin(leavers", "KEY_61", "RubricElement", "other_year", "4271"):
        assert secret not in text, secret
    assert not (course / "release" / A / "answers").exists()
    assert 'Workbench("6.1")' in cell(release, "q1_form").source
    assert "def missed_people(required, records):" in cell(release, "q4_answer").source
    # The hidden seed: in the source only inside hidden tests (kernel and scoring part), never in a release.
    source = nbformat.writes(source_notebook(course, A))
    hidden = [c.source.split("### BEGIN HIDDEN TESTS")[1] for c in source_notebook(course, A).cells
              if "### BEGIN HIDDEN TESTS" in c.source]
    assert source.count("4271") == sum(h.count("4271") for h in hidden) == 6
    assert all("4271" not in c.source for c in release.cells)


@pytest.mark.slow
def test_graded_cells_report_rubric_elements(graded):
    course, _, _, _ = graded
    nb = nbformat.read(course / "autograded" / "partial" / A / f"{A}.ipynb", as_version=4)
    elements = {e["id"]: e["covered"] for e in cell_rubric(cell(nb, "q2_draft_65"))}
    assert elements == {"stop_on_last_day": True, "transfer": True, "return": True, "duty_continues": True,
                        "shared_secret": False, "inventory": False, "exit_records": False}
    assert cell_rubric(cell(nb, "q4_check")) == [
        {"id": "q4_missed_people", "covered": True, "label": "必須研修を受けていない人を見つける", "message": ""}]
    q5 = cell_rubric(cell(nb, "q5_check"))
    assert q5[0]["id"] == "q5_follow_up" and not q5[0]["covered"] and "エラー" in q5[0]["message"]
    blank = nbformat.read(course / "autograded" / "blank" / A / f"{A}.ipynb", as_version=4)
    assert not any(e["covered"] for e in cell_rubric(cell(blank, "q1_draft_61")))


@pytest.mark.slow
def test_learner_answer_record_is_not_overwritten(graded):
    course, _, _, _ = graded
    saved = json.loads((course / "autograded" / "partial" / A / "answers" / "6.5.json").read_text(encoding="utf-8"))
    assert saved["data"]["statements"] == PARTIAL_65["statements"]


@pytest.mark.slow
def test_feedback_is_generated_for_everyone(graded):
    course, _, scores, _ = graded
    for student in scores:
        assert A in feedback_html(course, A, student)


@pytest.mark.slow
def test_every_submission_runs_top_to_bottom_without_errors(graded):
    """The release runs with empty answers, the model with its solutions, and a failing learner function is reported
    in Japanese by the check (no traceback in any cell)."""
    course, _, scores, _ = graded
    for student in scores:
        nb = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
        assert not errors, (student, errors)


@pytest.mark.slow
def test_course_grade_gives_stock_scores_without_flags(graded):
    """`course grade` scores the graded cells outside the kernel: honest submissions keep stock nbgrader's scores
    exactly, and the only flags are records the learner did not hand in."""
    _, _, stock, (ours, flags) = graded
    assert ours == stock
    assert all(set(codes) <= {"record_missing"} for codes in flags.values()), flags
