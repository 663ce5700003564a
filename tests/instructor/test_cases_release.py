"""Per-learner incident cases through the real nbgrader pipeline (issue #15, point 7).

`course release` with a roster of three learners writes each learner's case into the release (the exchange) and one
zip per learner for an LMS; each learner's fetched copy loads their own case; grading (stock nbgrader: the case found
from the autograded/<student>/<assignment> folder; `course grade`: from COURSE_STUDENT) grades each learner against
their own case, so answers copied from a classmate score lower, and a helper call gives nothing while grading.

The assignment here is a small one of the incident's shape, written below, so that this test does not depend on the
questions of the real ir1 notebook.
"""

import csv
import shutil
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from course.incident.cases import case_arguments, load_case, read_case, read_secret, scenario_for, write_case
from course.instructor.release import place_cases
from course.incident.logs import LOG_NAMES, write_logs
from fixtures import GRADING
from fixtures.nbgrader import course_grade, grade, release_notebook, submit, twin, with_answer

pytestmark = pytest.mark.slow

A = "ir1_detect_analyze"
DEFAULT = {"seed": 875679299042, "employees": 20, "days": 10}
STUDENTS = ["alice", "bob", "carol"]

IMPORTS = """import pandas as pd

from course.incident import analysis as A
from course.incident.cases import assignment_mode, helpers_allowed, load_case

assignment_mode(True)"""
Q1 = """ransom_extension = ""
encryption_start = ""
### BEGIN SOLUTION
fa = logs["file_audit"]
renames = fa[fa["action"] == "rename"].dropna(subset=["new_path"])
ext = renames["new_path"].str.rsplit(".", n=1).str[-1].str.lower()
new = renames[~ext.isin(set(renames["path"].str.rsplit(".", n=1).str[-1].str.lower()))].assign(ext=ext)
burst = new.groupby(["ext", new["time"].dt.floor("6h")]).size()   # the most renames in six hours
ransom_extension = burst.idxmax()[0]
encryption_start = str(new.loc[new["ext"] == ransom_extension, "time"].min())
### END SOLUTION"""
Q2 = """first_host = ""
first_user = ""
### BEGIN SOLUTION
with helpers_allowed():
    first = A.first_infected_host(A.suspicious_processes(logs["process"]))
first_host, first_user = first.host, first.user
### END SOLUTION"""
TEST = """print("ok")
### BEGIN HIDDEN TESTS
from course.incident.cases import graded_case
from course.incident.checks import grade
_scenario = graded_case("{a}", seed={seed}, employees=20, days=10)
grade("{form}", {answers}, _scenario, 2, "{gid}")
### END HIDDEN TESTS"""


def nbgrader_cell(kind, source, grade_id=None, points=None, solution=False, locked=False):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": points is not None, "solution": solution, "locked": locked,
                                     "grade_id": grade_id, "schema_version": 3, **({"points": points} if points else {})}
    return cell


def source_notebook():
    test = lambda gid, form, names: TEST.format(a=A, seed=DEFAULT["seed"], form=form, gid=gid,  # noqa: E731
                                                answers="{" + ", ".join(f'"{n}": {n}' for n in names) + "}")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbgrader_cell("markdown", "# 課題（テスト用）", "intro", locked=True),
        nbgrader_cell("code", IMPORTS, "imports", locked=True),
        nbgrader_cell("code", "logs = load_case()", "load", locked=True),
        nbgrader_cell("code", Q1, "q1_answer", solution=True),
        nbgrader_cell("code", test("q1", "ir_detect", ["ransom_extension", "encryption_start"]), "q1_check", points=2,
                      locked=True),
        nbgrader_cell("code", Q2, "q2_answer", solution=True),
        nbgrader_cell("code", test("q2", "ir_analyze", ["first_host", "first_user"]), "q2_check", points=2,
                      locked=True),
    ]
    return nb


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course with the assignment released to the exchange for the roster's three learners."""
    from course.instructor.release import release

    tmp = tmp_path_factory.mktemp("cases")
    course = tmp / "grading"
    (course / "source" / A).mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", course)
    nbformat.write(source_notebook(), course / "source" / A / f"{A}.ipynb")
    write_logs(scenario_for(DEFAULT).logs, course / "source" / A / "logs")
    roster = tmp / "roster.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["student_id", "name"], *[[s, s.title()] for s in STUDENTS]])
    (course / ".course").mkdir(mode=0o700)
    (course / ".course" / "case_secret").write_text("5eed" * 16 + "\n")    # fixed: the same cases on every run
    kind, exchange, info = release(A, course, roster=roster)
    assert kind == "exchange"
    return course, exchange, roster, info


def own_case(course, student, assignment=A):
    return scenario_for(case_arguments(read_secret(course), assignment, student))


def assert_same_logs(a, b):
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_the_release_holds_one_case_per_learner_and_no_secret(released):
    course, exchange, _, info = released
    folder = course / "release" / A
    assert sorted(p.name for p in (folder / "cases").iterdir()) == STUDENTS
    assert not (folder / "logs").exists()                             # only the self-study copy has the default logs
    assert info == {"students": 3, "bytes": info["bytes"]} and 100_000 < info["bytes"] < 3 * 1_000_000
    secret = read_secret(course)
    outbound = [p for p in Path(exchange).rglob("*") if p.is_file()]
    assert outbound and all(secret not in p.read_bytes() for p in outbound + list(folder.rglob("*.*")))
    assert "seed" not in (folder / f"{A}.ipynb").read_text() and str(DEFAULT["seed"]) not in (folder / f"{A}.ipynb").read_text()


def test_each_learner_fetches_and_loads_their_own_case(released, tmp_path, monkeypatch):
    course, exchange, _, _ = released
    outbound = next(p for p in Path(exchange).rglob(A) if p.parent.name == "outbound")
    keys = set()
    for student in STUDENTS:
        home = tmp_path / student
        shutil.copytree(outbound, home / A)                           # what `nbgrader fetch_assignment` copies
        monkeypatch.setenv("JUPYTERHUB_USER", student)
        monkeypatch.chdir(home / A)
        logs = load_case()
        case = own_case(course, student)
        assert_same_logs(logs, case.logs)
        keys.add((case.truth.first_host, case.truth.entry_time, case.truth.ransom_extension))
    assert len(keys) == 3


def test_lms_zips_hold_only_their_learners_case(released, tmp_path, monkeypatch):
    from course.instructor.release import release

    course, _, roster, _ = released
    kind, out, info = release(A, course, zip_path=tmp_path / "zips", roster=roster)
    assert kind == "zips" and info["students"] == 3
    assert sorted(p.name for p in out.iterdir()) == [f"{s}_{A}.zip" for s in STUDENTS]
    for student in STUDENTS:
        with zipfile.ZipFile(out / f"{student}_{A}.zip") as z:
            names = z.namelist()
            assert f"{A}/{A}.ipynb" in names
            assert {n.split("/")[2] for n in names if n.startswith(f"{A}/cases/")} == {student}
            assert not any(n.startswith(f"{A}/logs/") for n in names)
            z.extractall(tmp_path / "unzipped" / student)
        monkeypatch.setenv("COURSE_LEARNER", "laptop-user")          # the learner's own computer: any user name
        assert_same_logs(load_case(tmp_path / "unzipped" / student / A), own_case(course, student).logs)


def answers_of(truth):
    return {
        "q1_answer": f'ransom_extension = "{truth.ransom_extension}"\n'
                     f'encryption_start = "{truth.encryption_start:%Y-%m-%d %H:%M}"',
        "q2_answer": f'first_host = "{truth.first_host}"\nfirst_user = "{truth.first_user}"',
    }


@pytest.fixture(scope="module")
def submitted(released):
    """alice: her own case's answers; bob: alice's answers (copied); carol: pandas for 問1, a helper call for 問2."""
    course, _, _, _ = released
    release_nb = release_notebook(course, A)
    alice = release_nb
    for gid, source in answers_of(own_case(course, "alice").truth).items():
        alice = with_answer(alice, gid, source)
    carol = with_answer(release_nb, "q1_answer", Q1.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", ""))
    carol = with_answer(carol, "q2_answer", 'first = A.first_infected_host(A.suspicious_processes(logs["process"]))\n'
                                            'first_host, first_user = first.host, first.user')
    for student, nb in (("alice", alice), ("bob", alice), ("carol", carol)):
        submit(course, A, student, nb)                                # carol: the notebook alone (an LMS upload)
    alice_case = own_case(course, "alice").logs
    write_case(alice_case, course / "submitted" / "bob" / A / "cases" / "bob")   # bob also took alice's logs
    assert place_cases(course, A) == STUDENTS                        # what `course collect` does after collecting
    return course


def test_collect_puts_each_learners_own_case_into_the_submission(submitted):
    for student in STUDENTS:
        cases = submitted / "submitted" / student / A / "cases"
        assert [p.name for p in cases.iterdir()] == [student]
        assert_same_logs(read_case(cases / student), own_case(submitted, student).logs)


def test_stock_nbgrader_grades_each_learner_on_their_own_case(submitted):
    scores = grade(submitted, A)
    assert scores["alice"] == 4.0
    assert scores["bob"] < 2.0                                        # the classmate's answers fail on bob's case
    assert scores["carol"] == 2.0                                     # pandas on her own case; the helper gives 0


def test_course_grade_grades_each_learner_on_their_own_case(submitted):
    scores, flags = course_grade(twin(submitted), A)
    assert scores["alice"] == 4.0 and scores["bob"] < 2.0 and scores["carol"] == 2.0
    assert not any(flags.values()), flags                             # the learners' kernels never read the secret


@pytest.mark.parametrize("assignment", ["ir1_detect_analyze", "ir2_contain_recover"])
def test_the_real_assignments_model_scores_every_automatic_point_on_each_learners_case(assignment, tmp_path):
    """The released ir1/ir2: each learner's case is gradeable, and the model (plain pandas) is right on every case."""
    from course.incident.cases import uses_cases
    from course.instructor.release import release
    from fixtures.nbgrader import make_course, source_notebook

    assert uses_cases(sorted((GRADING / "source" / assignment).glob("*.ipynb")))  # its hidden tests call graded_case
    course = make_course(tmp_path, assignment)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    release(assignment, course, roster=roster)
    model = source_notebook(course, assignment)
    auto = sum(c.metadata["nbgrader"]["points"] for c in model.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))
    for student in STUDENTS:
        submit(course, assignment, student, model)
    assert place_cases(course, assignment) == STUDENTS
    assert len({own_case(course, s, assignment).truth.entry_time for s in STUDENTS}) == 3
    assert grade(course, assignment) == {s: auto for s in STUDENTS}
