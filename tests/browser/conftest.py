"""Fixtures for the browser tests: one JupyterLab per test worker, a fresh page and notebook copy per test (the one
Chromium per worker is tests/conftest.py's `browser`, shared with the hub tests).

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run; `playwright install` cannot download browsers here).
Without it the tests are skipped on a developer's machine, and fail in CI (CI=true), where it must be installed.
"""

import re
import shutil

import pytest

from .lab import LabServer, NotebookPage, artifacts_dir, need_browser


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    need_browser()
    server = LabServer(tmp_path_factory.mktemp("browser-lab")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def test_name(request):
    return re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")


@pytest.fixture
def workdir(lab_server, test_name):
    """root/<test>/ on the server: a fresh copy of notebooks/ for this test alone."""
    folder = lab_server.copy_notebooks(test_name)
    try:
        yield folder
    finally:
        lab_server.shutdown_kernels()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def page(browser, test_name, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP", timezone_id="Asia/Tokyo")
    pg = context.new_page()
    try:
        yield pg
    finally:
        try:  # the last state of the page, kept whether the test passed or not
            pg.screenshot(path=str(artifacts_dir() / f"{test_name}-last.png"))
        except Exception:  # noqa: BLE001 - a page that crashed has no screenshot; the test reports why
            pass
        context.close()


@pytest.fixture
def open_notebook(page, lab_server, workdir):
    """open_notebook("00_start.ipynb") -> NotebookPage of this test's copy."""

    def opener(name):
        return NotebookPage(page, lab_server, f"{workdir.name}/{name}").open()

    return opener
