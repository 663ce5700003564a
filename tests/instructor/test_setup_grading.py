"""`course setup-grading` (run by `make lab`) prepares every assignment of the course for the formgrader."""

import shutil
import subprocess
import sys

import pytest

from fixtures import GRADING, ROOT


@pytest.mark.slow
def test_setup_grading_releases_every_assignment(tmp_path):
    course = tmp_path / "grading"
    shutil.copytree(GRADING, course, ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback",
                                                                   "*.db", "exchange", "reports"))
    out = subprocess.run([sys.executable, "-m", "course.cli", "setup-grading", "--root", str(course)],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    names = sorted(p.name for p in (GRADING / "source").iterdir() if p.is_dir())
    assert {"00_orientation", "ch14_organizational", "ch15_people", "ir1_detect_analyze",
            "ir2_contain_recover"} <= set(names)
    for name in names:
        assert name in out
        released = list((course / "release" / name).glob("*.ipynb"))
        assert released, f"{name} was not released"
        assert all("BEGIN SOLUTION" not in p.read_text(encoding="utf-8") for p in released)
    assert (course / "gradebook.db").exists()
