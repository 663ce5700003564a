import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GRADING = ROOT / "grading"
FILES = Path(__file__).resolve().parent / "files"

os.environ.setdefault("MPLBACKEND", "Agg")


def execute_notebook(path, cwd, timeout=300):
    """Run a notebook top to bottom on a fresh kernel in cwd; only cells tagged raises-exception may raise."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


@pytest.fixture
def notebook_copy(tmp_path):
    """A private copy of notebooks/ (answers and outputs go there, never into the checkout)."""
    target = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns("answers", "output", ".ipynb_checkpoints"))
    return target


@pytest.fixture
def python():
    return sys.executable
