"""`course demo` (what `make demo` runs): a simulated class from release to report, headless, in one command."""

import csv
import subprocess
import sys

import pytest

from fixtures import ROOT


@pytest.mark.slow
def test_demo_builds_grades_and_reports_a_small_class(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "course.cli", "demo", "--out", str(out), "--students", "6"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    course = out / "grading"
    report = course / "reports" / "00_orientation" / "report.html"
    grades = course / "reports" / "grades.csv"
    for path in (report, grades, out / "lms" / "00_orientation.zip", course / "reports" / "00_orientation" / "flags.json"):
        assert path.exists(), path
        assert str(path) in result.stdout  # the demo says where everything is
    with open(grades, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student"] for r in rows) == [f"learner{i:02d}" for i in range(1, 7)]
    assert all(0.0 <= float(r["score"]) <= float(r["max_score"]) == 4.0 for r in rows)
    assert len(list(course.glob("feedback/*/00_orientation/*.html"))) == 6
    assert "data:image/png;base64," in report.read_text(encoding="utf-8")


@pytest.mark.slow
def test_release_to_exchange_then_collect_and_zip_for_lms(tmp_path):
    import os
    import shutil
    import zipfile

    from fixtures import GRADING

    course = tmp_path / "grading"
    (course / "source").mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", course)
    shutil.copytree(GRADING / "source" / "00_orientation", course / "source" / "00_orientation")
    env = dict(os.environ, COURSE_EXCHANGE=str(tmp_path / "exchange"))

    def run(*args, cwd=ROOT):
        result = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        return result.stdout

    course_cmd = [sys.executable, "-m", "course.cli"]
    out = run(*course_cmd, "release", "00_orientation", "--root", str(course), "--zip", str(tmp_path / "a.zip"))
    assert str(tmp_path / "a.zip") in out
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        text = z.read("00_orientation/00_orientation.ipynb").decode("utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text and "ProfileForm()" in text

    run(*course_cmd, "release", "00_orientation", "--root", str(course))
    learner = tmp_path / "learner"
    learner.mkdir()
    nbgrader = [sys.executable, "-m", "nbgrader"]
    run(*nbgrader, "fetch_assignment", "00_orientation", "--course", "sme-security",
        f"--Exchange.root={tmp_path / 'exchange'}", cwd=learner)
    run(*nbgrader, "submit", "00_orientation", "--course", "sme-security",
        f"--Exchange.root={tmp_path / 'exchange'}", cwd=learner)
    out = run(*course_cmd, "collect", "00_orientation", "--root", str(course))
    assert "1 件" in out
    submitted = list(course.glob("submitted/*/00_orientation/00_orientation.ipynb"))
    assert len(submitted) == 1 and (submitted[0].parent / "timestamp.txt").exists()
