"""The classroom on one server: what deploy/jupyterhub/jupyterhub_config.py needs beyond plain JupyterHub settings.

- `load_roster()`  the class roster (YAML): course id, instructors, students, optional hub admins, and the teams of
  the group workshop (course/workshop/teams.py: one collaboration account per team).
- `HubSettings`    ports, folders and the Python that runs learners' servers, from COURSE_* environment variables.
- `prepare_exchange()` the nbgrader exchange folder, world-writable with the sticky bit (as nbgrader documents).
- `make_pre_spawn_hook()` before a user's server starts: private home (0700), the course notebooks, and for an
  instructor the nbgrader course folder ~/grading (a copy of the project's grading/ source), owned by that user.
- `spawner_environment()` the environment of a user's server: instructors get the formgrader, students do not.

Everything here runs inside the hub process (as root); nothing runs in a learner's server.
"""

import os
import pwd
import re
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CourseError
from .i18n import t
from .yamlio import read_yaml

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT / "deploy" / "jupyterhub"
USER_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
EXCHANGE_MODE = 0o1777  # everyone may create entries, nobody may remove another's (sticky bit)
TEAM_DEFAULT_URL = "/lab/tree/notebooks/ir_07_team_worksheet.ipynb"  # a team workspace opens on the worksheet


@dataclass
class Roster:
    course_id: str
    instructors: list[str]
    students: list[str]
    admins: list[str] = field(default_factory=list)
    teams: list = field(default_factory=list)   # course.workshop.teams.Team

    @property
    def everyone(self):
        """The people who may log in (team accounts are not people: nobody logs in as one)."""
        return set(self.instructors) | set(self.students) | set(self.admins)

    def team_of_account(self, name):
        return next((team for team in self.teams if team.account == name), None)

    def role(self, name):
        if name in self.instructors:
            return "instructor"
        return "team" if self.team_of_account(name) else "student"


def load_roster(path):
    """The roster YAML: {course_id, instructors: [...], students: [...], admins: [...], teams: {name: [...]},
    team_account_prefix}; Japanese errors."""
    from .workshop.teams import parse_teams

    path = Path(path)
    if not path.exists():
        raise CourseError(t("deploy.roster_missing", path=path))
    data = read_yaml(path) or {}
    names = {}
    for key in ("instructors", "students", "admins"):
        values = data.get(key) or []
        if not isinstance(values, list):
            values = [values]
        for name in values:
            if not isinstance(name, str) or not USER_RE.match(name):
                raise CourseError(t("deploy.bad_user", path=path, name=name))
        names[key] = [str(n) for n in values]
    if not names["instructors"]:
        raise CourseError(t("deploy.roster_empty", path=path))
    for name in set(names["instructors"]) & set(names["students"]):
        raise CourseError(t("deploy.both_roles", path=path, name=name))
    course_id = str(data.get("course_id") or os.environ.get("COURSE_ID") or "sme-security")
    teams = parse_teams(data, path, names["students"], USER_RE, data.get("team_account_prefix"))
    for team in teams:
        if team.account in names["instructors"] or team.account in names["admins"]:
            raise CourseError(t("workshop.roster.bad_account", path=path, team=team.name, account=team.account))
    return Roster(course_id, names["instructors"], names["students"], names["admins"], teams)


def _env(env, key, default):
    value = env.get(key)
    return value if value not in (None, "") else default


@dataclass
class HubSettings:
    ip: str
    port: int
    hub_port: int
    proxy_api_port: int
    data: Path            # hub database, cookie secret, proxy pid: root only
    roster: Path
    exchange: Path
    python: str           # runs `python -m jupyterhub.singleuser` as each user: must be reachable by everyone
    course_source: Path   # copied to an instructor's ~/grading on first start
    notebooks: Path       # copied to everyone's ~/notebooks on first start
    gradebook_url: str | None

    @classmethod
    def from_env(cls, env=None):
        env = os.environ if env is None else env
        return cls(
            ip=_env(env, "COURSE_HUB_IP", "127.0.0.1"),
            port=int(_env(env, "COURSE_HUB_PORT", "8000")),
            hub_port=int(_env(env, "COURSE_HUB_API_PORT", "8081")),
            proxy_api_port=int(_env(env, "COURSE_PROXY_API_PORT", "8001")),
            data=Path(_env(env, "COURSE_HUB_DATA", "/srv/sme-security-hub")),
            roster=Path(_env(env, "COURSE_ROSTER", str(DEPLOY / "roster.yaml"))),
            exchange=Path(_env(env, "COURSE_EXCHANGE", "/srv/nbgrader/exchange")),
            python=_env(env, "COURSE_HUB_PYTHON", sys.executable),
            course_source=Path(_env(env, "COURSE_SOURCE", str(PROJECT / "grading"))),
            notebooks=Path(_env(env, "COURSE_NOTEBOOKS", str(PROJECT / "notebooks"))),
            gradebook_url=env.get("COURSE_DB_URL") or None,
        )


def blocked_for_others(path):
    """The first folder on the way to the executable path (or its symlink target) that other users cannot pass, or
    the file itself when they cannot run it; None when everyone can run it."""
    path = Path(path).absolute()
    for target in dict.fromkeys([path, Path(os.path.realpath(path))]):
        for folder in reversed(target.parents):
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return folder
        if not os.stat(target).st_mode & stat.S_IXOTH:
            return target
    return None


def check_python(python):
    blocked = blocked_for_others(python)
    if blocked:
        raise CourseError(t("deploy.python_unreachable", path=python, blocked=blocked))


def prepare_exchange(path):
    """The nbgrader exchange root: created if missing, mode 1777 (nbgrader release checks for rwx for all)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, EXCHANGE_MODE)
    return path


def prepare_data_dir(path):
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)  # the hub database and cookie secret
    return path


def _chown_tree(path, uid, gid):
    for folder, dirs, files in os.walk(path):
        os.chown(folder, uid, gid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)


def _copy_for(user, src, dest, ignore=None):
    if dest.exists() or not src.exists():
        return False
    shutil.copytree(src, dest, ignore=ignore)
    _chown_tree(dest, user.pw_uid, user.pw_gid)
    return True


INSTRUCTOR_NBGRADER_CONFIG = '''\
# The nbgrader course of this class lives in ~/grading (see grading/nbgrader_config.py there).
load_subconfig("grading/nbgrader_config.py")  # noqa: F821
'''


def prepare_home(name, role, settings):
    """Before a user's server starts: home private to the user, course notebooks, and an instructor's course folder.

    Existing files are never replaced: a learner's answers and an instructor's gradebook survive restarts."""
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        raise CourseError(t("deploy.no_unix_user", name=name)) from None
    home = Path(user.pw_dir)
    if not home.exists():
        home.mkdir(parents=True)
        os.chown(home, user.pw_uid, user.pw_gid)
    os.chmod(home, 0o700)  # answers/ and submissions in the home are the learner's alone
    generated = shutil.ignore_patterns("answers", "output", ".ipynb_checkpoints", "__pycache__")
    _copy_for(user, settings.notebooks, home / "notebooks", ignore=generated)
    if role == "instructor":
        course = home / "grading"
        if not course.exists():
            course.mkdir()
            shutil.copy(settings.course_source / "nbgrader_config.py", course)
            if (settings.course_source / "source").exists():
                shutil.copytree(settings.course_source / "source", course / "source", ignore=generated)
            _chown_tree(course, user.pw_uid, user.pw_gid)
        config = home / "nbgrader_config.py"
        if not config.exists():
            config.write_text(INSTRUCTOR_NBGRADER_CONFIG, encoding="utf-8")
            os.chown(config, user.pw_uid, user.pw_gid)
    return home


def spawner_environment(role, settings, roster, deploy=DEPLOY, name=None):
    """Environment of one user's server. JUPYTER_CONFIG_PATH chooses the role's Jupyter configuration:
    deploy/jupyterhub/jupyter/student turns the formgrader off (server and JupyterLab), instructor keeps it, team
    (a team's shared workspace) is the student one with real-time collaboration on; the team's name and members
    reach the worksheet as COURSE_WORKSHOP_TEAM / COURSE_WORKSHOP_MEMBERS."""
    env = {
        "COURSE_ID": roster.course_id,
        "COURSE_EXCHANGE": str(settings.exchange),
        "JUPYTER_CONFIG_PATH": str(deploy / "jupyter" / role),
        "PATH": os.pathsep.join([str(Path(settings.python).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
    }
    if role == "instructor" and settings.gradebook_url:
        env["COURSE_DB_URL"] = settings.gradebook_url
    team = roster.team_of_account(name) if role == "team" else None
    if team:
        env["COURSE_WORKSHOP_TEAM"] = team.name
        env["COURSE_WORKSHOP_MEMBERS"] = ",".join(team.members)
    for key in ("COURSE_CELL_TIMEOUT", "LANG", "TZ"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    env.setdefault("LANG", "C.UTF-8")
    return env


def make_pre_spawn_hook(settings, roster, deploy=DEPLOY):
    def pre_spawn_hook(spawner):
        name = spawner.user.name
        role = roster.role(name)
        prepare_home(name, role, settings)
        spawner.environment = {**spawner.environment, **spawner_environment(role, settings, roster, deploy, name)}
        if role == "team":
            spawner.default_url = TEAM_DEFAULT_URL
        spawner.log.info("course: starting %s's server as %s", name, role)

    return pre_spawn_hook
