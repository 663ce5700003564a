"""Teams in the class roster, the team workspace's environment on the hub, and the timer of the agreed format."""

import pytest

from course.errors import CourseError
from course.hub import HubSettings, load_roster, spawner_environment
from course.workshop import timer

ROSTER = "course_id: c1\ninstructors: [sensei]\nstudents: [tanaka, suzuki, sato, ito]\n"


def roster(tmp_path, teams):
    path = tmp_path / "roster.yaml"
    path.write_text(ROSTER + teams)
    return load_roster(path)


def test_teams_get_collaboration_accounts_and_roles(tmp_path):
    r = roster(tmp_path, "teams:\n  A: [tanaka, suzuki]\n  B: [sato, ito]\n")
    assert [(t.name, t.members, t.account, t.group) for t in r.teams] == [
        ("A", ("tanaka", "suzuki"), "team-a", "team-a-members"), ("B", ("sato", "ito"), "team-b", "team-b-members")]
    assert r.role("team-a") == "team" and r.role("tanaka") == "student" and r.role("sensei") == "instructor"
    assert "team-a" not in r.everyone  # nobody logs in as a team
    settings = HubSettings.from_env({})
    env = spawner_environment("team", settings, r, name="team-b")
    assert env["JUPYTER_CONFIG_PATH"].endswith("/jupyter/team")
    assert (env["COURSE_WORKSHOP_TEAM"], env["COURSE_WORKSHOP_MEMBERS"]) == ("B", "sato,ito")
    assert "COURSE_WORKSHOP_TEAM" not in spawner_environment("student", settings, r, name="tanaka")
    prefixed = roster(tmp_path, "team_account_prefix: ws2026-\nteams: {A: [tanaka]}\n")
    assert prefixed.teams[0].account == "ws2026-a"


@pytest.mark.parametrize("teams, message", [
    ("teams: [tanaka]\n", "チーム名: \\[メンバー"),
    ("teams:\n  'A B': [tanaka]\n", "チーム名「A B」は使えません"),
    ("teams:\n  A: []\n", "メンバーがいません"),
    ("teams:\n  A: [sensei]\n", "受講者（students）にいません"),
    ("teams:\n  A: [tanaka]\n  B: [tanaka]\n", "両方に入っています"),
    ("teams:\n  A: [tanaka]\n  a: [suzuki]\n", "名前が同じになる"),
    ("team_account_prefix: ''\nteams:\n  tanaka: [suzuki]\n", "受講者の名前と同じ"),
])
def test_roster_team_errors_speak_japanese(tmp_path, teams, message):
    with pytest.raises(CourseError, match=message):
        roster(tmp_path, teams)


def test_a_roster_without_teams_still_works(tmp_path):
    assert roster(tmp_path, "").teams == []


def test_team_configuration_turns_collaboration_on_and_individual_servers_off():
    import json

    from fixtures import ROOT

    jupyter = ROOT / "deploy" / "jupyterhub" / "jupyter"
    team = json.loads((jupyter / "team" / "jupyter_server_config.json").read_text())
    assert team["YDocExtension"]["disable_rtc"] is False and team["ServerApp"]["jpserver_extensions"]["jupyter_server_ydoc"]
    for role in ("student", "instructor"):
        assert json.loads((jupyter / role / "jupyter_server_config.json").read_text())["YDocExtension"]["disable_rtc"]


def test_timer_follows_the_agreed_format():
    assert [s["minutes"] for s in timer.content.stages()] == [5, 90, 40]
    assert timer.total_seconds() == 135 * 60
    assert timer.stage_at(0)[0]["id"] == "intro" and timer.stage_at(5 * 60)[0]["id"] == "discussion"
    assert timer.stage_at(95 * 60)[0]["id"] == "presentations" and timer.stage_at(135 * 60) == (None, 0)
    assert timer.stage_at(5 * 60 + 30)[1] == 90 * 60 - 30
    assert timer.next_inject(5 * 60 + 16 * 60)["id"] == "backup"  # power (15 min) is out, backup (30) is next
    assert timer.next_inject(100 * 60) is None
    clock = timer.AgendaTimer()
    clock.play.value = 5 * 60 + 60
    assert "話し合い" in clock.label.value and "89:00" in clock.label.value


def test_kubernetes_values_give_each_team_a_collaboration_account(monkeypatch, tmp_path):
    """deploy/kubernetes/values.yaml: roles open a team's server to its members' group and the class's instructors,
    the team's server gets the team configuration (collaboration on), everyone else the class hook as before."""
    from types import SimpleNamespace

    import yaml
    from traitlets.config import Config

    from fixtures import ROOT

    values = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "values.yaml").read_text())
    assert values["hub"]["extraEnv"]["COURSE_TEAMS"]["valueFrom"]["configMapKeyRef"]["name"] == "course-teams"
    monkeypatch.setenv("COURSE_GRADEBOOKS", "sme-2026a postgresql+psycopg2://g:pw@db:5432/sme_2026a\n")
    monkeypatch.setenv("COURSE_TEAMS", "# teams\nsme-2026a A\nsme-2026a B\n")
    monkeypatch.setenv("COURSE_ACCOUNTS", str(tmp_path / "accounts.json"))  # where a class hook may keep its files
    c = Config()
    scope = {"c": c}
    for name in sorted(values["hub"]["extraConfig"]):  # z2jh runs them in key order
        exec(compile(values["hub"]["extraConfig"][name], name, "exec"), scope)
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    role = roles["team-sme-2026a-a-access"]
    assert "access:servers!user=team-sme-2026a-a" in role["scopes"] and "servers!user=team-sme-2026a-a" in role["scopes"]
    assert role["groups"] == ["team-sme-2026a-a", "instructors-sme-2026a"]
    assert not any("team-sme-2026a-b" in s for s in role["scopes"])  # team A's members get nothing of team B
    assert roles["workshop-team-accounts"]["users"] == ["team-sme-2026a-a", "team-sme-2026a-b"]

    def spawner(name, *groups):
        user = SimpleNamespace(name=name, id=7, groups=[SimpleNamespace(name=g) for g in groups])
        return SimpleNamespace(user=user, environment={}, default_url="/lab")

    team, learner = spawner("team-sme-2026a-b"), spawner("tanaka", "students-sme-2026a", "team-sme-2026a-b")
    c.KubeSpawner.pre_spawn_hook(team)
    c.KubeSpawner.pre_spawn_hook(learner)
    assert team.environment["JUPYTER_CONFIG_PATH"].endswith("/jupyter/team") and team.environment["COURSE_WORKSHOP_TEAM"] == "B"
    assert team.default_url.endswith("ir_07_team_worksheet.ipynb") and "COURSE_DB_URL" not in team.environment
    assert learner.environment["JUPYTER_CONFIG_PATH"].endswith("/jupyter/student") and learner.default_url == "/lab"
