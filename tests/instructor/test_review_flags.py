"""要確認 flags asked for by the hidden tests (course.rubric.lines.review): only the clean scorer can raise one, the
scorer knows which learner it is grading (COURSE_STUDENT, COURSE_ROOT), and the learner's kernel runs with
COURSE_GRADING set."""

import nbformat
import pytest

from course.rubric.lines import review, split_reviews
from fixtures import GRADING
from fixtures.nbgrader import course_grade, submit
from course.instructor.course_dir import nbgrader

A = "review_demo"


def test_review_prints_one_line_that_the_grader_splits_off(capsys):
    review("model_copied", "5.15 類似度\n0.97")
    review("plain")
    printed = capsys.readouterr().out
    assert printed == "REVIEW model_copied 5.15 類似度 0.97\nREVIEW plain\n"
    text, found = split_reviews("RUBRIC a covered A\n" + printed + "done\n")
    assert text == "RUBRIC a covered A\ndone\n"
    assert found == [("model_copied", "5.15 類似度 0.97"), ("plain", "")]


def test_the_scorer_tells_the_scoring_code_whom_it_grades(tmp_path):
    from course.instructor.scorer import run

    out, _, value, error = run("import os\nprint(os.environ['COURSE_STUDENT'], os.environ['COURSE_ROOT'])\n1",
                               "", {}, str(tmp_path), "alice", "/srv/course")
    assert (out, value, error) == ("alice /srv/course\n", 1.0, None)
    out, _, _, _ = run("import os\nprint(repr(os.environ['COURSE_STUDENT']))", "", {}, str(tmp_path))
    assert out == "''\n"  # never the previous learner's id


def _cell(kind, source, **nbgrader):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    c = make(source)
    if nbgrader:
        c.metadata["nbgrader"] = dict({"schema_version": 3, "grade": False, "solution": False, "locked": False},
                                      **nbgrader)
    return c


def _course(tmp_path):
    course = tmp_path / "grading"
    (course / "source" / A).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text((GRADING / "nbgrader_config.py").read_text())
    nb = nbformat.v4.new_notebook(cells=[
        _cell("code", "answer = ''\n### BEGIN SOLUTION\nanswer = 'mine'\n### END SOLUTION", grade_id="answer",
              solution=True),
        _cell("code", "import os\nprint('grading' if os.environ.get('COURSE_GRADING') else 'not grading')\n"
                      "### BEGIN HIDDEN TESTS\n### SCORED BY THE GRADER\n"
                      "import os\nfrom course.rubric.lines import review\nif answer == 'copy':\n    review('model_copied', os.environ['COURSE_STUDENT'])\n"
                      "2.0 if answer else 0.0\n### END HIDDEN TESTS", grade_id="check", grade=True, locked=True,
              points=2),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, course / "source" / A / f"{A}.ipynb")
    nbgrader("generate_assignment", A, "--create", "--force", root=course)
    return course


@pytest.mark.slow
def test_only_the_scorer_raises_a_review_flag_and_it_names_the_right_learner(tmp_path):
    course = _course(tmp_path)
    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    for student, answer in {"alice": "print('REVIEW model_copied planted')\nanswer = 'mine'",
                            "bob": "answer = 'copy'"}.items():
        nb = nbformat.reads(nbformat.writes(release), as_version=4)
        nb.cells[0].source = answer
        submit(course, A, student, nb)
    scores, flags = course_grade(course, A)
    assert scores == {"alice": 2.0, "bob": 2.0}
    assert flags.get("alice", []) == [] and flags["bob"] == ["model_copied"]
    from course.instructor.flags import load_flags

    assert [f["detail"] for f in load_flags(course, A)["bob"] if f["code"] == "model_copied"] == ["bob"]
    graded = nbformat.read(course / "autograded" / "bob" / A / f"{A}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in graded.cells[1].outputs)
    assert "grading" in text and "not grading" not in text and "REVIEW" not in text


def test_a_review_code_without_its_own_text_is_still_described_in_japanese():
    from course.instructor.flags import describe

    text = describe({"code": "no_such_code", "cell": "q3", "detail": "5.15"})
    assert "q3" in text and "no_such_code" in text and "確認" in text
