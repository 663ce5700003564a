"""Issue #14: a submission belongs to its submitter. Real Linux users hand in through the course's exchange
(course/instructor/exchange.py, as configured in grading/nbgrader_config.py and the learners' deploy configuration):
a learner cannot submit under another name, a planted entry under another name is refused at collect and flagged
要確認 without being graded, and nobody can change another learner's submission."""

import json
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

import nbformat
import pytest

from course.instructor.exchange import account_name, load_refused, ownership_problem, refusal_flags
from fixtures.nbgrader import make_course, release_notebook
from fixtures.unix import Users, as_user, require_unix_users, shared_deploy, shared_python

A = "00_orientation"
COURSE = "sme-security"
DEFAULT_SUBMIT = "--ExchangeFactory.submit=nbgrader.exchange.default.submit.ExchangeSubmit"


def test_accounts_file_names_uids_the_system_does_not_know(tmp_path, monkeypatch):
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"learner-a": 100007}), encoding="utf-8")
    monkeypatch.setenv("COURSE_ACCOUNTS", str(accounts))
    assert account_name(100007) == "learner-a"
    assert account_name(0) == "root"  # the system's database still answers
    entry = tmp_path / "learner-a+00_orientation+2026-12-01 10:00:00.000000 UTC"
    entry.mkdir()
    (entry / "00_orientation.ipynb").write_text("{}")
    assert ownership_problem(entry, "learner-a")["owner"] == "root"  # made by root here, so refused
    assert ownership_problem(entry, "root") is None
    (entry / "link").symlink_to("/etc/passwd")
    assert "symbolic link" in ownership_problem(entry, "root")["detail"]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    require_unix_users()
    base = Path(tempfile.mkdtemp(prefix="course-exchange-", dir="/tmp"))
    os.chmod(base, 0o755)
    (base / "home").mkdir()
    users = Users(base / "home")
    saved = {k: os.environ.get(k) for k in ("COURSE_EXCHANGE", "COURSE_ID")}
    try:
        tag = secrets.token_hex(2)
        alice, bob = f"crs{tag}a", f"crs{tag}b"
        for name in (alice, bob):
            users.create(name)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)
        os.environ.update(COURSE_EXCHANGE=str(exchange), COURSE_ID=COURSE)
        course = make_course(tmp_path_factory.mktemp("exchange"), A)
        from course.instructor.course_dir import nbgrader

        nbgrader("release_assignment", A, "--force", root=course)
        env = ["env", f"COURSE_EXCHANGE={exchange}", f"COURSE_ID={COURSE}", f"HOME={base / 'home'}",
               f"JUPYTER_CONFIG_PATH={shared_deploy(base) / 'jupyter' / 'student'}"]
        yield {"base": base, "course": course, "exchange": exchange, "alice": alice, "bob": bob,
               "python": shared_python(base), "env": env}
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        users.remove_all()
        shutil.rmtree(base, ignore_errors=True)


def run_as(room, user, *args):
    home = room["base"] / "home" / user
    env = [e if not e.startswith("HOME=") else f"HOME={home}" for e in room["env"]]
    return as_user(user, *env, room["python"], "-m", "nbgrader", *args, cwd=str(home))


def fetch_and_answer(room, user, marker):
    assert run_as(room, user, "fetch_assignment", A).returncode == 0
    path = room["base"] / "home" / user / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(marker))
    nbformat.write(nb, path)


def inbound(room):
    return room["exchange"] / COURSE / "inbound"


def entries(room, student):
    return sorted(p for p in inbound(room).iterdir() if p.name.startswith(f"{student}+{A}+"))


@pytest.mark.slow
def test_a_submission_belongs_to_its_submitter(classroom):
    room = classroom
    alice, bob = room["alice"], room["bob"]
    fetch_and_answer(room, bob, "bob の回答")
    fetch_and_answer(room, alice, "alice が bob の名前で出した回答")

    # bob hands in; his folder and files are his alone to change
    assert run_as(room, bob, "submit", A).returncode == 0, run_as(room, bob, "submit", A).stderr
    bob_entry = entries(room, bob)[-1]
    assert stat.S_IMODE(bob_entry.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o022 == 0 for p in bob_entry.rglob("*"))

    # alice cannot submit as bob with the course's configuration ...
    refused = run_as(room, alice, "submit", A, "--student", bob)
    assert refused.returncode != 0 and "ほかの人の名前では提出できません" in refused.stderr
    assert len(entries(room, bob)) == 1
    # ... nor change, rename or remove bob's submission, even knowing its name
    tamper = as_user(alice, "sh", "-c", f"echo x > '{bob_entry}/{A}.ipynb'; echo y > '{bob_entry}/extra.txt'")
    assert tamper.returncode != 0 and "Permission denied" in tamper.stderr
    assert inbound(room).stat().st_mode & stat.S_ISVTX
    moved = as_user(alice, "mv", str(bob_entry), str(bob_entry) + ".gone")
    assert moved.returncode != 0 and bob_entry.is_dir()
    assert as_user(alice, "ls", str(inbound(room))).returncode != 0  # nobody can list the entries
    # a learner who swaps in nbgrader's plain submit can plant a newer entry under bob's name ...
    planted = run_as(room, alice, "submit", A, "--student", bob, DEFAULT_SUBMIT)
    assert planted.returncode == 0, planted.stderr
    assert len(entries(room, bob)) == 2

    # ... which collect refuses (bob's own work is collected), lists and flags; it is never graded
    from course.instructor.release import collect

    assert collect(A, root=room["course"]) == 1
    collected = (room["course"] / "submitted" / bob / A / f"{A}.ipynb").read_text(encoding="utf-8")
    assert "bob の回答" in collected and "alice が" not in collected
    [refusal] = load_refused(room["course"], A)
    assert (refusal["student"], refusal["owner"]) == (bob, alice)
    for learner in (alice, bob):
        assert [f["code"] for f in refusal_flags(room["course"], A, learner)] == ["submitted_by_other"]
