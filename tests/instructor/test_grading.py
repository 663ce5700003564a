"""`course grade` on real nbgrader: same scores as stock `nbgrader autograde`, honest scores and 要確認 flags for every
integrity fixture (tests/files/integrity/, made by tests/files/make_integrity_fixtures.py; the shell tricks of issue
#13 are shown to fool stock nbgrader), feedback without keys, grade export with flags, and a run that resumes after
Ctrl+C."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from fixtures import FILES, ROOT
from fixtures.nbgrader import grade, make_course, release_notebook, submit
from fixtures.orientation import A, FULL_PROFILE, submit_ordinary

ONLY_COMPANY = {"company": "株式会社かえで"}
EMPTY = {}  # an empty profile record: honest score 0 of 4 with blank answers
CELL_TIMEOUT = "5"
NOTEBOOK_TIMEOUT = 30

# fixture: (answer record data or None, honest score, flag codes that must be raised)
EXPECTED = {
    "edits-locked-cell": (FULL_PROFILE, 2.0, {"locked_edited"}),
    "monkeypatch-checker": (ONLY_COMPANY, 2.5, {"guard_restored"}),
    "rewrites-record": (ONLY_COMPANY, 2.5, {"guard_record_write"}),
    "reads-keys-outside": (FULL_PROFILE, 2.0, {"guard_outside_read", "guard_command"}),
    "prints-10mb": (FULL_PROFILE, 4.0, {"output_cut"}),
    "os-exit": (FULL_PROFILE, 4.0, {"kernel_died"}),
    "infinite-loop": (FULL_PROFILE, 4.0, {"cell_timeout"}),
    "swallows-interrupt": (FULL_PROFILE, 2.0, {"unresponsive"}),
    "deleted-graded-cell": (FULL_PROFILE, 2.0, {"graded_cell_deleted"}),
    "duplicated-graded-cell": (FULL_PROFILE, 4.0, {"graded_cell_duplicated"}),
    "missing-record": (None, 2.0, {"record_missing"}),
    "slow-notebook": (FULL_PROFILE, 2.0, {"notebook_timeout"}),
    # issue #13: blank answers, an empty record, the notebook's environment changed from an answer cell
    "display-formatter": (EMPTY, 0.0, {"guard_shell"}),
    "display-hook": (EMPTY, 0.0, {"guard_shell"}),
    "no-auto-display": (EMPTY, 0.0, {"guard_shell"}),
    "input-transformer": (EMPTY, 0.0, {"guard_shell"}),
    "ast-transformer": (EMPTY, 0.0, {"guard_shell"}),
    "equal-anything": (EMPTY, 0.0, {"answer_not_plain"}),
    "exception-handler": (EMPTY, 0.0, {"guard_shell"}),
    "event-callback": (EMPTY, 0.0, {"guard_shell"}),
    "trace-hook": (EMPTY, 0.0, {"guard_shell"}),
}
SHELL_TRICKS = [name for name, (profile, _, _) in EXPECTED.items() if profile is EMPTY]


def submit_fixtures(course, names=EXPECTED):
    for name in names:
        profile = EXPECTED[name][0]
        nb = nbformat.read(FILES / "integrity" / f"{name}.ipynb", as_version=4)
        submit(course, A, name, nb, records={"company_profile": ("profile", profile)} if profile is not None else None)


def exported(course):
    from course.instructor.export import export_grades

    path, _ = export_grades(root=course, assignment=A)
    with open(path, encoding="utf-8-sig") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course.instructor.parallel_grade import grade_assignment

    base = tmp_path_factory.mktemp("instructor")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CELL_TIMEOUT", CELL_TIMEOUT)
        stock = make_course(base / "stock", A)
        ordinary = submit_ordinary(stock, release_notebook(stock, A))
        submit_fixtures(stock, SHELL_TRICKS)
        stock_scores = grade(stock, A)

        course = make_course(base / "parallel", A)
        submit_ordinary(course, release_notebook(course, A))
        submit_fixtures(course)
        run = grade_assignment(A, root=course, jobs=2, notebook_timeout=NOTEBOOK_TIMEOUT, progress=False)
    return {"course": course, "run": run, "stock": stock_scores, "ordinary": ordinary, "rows": exported(course)}


@pytest.mark.slow
def test_scores_equal_stock_nbgrader(graded):
    rows = graded["rows"]
    stock = {s: graded["stock"][s] for s in graded["ordinary"]}
    assert {s: float(rows[s]["score"]) for s in graded["ordinary"]} == stock
    assert stock == {"model": 4.0, "blank": 0.0, "partial": 1.0, "raises": 2.0, "learner": 4.0}


@pytest.mark.slow
@pytest.mark.parametrize("name", SHELL_TRICKS)
def test_shell_trick_fools_stock_nbgrader_but_not_course_grade(graded, name):
    """The attack is real: stock nbgrader gives the blank submission points; `course grade` gives its honest 0."""
    assert graded["stock"][name] > EXPECTED[name][1]
    assert float(graded["rows"][name]["score"]) == EXPECTED[name][1]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_integrity_fixture_gets_its_honest_score_and_flag(graded, name):
    _, score, codes = EXPECTED[name]
    row = graded["rows"][name]
    flags = {f["code"] for f in graded["run"].flags[name]}
    assert float(row["score"]) == score
    assert codes <= flags, flags
    assert row["needs_review"] == "True" and row["reason"]


@pytest.mark.slow
def test_run_completes_and_flags_are_stored_beside_the_gradebook(graded):
    course, run = graded["course"], graded["run"]
    assert not run.interrupted
    assert sorted(run.graded) == sorted(graded["ordinary"] + list(EXPECTED))
    stored = json.loads((course / "reports" / A / "flags.json").read_text(encoding="utf-8"))
    assert set(stored) == {s for s, f in run.flags.items() if f}
    # ordinary submissions that include their answer record are not flagged
    assert "learner" not in stored and "raises" not in stored and "partial" not in stored
    assert {f["code"] for f in stored["blank"]} == {"record_missing"}


@pytest.mark.slow
def test_guard_kept_the_submitted_record_and_the_course_folder_private(graded):
    course = graded["course"]
    record = json.loads((course / "autograded" / "rewrites-record" / A / "answers" / "company_profile.json").read_text())
    assert record["data"]["company"] == "株式会社かえで" and record["data"].get("industry", "") == ""
    nb = nbformat.read(course / "autograded" / "reads-keys-outside" / A / f"{A}.ipynb", as_version=4)
    check = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_check")
    assert [o.get("ename") for o in check.outputs] == ["NameError"]  # it never found the model answer
    reasons = " ".join(f["detail"] for f in graded["run"].flags["reads-keys-outside"])
    assert "source" in reasons and "subprocess.Popen" in reasons
    restored = " ".join(f["detail"] for f in graded["run"].flags["monkeypatch-checker"])
    for name in ("course.profile.load_profile", "CompanyProfile.from_dict", "builtins.sum"):
        assert name in restored


@pytest.mark.slow
def test_export_has_review_columns(graded):
    rows = graded["rows"]
    assert list(next(iter(rows.values()))) == ["student", "assignment", "score", "max_score", "needs_review", "reason"]
    assert "カーネルが終了" in rows["os-exit"]["reason"] and "kernel died" in rows["os-exit"]["reason"]
    assert rows["learner"]["needs_review"] == "False" and rows["learner"]["reason"] == ""


@pytest.mark.slow
def test_feedback_shows_results_but_no_hidden_tests(graded):
    from course.instructor.feedback import generate_feedback

    course = graded["course"]
    files = generate_feedback(A, root=course)
    students = {p.parent.parent.name for p in files}
    assert students == set(graded["run"].graded)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in ("BEGIN HIDDEN TESTS", "len(unverified_numbers) == 16", "unverified_numbers[0] == \"5.20\"",
                       "record.employees is not None"):
            assert secret not in text, (path, secret)
        assert "模範解答 / Model answer" not in text
        assert "表示されない確認があります" in text
    flagged = (course / "feedback" / "os-exit" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "講師が確認します" in flagged


@pytest.mark.slow
def test_feedback_reveal_shows_model_answers_but_not_hidden_tests(graded, tmp_path):
    from course.instructor.feedback import generate_feedback

    course = tmp_path / "grading"
    shutil.copytree(graded["course"], course)
    generate_feedback(A, root=course, reveal=True)
    text = (course / "feedback" / "blank" / A / f"{A}.html").read_text(encoding="utf-8")
    assert text.count("模範解答 / Model answer") == 2  # after each answer cell (q1_form, q2_answer)
    assert "BEGIN HIDDEN TESTS" not in text and "len(unverified_numbers) == 16" not in text


@pytest.mark.slow
def test_interrupted_run_resumes_where_it_stopped(tmp_path):
    course = make_course(tmp_path, A)
    release = release_notebook(course, A)
    students = submit_ordinary(course, release)
    submit(course, A, "looping", nbformat.read(FILES / "integrity" / "infinite-loop.ipynb", as_version=4),
           records={"company_profile": ("profile", FULL_PROFILE)})
    state = course / "reports" / A / "grading_state.json"
    env = dict(os.environ, COURSE_CELL_TIMEOUT=CELL_TIMEOUT, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "course.cli", "grade", A, "--root", str(course), "--jobs", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while proc.poll() is None and not (state.exists() and json.loads(state.read_text())["students"]):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, out
    assert "中断しました" in out
    first = set(json.loads(state.read_text())["students"])
    assert 1 <= len(first) < 6

    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"採点済みの {len(first)} 人は飛ばします" in again.stdout
    assert f"{6 - len(first)} 人を採点しました" in again.stdout
    assert "要確認 3 件" in again.stdout  # the summary: model and blank lack their record, looping timed out
    assert "looping: セル q2_answer が制限時間（5 秒）を超えたため中断されました" in again.stdout
    assert set(json.loads(state.read_text())["students"]) == set(students) | {"looping"}
    scores = {row["student"]: float(row["score"]) for row in exported(course).values()}
    assert scores == {"model": 4.0, "blank": 0.0, "partial": 1.0, "raises": 2.0, "learner": 4.0, "looping": 4.0}
