import os
import shutil
import sys

import pytest

from fixtures import NOTEBOOKS

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def notebook_copy(tmp_path):
    """A private copy of notebooks/ (answers and outputs go there, never into the checkout)."""
    target = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns("answers", "output", ".ipynb_checkpoints"))
    return target


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test worker (Playwright's sync API allows one per process), for every test that drives it."""
    from browser.lab import CHROMIUM, CHROMIUM_ARGS, need_browser

    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def python():
    return sys.executable
