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


@pytest.fixture
def python():
    return sys.executable
