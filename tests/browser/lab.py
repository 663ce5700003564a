"""JupyterLab in a real browser: a private server on a copy of the notebooks, and a page object for one notebook.

    server = LabServer(tmp_dir).start()            # jupyter lab on 127.0.0.1, root_dir = tmp_dir/root
    folder = server.copy_notebooks("profile")        # tmp_dir/root/profile/ = a copy of notebooks/
    nb = NotebookPage(page, server, "profile/00_start.ipynb").open()
    nb.run_all()                                     # waits for the kernel to be idle first, then for every cell
    nb.text_input("会社名").type_japanese("株式会社さくら商事")
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from fixtures import wait_for
from course.lab import lab_command, tool_env

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
# As Debian's chromium must run here: no sandbox as root, and no background connections to a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 120       # seconds for JupyterLab to answer /api/status
UI_TIMEOUT = 120_000      # milliseconds for the page, the kernel and a Run All (a slow CI machine is fine)
SAVE_TIMEOUT = 60         # seconds for an answer record to reach the disk


def need_browser():
    """Skip without Python playwright or Debian's chromium on a developer's machine; fail in CI, which installs both."""
    import pytest

    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = "Python playwright (make test installs it)"
    else:
        missing = None if os.access(CHROMIUM, os.X_OK) else f"{CHROMIUM} (apt-get install chromium)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {missing}; .ci/run must install it")
        pytest.skip(f"browser tests need {missing}")


def artifacts_dir():
    folder = Path(os.environ.get("COURSE_ARTIFACTS", "/tmp/course-artifacts")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_record(folder, key):
    """The AnswerStore record answers/<key>.json in folder, or None while it does not exist."""
    path = Path(folder) / "answers" / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


class LabServer:
    """`jupyter lab` (the command `course lab` builds) on a private folder; stopped with its whole process group."""

    def __init__(self, base_dir):
        self.base_dir = Path(base_dir)
        self.root = self.base_dir / "root"
        self.port = free_port()
        self.token = "browser-test-" + os.urandom(8).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.base_dir / "lab.log"
        self.proc = None

    def _env(self):
        config = self.base_dir / "config"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        # The "get notified about Jupyter news?" pop-up would cover the forms in the screenshots.
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        env = tool_env()
        env.pop("MPLBACKEND", None)  # plots appear inline in the browser, as for a learner
        env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(self.base_dir / "runtime"),
                   COURSE_DB_URL=f"sqlite:///{self.base_dir / 'gradebook.db'}", PYTHONUNBUFFERED="1")
        return env

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(lab_command(self.root, self.port, self.token), cwd=self.root, env=self._env(),
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        def ready():
            if self.proc.poll() is not None:
                return "exited"
            self.api("GET", "/api/status")  # raises until the server answers
            return "up"

        try:
            if wait_for(ready, START_TIMEOUT, "JupyterLab /api/status") == "exited":
                raise AssertionError(f"JupyterLab exited with code {self.proc.returncode}")
        except AssertionError as exc:
            self.stop()
            raise AssertionError(f"{exc}\n{self.log.read_text()[-3000:]}") from None
        return self

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode("utf-8")
            return json.loads(text) if text else {}

    def shutdown_kernels(self):
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except OSError:
                pass

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def copy_notebooks(self, name):
        """root/<name>/: a fresh copy of notebooks/ (a form's answers/ lands there, never in the checkout)."""
        target = self.root / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns("answers", "output", ".ipynb_checkpoints"))
        return target


class Field:
    """One ipywidgets input found by its label (description) text."""

    def __init__(self, page, locator):
        self.page, self.locator = page, locator

    def type_japanese(self, text, clear=True):
        """Click, type (Japanese is fine: no IME is needed for programmatic input), and Tab so the change syncs."""
        self.locator.click()
        if clear:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Tab")
        return self

    def value(self):
        return self.locator.input_value()


class NotebookPage:
    """A notebook opened in JupyterLab, in its own workspace (no tabs restored from other tests)."""

    def __init__(self, page, server, path):
        self.page, self.server, self.path = page, server, path
        self.page.set_default_timeout(UI_TIMEOUT)

    def open(self):
        workspace = re.sub(r"[^A-Za-z0-9-]", "-", self.path)
        self.page.goto(f"{self.server.url}/lab/workspaces/{workspace}/tree/{self.path}?token={self.server.token}")
        self.page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for()
        return self

    # -- kernel and running ------------------------------------------------------------------------------------------
    def wait_kernel_idle(self):
        """The status bar says "Python 3 (ipykernel) | Idle" and the notebook's execution indicator agrees."""
        self.page.wait_for_function(
            """() => {
                const bar = document.querySelector('#jp-main-statusbar');
                const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
                return bar && /\\| Idle/.test(bar.innerText) && (!ind || ind.dataset.status === 'idle');
            }""", timeout=UI_TIMEOUT)

    def menu(self, menu, item):
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).click()

    def run_all(self):
        """Run → Run All Cells once the kernel is idle; returns when every code cell has run (no error allowed)."""
        self.wait_kernel_idle()
        self.menu("Run", "Run All Cells")
        self.wait_all_cells_ran()

    def restart_and_run_all(self):
        """A fresh kernel, then Run All: Kernel → Restart Kernel and Clear Outputs of All Cells… → Restart, wait until
        every prompt is empty (a stable state, unlike the counts, which would read [1]… again), then Run All."""
        self.wait_kernel_idle()
        self.menu("Kernel", "Restart Kernel and Clear Outputs of All Cells")
        self.page.locator(".jp-Dialog button", has_text=re.compile("^Restart$")).click()
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                        .every(e => /^\\[ \\]:?$/.test(e.textContent.trim()))""", timeout=UI_TIMEOUT)
        self.run_all()

    def execution_counts(self):
        return self.page.evaluate(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim())")

    def wait_all_cells_ran(self):
        """Every code cell shows an execution count [n] and the kernel is idle again."""
        self.page.wait_for_function(
            """() => { const p = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                                  .map(e => e.textContent.trim());
                       return p.length > 0 && p.every(t => /^\\[\\d+\\]:?$/.test(t)); }""", timeout=UI_TIMEOUT)
        self.wait_kernel_idle()
        errors = self.error_outputs()
        assert not errors, "a cell raised in the browser:\n" + "\n---\n".join(errors)

    def error_outputs(self):
        return [t for t in self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
            if "Traceback" in t or "Error" in t]

    # -- widgets, found by their label text ----------------------------------------------------------------------------
    def _widget(self, kind, label):
        return self.page.locator(f".{kind}", has=self.page.locator(
            "label.widget-label", has_text=re.compile(f"^{re.escape(label)}$")))

    def text_input(self, label):
        return Field(self.page, self._widget("widget-text", label).locator("input").first)

    def textarea(self, label):
        return Field(self.page, self._widget("widget-textarea", label).locator("textarea").first)

    def field_by_placeholder(self, placeholder):
        """An input without a label (a row of a list), by its placeholder; the last one is the newest row."""
        return Field(self.page, self.page.get_by_placeholder(placeholder, exact=True).last)

    def dropdown(self, label):
        return self._widget("widget-dropdown", label).locator("select").first

    def checkbox(self, label):
        return self.page.locator(".widget-checkbox label.widget-label-basic",
                                 has_text=re.compile(f"^{re.escape(label)}$")).locator("input").first

    def button(self, label):
        return self.page.locator("button.jupyter-button", has_text=re.compile(f"^\\s*{re.escape(label)}\\s*$")).first

    def output_text(self):
        """The text of every cell output (widget text included), to assert what the learner sees."""
        return "\n".join(self.page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts())

    def expect_text(self, text, timeout=UI_TIMEOUT):
        """Wait until text is visible in a cell output of this notebook (not in the table of contents)."""
        self.page.locator(".jp-Notebook .jp-OutputArea").get_by_text(text).first.wait_for(timeout=timeout)

    def screenshot(self, name, full_page=False):
        path = artifacts_dir() / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def scroll_to(self, locator):
        locator.scroll_into_view_if_needed()
        return locator
