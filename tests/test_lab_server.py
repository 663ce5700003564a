"""`course lab` (what `make lab` runs) and `course lab --instructor` (`make instructor`), as real servers.

Learner mode: notebooks/ is the root, the student configuration turns the formgrader and nbgrader's authoring tools off,
JupyterLab defaults to Japanese, the address is printed only once the server answers, a second start is quick.
Instructor mode: the formgrader, and releases regenerated only for assignments whose source changed.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from course.lab import prepare_releases, stale_assignments
from fixtures import ROOT

from .browser.lab import free_port

SECOND_START_LIMIT = 20  # seconds from `course lab` to the printed address, with the install and caches in place
URL_RE = re.compile(r"http://127\.0\.0\.1:\d+/lab/tree/\S+\?token=\S+")


def get(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8")


def status_of(url, token):
    try:
        return get(url, token)[0]
    except urllib.error.HTTPError as exc:
        return exc.code


class Started:
    def __init__(self, proc, base, token, log, url, seconds):
        self.proc, self.base, self.token, self.log, self.url, self.seconds = proc, base, token, log, url, seconds

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def start(folder, *extra, env=None, timeout=300):
    """`python -m course lab` from the project root; returns once it printed the address (or fails with its log)."""
    port, token = free_port(), "test-token-" + os.urandom(6).hex()
    log = folder / f"lab-{port}.log"
    base_env = {k: v for k, v in os.environ.items() if k != "COURSE_LANG"}
    env = {**base_env, "JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "JUPYTER_CONFIG_DIR": str(folder / "config"),
           "COURSE_DB_URL": f"sqlite:///{folder / 'gradebook.db'}", "PYTHONUNBUFFERED": "1", **(env or {})}
    began = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "course", "lab", "--port", str(port), "--token", token, *extra],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = None
    try:
        while time.monotonic() - began < timeout and proc.poll() is None:
            found = URL_RE.search(log.read_text())
            if found:
                server = Started(proc, f"http://127.0.0.1:{port}", token, log, found.group(0), time.monotonic() - began)
                break
            time.sleep(0.1)
        if server is None:
            pytest.fail("course lab printed no address:\n" + log.read_text()[-3000:])
        return server
    except BaseException:
        Started(proc, "", token, log, "", 0).stop()
        raise


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("learner"))
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.slow
def test_the_address_is_printed_once_the_server_answers(learner):
    # no retry: when the address is on the screen, the server must already answer
    status, body = get(f"{learner.base}/api/status", learner.token)
    assert status == 200 and "started" in json.loads(body)
    assert learner.url == f"{learner.base}/lab/tree/00_start.ipynb?token={learner.token}"
    assert learner.log.read_text().count(learner.url) == 1


@pytest.mark.slow
def test_learners_see_the_notebooks_only(learner):
    _, body = get(f"{learner.base}/api/contents", learner.token)
    names = {item["name"] for item in json.loads(body)["content"]}
    assert {"00_start.ipynb", "01_workbench.ipynb", "99_export.ipynb"} <= names
    assert not names & {"course", "tests", "deploy", "grading", "Makefile", "nbgrader_config.py"}
    assert status_of(f"{learner.base}/api/contents/grading/source", learner.token) == 404


@pytest.mark.slow
def test_learners_get_no_grading_tools_but_the_widgets(learner):
    _, page = get(f"{learner.base}/lab", learner.token)
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    federated = {e["name"] for e in config["federated_extensions"]}
    disabled = set(config.get("disabledExtensions", []))
    assert "@jupyter-widgets/jupyterlab-manager" in federated and "@jupyter-widgets/jupyterlab-manager" not in disabled
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled
    assert status_of(f"{learner.base}/formgrader", learner.token) == 404  # the server extension is off too


@pytest.mark.slow
def test_jupyterlab_is_japanese_by_default(learner):
    _, body = get(f"{learner.base}/lab/api/settings/@jupyterlab/translation-extension:plugin", learner.token)
    assert json.loads(body)["schema"]["properties"]["locale"]["default"] == "ja_JP"
    _, body = get(f"{learner.base}/lab/api/translations/ja_JP", learner.token)
    assert json.loads(body)["data"]["jupyterlab"][""]["language"] == "ja-JP"  # the language pack is installed


@pytest.mark.slow
def test_a_second_start_is_quick_and_course_lang_en_keeps_jupyterlab_english(learner, tmp_path):
    server = start(tmp_path, env={"COURSE_LANG": "en"})
    try:
        assert server.seconds < SECOND_START_LIMIT, f"second start took {server.seconds:.1f} s"
        _, body = get(f"{server.base}/lab/api/settings/@jupyterlab/translation-extension:plugin", server.token)
        assert json.loads(body)["schema"]["properties"]["locale"]["default"] == "default"
    finally:
        server.stop()
    print(f"second start: {server.seconds:.1f} s")


def small_grading(folder):
    """A course folder with one assignment (00_orientation) and the project's nbgrader configuration."""
    grading = folder / "grading"
    shutil.copytree(ROOT / "grading" / "source" / "00_orientation", grading / "source" / "00_orientation")
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", grading)
    return grading


@pytest.mark.slow
def test_releases_are_regenerated_only_when_their_source_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DB_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
    grading = small_grading(tmp_path)
    assert stale_assignments(grading) == ["00_orientation"]
    assert prepare_releases(grading) == ["00_orientation"]
    assert (grading / "release" / "00_orientation").is_dir()
    assert stale_assignments(grading) == [] and prepare_releases(grading) == []
    notebook = next((grading / "source" / "00_orientation").glob("*.ipynb"))
    notebook.write_bytes(notebook.read_bytes() + b"\n")
    assert stale_assignments(grading) == ["00_orientation"]


@pytest.mark.slow
def test_instructors_get_the_formgrader_and_the_project(tmp_path):
    grading = small_grading(tmp_path)
    server = start(tmp_path, "--instructor", env={"COURSE_GRADING_ROOT": str(grading)})
    try:
        assert server.url == f"{server.base}/lab/tree/notebooks/00_start.ipynb?token={server.token}"
        assert (grading / "release" / "00_orientation").is_dir()          # prepared before the address was printed
        assert "generating releases" in server.log.read_text()            # with a progress bar
        assert status_of(f"{server.base}/formgrader", server.token) == 200
        _, body = get(f"{server.base}/formgrader/api/assignments", server.token)
        assert "00_orientation" in {a["name"] for a in json.loads(body)}
    finally:
        server.stop()
