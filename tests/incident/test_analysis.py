"""The taught method recovers every truth field from the CSV logs written by `course scenario` and read back."""

import pandas as pd
import pytest

from course.cli import main
from course.incident import analysis as A
from course.incident.logs import LOG_NAMES, load_logs
from fixtures.incident import SEEDS, scenario


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """{seed: logs read back from the CSV files the CLI wrote}."""
    out = {}
    for seed in SEEDS[:5]:
        folder = tmp_path_factory.mktemp(f"seed{seed}")
        assert main(["scenario", "--seed", str(seed), "--out", str(folder)]) == 0
        out[seed] = load_logs(folder)
    return out


def test_csv_round_trip_keeps_values_and_dtypes(exported):
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(exported[2][name], scenario(2).logs[name])


def test_the_exported_seeds_cover_every_route(exported):
    assert {scenario(s).truth.variant for s in exported} == {"phishing", "vpn", "rdp"}


@pytest.mark.parametrize("seed", SEEDS[:5])
def test_method_recovers_the_truth(exported, seed):
    logs, truth = exported[seed], scenario(seed).truth
    ext = A.ransom_extension(logs["file_audit"])
    start = A.find_encryption_start(logs["file_audit"])
    assert ext == truth.ransom_extension
    assert start == truth.encryption_start
    notes = A.ransom_notes(logs["file_audit"], start)
    assert notes.iloc[0]["file"] == truth.ransom_note

    sus = A.suspicious_processes(logs["process"])
    first = A.first_infected_host(sus)
    assert (first.host, first.user) == (truth.first_host, truth.first_user)
    entry = A.entry_point(first, logs["security"], logs["vpn"])
    assert entry.route == truth.variant
    assert entry.time == truth.entry_time
    assert entry.account == truth.entry_account
    if truth.variant != "phishing":
        assert entry.source_ip == truth.entry_source_ip
    else:
        mail = A.phishing_mail(logs["mail"], logs["process"], first)
        assert truth.phishing_message_id in set(mail["message_id"])

    hosts = A.infected_hosts(sus)
    assert tuple(hosts) == truth.infected_hosts
    assert tuple(A.compromised_accounts(sus, entry)) == truth.compromised_accounts

    ex = A.exfiltration(logs["proxy"], hosts, since=entry.time)
    assert len(ex) == 1
    assert ex.iloc[0]["dest_ip"] == truth.exfil_ip
    assert ex.iloc[0]["bytes_out"] == truth.exfil_bytes
    assert ex.iloc[0]["src_host"] == truth.exfil_host

    clean = A.last_clean_backup(logs["backup"], start)
    assert clean["job_id"] == truth.last_clean_backup
    gens = A.backup_generations(logs["backup"], start)
    assert set(gens.loc[~gens["clean"], "job_id"]) <= set(truth.contaminated_backups)


def test_lateral_movement_shows_attacker_and_ordinary_admin_work():
    s = scenario(2)
    moves = A.lateral_movements(s.logs["security"], s.logs["system"])
    from_first = moves[moves["source_host"] == s.truth.first_host]
    assert set(from_first["host"]) == set(s.truth.infected_hosts) - {s.truth.first_host}
    assert (moves["source_host"] != s.truth.first_host).any()   # the IT staff's PsExec is there too


def test_new_destinations_include_the_attacker_and_a_legitimate_new_service():
    s = scenario(3)
    new = A.new_destinations(s.logs["proxy"], s.truth.entry_time)
    assert {s.truth.c2_ip, s.truth.exfil_ip} <= set(new["dest_ip"])
    assert "trial.newsaas.example" in set(new["dest_host"].dropna())


def test_failed_logon_bursts_point_to_the_attacker_on_rdp():
    s = scenario(3)
    assert s.truth.variant == "rdp"
    bursts = A.failed_logons(s.logs["security"])
    assert s.truth.entry_source_ip in set(bursts["source_ip"])
    assert len(set(bursts["source_ip"])) > 1     # scanners too: a burst alone is not proof


@pytest.mark.parametrize("call", [
    lambda L: A.suspicious_processes(L["proxy"]),
    lambda L: A.suspicious_processes("process"),
    lambda L: A.find_encryption_start(None),
    lambda L: A.first_infected_host(A.suspicious_processes(L["process"]).iloc[0:0]),
    lambda L: A.entry_point("PC-SOUMU-01", L["security"], L["vpn"]),
    lambda L: A.last_clean_backup(L["backup"], "いつか"),
    lambda L: A.exfiltration(L["mail"]),
])
def test_wrong_input_gives_a_japanese_message(call):
    with pytest.raises(A.AnalysisError) as info:
        call(scenario(0).logs)
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(info.value))
