"""Teams of the group workshop in the class roster (deploy/jupyterhub/roster.example.yaml):

    teams:                    # team name -> the students in it
      A: [tanaka, suzuki]
      B: [sato, ito]
    team_account_prefix: team-   # optional; team A works on the hub account "team-a"

Each team has one collaboration account (a hub user and a Linux user that no person logs in as): the team's shared
workspace runs as that account, and the members are given access to it by a role (deploy/jupyterhub/jupyterhub_config.py,
JupyterHub's "collaboration accounts"). Nobody runs code as another learner.
"""

import re
from dataclasses import dataclass

from ..errors import CourseError
from ..i18n import t

TEAM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
DEFAULT_PREFIX = "team-"


@dataclass(frozen=True)
class Team:
    name: str              # as the roster writes it, e.g. "A"
    members: tuple         # hub / Linux user names of the students in the team
    account: str           # the team's collaboration account, e.g. "team-a"

    @property
    def group(self):
        """The hub group of the members (the role that opens the team's workspace is given to it)."""
        return f"{self.account}-members"


def account_name(team, prefix=DEFAULT_PREFIX):
    return f"{prefix}{team}".lower()


def parse_teams(data, path, students, user_re, prefix=None):
    """[Team] from the roster's `teams` mapping; Japanese errors that name the roster. Every member must be a student
    of the roster and in one team only; account names must be valid user names and not a person's."""
    prefix = DEFAULT_PREFIX if prefix is None else str(prefix)
    raw = data.get("teams") or {}
    if not isinstance(raw, dict):
        raise CourseError(t("workshop.roster.not_mapping", path=path))
    teams, seen = [], {}
    for name, members in raw.items():
        name = str(name)
        if not TEAM_RE.match(name):
            raise CourseError(t("workshop.roster.bad_team", path=path, team=name))
        members = members if isinstance(members, list) else [members]
        if not members:
            raise CourseError(t("workshop.roster.empty_team", path=path, team=name))
        for member in members:
            if member not in students:
                raise CourseError(t("workshop.roster.not_student", path=path, team=name, name=member))
            if member in seen:
                raise CourseError(t("workshop.roster.two_teams", path=path, name=member, first=seen[member],
                                    second=name))
            seen[member] = name
        account = account_name(name, prefix)
        if not user_re.match(account) or account in students:
            raise CourseError(t("workshop.roster.bad_account", path=path, team=name, account=account))
        teams.append(Team(name, tuple(str(m) for m in members), account))
    accounts = [team.account for team in teams]
    if len(set(accounts)) != len(accounts):
        raise CourseError(t("workshop.roster.same_account", path=path))
    return teams
