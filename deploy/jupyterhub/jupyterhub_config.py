"""JupyterHub for one class on one Linux server: `make hub` (as root) serves it on http://127.0.0.1:8000.

- Log-in with the learners' Linux passwords (PAM); each learner's JupyterLab runs as that Linux user, in a home
  folder only they can read (0700), so one learner never sees another's answers.
- The roster (COURSE_ROSTER, see roster.example.yaml) names the course, its instructors and its students.
  Instructors get the nbgrader formgrader and their course folder ~/grading (a copy of the project's grading/);
  students get the Assignments tab (fetch, submit, feedback) and no formgrader.
- One nbgrader exchange for the class (COURSE_EXCHANGE, default /srv/nbgrader/exchange, mode 1777).
- The gradebook is SQLite in ~/grading unless COURSE_DB_URL names a PostgreSQL database.
- Teams of the group workshop (roster `teams`): JupyterHub's "collaboration accounts". Each team has a hub user and
  Linux user of its own (team-a, …; create it with useradd, no password: nobody logs in as it) whose server is the
  team's shared workspace with real-time collaboration (jupyter-collaboration). A role gives the team's members, and
  the instructors, access to that server and the right to start and stop it; nobody runs code as another learner.

Environment (all optional): COURSE_HUB_IP (127.0.0.1), COURSE_HUB_PORT (8000), COURSE_HUB_API_PORT (8081),
COURSE_PROXY_API_PORT (8001), COURSE_HUB_DATA (/srv/sme-security-hub), COURSE_ROSTER (deploy/jupyterhub/roster.yaml),
COURSE_EXCHANGE, COURSE_HUB_PYTHON (the Python that runs learners' servers; every user must be able to run it),
COURSE_SOURCE (grading/), COURSE_NOTEBOOKS (notebooks/), COURSE_DB_URL, COURSE_CELL_TIMEOUT, COURSE_HUB_IDLE_TIMEOUT
(3600: a server idle this many seconds is stopped by the jupyterhub-idle-culler service).
Step by step: deploy/README.md.
"""

import os
import sys
from pathlib import Path

from course.errors import CourseError
from course.hub import (HubSettings, check_python, load_roster, make_pre_spawn_hook, prepare_data_dir,
                        prepare_exchange)
from course.i18n import t

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
settings = HubSettings.from_env()
if os.geteuid() != 0:
    raise CourseError(t("deploy.not_root"))
roster = load_roster(settings.roster)
check_python(settings.python)
data = prepare_data_dir(settings.data)
prepare_exchange(settings.exchange)

# -- network: the public address, the hub's own API and the proxy's API, all on this machine ----------------------
c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(data / "proxy.pid")

# -- the hub's own state: root only -------------------------------------------------------------------------------
c.JupyterHub.db_url = os.environ.get("COURSE_HUB_DB_URL") or f"sqlite:///{data / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(data / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the learners' servers

# -- who may log in, and in which role ----------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session manager is needed to run a notebook server
c.Authenticator.allowed_users = roster.everyone
c.Authenticator.admin_users = set(roster.admins)
c.JupyterHub.load_groups = {
    "instructors": {"users": roster.instructors},
    "students": {"users": roster.students},
}

# -- teams of the group workshop: one collaboration account per team (deploy/README.md, "チーム演習") ------------------
if roster.teams:
    c.JupyterHub.load_groups["teams"] = {"users": [team.account for team in roster.teams]}  # the accounts themselves
    c.JupyterHub.load_roles = []
    for team in roster.teams:
        c.JupyterHub.load_groups[team.group] = {"users": list(team.members)}
        c.JupyterHub.load_roles.append({
            "name": f"{team.account}-access",
            "description": f"members of team {team.name} use its shared workspace",
            "scopes": [f"access:servers!user={team.account}", f"servers!user={team.account}",
                       f"read:users:name!user={team.account}"],
            "groups": [team.group],
        })
    c.JupyterHub.load_roles.append({  # the facilitator visits every team's workspace
        "name": "workshop-facilitator",
        "description": "instructors open and start every team's workspace",
        "scopes": ["access:servers!group=teams", "servers!group=teams", "read:users:name!group=teams"],
        "groups": ["instructors"],
    })

# -- idle servers stop (jupyterhub-idle-culler, a service the hub runs): answers are files, nothing is lost -------
idle_timeout = int(os.environ.get("COURSE_HUB_IDLE_TIMEOUT", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle_timeout}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = (c.JupyterHub.load_roles if roster.teams else []) + [{
    "name": "idle-culler",
    "description": "stop learners' servers after COURSE_HUB_IDLE_TIMEOUT seconds without activity",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# -- each learner's JupyterLab, as their own Linux user -----------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [settings.python, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/notebooks/00_start.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.pre_spawn_hook = make_pre_spawn_hook(settings, roster, HERE)
