"""The practice notebooks' exercise 「関数を pandas で作り直す」 (#15, point 6): every helper the graded assignments used
to allow is rebuilt with pandas in ir_01–ir_04, and the self-check says ⬜ while the value is None, ✅ for a right
pandas answer on the practice logs and ❌ for a naive one."""

import contextlib
import io
import re

import nbformat
import pandas as pd
import pytest

from course.incident import analysis as A
from course.incident.practice import practice_scenario
from fixtures import ROOT

MARK = "# ここに pandas のコードを書く"

SOLUTIONS = {
    "ir_01_detect": '''
ren = fa[fa["action"] == "rename"]
old = ren["path"].str.rsplit(".", n=1).str[-1].str.lower()
new = ren["new_path"].str.rsplit(".", n=1).str[-1].str.lower()
fresh = ren[~new.isin(set(old))]
my_extension = new[fresh.index].value_counts().index[0]
my_start = fresh.loc[new[fresh.index] == my_extension, "time"].min()
''',
    "ir_02_analyze": '''
signs = r"\\s-enc\\s|whoami\\s+/all|domain admins|nltest|comsvcs|iwr\\s+http|vssadmin\\s+delete|remote:|sftp://"
sus = p[p["command_line"].str.contains(signs, case=False, regex=True, na=False)].sort_values("time", kind="stable")
first = sus.iloc[0]
my_first_host, my_first_user = first["host"], first["user"]
if re.search(r"(?:winword|excel)\\.exe$", first["parent_image"], re.I):
    my_entry_route, my_entry_time = "phishing", first["time"]
inhibit = p[p["command_line"].str.contains(r"vssadmin\\s+delete", case=False, na=False)]
my_infected_hosts = sorted(inhibit["host"].unique())
my_accounts = sorted(set(inhibit["user"]) | {first["user"]})
tool = p[p["command_line"].str.contains("remote:|sftp://", na=False)].iloc[0]
proxy = logs["proxy"]
up = proxy[(proxy["src_host"] == tool["host"]) & proxy["dest_host"].isna() & (proxy["time"] >= tool["time"])]
sent = up.groupby("dest_ip")["bytes_out"].sum().sort_values(ascending=False)
my_exfil_ip, my_exfil_bytes = sent.index[0], sent.iloc[0]
''',
    "ir_03_contain": '''
proxy = logs["proxy"]
out = proxy[proxy["direction"] == "outbound"]
p = logs["process"]
entry = p[p["command_line"].str.contains(r"\\s-enc\\s", na=False)]["time"].min()
before = set(out.loc[out["time"] < entry, "dest_ip"])
after = out[(out["time"] >= entry) & ~out["dest_ip"].isin(before) & out["dest_host"].isna()]
my_block_ips = sorted(after["dest_ip"].unique())
ok = logs["backup"][logs["backup"]["status"] == "Success"].sort_values("end")
my_clean_copies = int((ok.tail(7)["end"] < start).sum())
''',
    "ir_04_eradicate_recover": '''
b = logs["backup"]
ok = b[(b["status"] == "Success") & (b["end"] < start)].sort_values("end")
my_job_id = ok.iloc[-1]["job_id"]
''',
}


def _exercise(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and MARK in c.source]
    assert len(cells) == 1 and not cells[0].outputs
    return cells[0].source


def _run(source):
    logs = practice_scenario().logs
    ns = {"A": A, "pd": pd, "re": re, "logs": logs, "start": A.find_encryption_start(logs["file_audit"])}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, ns)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_the_self_check_waits_then_confirms_a_pandas_rebuild(name):
    source = _exercise(name)
    untouched = _run(source)
    assert untouched and all(line.startswith("⬜") for line in untouched)
    solved = _run(source.replace(MARK, SOLUTIONS[name]))
    assert len(solved) == len(untouched) and all(line.startswith("✅") for line in solved), solved


def test_a_naive_rebuild_is_told_it_differs():
    source = _exercise("ir_01_detect").replace(MARK, 'my_extension = "bak"\nmy_start = "2020-01-01 00:00"')
    lines = _run(source)
    assert all(line.startswith("❌") for line in lines) and "違います" in lines[0]


def test_every_helper_of_the_old_assignment_solutions_is_rebuilt():
    helpers = {"ransom_extension", "find_encryption_start", "first_infected_host", "entry_point", "infected_hosts",
               "compromised_accounts", "exfiltration", "new_destinations", "nights_until_no_clean_copy",
               "last_clean_backup"}
    text = "\n".join(_exercise(name) for name in SOLUTIONS)
    assert helpers <= set(re.findall(r'rebuilt\("(\w+)', text))
