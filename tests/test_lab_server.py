"""The main job: `course lab` (what `make lab` runs) starts JupyterLab with the nbgrader and widget extensions."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from fixtures import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = free_port(), "test-token-0123456789"
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(log.parent / "runtime"),
           "COURSE_DB_URL": f"sqlite:///{log.parent / 'gradebook.db'}"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "course.cli", "lab", "--port", str(port), "--token", token],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if get(f"{base}/api/status", token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start:\n" + log.read_text()[-3000:])
        yield base, token, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.slow
def test_status_and_printed_url(lab):
    base, token, log = lab
    status, body = get(f"{base}/api/status", token)
    assert status == 200 and "started" in json.loads(body)
    printed = log.read_text()
    assert f"{base}/lab/tree/notebooks/00_start.ipynb?token={token}" in printed


@pytest.mark.slow
def test_start_notebook_is_served(lab):
    base, token, _ = lab
    status, body = get(f"{base}/api/contents/notebooks/00_start.ipynb?content=0", token)
    assert status == 200 and json.loads(body)["type"] == "notebook"


@pytest.mark.slow
def test_widget_and_nbgrader_extensions_enabled(lab):
    base, token, _ = lab
    _, page = get(f"{base}/lab", token)
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    federated = {e["name"] for e in config["federated_extensions"]}
    disabled = set(config.get("disabledExtensions", []))
    for name in ("@jupyter-widgets/jupyterlab-manager", "@jupyter/nbgrader"):
        assert name in federated and name not in disabled
    status, _ = get(f"{base}/formgrader", token)  # nbgrader's server extension answers
    assert status == 200
    _, body = get(f"{base}/formgrader/api/assignments", token)  # and finds the course in grading/
    assert "00_orientation" in {a["name"] for a in json.loads(body)}
