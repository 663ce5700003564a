"""The scenario generator: deterministic, realistic noise, documentation addresses only, Japanese errors."""

import ipaddress
import re

import numpy as np
import pandas as pd
import pytest

from course.errors import CourseError
from course.incident import analysis as A
from course.incident import checks as C
from course.incident import scenario as S
from course.incident.logs import SCHEMAS
from course.incident.scenario import DOC_NETS, ScenarioError, generate
from fixtures.incident import SEEDS, scenario

PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "192.168.0.0/16", "127.0.0.0/8")]
IP_COLUMNS = {"mail": ["sender_ip"], "proxy": ["src_ip", "dest_ip"], "vpn": ["src_ip", "assigned_ip"],
              "security": ["source_ip"], "file_audit": ["source_ip"], "assets": ["ip"]}


def test_same_seed_same_scenario_different_seed_different():
    a, b = generate(11), generate(11)
    for name in a.logs:
        pd.testing.assert_frame_equal(a.logs[name], b.logs[name])
    assert a.truth == b.truth
    c = scenario(1)
    assert not a.logs["security"].equals(c.logs["security"])


def test_the_seeds_cover_every_entry_route():
    assert {scenario(s).truth.variant for s in SEEDS} == {"phishing", "vpn", "rdp"}


def test_variant_can_be_forced():
    assert generate(3, variant="phishing").truth.variant == "phishing"


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_logs_follow_their_schemas_in_japan_time(seed):
    s = scenario(seed)
    assert set(s.logs) == set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        df = s.logs[name]
        assert list(df.columns) == list(schema), name
        assert len(df), name
        for col, kind in schema.items():
            if kind == "time":
                assert str(df[col].dt.tz) == "Asia/Tokyo", (name, col)
                assert df[col].min() >= s.start and df[col].max() <= s.end, (name, col)
        if "time" in df:
            assert df["time"].is_monotonic_increasing, name


@pytest.mark.parametrize("seed", SEEDS)
def test_outside_addresses_are_documentation_addresses_only(seed):
    logs = scenario(seed).logs
    for name, cols in IP_COLUMNS.items():
        for col in cols:
            for text in logs[name][col].dropna().unique():
                ip = ipaddress.ip_address(text)
                assert any(ip in net for net in (*DOC_NETS, *PRIVATE)), (name, col, text)


def test_names_are_invented_and_hosts_follow_the_pattern():
    s = scenario(2)
    hosts = set(s.logs["assets"]["host"])
    assert all(re.fullmatch(r"PC-[A-Z]+-\d\d|DC01|FS01|APP01|NAS01|VPN01", h) for h in hosts)
    assert s.logs["users"]["email"].str.endswith(".example").all()
    assert s.logs["proxy"]["dest_host"].dropna().str.endswith((".example", "VPN01")).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_truth_is_consistent_with_the_logs(seed):
    s = scenario(seed)
    tr, logs = s.truth, s.logs
    assert set(tr.infected_hosts) <= set(logs["assets"]["host"])
    assert tr.first_host in tr.infected_hosts and "FS01" in tr.infected_hosts
    known = set(logs["users"]["account"]) | set(logs["users"]["admin_account"].dropna()) | {"Administrator"}
    assert set(tr.compromised_accounts) <= known and tr.first_user in tr.compromised_accounts
    assert tr.entry_time < tr.exfil_start < tr.encryption_start < tr.discovery_time < s.end
    assert tr.exfil_ip in set(logs["proxy"]["dest_ip"])
    sent = logs["proxy"].loc[logs["proxy"]["dest_ip"] == tr.exfil_ip, "bytes_out"].sum()
    assert sent == tr.exfil_bytes > 100_000_000
    jobs = logs["backup"].set_index("job_id")
    assert jobs.at[tr.last_clean_backup, "status"] == "Success"
    assert jobs.at[tr.last_clean_backup, "end"] < tr.encryption_start
    for job in tr.contaminated_backups:
        assert jobs.at[job, "end"] >= tr.encryption_start
    assert tr.early_ticket in set(logs["helpdesk"]["ticket_id"])
    for ip in (tr.c2_ip, tr.exfil_ip):
        assert any(ipaddress.ip_address(ip) in net for net in DOC_NETS)


def test_staff_report_the_damage_in_japanese():
    tickets = scenario(4).logs["helpdesk"]
    morning = tickets[tickets["time"] >= scenario(4).truth.discovery_time]
    assert len(morning) >= 3
    assert morning["text"].str.contains("開けない|開こう|できません|ファイル").any()


# -- the attack's facts come from the attack's stream ---------------------------------------------------------------

def _attack_tickets(s):
    """The help-desk rows that are not ordinary tickets (the early sign and the reports of the damage)."""
    from course.incident import content
    desk = s.logs["helpdesk"]
    return desk[~desk["text"].isin(content.load("activity")["helpdesk_background"])].drop(columns="ticket_id")


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_other_noise_never_moves_the_attack_or_its_tickets(seed, monkeypatch):
    """ARCHITECTURE.md: changing the noise never moves the attack's events, the early sign or the discovery time."""
    ours = scenario(seed)
    real = S.background
    monkeypatch.setattr(S, "background", lambda rng, world, plan, out: real(np.random.default_rng(99), world, plan, out))
    other = S.generate(seed)
    assert not other.logs["helpdesk"].equals(ours.logs["helpdesk"])          # the noise did change
    pd.testing.assert_frame_equal(_attack_tickets(other).reset_index(drop=True),
                                  _attack_tickets(ours).reset_index(drop=True))
    assert other.truth.discovery_time == ours.truth.discovery_time
    early = lambda s: s.logs["helpdesk"].set_index("ticket_id").loc[s.truth.early_ticket, ["time", "text"]].tolist()  # noqa: E731
    assert early(other) == early(ours)
    assert other.truth.as_dict() | {"early_ticket": None} == ours.truth.as_dict() | {"early_ticket": None}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_credential_dump_had_admin_rights_to_find(seed):
    """The premise of the LSASS dump: an IT admin signed in at the first PC (4624 type 2 with 4672) before the dump."""
    s = scenario(seed)
    proc, sec = s.logs["process"], s.logs["security"]
    dump = proc[(proc["host"] == s.truth.first_host) & proc["command_line"].str.contains("MiniDump", regex=False)]
    admins = set(s.logs["users"]["admin_account"].dropna())
    support = sec[(sec["host"] == s.truth.first_host) & sec["account"].isin(admins) & (sec["event_id"] == 4624)
                  & (sec["logon_type"] == 2) & (sec["time"] < dump["time"].min())]
    assert len(dump) == 1 and len(support) >= 1
    assert set(support["account"]) & set(s.truth.compromised_accounts)
    rights = sec[(sec["event_id"] == 4672) & sec["time"].isin(support["time"]) & (sec["host"] == s.truth.first_host)]
    assert set(rights["account"]) == set(support["account"])


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_the_nas_can_be_encrypted_too(seed):
    plain, wiped = scenario(seed), S.generate(seed, wipe_nas=True)
    assert plain.truth.nas_wiped is None and wiped.truth.nas_wiped > wiped.truth.encryption_start
    assert wiped.truth.last_clean_backup is None and C.expected_value({"expected": "clean_copies_left"}, wiped) == 0
    same = {k: v for k, v in wiped.truth.as_dict().items() if k not in ("last_clean_backup", "last_clean_backup_end",
                                                                         "nas_wiped", "contaminated_backups")}
    assert same == {k: plain.truth.as_dict()[k] for k in same}
    jobs = wiped.logs["backup"]
    after = jobs[jobs["start"] > wiped.truth.nas_wiped]
    assert (after["status"] == "Failed").all()
    before = lambda s: s.logs["backup"][s.logs["backup"]["start"] < wiped.truth.nas_wiped]  # noqa: E731
    pd.testing.assert_frame_equal(before(wiped), before(plain))
    for name in ("proxy", "mail", "vpn", "file_audit", "security", "system"):
        pd.testing.assert_frame_equal(wiped.logs[name], plain.logs[name])
    hit = A.backup_store_attacked(A.suspicious_processes(wiped.logs["process"]))
    assert len(hit) == 1 and hit.iloc[0]["host"] == "FS01"
    assert A.backup_store_attacked(A.suspicious_processes(plain.logs["process"])).empty
    assert wiped.logs["helpdesk"]["text"].str.contains("NAS01", regex=False).any()


# -- noise: a single naive filter is not enough -------------------------------------------------------------------

def test_ordinary_failed_logons_exist_on_every_scenario():
    for seed in SEEDS:
        sec = scenario(seed).logs["security"]
        typos = sec[(sec["event_id"] == 4625) & (sec["source_ip"] == "127.0.0.1")]
        assert len(typos) > 0


def test_psexec_installs_alone_do_not_give_the_infected_hosts():
    for seed in SEEDS:
        s = scenario(seed)
        sys_log = s.logs["system"]
        psexec_hosts = set(sys_log.loc[(sys_log["event_id"] == 7045) & (sys_log["service"] == "PSEXESVC"), "host"])
        assert psexec_hosts != set(s.truth.infected_hosts)


def test_admin_rights_at_night_include_the_backup_account():
    sec = scenario(0).logs["security"]
    night = sec[(sec["event_id"] == 4672) & (sec["time"].dt.hour < 5)]
    assert "svc_backup" in set(night["account"])


def test_the_largest_upload_is_not_always_the_stolen_data():
    misses = 0
    for seed in SEEDS:
        s = scenario(seed)
        out = s.logs["proxy"][s.logs["proxy"]["direction"] == "outbound"]
        misses += out.groupby("dest_ip")["bytes_out"].sum().idxmax() != s.truth.exfil_ip
    assert misses >= 1


def test_the_newest_successful_backup_is_not_always_clean():
    fooled = 0
    for seed in SEEDS:
        s = scenario(seed)
        b = s.logs["backup"]
        fooled += b[b["status"] == "Success"].iloc[-1]["job_id"] != s.truth.last_clean_backup
    assert fooled >= 1


def test_ordinary_powershell_is_not_flagged():
    s = scenario(2)
    proc = s.logs["process"]
    admin_ps = proc[proc["command_line"].str.contains("disk_report.ps1", regex=False)]
    assert len(admin_ps)
    assert not set(admin_ps.index) & set(A.suspicious_processes(proc).index)


# -- bad arguments ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"seed": -1}, {"seed": "abc"}, {"seed": 1.5}, {"seed": True}, {"seed": None}, {"seed": [1]},
    {"seed": 1, "employees": 5}, {"seed": 1, "employees": 501}, {"seed": 1, "employees": "many"},
    {"seed": 1, "days": 9}, {"seed": 1, "days": 121}, {"seed": 1, "variant": "usb"}, {"seed": 1, "wipe_nas": "yes"},
])
def test_bad_arguments_raise_a_japanese_course_error(kwargs):
    with pytest.raises(ScenarioError) as info:
        generate(**kwargs)
    assert isinstance(info.value, CourseError)
    assert re.search(r"[ぁ-んァ-ン一-龥]", str(info.value))


def test_whole_numbers_given_as_text_are_accepted():
    assert generate("4", employees="30", days="14").truth == scenario(4).truth
