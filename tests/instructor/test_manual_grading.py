"""Manually graded 「なぜそう決めたか」 answers end to end (issue #15, point 3), on a tiny assignment with one automatic
cell and one manual Markdown cell, through the real nbgrader pipeline: `course grade` leaves the manual answer pending,
an instructor grades it through nbgrader's Gradebook (what the formgrader does), export-grades adds both parts, the
formgrader and feedback pages show the rubric once and escaped, a learner's <script> stays inert, the class report
lists the answers."""

import csv
from html.parser import HTMLParser

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell

from fixtures import GRADING
from fixtures.manual import A, MARK, REASON, RUBRIC_YAML, make_manual_course, set_manual_grade, source_notebook
from fixtures.nbgrader import release_notebook, submit, with_answer
from course.i18n import t
from course.instructor.course_dir import gradebook_url, nbgrader
from course.instructor.manual_rubric import (ManualRubric, add_rubrics, is_rubric_cell, load_rubrics, md_text,
                                             rubric_markdown)


def read_csv(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def formgrader_html(course, student):
    """The formgrader's submission page for one learner, rendered as its SubmissionHandler does: HTMLExporter with
    the course configuration (nbgrader_config.py) plus the formgrader's template."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.api import Gradebook
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    extra = Config()
    extra.HTMLExporter.template_name = "formgrade"
    extra.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.merge(extra)
    with Gradebook(gradebook_url(course)) as gb:
        submission_id = gb.find_submission_notebook(A, A, student).id
    resources = {"assignment_id": A, "notebook_id": A, "submission_id": submission_id, "index": 0, "total": 1,
                 "base_url": "", "student": student, "last_name": "", "first_name": "",
                 "notebook_path": f"/autograded/{student}/{A}/{A}.ipynb"}
    html, _ = HTMLExporter(config=config).from_filename(
        str(course / "autograded" / student / A / f"{A}.ipynb"), resources=resources)
    return html


class LiveScripts(HTMLParser):
    """Where MARK (or the rubric's own script) would run in a browser: inside <script>, an on* attribute."""

    def __init__(self, marks):
        super().__init__(convert_charrefs=True)
        self.marks, self.found, self._in = marks, [], []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        for name, value in attrs:
            if any(m in (value or "") for m in self.marks) and name.startswith("on"):
                self.found.append(f"<{tag} {name}>")

    def handle_endtag(self, tag):
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data):
        if any(m in data for m in self.marks) and "script" in self._in:
            self.found.append("<script>")


def live_scripts(html):
    parser = LiveScripts([MARK, "rubric_ran"])
    parser.feed(html)
    return parser.found


# -- units: the rubric cell --------------------------------------------------------------------------------------------

def test_rubric_file_loads_and_escapes(tmp_path):
    (tmp_path / f"{A}.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    rubrics = load_rubrics(A, tmp_path)
    assert list(rubrics) == ["q1_reason"] and rubrics["q1_reason"]["points"] == 3
    assert load_rubrics("no_such_assignment", tmp_path) == {}
    text = rubric_markdown("q1_reason", rubrics["q1_reason"], 3)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp;" in text
    assert t("instructor.manual.title_instructor") in text and "GOODEXAMPLEMARK" in text
    assert md_text("[x](javascript:alert(1))") == r"\[x\]\(javascript:alert\(1\)\)"  # no link can form


def test_rubric_cell_follows_each_manual_answer_once(tmp_path):
    (tmp_path / f"{A}.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    nb = source_notebook()
    pre = ManualRubric(rubric_dir=str(tmp_path))
    nb, _ = pre.preprocess(nb, {"assignment_id": A, "submission_id": "x"})
    nb, _ = pre.preprocess(nb, {"assignment_id": A, "submission_id": "x"})  # rendered twice: still one
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") or c.metadata.get("course", {}).get("manual_rubric")
           for c in nb.cells]
    assert ids == ["q1_question", "q1_answer", "q1_check", "q1_reason", "q1_reason"]
    assert is_rubric_cell(nb.cells[4]) and "nbgrader" not in nb.cells[4].metadata
    # an assignment without a rubric file, or a grade_id the file does not name, gets nothing
    other = source_notebook()
    assert add_rubrics(other, {"q9_reason": load_rubrics(A, tmp_path)["q1_reason"]}) == []
    assert len(other.cells) == 4


def test_feedback_shows_criteria_but_not_the_good_example(tmp_path):
    (tmp_path / f"{A}.yaml").write_text(RUBRIC_YAML, encoding="utf-8")
    pre = ManualRubric(rubric_dir=str(tmp_path))
    nb, _ = pre.preprocess(source_notebook(), {"nbgrader": {"assignment": A, "student": "s", "notebook": A}})
    text = nb.cells[4].source
    assert t("instructor.manual.title_learner") in text and t("instructor.manual.title_instructor") not in text
    assert "見直しの頻度とリスク" in text and "GOODEXAMPLEMARK" not in text


def test_the_course_configuration_hooks_the_rubric_into_html_pages():
    from traitlets.config import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(GRADING)).load_config()
    assert ManualRubric in config.HTMLExporter.preprocessors


# -- the real pipeline ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def manual_class(tmp_path_factory):
    from course.instructor.export import export_grades
    from course.instructor.parallel_grade import grade_assignment
    from course.instructor.report import write_report

    course, rubrics = make_manual_course(tmp_path_factory.mktemp("manual"))
    release = release_notebook(course, A)
    right = with_answer(release, "q1_answer", "weeks = 2")
    submit(course, A, "writer", with_answer(right, "q1_reason", REASON))
    submit(course, A, "autoonly", right)                                        # manual answer left as released
    submit(course, A, "reasononly", with_answer(release, "q1_reason", "毎月では遅いと考えたから。"))
    run = grade_assignment(A, root=course, jobs=2, force=True, progress=False)
    before = {r["student"]: r for r in read_csv(export_grades(root=course, assignment=A)[0])}
    page_before = write_report(A, root=course).read_text(encoding="utf-8")
    set_manual_grade(course, "writer", "q1_reason", 2.0)                   # the instructor grades in the formgrader
    after = {r["student"]: r for r in read_csv(export_grades(root=course, assignment=A)[0])}
    wide = read_csv(export_grades(root=course, assignment=A, fmt="wide")[0])
    page_after = write_report(A, root=course).read_text(encoding="utf-8")
    nbgrader("generate_feedback", A, "--force", root=course)
    return {"course": course, "run": run, "before": before, "after": after, "wide": wide,
            "page_before": page_before, "page_after": page_after}


@pytest.mark.slow
def test_course_grade_leaves_manual_answers_pending(manual_class):
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(manual_class["course"])) as gb:
        for student, pending in (("writer", True), ("reasononly", False), ("autoonly", False)):
            grade = gb.find_grade("q1_reason", A, A, student)
            if student == "autoonly":  # left exactly as released: nbgrader's automatic 0 ("blank 0")
                assert (grade.auto_score, grade.manual_score, grade.needs_manual_grade) == (0, None, False)
            elif student == "writer":
                assert (grade.auto_score, grade.manual_score) == (None, 2.0)  # graded by hand after the run
            else:
                assert (grade.auto_score, grade.manual_score, grade.needs_manual_grade) == (None, None, True)
    before = manual_class["before"]
    assert {s: (r["score"], r["auto_score"], r["manual_score"], r["manual_pending"]) for s, r in before.items()} == {
        "writer": ("2.0", "2", "0", "1"), "autoonly": ("2.0", "2", "0", "0"), "reasononly": ("0.0", "0", "0", "1")}
    assert before["writer"]["manual_note"] == "手動採点待ち 1 問（1 answers to grade by hand）"
    assert before["autoonly"]["manual_note"] == ""
    assert not any(f["code"] for flags in manual_class["run"].flags.values() for f in flags
                   if f["cell"] == "q1_reason" and f["code"] != "script_removed")


@pytest.mark.slow
def test_export_adds_manual_and_automatic_points(manual_class):
    after = manual_class["after"]
    assert list(after["writer"]) == ["student", "assignment", "score", "max_score", "needs_review", "reason",
                                     "auto_score", "manual_score", "manual_pending", "manual_note"]
    assert (after["writer"]["score"], after["writer"]["max_score"]) == ("4.0", "5.0")
    assert (after["writer"]["auto_score"], after["writer"]["manual_score"], after["writer"]["manual_pending"]) == (
        "2", "2", "0")
    assert after["reasononly"]["manual_pending"] == "1" and "手動採点待ち 1 問" in after["reasononly"]["manual_note"]
    wide = {r["student"]: r for r in manual_class["wide"]}
    assert (wide["writer"]["total"], wide["writer"]["manual_pending"]) == ("4", "0")
    assert wide["reasononly"]["manual_pending"] == "1" and wide["reasononly"]["manual_note"].startswith("手動採点待ち")


@pytest.mark.slow
def test_formgrader_page_shows_the_rubric_once_escaped_and_runs_nothing(manual_class):
    html = formgrader_html(manual_class["course"], "writer")
    assert html.count(t("instructor.manual.title_instructor")) == 1
    assert "見直しの頻度とリスクの大きさを結び付けている" in html and "GOODEXAMPLEMARK" in html
    assert "window.rubric_ran" in html and live_scripts(html) == []     # the rubric's own markup is text
    assert "退職が繁忙期に重なる" in html                                    # the learner's answer is there, inert
    assert f"window.{MARK}=1</script>" not in html
    # the rubric sits right after the answer's score box, before anything else
    assert html.index('id="q1_reason"') < html.index(t("instructor.manual.title_instructor"))


@pytest.mark.slow
def test_feedback_shows_the_criteria_once_and_runs_nothing(manual_class):
    course = manual_class["course"]
    html = (course / "feedback" / "writer" / A / f"{A}.html").read_text(encoding="utf-8")
    assert html.count(t("instructor.manual.title_learner")) == 1
    assert t("instructor.manual.title_instructor") not in html and "GOODEXAMPLEMARK" not in html
    assert "見直しの頻度とリスクの大きさを結び付けている" in html
    assert live_scripts(html) == []


@pytest.mark.slow
def test_report_lists_the_answers_escaped_with_their_grade(manual_class):
    course = manual_class["course"]
    before, after = manual_class["page_before"], manual_class["page_after"]
    for page in (before, after):
        assert t("instructor.report.manual") in page
        assert "当社は 12 人で、退職が繁忙期に重なるため 2 週間ごとにしました。" in page
        assert "毎月では遅いと考えたから。" in page
        assert "<script>window." not in page and "onerror=" not in page.replace("onerror=&quot;", "")
        assert live_scripts(page) == []
    assert before.count(f">{t('instructor.manual.ungraded')}<") == 2          # writer and reasononly
    assert after.count(f">{t('instructor.manual.ungraded')}<") == 1           # reasononly
    assert f">{t('instructor.manual.score', score='2', max='3')}<" in after
    assert f">{t('instructor.manual.blank')}<" in after                       # autoonly left it as released
    rows = {r["student"]: r for r in read_csv(course / "reports" / A / "manual_answers.csv")}
    assert rows["reasononly"]["grade"] == "未採点" and rows["writer"]["grade"] == "2 / 3 点"
    scores = {r["student"]: r for r in read_csv(course / "reports" / A / "scores.csv")}
    assert (scores["writer"]["auto_score"], scores["writer"]["manual_score"], scores["writer"]["manual_pending"]) == (
        "2.0", "2.0", "0")
    assert scores["reasononly"]["manual_pending"] == "1"


# -- the course's rubric files agree with its assignments ------------------------------------------------------------

def test_every_manual_cell_of_the_course_has_its_rubric():
    from course.instructor.manual_rubric import check_rubrics

    assert check_rubrics(GRADING / "source") == []


def test_rubric_check_names_each_disagreement(tmp_path):
    from course.instructor.manual_rubric import check_rubrics

    source, rubrics = tmp_path / "source", tmp_path / "rubrics"
    (source / A).mkdir(parents=True)
    rubrics.mkdir()
    nb = source_notebook()
    extra = new_markdown_cell("理由")
    extra.metadata["nbgrader"] = {"grade": True, "solution": True, "locked": False, "points": 1,
                                  "grade_id": "q2_reason", "schema_version": 3}
    nb.cells.append(extra)
    nbformat.write(nb, source / A / f"{A}.ipynb")
    (rubrics / f"{A}.yaml").write_text(RUBRIC_YAML.replace("points: 3", "points: 4")
                                       + "q9_reason: {points: 1, question: x, rubric: []}\n", encoding="utf-8")
    problems = check_rubrics(source, rubrics)
    assert len(problems) == 3
    assert "q1_reason の配点が採点の目安では 4 点、セルでは 3 点" in problems[0]
    assert "q2_reason に採点の目安がありません" in problems[1]
    assert "q9_reason に当たる手動採点のセルがありません" in problems[2]
    (rubrics / f"{A}.yaml").write_text(RUBRIC_YAML + "q2_reason: {points: 1, question: x, rubric: [y]}\n",
                                       encoding="utf-8")
    assert check_rubrics(source, rubrics) == []


def test_a_broken_rubric_file_leaves_the_page_as_it_was(tmp_path):
    from course.errors import ContentError

    (tmp_path / f"{A}.yaml").write_text("q1_reason: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_rubrics(A, tmp_path)
    nb, _ = ManualRubric(rubric_dir=str(tmp_path)).preprocess(source_notebook(), {"assignment_id": A})
    assert len(nb.cells) == 4


@pytest.mark.slow
def test_feedback_waits_for_answers_still_to_be_graded_by_hand(manual_class):
    from course.errors import CourseError
    from course.instructor.feedback import generate_feedback, pending_manual

    course = manual_class["course"]
    assert pending_manual(course, A) == {"reasononly": 1}        # writer's answer was graded in the fixture
    with pytest.raises(CourseError) as refused:
        generate_feedback(A, root=course)
    assert "reasononly（1）" in str(refused.value) and "--force" in str(refused.value)
    files = generate_feedback(A, root=course, force=True)
    assert {p.parent.parent.name for p in files} >= {"writer", "reasononly"}
