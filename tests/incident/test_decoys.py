"""Decoy variants (#15): ordinary activity that a single filter takes for the attack. Asked for by name, they change
nothing else: the same seed gives the same truth, and without decoys the same logs byte for byte."""

import pandas as pd
import pytest

from course.incident.background import DECOYS, MASQUERADE_NAME, UPLOAD_DOMAIN
from course.incident.scenario import ScenarioError, generate

SEEDS = [875679299042, 462254094258, 7, 11, 2024]


def _ext(paths):
    return paths.str.rsplit(".", n=1).str[-1].str.lower()


@pytest.mark.parametrize("seed", SEEDS)
def test_decoys_keep_the_attack_and_the_truth(seed):
    base = generate(seed, employees=20, days=10)
    again = generate(seed, employees=20, days=10, decoys=())
    for name in base.logs:
        pd.testing.assert_frame_equal(base.logs[name], again.logs[name])
    s = generate(seed, employees=20, days=10, decoys=True)
    assert s.decoys == DECOYS and s.truth == base.truth
    for name in base.logs:    # the attack's own rows are the same rows (the decoys add ordinary ones)
        a = base.logs[name][base.attack_rows[name]].reset_index(drop=True)
        b = s.logs[name][s.attack_rows[name]].reset_index(drop=True)
        if name == "process":  # only the implant's name differs (masquerade)
            a = a.replace(regex={r"\\[A-Za-z0-9_]+\.exe$": "X"})
            b = b.replace(regex={r"\\[A-Za-z0-9_]+\.exe$": "X"})
            a, b = a.drop(columns=["command_line"]), b.drop(columns=["command_line"])
        if name == "helpdesk":
            a, b = a.drop(columns=["ticket_id"]), b.drop(columns=["ticket_id"])
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_decoy_defeats_its_single_filter(seed):
    s = generate(seed, employees=20, days=10, decoys=True)
    tr, logs = s.truth, s.logs
    fa = logs["file_audit"]
    renames = fa[fa["action"] == "rename"]
    assert _ext(renames["new_path"]).value_counts().index[0] == "bak" != tr.ransom_extension
    proxy = logs["proxy"]
    after = proxy[(proxy["direction"] == "outbound") & (proxy["time"] >= tr.entry_time)]
    biggest = after.groupby("dest_ip")["bytes_out"].sum().idxmax()
    assert biggest != tr.exfil_ip
    assert set(after.loc[after["dest_ip"] == biggest, "dest_host"]) == {UPLOAD_DOMAIN}
    assert not set(after.loc[after["dest_ip"] == biggest, "src_host"]) & set(tr.infected_hosts)
    proc = logs["process"]
    named = proc[proc["image"].str.endswith(MASQUERADE_NAME)]
    assert set(named["host"]) - set(tr.infected_hosts)              # the name alone finds clean PCs
    assert (named["image"].str.startswith("C:\\Users\\Public\\") & s.attack_rows["process"][named.index]).any()
    sec = logs["security"]
    night = sec[(sec["event_id"] == 4624) & (sec["logon_type"] == 10) & (sec["time"].dt.hour < 5)
                & ~s.attack_rows["security"]]
    assert (night["account"].str.startswith("adm-")).any()


def test_without_decoys_no_decoy_rows():
    s = generate(7, employees=20, days=10)
    assert s.decoys == ()
    fa = s.logs["file_audit"]
    assert not fa["new_path"].fillna("").str.endswith(".bak").any()
    assert not (s.logs["proxy"]["dest_host"] == UPLOAD_DOMAIN).any()


@pytest.mark.parametrize("bad", ["nonsense", ["backup_rename", "x"], 3])
def test_unknown_decoys_raise_in_japanese(bad):
    with pytest.raises(ScenarioError, match="decoys に指定できるのは"):
        generate(7, employees=20, days=10, decoys=bad)


def test_decoys_can_be_chosen_one_by_one():
    s = generate(7, employees=20, days=10, decoys=["big_upload", "backup_rename"])
    assert s.decoys == ("backup_rename", "big_upload")
    assert not s.logs["process"]["image"].str.endswith(MASQUERADE_NAME).any()
