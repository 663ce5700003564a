"""Per-learner incident cases and the helper lock (course/incident/cases.py, issue #15 points 6 and 7).

A learner's case comes from HMAC(course secret, "<assignment>:<student>"): different for every learner of a class,
the same in the learner's release (load_case) and at grading (graded_case, from COURSE_STUDENT/COURSE_ROOT or the
stock autograded/<student>/<assignment> folder); without a secret or a released learner the default case is graded.
"""

import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from course.errors import CourseError
from course.incident import cases
from course.incident.cases import (CaseError, HelperLocked, assignment_mode, case_arguments, case_key, ensure_secret,
                                   graded_case, helpers_allowed, learner_id, load_case, read_secret, scenario_for,
                                   write_case, write_manifest)
from course.incident.checks import grade
from course.incident.logs import LOG_NAMES, write_logs

A = "ir1_detect_analyze"
DEFAULT = {"seed": 875679299042, "employees": 20, "days": 10}   # the default case of the hidden tests
SECRET = b"0123456789abcdef" * 4


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("COURSE_STUDENT", "COURSE_ROOT", "COURSE_GRADING", "JUPYTERHUB_USER", "COURSE_LEARNER"):
        monkeypatch.delenv(name, raising=False)
    yield
    assignment_mode(False)


def course_folder(tmp_path, students=(), secret=True):
    """A course folder: nbgrader_config.py, a secret and the manifest of A."""
    root = tmp_path / "grading"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    if secret:
        (root / ".course").mkdir()
        (root / ".course" / "case_secret").write_text(SECRET.decode() + "\n")
    if students:
        write_manifest(root, A, students)
    return root


def assert_same_logs(a, b):
    assert list(a) == list(LOG_NAMES)
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name])


# -- the case of a learner -------------------------------------------------------------------------------------------

def test_arguments_depend_on_secret_assignment_and_learner():
    base = case_arguments(SECRET, A, "alice")
    assert base == case_arguments(SECRET, A, "alice")                  # reproducible by the instructor's tools
    assert base["seed"] != case_arguments(SECRET, A, "bob")["seed"]
    assert base["seed"] != case_arguments(SECRET, "ir2_contain_recover", "alice")["seed"]
    assert base["seed"] != case_arguments(b"another secret", A, "alice")["seed"]
    assert 0 <= base["seed"] < 2**63 and base["employees"] == 20 and base["days"] == 10


def test_forty_learners_get_forty_different_cases():
    keys = {}
    for i in range(40):
        truth = scenario_for(case_arguments(SECRET, A, f"s{i:03d}")).truth
        keys[f"s{i:03d}"] = case_key(truth)
    assert len(set(keys.values())) == 40, keys
    # and not only by the entry time: the first hosts and extensions are spread over the class too
    assert len({k[0] for k in keys.values()}) > 5 and len({k[2] for k in keys.values()}) > 3


def test_case_options_of_the_generator_are_drawn_per_learner(monkeypatch):
    from course.incident import scenario

    monkeypatch.setattr(scenario, "CASE_OPTIONS", {"variant": ("phishing", "vpn", "rdp"), "not_a_kwarg": (1, 2)},
                        raising=False)
    drawn = [case_arguments(SECRET, A, f"s{i}") for i in range(30)]
    assert all("not_a_kwarg" not in d for d in drawn)                  # only what generate() accepts
    assert {d["variant"] for d in drawn} == {"phishing", "vpn", "rdp"}
    assert scenario_for(drawn[0]).truth.variant == drawn[0]["variant"]


def test_the_secret_is_made_once_and_private(tmp_path):
    root = tmp_path / "grading"
    first = ensure_secret(root)
    assert len(first) == 64 and ensure_secret(root) == first == read_secret(root)
    assert stat.S_IMODE((root / ".course" / "case_secret").stat().st_mode) == 0o600
    assert stat.S_IMODE((root / ".course").stat().st_mode) == 0o700


def test_the_secret_folder_is_ignored_by_git():
    from fixtures import GRADING

    assert ".course/" in (GRADING / ".gitignore").read_text().splitlines()


# -- grading ---------------------------------------------------------------------------------------------------------

def test_graded_case_from_the_scorers_environment(tmp_path, monkeypatch):
    root = course_folder(tmp_path, students=["alice", "bob"])
    monkeypatch.setenv("COURSE_ROOT", str(root))
    monkeypatch.setenv("COURSE_STUDENT", "alice")
    alice = graded_case(A, **DEFAULT)
    assert alice.seed == case_arguments(SECRET, A, "alice")["seed"]
    monkeypatch.setenv("COURSE_STUDENT", "bob")
    assert graded_case(A, **DEFAULT).seed == case_arguments(SECRET, A, "bob")["seed"]


def test_graded_case_from_the_autograded_folder(tmp_path, monkeypatch):
    root = course_folder(tmp_path, students=["carol"])
    work = root / "autograded" / "carol" / A
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert graded_case(A, **DEFAULT).seed == case_arguments(SECRET, A, "carol")["seed"]


@pytest.mark.parametrize("situation", ["no secret", "not released to the learner", "no learner"])
def test_the_default_case_without_a_secret_or_a_learner(tmp_path, monkeypatch, situation):
    root = course_folder(tmp_path, students=[] if situation == "not released to the learner" else ["alice"],
                         secret=situation != "no secret")
    monkeypatch.setenv("COURSE_ROOT", str(root))
    if situation != "no learner":
        monkeypatch.setenv("COURSE_STUDENT", "alice")
    assert graded_case(A, **DEFAULT).seed == DEFAULT["seed"]


def test_the_default_case_is_read_from_the_source_notebook(tmp_path, monkeypatch):
    root = course_folder(tmp_path, secret=False)
    source = root / "source" / A
    source.mkdir(parents=True)
    call = 'from course.incident.cases import graded_case\n_scenario = graded_case("%s", seed=%d, employees=20, days=10)'
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": call % (A, DEFAULT["seed"])}
    (source / f"{A}.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    monkeypatch.setenv("COURSE_ROOT", str(root))
    assert graded_case(A).seed == DEFAULT["seed"]
    cell2 = dict(cell, source="_s = cached_scenario(12345, employees=20, days=10)")
    (source / f"{A}.ipynb").write_text(json.dumps({"cells": [cell, cell2], "metadata": {}, "nbformat": 4,
                                                   "nbformat_minor": 5}))
    with pytest.raises(CaseError, match="既定の事例"):
        graded_case(A)


def test_no_default_case_is_a_japanese_message(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOT", str(course_folder(tmp_path, secret=False)))
    with pytest.raises(CaseError, match="既定の事例が分かりません"):
        graded_case(A)


def test_answers_copied_from_a_classmate_score_lower_on_ones_own_case():
    mine = scenario_for(case_arguments(SECRET, A, "alice")).truth
    theirs = scenario_for(case_arguments(SECRET, A, "bob")).truth

    def detect(tr):
        return {"ransom_extension": tr.ransom_extension, "encryption_start": f"{tr.encryption_start:%Y-%m-%d %H:%M}"}

    def analyze(tr):
        return {"first_host": tr.first_host, "first_user": tr.first_user, "entry_time": f"{tr.entry_time:%Y-%m-%d %H:%M}"}

    own_case = scenario_for(case_arguments(SECRET, A, "alice"))
    assert grade("ir_detect", detect(mine), own_case, 2, "t") + grade("ir_analyze", analyze(mine), own_case, 3, "t") == 5
    copied = grade("ir_detect", detect(theirs), own_case, 2, "t") + grade("ir_analyze", analyze(theirs), own_case, 3, "t")
    assert copied <= 1, copied


# -- the notebook side -----------------------------------------------------------------------------------------------

def test_learner_id_prefers_the_hub_account(monkeypatch):
    import getpass

    assert learner_id() == getpass.getuser()
    monkeypatch.setenv("COURSE_LEARNER", "s042")
    assert learner_id() == "s042"
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert learner_id() == "hub-user"


def released_folder(tmp_path, students):
    """An assignment folder as the exchange release gives it: cases/<student>/*.csv.gz for each learner."""
    folder = tmp_path / "fetched" / A
    for student in students:
        write_case(scenario_for(case_arguments(SECRET, A, student)).logs, folder / "cases" / student)
    return folder


def test_load_case_reads_the_learners_own_case_equal_to_the_graded_one(tmp_path, monkeypatch):
    folder = released_folder(tmp_path, ["alice", "bob"])
    assert sorted(p.name for p in (folder / "cases" / "bob").iterdir())[0].endswith(".csv.gz")
    root = course_folder(tmp_path, students=["alice", "bob"])
    for student in ("alice", "bob"):
        monkeypatch.setenv("JUPYTERHUB_USER", student)
        logs = load_case(folder)
        monkeypatch.setenv("COURSE_ROOT", str(root))
        monkeypatch.setenv("COURSE_STUDENT", student)
        assert_same_logs(logs, graded_case(A, **DEFAULT).logs)
        monkeypatch.delenv("COURSE_ROOT")
        monkeypatch.delenv("COURSE_STUDENT")


def test_load_case_of_a_learner_without_a_case_says_what_to_do(tmp_path, monkeypatch):
    folder = released_folder(tmp_path, ["alice", "bob"])
    monkeypatch.setenv("JUPYTERHUB_USER", "mallory")
    with pytest.raises(CaseError) as caught:
        load_case(folder)
    assert "mallory" in str(caught.value) and "先生" in str(caught.value) and "COURSE_LEARNER" in str(caught.value)
    assert isinstance(caught.value, CourseError)


def test_an_lms_zip_with_one_case_is_read_whoever_runs_it(tmp_path, monkeypatch):
    folder = tmp_path / "unzipped" / A
    logs = scenario_for(case_arguments(SECRET, A, "alice")).logs
    write_case(logs, folder / "cases" / "alice", compress=False)       # plain CSV in a learner's zip
    monkeypatch.setenv("COURSE_LEARNER", "laptop-user")
    assert_same_logs(load_case(folder), logs)


def test_without_cases_the_self_study_logs_are_read(tmp_path):
    folder = tmp_path / A
    logs = scenario_for(DEFAULT).logs
    write_logs(logs, folder / "logs")
    assert_same_logs(load_case(folder), logs)


def test_while_grading_the_graded_learners_case_is_read_and_never_the_secret(tmp_path, monkeypatch):
    root = course_folder(tmp_path, students=["alice", "bob"])
    work = root / "autograded" / "alice" / A
    write_logs(scenario_for(DEFAULT).logs, work / "logs")               # autograde copies the source's logs/
    monkeypatch.chdir(work)
    monkeypatch.setenv("JUPYTERHUB_USER", "instructor")
    assert_same_logs(load_case(), scenario_for(DEFAULT).logs)          # no case placed: the secret is not read
    for student in ("alice", "bob"):
        write_case(scenario_for(case_arguments(SECRET, A, student)).logs, work / "cases" / student)
    logs = load_case()
    assert_same_logs(logs, scenario_for(case_arguments(SECRET, A, "alice")).logs)
    shutil.rmtree(work / "cases" / "alice")                              # only a classmate's case: not read at grading
    with pytest.raises(CaseError, match="alice"):
        load_case()
    logs["process"]["host"] = "changed"                                  # a learner's change stays in their copy
    assert (graded_case(A, **DEFAULT).logs["process"]["host"] != "changed").all()


# -- the helper lock -------------------------------------------------------------------------------------------------

@pytest.fixture
def file_audit():
    return scenario_for(DEFAULT).logs["file_audit"]


def test_helpers_work_outside_an_assignment(file_audit):
    from course.incident import analysis as A_

    assert A_.ransom_extension(file_audit) == scenario_for(DEFAULT).truth.ransom_extension


def test_assignment_mode_locks_the_helpers_with_a_japanese_message(file_audit):
    from course.incident import analysis as A_
    from course.incident.analysis import find_encryption_start

    assignment_mode(True)
    for call in (lambda: A_.ransom_extension(file_audit), lambda: find_encryption_start(file_audit),
                 lambda: A_.infected_hosts(A_.suspicious_processes(file_audit))):
        with pytest.raises(HelperLocked) as caught:
            call()
        assert isinstance(caught.value, CourseError)
        assert "pandas" in str(caught.value) and "ir_01" in str(caught.value) and "使えません" in str(caught.value)
    assert A_.EXFIL_MIN_BYTES > 0 and A_.AnalysisError                # constants and classes stay readable
    assignment_mode(False)
    assert A_.ransom_extension(file_audit)


def test_grading_locks_the_helpers(file_audit, monkeypatch):
    from course.incident import analysis as A_

    monkeypatch.setenv("COURSE_GRADING", "1")
    with pytest.raises(HelperLocked, match="ransom_extension"):
        A_.ransom_extension(file_audit)
    with helpers_allowed():                                           # instructor code in hidden tests
        assert A_.ransom_extension(file_audit)


def test_stock_nbgrader_grading_locks_them_even_after_unlocking(file_audit, tmp_path, monkeypatch):
    from course.incident import analysis as A_

    work = course_folder(tmp_path) / "autograded" / "alice" / A
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assignment_mode(False)                                            # a learner's own cell cannot unlock them
    with pytest.raises(HelperLocked):
        A_.ransom_extension(file_audit)


def test_the_courses_own_modules_may_still_call_them(file_audit):
    assignment_mode(True)
    namespace = {"__name__": "course.incident.some_check"}
    exec("from course.incident import analysis\ndef check(df):\n    return analysis.find_encryption_start(df)",
         namespace)
    assert namespace["check"](file_audit) == scenario_for(DEFAULT).truth.encryption_start


# -- the instructor's side: who gets a case, and refusals ------------------------------------------------------------

def instructor_course(tmp_path):
    from fixtures import GRADING

    root = tmp_path / "course"
    (root / "source" / A).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text((GRADING / "nbgrader_config.py").read_text())
    return root


def test_the_class_comes_from_the_roster_or_the_gradebook(tmp_path, monkeypatch):
    import sys

    from nbgrader.api import Gradebook

    from course.instructor.course_dir import gradebook_url
    from course.instructor.release import class_students

    root = instructor_course(tmp_path)
    with pytest.raises(CourseError, match="受講者が分かりません"):
        class_students(root, A)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")  # alembic
    with Gradebook(gradebook_url(root)) as gb:
        for student in ("s2", "s1"):
            gb.add_student(student)
    assert class_students(root, A) == ["s1", "s2"]
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\nr1,R One\nr2,R Two\n", encoding="utf-8-sig")
    assert class_students(root, A, roster) == ["r1", "r2"]


def test_cases_are_refused_when_the_hidden_tests_do_not_grade_them(tmp_path):
    from course.instructor.release import release

    root = instructor_course(tmp_path)
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": "_s = cached_scenario(1, employees=20, days=10)"}
    (root / "source" / A / f"{A}.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                                                "nbformat_minor": 5}))
    with pytest.raises(CourseError, match="graded_case を呼んでいない"):
        release(A, root, cases=True)


def test_two_learners_with_the_same_case_stop_the_release(tmp_path, monkeypatch):
    from course.instructor import release as rel

    monkeypatch.setattr(cases, "case_key", lambda truth: ("PC-01", "same", "abc"))
    with pytest.raises(CourseError, match="同じ事例"):
        list(rel._learner_cases(tmp_path, A, ["a", "b"], progress=False))


def test_the_instructor_sees_what_happened_in_each_learners_case(tmp_path, capsys):
    from course.cli import main
    from course.instructor.release import case_facts

    root = instructor_course(tmp_path)
    with pytest.raises(CourseError, match="受講者ごとの事例で配布されていません"):
        case_facts(root, A)
    (root / ".course").mkdir()
    (root / ".course" / "case_secret").write_text(SECRET.decode())
    write_manifest(root, A, ["alice", "bob"])
    facts = dict(case_facts(root, A, ["alice", "nobody"]))
    truth = scenario_for(case_arguments(SECRET, A, "alice")).truth
    rows = dict(facts["alice"])
    assert rows["最初に感染した端末"] == truth.first_host and rows["暗号化後の拡張子"] == truth.ransom_extension
    assert facts["nobody"] is None
    assert [s for s, _ in case_facts(root, A)] == ["alice", "bob"]
    assert main(["case", A, "bob", "--root", str(root)]) in (0, None)
    out = capsys.readouterr().out
    assert "受講者 bob の事例" in out and scenario_for(case_arguments(SECRET, A, "bob")).truth.first_host in out
