"""A real classroom on JupyterHub (deploy/jupyterhub/jupyterhub_config.py): real Linux users, PAM log-in, one server
per learner running as that user, and the nbgrader exchange.

The test creates an instructor and two students (Linux users with passwords, removed at the end), starts the hub as
root on 127.0.0.1, and runs the whole assignment cycle through the users' hub sessions:
release (instructor's formgrader) → fetch → submit (students' Assignments API) → collect → autograde → feedback
(formgrader) → fetch feedback (students). It asserts the scores, that only the instructor has the formgrader, and that
one student can neither list nor read another's submission, answers or feedback.
"""

import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from fixtures import ROOT
from fixtures.hub import Hub, Session, hub_environment
from fixtures.unix import Users, as_user, require_unix_users, shared_deploy, shared_python

A = "00_orientation"
COURSE = "sme-security"
CORRECT_CODE = (
    "table = pd.DataFrame([c.summary() for c in controls()])\n"
    "unverified_numbers = [n for n, t, v in zip(table['number'], table['theme'], table['verified'])"
    " if t == 'organizational' and not v]\n"
)
FULL_PROFILE = {"company": "株式会社ひかり工業", "industry": "製造業", "employees": 40, "sites": "本社（八王子市）",
                "telework": "some", "cloud": ["Microsoft 365"], "contractors": []}
PARTIAL_PROFILE = {"company": "合同会社つばさ", "industry": "運輸業"}


# -- requirements -------------------------------------------------------------------------------------------------------

def _require():
    require_unix_users("configurable-http-proxy")
    try:
        import jupyterhub  # noqa: F401
        import requests  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the classroom test needs {exc} (make test installs it)")
        pytest.skip(f"the classroom test needs {exc}")


def lab_config(session):
    """The page configuration JupyterLab sends to this user's browser (which extensions are disabled)."""
    page = session.server("GET", "/lab").text
    data = page.split('<script id="jupyter-config-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(data)


def answer_record(data):
    return json.dumps({"schema": "course.answer/1", "key": "company_profile", "kind": "profile", "revision": 1,
                       "saved_at": "2026-11-29T10:00:00+09:00", "data": data}, ensure_ascii=False)


@pytest.fixture
def classroom():
    _require()
    base = Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp"))
    os.chmod(base, 0o755)  # homes and the exchange live here: every user must be able to pass
    users = Users(base / "home")
    (base / "home").mkdir()
    hub = None
    try:
        tag = secrets.token_hex(2)
        names = {"instructor": f"crs{tag}t", "student1": f"crs{tag}a", "student2": f"crs{tag}b"}
        passwords = {role: users.create(name) for role, name in names.items()}
        roster = base / "roster.yaml"
        roster.write_text(f"course_id: {COURSE}\ninstructors: [{names['instructor']}]\n"
                          f"students: [{names['student1']}, {names['student2']}]\n")
        env = hub_environment(base, roster, shared_python(base), COURSE)
        hub = Hub(base, shared_deploy(base) / "jupyterhub_config.py", env).start()
        sessions = {role: Session(hub, names[role], passwords[role]) for role in names}
        for s in sessions.values():  # all three start together, as a class would
            s.start_server()
        for s in sessions.values():
            s.wait_ready()
        yield {"base": base, "hub": hub, "names": names, "exchange": base / "exchange", **sessions}
    finally:
        if hub:
            hub.stop()
            artifacts = Path(os.environ.get("COURSE_ARTIFACTS", "/tmp/course-artifacts"))
            artifacts.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.log, artifacts / "classroom-hub.log")  # the hub's and the learners' servers' log
        users.remove_all()
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_classroom_release_fetch_submit_collect_grade_feedback(classroom):
    hub, names, exchange = classroom["hub"], classroom["names"], classroom["exchange"]
    teacher, s1, s2 = classroom["instructor"], classroom["student1"], classroom["student2"]
    home = {role: classroom["base"] / "home" / name for role, name in names.items()}

    # -- every session is reachable through the hub, with the user's own token, and only their own -----------------
    for s in (teacher, s1, s2):
        assert s.hub_api("GET", "/user").json()["name"] == s.name
        assert s.ok_json("GET", "/api/status") is not None
    assert s1.hub_api("GET", f"/users/{s2.name}").status_code in (403, 404)
    assert s1.other_server(s2.name, "GET", "/api/contents").status_code in (302, 403, 404)
    assert {g for g in teacher.hub_api("GET", "/user").json()["groups"]} == {"instructors"}

    # -- the instructor has the formgrader and the course; students have neither ------------------------------------
    assert A in {a["name"] for a in teacher.ok_json("GET", "/formgrader/api/assignments")}
    assert "@jupyter/nbgrader:formgrader" not in lab_config(teacher)["disabledExtensions"]
    for s in (s1, s2):
        assert s.server("GET", "/formgrader/api/assignments").status_code == 404  # server extension off
        disabled = lab_config(s)["disabledExtensions"]  # and the JupyterLab panels too
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= set(disabled)
        assert "@jupyter/nbgrader:assignment-list" not in disabled
    for role in names:  # private homes: a learner's answers are theirs alone
        assert (home[role].stat().st_mode & 0o777) == 0o700

    # -- release: the instructor generates and releases through the formgrader -------------------------------------
    assert teacher.ok_json("POST", f"/formgrader/api/assignment/{A}/assign")["success"], hub.tail()
    assert teacher.ok_json("POST", f"/formgrader/api/assignment/{A}/release")["success"], hub.tail()
    assert (exchange / COURSE / "outbound" / A).is_dir()

    # -- fetch, answer, submit: each student through their own server's Assignments API -----------------------------
    args = {"course_id": COURSE, "assignment_id": A}
    for s, code, profile in ((s1, CORRECT_CODE, FULL_PROFILE), (s2, None, PARTIAL_PROFILE)):
        listed = s.ok_json("GET", "/assignments", params={"course_id": COURSE})
        assert any(a["assignment_id"] == A and a["status"] == "released" for a in listed["value"]), listed
        fetched = s.ok_json("POST", "/assignments/fetch", params=args)
        assert any(a["assignment_id"] == A and a["status"] == "fetched" for a in fetched["value"]), fetched
        path = f"{A}/{A}.ipynb"
        model = s.ok_json("GET", f"/api/contents/{path}")
        nb = nbformat.from_dict(model["content"])
        if code:
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_answer")
            cell.source = code
        r = s.server("PUT", f"/api/contents/{path}", json={"type": "notebook", "content": nb})
        assert r.status_code == 200, r.text
        s.mkdir(f"{A}/answers")
        s.put_text(f"{A}/answers/company_profile.json", answer_record(profile))
        submitted = s.ok_json("POST", "/assignments/submit", params=args)
        assert any(a["assignment_id"] == A and a["status"] == "submitted" for a in submitted["value"]), submitted

    # -- one student can neither list nor read another's submission, answers or nbgrader cache ----------------------
    inbound = exchange / COURSE / "inbound"
    mine = [p.name for p in inbound.iterdir() if p.name.startswith(f"{s1.name}+{A}+")]
    assert len(mine) == 1  # (listed as root: the test's view)
    denied = as_user(s2.name, "ls", str(inbound))
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    # a wildcard cannot find it either (the folder cannot be read), although it is there
    found = as_user(s2.name, "sh", "-c", f"ls -d {inbound}/{s1.name}+*")
    assert found.returncode != 0 and s1.name + "+" not in found.stdout and "No such file" in found.stderr
    for secret in (home["student1"] / A / "answers" / "company_profile.json", home["student1"] / A / f"{A}.ipynb",
                   home["student1"] / ".local" / "share" / "jupyter" / "nbgrader_cache"):
        r = as_user(s2.name, "cat", str(secret))
        assert r.returncode != 0 and "Permission denied" in r.stderr, (secret, r.stdout[:200])
    # nor through their own server: its contents API stays inside their home
    assert s2.server("GET", f"/api/contents/../{s1.name}/{A}").status_code in (400, 403, 404)
    assert "株式会社ひかり工業" not in s2.server("GET", f"/api/contents/../{s1.name}/{A}").text

    # -- collect, autograde, feedback: the instructor's formgrader -------------------------------------------------
    assert teacher.ok_json("POST", f"/formgrader/api/assignment/{A}/collect")["success"], hub.tail()
    for s in (s1, s2):
        assert (home["instructor"] / "grading" / "submitted" / s.name / A / f"{A}.ipynb").exists()
        result = teacher.ok_json("POST", f"/formgrader/api/submission/{A}/{s.name}/autograde")
        assert result["success"], result.get("log", "")[-3000:]
    scores = {row["student"]: row["score"] for row in teacher.ok_json("GET", f"/formgrader/api/submissions/{A}")}
    assert scores == {s1.name: 4.0, s2.name: 1.0}
    r = as_user(s2.name, "ls", str(home["instructor"] / "grading" / "submitted"))
    assert r.returncode != 0 and "Permission denied" in r.stderr  # the collected copies are the instructor's alone
    assert teacher.ok_json("POST", f"/formgrader/api/assignment/{A}/generate_feedback")["success"], hub.tail()
    assert teacher.ok_json("POST", f"/formgrader/api/assignment/{A}/release_feedback")["success"], hub.tail()

    # -- each student fetches their own feedback ----------------------------------------------------------------------
    for s, score in ((s1, "4.0"), (s2, "1.0")):
        s.ok_json("POST", "/assignments/fetch_feedback", params=args)
        folders = s.ok_json("GET", f"/api/contents/{A}/feedback")["content"]
        assert len(folders) == 1, folders
        html = s.ok_json("GET", f"/api/contents/{folders[0]['path']}/{A}.html")["content"]
        assert f"{A} (Score: {score} / 4.0)" in html
    r = as_user(s2.name, "ls", str(exchange / COURSE / "feedback"))
    assert r.returncode != 0 and "Permission denied" in r.stderr


@pytest.mark.slow
def test_kubernetes_values_share_the_exchange_and_give_the_gradebook_to_instructors_only(monkeypatch, tmp_path):
    """deploy/kubernetes/values.yaml: the exchange volume is mounted in every pod, and the hub's pre-spawn hook gives
    each user their class, role and own uid, and the gradebook URL to instructors only."""
    from types import SimpleNamespace

    import yaml
    from traitlets.config import Config

    values = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "values.yaml").read_text())
    storage = values["singleuser"]["storage"]
    claim = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in storage["extraVolumes"]}
    mounts = {m["name"]: m["mountPath"] for m in storage["extraVolumeMounts"]}
    assert claim == {"nbgrader-exchange": "nbgrader-exchange", "course-accounts": "course-accounts"}
    assert mounts == {"nbgrader-exchange": "/srv/nbgrader/exchange", "course-accounts": "/srv/course-accounts"}
    assert [m.get("readOnly") for m in storage["extraVolumeMounts"] if m["name"] == "course-accounts"] == [True]
    assert {v["name"] for v in values["hub"]["extraVolumes"]} == {"course-accounts"}
    pvcs = {p["metadata"]["name"]: p for p in yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "exchange.yaml").read_text())}
    assert set(pvcs) == {"nbgrader-exchange", "course-accounts"}
    assert all(p["spec"]["accessModes"] == ["ReadWriteMany"] for p in pvcs.values())
    assert values["hub"]["db"]["type"] == "postgres"
    assert "COURSE_DB_URL" not in values["singleuser"].get("extraEnv", {})  # never in every learner's pod

    monkeypatch.setenv("COURSE_ACCOUNTS", str(tmp_path / "accounts.json"))
    monkeypatch.setenv("COURSE_GRADEBOOKS", "# course gradebook\nsme-2026a postgresql+psycopg2://g:pw@db:5432/sme_2026a\n")
    c = Config()
    exec(compile(values["hub"]["extraConfig"]["course-roles.py"], "course-roles.py", "exec"), {"c": c})
    hook, uid = c.KubeSpawner.pre_spawn_hook, c.KubeSpawner.uid

    def spawner(name, user_id, *groups):
        user = SimpleNamespace(name=name, id=user_id, groups=[SimpleNamespace(name=g) for g in groups])
        return SimpleNamespace(user=user, environment={"TZ": "Asia/Tokyo"})

    teacher, learner, other = (spawner("sato", 1, "instructors-sme-2026a"), spawner("tanaka", 2, "students-sme-2026a"),
                               spawner("suzuki", 3, "students-sme-2026a"))
    for s in (teacher, learner, other):
        hook(s)
    assert teacher.environment["COURSE_DB_URL"] == "postgresql+psycopg2://g:pw@db:5432/sme_2026a"
    assert teacher.environment["JUPYTER_CONFIG_PATH"].endswith("/jupyter/instructor")
    assert "COURSE_DB_URL" not in learner.environment and learner.environment["COURSE_ROLE"] == "student"
    assert learner.environment["COURSE_ID"] == "sme-2026a" and learner.environment["TZ"] == "Asia/Tokyo"
    assert len({uid(s) for s in (teacher, learner, other)}) == 3  # one Linux uid per user
    # the hub tells instructors' collect whose uid is whose (course/instructor/exchange.py reads COURSE_ACCOUNTS)
    from course.instructor.exchange import account_name

    assert teacher.environment["COURSE_ACCOUNTS"] == str(tmp_path / "accounts.json")
    assert {account_name(uid(s)) for s in (teacher, learner, other)} == {"sato", "tanaka", "suzuki"}
    with pytest.raises(RuntimeError, match="no class"):
        hook(spawner("guest", 4, "somewhere-else"))
    # the role configuration the image points to exists in the project
    for role in ("instructor", "student"):
        assert (ROOT / "deploy" / "jupyterhub" / "jupyter" / role).is_dir()


@pytest.mark.slow
def test_roster_errors_speak_japanese(tmp_path):
    from course.errors import CourseError
    from course.hub import load_roster

    with pytest.raises(CourseError, match="受講者名簿 .* がありません"):
        load_roster(tmp_path / "roster.yaml")
    (tmp_path / "r.yaml").write_text("instructors: [sensei]\nstudents: [Tanaka San]\n")
    with pytest.raises(CourseError, match="Linux のユーザー名として使えません"):
        load_roster(tmp_path / "r.yaml")
    (tmp_path / "r.yaml").write_text("instructors: [sensei]\nstudents: [sensei, tanaka]\n")
    with pytest.raises(CourseError, match="講師と受講者の両方"):
        load_roster(tmp_path / "r.yaml")
    (tmp_path / "r.yaml").write_text("course_id: sme-2026a\ninstructors: [sensei]\nstudents: [tanaka]\n")
    roster = load_roster(tmp_path / "r.yaml")
    assert roster.course_id == "sme-2026a" and roster.role("sensei") == "instructor" and roster.role("tanaka") == "student"
