"""Issue #14: a submission that plants scripts is made inert by autograde (stock nbgrader and `course grade`), keeps
its honest score, is flagged 要確認, and no page built from it (autograded notebook, feedback, class report) carries
the script. The browser half of this is tests/browser/test_inert_pages.py."""

import json
from html.parser import HTMLParser

import nbformat
import pytest

from fixtures.nbgrader import (cell, feedback_html, grade, make_course, release_notebook, submit, with_answer)
from fixtures.orientation import A, CORRECT, FULL_PROFILE, profile_record

MARK = "pwned_by_learner"
PLANT = (
    "from IPython.display import HTML, Javascript, Markdown, SVG, display\n"
    f"display(HTML('<img src=x onerror=\"window.{MARK}=1\"><b>表</b>'))\n"
    f"display(Javascript('window.{MARK}=2'))\n"
    f"display(Markdown('[押して](javascript:window.{MARK}=3)'))\n"
    f"display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.{MARK}=4\"></svg>'))\n"
)


def planted(release):
    nb = with_answer(release, "q2_answer", PLANT + CORRECT)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"メモ <img src=x onerror=\"window.{MARK}=5\"> おわり"))
    return nb


class LiveScripts(HTMLParser):
    """Where MARK sits in a place a browser would run: a <script>, an on* attribute, a javascript: URL, an SVG."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._in = [], []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        for name, value in attrs:
            value = (value or "").replace("\t", "").strip().lower()
            if MARK in value and (name.startswith("on") or value.startswith("javascript:")):
                self.found.append(f"<{tag} {name}>")

    def handle_endtag(self, tag):
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data):
        if MARK in data and any(t in ("script", "svg") for t in self._in):
            self.found.append("<script>")


def assert_inert(html):
    parser = LiveScripts()
    parser.feed(html)
    assert parser.found == []


def rendered_outputs(nb):
    """The HTML a page would show for the notebook's outputs and Markdown cells."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for c in nb.cells:
        for o in c.get("outputs", []):
            parts += [str(v) for m, v in o.get("data", {}).items() if m != "text/plain"]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    from course.instructor.parallel_grade import grade_assignment
    from course.instructor.report import write_report

    base = tmp_path_factory.mktemp("inert")
    stock = make_course(base / "stock", A)
    release = release_notebook(stock, A)
    records = profile_record(FULL_PROFILE)
    submit(stock, A, "honest", with_answer(release, "q2_answer", CORRECT), records=records)
    submit(stock, A, "planter", planted(release), records=records)
    stock_scores = grade(stock, A)

    course = make_course(base / "course", A)
    submit(course, A, "honest", with_answer(release, "q2_answer", CORRECT), records=records)
    submit(course, A, "planter", planted(release), records=records)
    run = grade_assignment(A, root=course, jobs=1, notebook_timeout=60, progress=False)
    write_report(A, root=course)
    return {"stock": stock, "stock_scores": stock_scores, "course": course, "run": run}


def autograded(course, student):
    return nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)


@pytest.mark.slow
def test_planting_scripts_earns_nothing_and_loses_nothing(courses):
    assert courses["stock_scores"]["planter"] == courses["stock_scores"]["honest"] == 4.0


@pytest.mark.slow
@pytest.mark.parametrize("which", ["stock", "course"])
def test_autograded_notebook_and_feedback_are_inert(courses, which):
    course = courses[which]
    nb = autograded(course, "planter")
    assert_inert(rendered_outputs(nb))
    answer = cell(nb, "q2_answer")
    assert set(answer.metadata["course"]["inert"]) >= {"<img onerror>", "application/javascript",
                                                      "<a href=javascript:>", "image/svg+xml"}
    assert "<b>表</b>" in json.dumps(answer.outputs, ensure_ascii=False)  # honest HTML is kept
    assert "onerror" not in nb.cells[-1].source and "おわり" in nb.cells[-1].source
    assert_inert(feedback_html(course, A, "planter"))
    assert not any("inert" in c.metadata.get("course", {}) for c in autograded(course, "honest").cells)


@pytest.mark.slow
def test_course_grade_flags_the_planter_only(courses):
    flags = courses["run"].flags
    codes = [f["code"] for f in flags["planter"]]
    assert "script_removed" in codes
    assert not any(f["code"] == "script_removed" for f in flags.get("honest", []))


@pytest.mark.slow
def test_class_report_is_inert(courses):
    for page in (courses["course"] / "reports" / A).glob("*.html"):
        assert_inert(page.read_text(encoding="utf-8"))
