"""Issue #14 in a real browser: a learner who plants scripts in every place they control (cell outputs, Markdown
cells, the answer record, a file name) runs nothing on any page an instructor opens — the formgrader's submission
view, the feedback page, the class report — while honest outputs (a pandas table, a matplotlib chart, Japanese text)
still show. A positive control first proves that the same payloads do run in this browser when nothing removes them."""

import os

import nbformat
import pytest
from nbconvert import HTMLExporter

from fixtures.nbgrader import make_course, release_notebook, submit, with_answer

from .lab import UI_TIMEOUT, LabServer, artifacts_dir

pytestmark = pytest.mark.slow

A = "00_orientation"
MARK = "pwned_by_learner"
PAYLOAD_HTML = f'<img src=x onerror="window.{MARK}=(window.{MARK}||0)+1; document.title=\'pwned\'">'
CORRECT = (
    "table = pd.DataFrame([c.summary() for c in controls()])\n"
    "unverified_numbers = [n for n, t, v in zip(table['number'], table['theme'], table['verified'])"
    " if t == 'organizational' and not v]\n"
)
PLANT = (
    "import io\n"
    "import matplotlib.pyplot as plt\n"
    "from IPython.display import HTML, Image, Javascript, Markdown, SVG, display\n"
    f"display(HTML({PAYLOAD_HTML!r} + '<p>学習者の説明文です</p>'))\n"
    f"display(Javascript('window.{MARK}=(window.{MARK}||0)+1'))\n"
    f"display(Markdown('<img src=x onerror=\"window.{MARK}=1\"> **マークダウン**'))\n"
    f"display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"><script>window.{MARK}=1</script></svg>'))\n"
    "display(pd.DataFrame({'部署': ['総務部', '営業部'], '人数': [3, 5]}))\n"
    "fig, ax = plt.subplots(figsize=(3, 2)); ax.bar(['総務', '営業'], [3, 5]); png = io.BytesIO()\n"
    "fig.savefig(png, format='png'); plt.close(fig); display(Image(png.getvalue()))\n"
)
PROFILE = {"company": f"株式会社{PAYLOAD_HTML}テスト", "industry": "小売業<script>window.%s=1</script>" % MARK,
           "employees": 12, "sites": "本店", "telework": "none", "cloud": [], "contractors": []}


def planted_notebook(release):
    nb = with_answer(release, "q2_answer", PLANT + CORRECT)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"## 自由記述\n{PAYLOAD_HTML} [押す](javascript:window.{MARK}=1) 以上"))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("inert-pages")
    server = LabServer(base / "lab")
    server.base_dir.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_DB_URL", f"sqlite:///{server.base_dir / 'gradebook.db'}")  # the server's gradebook
        course = make_course(base, A)
        release = release_notebook(course, A)
        raw = planted_notebook(release)
        submit(course, A, "planter", raw, records={"company_profile": ("profile", PROFILE)},
               files={f"<img src=x onerror=window.{MARK}=1>.txt": "file name payload"})
        from course.instructor.feedback import generate_feedback
        from course.instructor.parallel_grade import grade_assignment
        from course.instructor.report import write_report

        grade_assignment(A, root=course, jobs=1, notebook_timeout=120, progress=False)
        report = write_report(A, root=course)
        feedback = generate_feedback(A, root=course)
        executed = nbformat.read(course / "autograded" / "planter" / A / f"{A}.ipynb", as_version=4)
        server.root = course
        server.start()
    try:
        yield {"course": course, "server": server, "report": report, "feedback": feedback, "raw": raw}
    finally:
        server.stop()


def no_script_ran(page):
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
    assert page.title() != "pwned"


def test_positive_control_the_payloads_run_when_nothing_removes_them(graded, page, tmp_path):
    """The raw notebook, executed and exported with nbconvert's defaults, runs the learner's script here."""
    from nbclient import NotebookClient

    nb = graded["raw"]
    for cell in nb.cells:  # just the planted cell, outside any grading machinery
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2_answer":
            code = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import pandas as pd\n" + PLANT)])
    NotebookClient(code, kernel_name="python3", timeout=120).execute()
    html, _ = HTMLExporter().from_notebook_node(code)
    path = tmp_path / "raw.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function(f"typeof window.{MARK} !== 'undefined'", timeout=UI_TIMEOUT)


def test_formgrader_submission_view_runs_nothing_and_shows_honest_outputs(graded, page):
    from nbgrader.api import Gradebook

    server = graded["server"]
    with Gradebook(f"sqlite:///{server.base_dir / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(A, A, "planter").id
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server.url}/formgrader/submissions/{submission_id}/?token={server.token}")
    page.get_by_text("学習者の説明文です").first.wait_for(timeout=UI_TIMEOUT)
    page.get_by_text("総務部").first.wait_for(timeout=UI_TIMEOUT)  # the pandas table
    assert page.locator("img[src^='data:image/png']").count() >= 1  # the chart
    page.get_by_text("取り除きました").first.wait_for(timeout=UI_TIMEOUT)  # the note for the grader
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts_dir() / "inert-formgrader.png"), full_page=True)
    no_script_ran(page)
    assert dialogs == []


@pytest.mark.parametrize("which", ["feedback", "report"])
def test_feedback_and_class_report_run_nothing(graded, page, which):
    paths = graded["feedback"] if which == "feedback" else [graded["report"]]
    assert paths
    for path in paths:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        no_script_ran(page)
    if which == "feedback":
        assert page.get_by_text("学習者の説明文です").count() >= 1
    page.screenshot(path=str(artifacts_dir() / f"inert-{which}.png"), full_page=True)
    assert os.path.getsize(paths[0]) > 0
