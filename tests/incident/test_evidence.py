"""Evidence rows and reasons (#15, course/incident/evidence.py), and the plain-pandas model solutions of ir1/ir2 on
every kind of graded case (all decoys, each entry route, the NAS encrypted too)."""

import re

import nbformat
import pandas as pd
import pytest

from course.incident.checks import check_field
from course.incident.evidence import CLAIMS, MAX_ROWS, check_evidence, parse_rows, preview_evidence
from course.incident.scenario import CASE_OPTIONS, generate
from fixtures import GRADING

SEED = 875679299042


@pytest.fixture(scope="module")
def case():
    return generate(SEED, employees=20, days=10, decoys=True)


def _rows(s, log, **where):
    df = s.logs[log]
    m = pd.Series(s.attack_rows[log], index=df.index)
    for col, value in where.items():
        m &= df[col] == value
    return [int(i) for i in df.index[m]]


def test_rows_are_read_from_pairs_and_short_texts():
    rows, problems = parse_rows([("process", 3), ["proxy", 7], "security:12", "vpn 4", ("x",), 5])
    assert [(r.log, r.row) for r in rows] == [("process", 3), ("proxy", 7), ("security", 12), ("vpn", 4)]
    assert len(problems) == 2
    assert [(r.log, r.row) for r in parse_rows(("process", 3))[0]] == [("process", 3)]


def test_the_first_rename_proves_the_encryption_a_later_one_half(case):
    tr = case.truth
    fa = case.logs["file_audit"]
    ours = _rows(case, "file_audit", action="rename")
    first = [i for i in ours if fa.at[i, "time"] == tr.encryption_start][0]
    later = [i for i in ours if fa.at[i, "time"] > tr.encryption_start][0]
    reason = "最初に新しい拡張子へ変わった行"
    assert check_evidence("encryption", [("file_audit", first)], reason, case).score == 1
    assert check_evidence("encryption", [("file_audit", later)], reason, case).score == 0.5
    bak = int(fa.index[fa["new_path"].fillna("").str.endswith(".bak")][0])   # the decoy: ordinary
    assert check_evidence("encryption", [("file_audit", bak)], reason, case).score == 0
    mixed = check_evidence("encryption", [("file_audit", first), ("file_audit", bak)], reason, case)
    assert mixed.score == 0.5 and f"file_audit[{bak}]" in mixed.message


def test_no_reason_no_points_and_the_reason_is_shown(case):
    tr = case.truth
    row = [("process", _rows(case, "process", host=tr.first_host)[0])]
    assert check_evidence("first_host", row, "", case, tr.first_host).score == 0
    assert check_evidence("first_host", row, "…", case, tr.first_host).score == 0
    res = check_evidence("first_host", row, "最初の攻撃者のコマンド", case, tr.first_host)
    assert res.score == 1 and "最初の攻撃者のコマンド" in res.message


def test_rows_must_support_the_answer_not_only_exist(case):
    tr = case.truth
    row = [("process", _rows(case, "process", host=tr.first_host)[0])]
    assert check_evidence("first_host", row, "最初の攻撃者のコマンド", case, "PC-XXX-99").score == 0
    missing = check_evidence("first_host", [("process", 10**7), ("nolog", 1)], "理由を書きました", case, tr.first_host)
    assert missing.score == 0 and "行目はありません" in missing.message and "nolog" in missing.message
    everything = [("process", i) for i in range(MAX_ROWS + 1)]
    assert check_evidence("hosts", everything, "全部の行です", case, list(tr.infected_hosts)).status == "invalid"


def test_set_claims_count_the_share_of_proven_items(case):
    tr = case.truth
    hosts = list(tr.infected_hosts)
    one = [("process", _rows(case, "process", host=hosts[0])[0])]
    res = check_evidence("hosts", one, "攻撃者が動いた行", case, hosts)
    assert res.score == pytest.approx(1 / len(hosts), abs=1e-3)
    every = [("process", _rows(case, "process", host=h)[0]) for h in hosts]
    assert check_evidence("hosts", every, "攻撃者が動いた行", case, hosts).score == 1
    # rows of hosts not answered prove nothing for this answer: they halve the share
    assert check_evidence("hosts", every, "攻撃者が動いた行", case, hosts[:1]).score == pytest.approx(
        1 / len(hosts) / 2, abs=1e-3)


def test_the_preview_shows_the_rows_without_judging(case):
    text = preview_evidence([("process", 0), ("process", 10**7)], "", case.logs)
    assert text.splitlines()[0].startswith("process[0] time=")
    assert "行目はありません" in text and "理由が書かれていません" in text
    assert "裏付け" not in text


def test_every_claim_is_used_by_a_graded_question():
    used = set()
    for a in ("ir1_detect_analyze", "ir2_contain_recover"):
        nb = nbformat.read(GRADING / "source" / a / f"{a}.ipynb", as_version=4)
        used |= set(re.findall(r'claim="(\w+)"', "\n".join(c.source for c in nb.cells)))
    assert used == set(CLAIMS)


# -- the model solutions of the source notebooks on many cases ------------------------------------------------------

QUESTIONS = {   # answer cell -> (form, fields, claim)
    "ir1_detect_analyze": {
        "q1": ("ir_detect", ["ransom_extension", "encryption_start"], "encryption"),
        "q2": ("ir_detect", ["early_ticket"], "early_ticket"),
        "q3": ("ir_analyze", ["first_host", "first_user"], "first_host"),
        "q4": ("ir_analyze", ["entry_route", "entry_time"], "entry"),
        "q5": ("ir_analyze", ["infected_hosts"], "hosts"),
        "q6": ("ir_analyze", ["compromised_accounts"], "accounts"),
        "q7": ("ir_analyze", ["exfil_ip", "exfil_gb"], "exfil"),
    },
    "ir2_contain_recover": {
        "q1": ("ir_contain", ["isolate_hosts", "disable_accounts"], "hosts"),
        "q2": ("ir_contain", ["block_ips"], "block_ips"),
        "q3": ("ir_recover", ["last_clean_backup", "clean_copies_left"], "backup"),
        "q4": ("ir_contain", ["memory_hosts"], "beacon"),
        "q6": ("ir_recover", ["restore_order"], None),
        "q7": ("ir_analyze", ["entry_route"], "entry"),
        "q8": ("ir_post", ["discovered_at"], "discovery"),
    },
}


def _solutions(assignment):
    nb = nbformat.read(GRADING / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return [re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", c.source, re.S)[1] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_answer")]


# 100 and 102: the first damage report is the ransom-note ticket (「…というファイルがたくさんできています」)
CASES = [(seed, decoys, wipe) for seed in (2, 3, 8, 10, 12, 100, 102, 2024, 462254094258) for decoys, wipe in
         ((True, False), (True, seed % 2 == 0), (False, False))]


@pytest.mark.parametrize("seed,decoys,wipe", CASES)
def test_the_model_solutions_are_right_on_every_kind_of_case(seed, decoys, wipe):
    s = generate(seed, employees=20, days=10, decoys=decoys, wipe_nas=wipe)
    for assignment, questions in QUESTIONS.items():
        ns = {"pd": pd, "logs": s.logs}
        for code in _solutions(assignment):
            exec(code, ns)
        for q, (form, fields, claim) in questions.items():
            for f in fields:
                assert check_field(form, f, ns[f], s).ok, (assignment, q, f, ns[f])
            if claim:
                ev = check_evidence(claim, ns[f"evidence_{q}"], ns[f"reason_{q}"], s, ns[fields[0]])
                assert ev.score == 1, (assignment, q, ev.message)


def test_the_routes_and_the_case_options_are_covered():
    routes = {generate(seed, employees=20, days=10).truth.variant for seed, _, _ in CASES}
    assert routes == {"phishing", "vpn", "rdp"}
    assert CASE_OPTIONS["decoys"] == (True,) and True in CASE_OPTIONS["wipe_nas"]


def test_the_discovery_is_the_first_damage_ticket_not_an_everyday_one(case):
    desk = case.logs["helpdesk"]
    found = int(desk.index[desk["time"] == case.truth.discovery_time][0])
    other = int(desk.index[desk["time"] != case.truth.discovery_time][0])
    assert check_evidence("discovery", [("helpdesk", found)], "被害を最初に知らせた問い合わせ", case).score == 1
    assert check_evidence("discovery", [("helpdesk", other)], "被害を最初に知らせた問い合わせ", case).score == 0
    assert check_field("ir_post", "discovered_at", str(case.truth.discovery_time), case).ok
    assert not check_field("ir_post", "discovered_at", str(desk.loc[other, "time"]), case).ok
