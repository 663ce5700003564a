"""The Kubernetes image (deploy/kubernetes/Dockerfile) and the hubs' pins (issue #18).

Without Docker, the test rebuilds the image's Python environment: it copies what the Dockerfile's COPY lines copy to
/opt/course into a temporary folder, runs the Dockerfile's own `pip install` lines (paths mapped to that folder) in a
fresh venv under /tmp, and checks that an instructor's pod could reach its PostgreSQL gradebook (psycopg 3 through
SQLAlchemy's `postgresql+psycopg://`) and run nbgrader and the single-user server of the pinned JupyterHub. The base
image's Python (3.13) gets binary wheels for every pin: pip resolves the same requirements for it without installing.
It also checks that the base image and the chart are pinned, and the one-server hub's idle-culler service.
"""

import re
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from fixtures import ROOT

DOCKERFILE = ROOT / "deploy" / "kubernetes" / "Dockerfile"
VALUES = ROOT / "deploy" / "kubernetes" / "values.yaml"


def instructions(name):
    """The Dockerfile's instructions of one kind, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    return [line.split(None, 1)[1] for line in text.splitlines() if line.split(None, 1)[:1] == [name]]


def pip_commands():
    """Every `pip install …` of the RUN lines, as argument lists."""
    found = []
    for run in instructions("RUN"):
        for part in run.split("&&"):
            args = shlex.split(part)
            if args[:2] == ["pip", "install"]:
                found.append(args[2:])
    return found


def pins():
    return dict(line.strip().split("==") for line in (ROOT / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))


def test_base_image_and_chart_are_pinned():
    base = instructions("FROM")[0].split()[0]
    assert re.fullmatch(r"quay\.io/jupyter/minimal-notebook:(\d{4}-\d{2}-\d{2}|[0-9a-f]{12})(@sha256:[0-9a-f]{64})?",
                        base), f"{base}: pin a build (date tag or commit tag), not a moving tag"
    assert pip_commands(), "the Dockerfile installs the course with pip"
    for args in pip_commands():
        assert "-c" in args and any("[hub]" in a for a in args), "the image installs the hub extra with constraints"
    # the chart must carry the JupyterHub of the image: values.yaml names it, and it is the pinned one
    header = VALUES.read_text()
    stated = re.search(r"APP VERSION \(JupyterHub\) is (\S+?),", header)
    assert stated and stated.group(1) == pins()["jupyterhub"]
    values = yaml.safe_load(header)
    # the hub itself runs the chart's image (psycopg2); gradebooks are read in the course image (psycopg 3)
    assert values["hub"]["db"]["url"].startswith("postgresql+psycopg2://")
    assert "postgresql+psycopg://" in (ROOT / "deploy" / "README.md").read_text()


def test_one_server_hub_runs_the_idle_culler(tmp_path, monkeypatch):
    """deploy/jupyterhub/jupyterhub_config.py starts jupyterhub-idle-culler as a service with the scopes it needs, and
    the module is installed (the hub and test extras)."""
    from traitlets.config import Config

    import course.hub

    roster = tmp_path / "roster.yaml"
    roster.write_text("course_id: sme-2026a\ninstructors: [sensei]\nstudents: [tanaka]\nteams: {A: [tanaka]}\n")
    monkeypatch.setenv("COURSE_ROSTER", str(roster))
    monkeypatch.setenv("COURSE_HUB_IDLE_TIMEOUT", "1800")
    monkeypatch.setattr("os.geteuid", lambda: 0)
    for name in ("check_python", "prepare_exchange"):
        monkeypatch.setattr(course.hub, name, lambda *a, **k: None)
    monkeypatch.setattr(course.hub, "prepare_data_dir", lambda path: tmp_path)
    c = Config()
    config = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    exec(compile(config.read_text(), str(config), "exec"), {"get_config": lambda: c, "__file__": str(config)})
    (service,) = c.JupyterHub.services
    assert service["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=1800", "--cull-every=300"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["idle-culler"]["services"] == ["idle-culler"]
    assert set(roles["idle-culler"]["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}
    assert "workshop-facilitator" in roles  # the teams' roles are kept
    result = subprocess.run([service["command"][0], "-m", "jupyterhub_idle_culler", "--help"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "--timeout" in result.stdout, result.stderr


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_image_python_environment_installs_from_the_dockerfile(tmp_path_factory):
    base = Path(tmp_path_factory.mktemp("image", numbered=True))
    assert str(base).startswith("/tmp")
    opt = base / "opt" / "course"

    def local(path):
        return str(opt) + path[len("/opt/course"):] if path.startswith("/opt/course") else path

    for copy in instructions("COPY"):
        *sources, dest = copy.split()
        for source in sources:
            target = Path(local(dest))
            target = target / Path(source).name if dest.endswith("/") else target
            target.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(ROOT / source, target)

    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    for args in pip_commands():
        args = [local(a) if a.startswith("/opt/course") else a for a in args]
        result = subprocess.run([python, "-m", "pip", "install", "-q", *args], capture_output=True, text=True,
                                timeout=1200)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]

    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    probe = (
        "import jupyterhub, nbgrader, psycopg, course.instructor.lms, jupyterhub.singleuser\n"
        "from sqlalchemy import create_engine\n"
        "engine = create_engine('postgresql+psycopg://grader:pw@127.0.0.1:1/gradebook')\n"
        "print(jupyterhub.__version__, engine.dialect.driver, psycopg.pq.__impl__)\n"
    )
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=300, cwd=base)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [pins()["jupyterhub"], "psycopg", "binary"]

    # the base image's Python: the same requirements resolve to binary wheels for CPython 3.13 on Linux
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["hub"]
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed", "--only-binary=:all:",
         "--python-version", "3.13", "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux_2_17_x86_64",
         "--platform", "linux_x86_64", "--target", str(base / "py313"), "-c", str(ROOT / "constraints.txt"),
         *wanted], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
