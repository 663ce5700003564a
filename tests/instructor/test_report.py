"""Rubric elements from graded cells (the RUBRIC line convention) in feedback and in the class report, on a small
rubric-scored fixture assignment (tests/files/rubric_fixture/) graded by `course grade`."""

import csv
import shutil
from dataclasses import dataclass

import pytest

from fixtures import FILES, GRADING
from course.rubric.lines import parse_rubric, rubric_lines, strip_rubric
from course.instructor.course_dir import nbgrader
from fixtures.nbgrader import release_notebook, submit, with_answer

A = "rubric_fixture"
DRAFTS = {
    "full": "パスワードは12文字以上とし、他人と共有してはならない。退職者のアカウントは退職日に削除しなければならない。",
    "sharing_only": "パスワードを他人と共有してはならない。",
    "nothing": "特になし",
}
SECRETS = ("987654321", "十二文字", "KEY_TERMS", "BEGIN HIDDEN TESTS", "BEGIN SOLUTION")


@dataclass
class Element:
    id: str
    label: str
    covered: bool
    message: str


def test_rubric_lines_round_trip():
    elements = [Element("owner", "責任者", True, ""), Element("review", "見直し 時期", False, "年 1 回の見直しが必要です")]
    lines = rubric_lines(elements)
    assert lines == ["RUBRIC owner covered 責任者", "RUBRIC review missing 見直し 時期 :: 年 1 回の見直しが必要です"]
    text = "前置き\n" + "\n".join(lines) + "\n後書き\n"
    assert parse_rubric(text) == [
        {"id": "owner", "covered": True, "label": "責任者", "message": ""},
        {"id": "review", "covered": False, "label": "見直し 時期", "message": "年 1 回の見直しが必要です"},
    ]
    assert strip_rubric(text) == "前置き\n後書き\n"


def test_rubric_lines_accept_the_rubric_scorers_feedback():
    score = pytest.importorskip("course.rubric.score")
    feedback = score.Feedback(control="5.17", score=0.5, covered=["a"], missing=["b"], messages=[],
                              elements=[score.ElementResult("a", "長さ", True, ""),
                                        score.ElementResult("b", "共有", False, "共有の禁止がありません")])
    assert [r["id"] for r in parse_rubric("\n".join(rubric_lines(feedback))) if not r["covered"]] == ["b"]


@pytest.fixture(scope="module")
def rubric_course(tmp_path_factory):
    from course.instructor.feedback import generate_feedback
    from course.instructor.parallel_grade import grade_assignment
    from course.instructor.report import write_report

    course = tmp_path_factory.mktemp("rubric") / "grading"
    (course / "source").mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", course)
    shutil.copytree(FILES / A, course / "source" / A)
    nbgrader("generate_assignment", A, "--create", "--force", root=course)
    release = release_notebook(course, A)
    for student, draft in DRAFTS.items():
        submit(course, A, student, with_answer(release, "q1_draft", f"draft = {draft!r}\n"))
    submit(course, A, "blank", release)
    run = grade_assignment(A, root=course, jobs=2, progress=False)
    feedback = generate_feedback(A, root=course)
    page = write_report(A, root=course)
    return course, run, feedback, page


def read_csv(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_release_hides_the_keys(rubric_course):
    course, _, _, _ = rubric_course
    text = (course / "release" / A / f"{A}.ipynb").read_text(encoding="utf-8")
    assert not any(secret in text for secret in SECRETS)


@pytest.mark.slow
def test_scores_follow_the_rubric(rubric_course):
    course, run, _, _ = rubric_course
    scores = {row["student"]: float(row["score"]) for row in read_csv(course / "reports" / A / "scores.csv")}
    assert scores == {"full": 3.0, "sharing_only": 1.0, "nothing": 0.0, "blank": 0.0}
    assert not any(run.flags.values())


@pytest.mark.slow
def test_feedback_lists_missed_elements_with_reasons_and_no_keys(rubric_course):
    course, _, files, _ = rubric_course
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not any(secret in text for secret in SECRETS), path
        assert "RUBRIC " not in text
    partial = (course / "feedback" / "sharing_only" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "1 / 3 観点を満たしています" in partial
    assert "満たしている: 共有の禁止" in partial
    assert "足りない: パスワードの長さ — パスワードの長さについての定めがありません" in partial


@pytest.mark.slow
def test_report_ranks_the_most_missed_elements(rubric_course):
    course, _, _, page = rubric_course
    rubric = read_csv(course / "reports" / A / "rubric.csv")
    assert [(r["element"], r["covered"], r["missing"]) for r in rubric] == [
        ("leaver", "1", "2"), ("length", "1", "2"), ("sharing", "2", "1")]
    questions = read_csv(course / "reports" / A / "questions.csv")
    assert [(q["question"], float(q["mean"]), q["full"]) for q in questions] == [("q1_rubric", 1.0, "1")]
    html = page.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3
    assert "http://" not in html and "https://" not in html
    assert "観点ごとの未達成の割合" in html and "退職者のアカウント" in html
    assert "<th>抜けた割合 / missing share</th>" in html and "<th>設問 / question</th>" in html
    for chart in ("score_distribution", "questions", "rubric"):
        assert (course / "reports" / A / f"{chart}.png").stat().st_size > 1000


def test_report_summary_without_rubric():
    import pandas as pd

    from course.instructor.report import summarize

    grades = pd.DataFrame({"student": ["a", "a", "b", "b"], "question": ["q1", "q2", "q1", "q2"],
                           "score": [2.0, 1.0, 0.0, 2.0], "max_score": [2.0, 2.0, 2.0, 2.0]})
    rubric = pd.DataFrame(columns=["student", "question", "element", "label", "covered"])
    scores, questions, elements = summarize(grades, rubric, {"b": [{"code": "record_missing", "cell": "",
                                                                      "detail": "answers/x.json"}]})
    assert scores.set_index("student")["score"].to_dict() == {"a": 3.0, "b": 2.0}
    assert scores.set_index("student")["needs_review"].to_dict() == {"a": False, "b": True}
    assert "answers/x.json" in scores.set_index("student").loc["b", "reason"]
    assert questions.set_index("question")["full"].to_dict() == {"q1": 1, "q2": 1}
    assert elements.empty


def test_report_summary_splits_manual_points_and_skips_ungraded_answers_in_means():
    import pandas as pd

    from course.instructor.report import summarize

    grades = pd.DataFrame({"student": ["a", "a", "b", "b"], "question": ["q1", "q1_reason", "q1", "q1_reason"],
                           "score": [2.0, 3.0, 1.0, 0.0], "max_score": [2.0, 3.0, 2.0, 3.0],
                           "manual": [False, True, False, True], "pending": [False, False, False, True]})
    rubric = pd.DataFrame(columns=["student", "question", "element", "label", "covered"])
    scores, questions, _ = summarize(grades, rubric, {})
    by = scores.set_index("student")
    assert by[["auto_score", "manual_score", "manual_pending"]].to_dict("index") == {
        "a": {"auto_score": 2.0, "manual_score": 3.0, "manual_pending": 0},
        "b": {"auto_score": 1.0, "manual_score": 0.0, "manual_pending": 1}}
    q = questions.set_index("question")
    assert q.loc["q1_reason", "mean"] == 3.0 and q.loc["q1_reason", "pending"] == 1  # b's answer is no 0 yet
    assert q.loc["q1", "mean"] == 1.5 and q.loc["q1", "pending"] == 0
