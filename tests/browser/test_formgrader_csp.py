"""Issue #14, defence in depth: the formgrader's Content-Security-Policy (course/instructor/formgrader_csp.py, enabled
by the instructors' configuration deploy/jupyterhub/jupyter/instructor) stops a planted script on its own — with the
sanitiser switched off for this test — while nbgrader's own page keeps working; a file handed in beside the notebook
opens in a sandbox."""

import json
import shutil

import nbformat
import pytest

from fixtures import ROOT
from fixtures.nbgrader import make_course, release_notebook, submit, with_answer

from .lab import UI_TIMEOUT, LabServer, artifacts_dir

pytestmark = pytest.mark.slow

A = "00_orientation"
MARK = "csp_let_it_run"
PAYLOADS = [
    {"text/html": f"<script>window.{MARK}='script'</script><p>出力その1</p>"},
    {"text/html": f"<img src=x onerror=\"window.{MARK}='onerror'\"><p>出力その2</p>"},
    {"text/html": f"<a id=jslink href=\"javascript:window.{MARK}='link'\">リンク</a>"},
    {"application/javascript": f"window.{MARK}='javascript output'"},
]
EVIL_FILE = f"<html><head><meta charset=\"utf-8\"></head><body><p>手紙</p><script>window.top.{MARK}='file'; document.title='file ran'</script></body></html>"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("csp")
    lab = LabServer(base / "lab")
    (lab.base_dir / "config").mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "jupyterhub" / "jupyter" / "instructor" / "jupyter_server_config.json",
                lab.base_dir / "config" / "jupyter_server_config.json")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_DB_URL", f"sqlite:///{lab.base_dir / 'gradebook.db'}")
        course = make_course(base, A)
        config = course / "nbgrader_config.py"  # this test checks the policy alone: no sanitiser anywhere
        config.write_text(config.read_text(encoding="utf-8").replace("c.HTMLExporter.preprocessors", "_off")
                          .replace("c.Autograde.autograde_preprocessors", "_off"), encoding="utf-8")
        release = release_notebook(course, A)
        submit(course, A, "planter", with_answer(release, "q2_answer", "x = 1"), files={"letter.html": EVIL_FILE})
        from course.instructor.parallel_grade import grade_assignment

        grade_assignment(A, root=course, jobs=1, notebook_timeout=120, progress=False)
        path = course / "autograded" / "planter" / A / f"{A}.ipynb"
        nb = nbformat.read(path, as_version=4)
        answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_answer")
        answer.outputs = [nbformat.v4.new_output("display_data", data=data) for data in PAYLOADS]
        nbformat.write(nb, path)
        (course / "autograded" / "planter" / A / "letter.html").write_text(EVIL_FILE, encoding="utf-8")
        lab.root = course
        lab.start()
    try:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{lab.base_dir / 'gradebook.db'}") as gb:
            submission = gb.find_submission_notebook(A, A, "planter").id
        yield {"lab": lab, "submission": submission}
    finally:
        lab.stop()


def test_submission_view_blocks_planted_scripts_and_keeps_nbgrader_working(server, page):
    lab = server["lab"]
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(f"{lab.url}/formgrader/submissions/{server['submission']}/?token={lab.token}")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'unsafe-hashes' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    page.get_by_text("出力その2").first.wait_for(timeout=UI_TIMEOUT)  # the learner's text still shows
    assert page.evaluate("typeof jQuery") == "function" and page.evaluate("typeof Backbone") == "object"
    page.locator("#jslink").click()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts_dir() / "formgrader-csp.png"), full_page=True)
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
    assert refused, "the browser reported no refused script"
    # nbgrader's own inline code ran (it defines these before the notebook); none of its scripts was refused
    assert page.evaluate("typeof toggle_name") == "function"
    assert not [r for r in refused if "/formgrader/static/" in r], refused


def test_a_file_of_the_submission_opens_in_a_sandbox(server, page):
    lab = server["lab"]
    response = page.goto(f"{lab.url}/formgrader/submissions/{server['submission']}/letter.html?token={lab.token}")
    assert response.status == 200 and "sandbox" in response.headers.get("content-security-policy", "")
    page.get_by_text("手紙").wait_for(timeout=UI_TIMEOUT)
    assert page.title() != "file ran"
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"


def test_the_instructor_configuration_enables_the_policy():
    config = json.loads((ROOT / "deploy" / "jupyterhub" / "jupyter" / "instructor" / "jupyter_server_config.json")
                        .read_text(encoding="utf-8"))
    assert config["ServerApp"]["jpserver_extensions"]["course.instructor.formgrader_csp"] is True
