"""The nbgrader gradebook in PostgreSQL (COURSE_DB_URL), as a programme with many classes runs it.

The test starts its own PostgreSQL cluster (initdb + pg_ctl, as the postgres user, in a temporary folder, on a free
port on 127.0.0.1, password log-in), creates a database for the course, runs generate_assignment + autograde +
feedback + export of 00_orientation against it, reads the scores back from PostgreSQL, and stops the cluster.
The driver is psycopg 3 (`postgresql+psycopg://`, the `hub` and `test` extras), as in deploy/README.md.
"""

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from fixtures.nbgrader import grade, make_course, release_notebook, source_notebook, submit

A = "00_orientation"
PROFILE = {"company": "株式会社みなと物産", "industry": "卸売業"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir():
    """The newest PostgreSQL server programs: Debian keeps them in /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _skip_or_fail(message):
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run installs postgresql)")
    pytest.skip(message)


@pytest.fixture
def postgres():
    """A private PostgreSQL server; yields the SQLAlchemy URL of an empty database owned by a password user."""
    bindir = pg_bindir()
    if not bindir:
        _skip_or_fail("the PostgreSQL gradebook test needs PostgreSQL's initdb and pg_ctl")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _skip_or_fail("the PostgreSQL gradebook test needs psycopg (make test installs it)")
    runner = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as Debian's postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _skip_or_fail("running as root, the PostgreSQL test needs the postgres user")
        runner = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="course-pg-"))
    if runner:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    port, password = free_port(), secrets.token_urlsafe(16)
    data, log = base / "data", base / "server.log"

    def run(*cmd, **kw):
        return subprocess.run([*runner, *cmd], check=True, capture_output=True, text=True, timeout=180, **kw)

    started = False
    try:
        try:
            (base / "pw").write_text(password + "\n")
            if runner:
                os.chown(base / "pw", owner.pw_uid, owner.pw_gid)
            run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={base / 'pw'}")
            started = True  # from here on, stop it (stopping a cluster that did not start is harmless)
            run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "180",
                "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start")
            for statement in (f"CREATE ROLE grader LOGIN PASSWORD '{password}'",
                              "CREATE DATABASE gradebook OWNER grader ENCODING 'UTF8' TEMPLATE template0"):
                run(str(bindir / "psql"), "-h", str(base), "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", statement)
        except subprocess.CalledProcessError as exc:
            pytest.fail(f"PostgreSQL: {exc.cmd} failed:\n{exc.stdout}\n{exc.stderr}\n"
                        f"{log.read_text() if log.exists() else ''}")
        yield f"postgresql+psycopg://grader:{password}@127.0.0.1:{port}/gradebook"
    finally:
        if started:
            subprocess.run([*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "120", "stop"],
                           capture_output=True, timeout=180)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_gradebook_in_postgresql(postgres, tmp_path, monkeypatch):
    import psycopg
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("COURSE_DB_URL", postgres)  # what grading/nbgrader_config.py reads
    course = make_course(tmp_path, A)
    release = release_notebook(course, A)
    submit(course, A, "model", source_notebook(course, A))
    submit(course, A, "blank", release)
    submit(course, A, "partial", release, records={"company_profile": ("profile", PROFILE)})

    assert grade(course, A) == {"model": 4.0, "blank": 0.0, "partial": 1.0}
    assert not list(course.glob("*.db")), "the gradebook must not fall back to SQLite"

    # Read back from PostgreSQL: through nbgrader's API, and with plain SQL.
    with Gradebook(postgres, course_id="sme-security") as gb:
        assert {s.student.id: s.score for s in gb.assignment_submissions(A)} == {"model": 4.0, "blank": 0.0,
                                                                                  "partial": 1.0}
        assert [n.name for n in gb.find_assignment(A).notebooks] == [A]
    url = make_url(postgres)
    assert url.get_driver_name() == "psycopg"
    with psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                         dbname=url.database) as conn, conn.cursor() as cur:
        cur.execute("SELECT s.id, sum(g.auto_score) FROM grade g "
                    "JOIN submitted_notebook n ON g.notebook_id = n.id "
                    "JOIN submitted_assignment a ON n.assignment_id = a.id "
                    "JOIN student s ON a.student_id = s.id GROUP BY s.id ORDER BY s.id")
        assert cur.fetchall() == [("blank", 0.0), ("model", 4.0), ("partial", 1.0)]
