"""Evidence for the answers of the graded incident assignments (ir1, ir2): which log rows prove the answer, and why.

A learner answers a question with the answer itself, the evidence rows and a one-line reason:

    first_host = "PC-EIGYO-03"
    evidence = [("process", 1234)]            # (log name, row number)
    reason = "最初に動いた不審なコマンド（-enc 付きの PowerShell）の行"

Row numbers: the 0-based position of the row in `logs[name]` exactly as `load_logs` / `load_case` return it — the
number pandas shows at the left of the row (the DataFrame's index). Filtering keeps these numbers
(`df[df["host"] == "FS01"].index`), sorting too; only `reset_index()` or reading the CSV another way loses them.
The logs' own id columns (ticket_id, job_id) are not used: every log has row numbers, not every log an id.

What makes a row support an answer is a *claim* (CLAIMS): each claim knows which rows of the graded case are the
attack's own (Scenario.attack_rows) and which of them prove the answer (the first rename to the ransom extension,
a process of the attacker on the answered first host no later than the attacker's first program, …). A row that
does not exist, or exists but proves nothing (an ordinary row), is named in the feedback and halves the evidence
score; more than MAX_ROWS rows are not read (listing everything is not evidence).

The reason: one line in the learner's words, shown in the feedback. It is checked automatically only for presence
(at least MIN_REASON characters, not the example): evidence without a reason earns nothing. Its content is not
graded here (the assignments' manually graded reasons, instructor/manual_rubric.py, are where explanations earn
points).
"""

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import t
from .checks import (MARK, FieldResult, check_field, field_spec, norm_account, norm_host, norm_ip, options,
                     split_items)
from .logs import SCHEMAS

MAX_ROWS = 20
MIN_REASON = 5
EXAMPLE_REASONS = {"", "…", "...", "例", "ここに理由"}
HOST_COLUMNS = ("host", "src_host")
FIRST_WINDOW = pd.Timedelta(minutes=10)


# -- reading what the learner wrote ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    log: str
    row: int


def parse_rows(value):
    """([Row], [problem message]) from [("process", 12), ...]; "process:12" / "process 12" texts are read too."""
    rows, problems = [], []
    if value is None or (isinstance(value, str) and not value.strip()):
        return rows, problems
    items = value if isinstance(value, (list, tuple, set)) else [value]
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and not isinstance(value[1], tuple):
        items = [value]                                  # a single ("process", 12)
    for item in items:
        if isinstance(item, str):
            m = re.fullmatch(r"\s*([a-z_]+)\s*[:\s,]\s*(\d+)\s*", unicodedata.normalize("NFKC", item))
            item = (m[1], int(m[2])) if m else item
        if (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)
                and isinstance(item[1], (int, np.integer)) and not isinstance(item[1], bool)):
            rows.append(Row(item[0].strip(), int(item[1])))
        else:
            problems.append(t("incident.evidence_check.bad_item", value=repr(item)[:60]))
    return list(dict.fromkeys(rows)), problems


def reason_ok(reason):
    if not isinstance(reason, str):
        return False
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", reason))
    return len(text) >= MIN_REASON and text not in EXAMPLE_REASONS


def describe_row(logs, row):
    """One line: what the row says (for the visible check cells: the learner sees which row they named)."""
    if row.log not in logs:
        return t("incident.evidence_check.no_log", log=row.log, logs=", ".join(SCHEMAS))
    df = logs[row.log]
    if not 0 <= row.row < len(df):
        return t("incident.evidence_check.no_row", log=row.log, row=row.row, n=len(df))
    r = df.iloc[row.row]
    parts = []
    for col in df.columns:
        v = r[col]
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            continue
        if isinstance(v, pd.Timestamp):
            v = f"{v:%Y-%m-%d %H:%M:%S}"
        parts.append(f"{col}={str(v)[:70]}")
    return f"{row.log}[{row.row}] " + " ".join(parts[:8])


def preview_evidence(rows, reason, logs):
    """How the evidence and the reason were read (without saying whether they prove anything)."""
    got, problems = parse_rows(rows)
    lines = [f"⚠️ {p}" for p in problems]
    if not got and not problems:
        lines.append(t("incident.evidence_check.no_rows"))
    if len(got) > MAX_ROWS:
        lines.append(f"⚠️ {t('incident.evidence_check.too_many', n=len(got), max=MAX_ROWS)}")
    lines += [describe_row(logs, r) for r in got[:MAX_ROWS]]
    lines.append(t("incident.evidence_check.reason_read", reason=reason.strip()[:120]) if reason_ok(reason)
                 else f"⚠️ {t('incident.evidence_check.no_reason', n=MIN_REASON)}")
    return "\n".join(lines)


# -- the claims: which rows prove what ------------------------------------------------------------------------------

def _row(s, r):
    return s.logs[r.log].iloc[r.row]


def _attack(s, r):
    return bool(s.attack_rows[r.log][r.row])


def _hosts_of(s, r):
    row = _row(s, r)
    return {str(row[c]) for c in HOST_COLUMNS if c in row.index and isinstance(row[c], str)}


def _first_attack_process(s):
    p = s.logs["process"]
    return p.loc[s.attack_rows["process"], "time"].min()


def _one(answer, norm):
    try:
        return norm(answer) if isinstance(answer, str) and answer.strip() else None
    except Exception:     # the answer's own check explains a badly written answer
        return None


def _many(answer, norm):
    out = set()
    try:
        items = split_items(answer) if answer is not None else []
    except Exception:
        return out
    for a in items:
        try:
            out.add(norm(a))
        except Exception:
            pass
    return out


def _claim_encryption(s, rows, answer):
    """file_audit: the attacker's renames to the ransom extension; the first one is the key row."""
    ext = "." + s.truth.ransom_extension
    ok = [r for r in rows if r.log == "file_audit" and _attack(s, r) and _row(s, r)["action"] == "rename"
          and str(_row(s, r)["new_path"]).lower().endswith(ext)]
    key = any(_row(s, r)["time"] == s.truth.encryption_start for r in ok)
    return ok, (1.0 if key else 0.5 if ok else 0.0), ("" if key or not ok else t("incident.evidence_check.not_first"))


def _claim_early_ticket(s, rows, answer):
    """helpdesk: the early ticket's row; and an attack row on the same host before it (why it was a warning)."""
    desk = s.logs["helpdesk"]
    hit = desk.index[desk["ticket_id"] == s.truth.early_ticket]
    ticket = desk.loc[hit[0]]
    ok_ticket = [r for r in rows if r.log == "helpdesk" and r.row == hit[0]]
    ok_before = [r for r in rows if r.log != "helpdesk" and _attack(s, r) and ticket["host"] in _hosts_of(s, r)
                 and _row(s, r)["time"] <= ticket["time"]]
    score = 0.5 * bool(ok_ticket) + 0.5 * bool(ok_before)
    note = "" if ok_before or not ok_ticket else t("incident.evidence_check.ticket_alone")
    return ok_ticket + ok_before, score, note


def _claim_first_host(s, rows, answer):
    """process / security: the attacker's rows on the answered first host, no later than its first program (+10 min)."""
    host = _one(answer, norm_host)
    first = _first_attack_process(s)
    ok = [r for r in rows if r.log in ("process", "security") and _attack(s, r)
          and s.truth.first_host in _hosts_of(s, r) and host == s.truth.first_host]
    key = any(_row(s, r)["time"] <= first + FIRST_WINDOW for r in ok)
    return ok, (1.0 if key else 0.5 if ok else 0.0), ("" if key or not ok else t("incident.evidence_check.not_first"))


def _entry_rows(s, rows):
    tr = s.truth
    out = []
    for r in rows:
        if not _attack(s, r):
            continue
        row = _row(s, r)
        if tr.variant == "phishing":
            good = ((r.log == "mail" and str(row["recipient"]).lower().startswith(tr.first_user + "@"))
                    or (r.log == "process" and row["host"] == tr.first_host and row["time"] <= tr.entry_time))
        elif tr.variant == "vpn":
            good = ((r.log == "vpn" and row["event"] == "login_success")
                    or (r.log == "security" and row["event_id"] == 4624 and row["logon_type"] == 10))
        else:
            good = r.log == "security" and row["event_id"] == 4624 and row["logon_type"] == 10
        if good:
            out.append(r)
    return out


def _claim_entry(s, rows, answer):
    """The row of the way in: the mail or the Office → script row (phishing), the attacker's VPN login (vpn), the
    outside remote-desktop logon 4624 type 10 (rdp); only for the right route."""
    if answer is not None:
        labels = {label: o for label, o in options(field_spec("ir_analyze", "entry_route"))}
        chosen = answer.strip() if isinstance(answer, str) else None
        if labels.get(chosen, chosen) != s.truth.variant:
            return [], 0.0, t("incident.evidence_check.route_first")
    ok = _entry_rows(s, rows)
    return ok, 1.0 if ok else 0.0, ""


def _claim_hosts(s, rows, answer):
    """Attack rows on each answered infected host (host / src_host column): the share of infected hosts proven."""
    want = set(s.truth.infected_hosts)
    named = _many(answer, norm_host)
    ok, covered = [], set()
    for r in rows:
        if _attack(s, r):
            hosts = _hosts_of(s, r) & want & named
            if hosts:
                ok.append(r)
                covered |= hosts
    return ok, len(covered) / len(want), ""


def _claim_accounts(s, rows, answer):
    """Attack rows where each answered account acts (user / account column): the share of accounts proven."""
    want = {a.lower() for a in s.truth.compromised_accounts}
    named = _many(answer, norm_account)
    ok, covered = [], set()
    for r in rows:
        if _attack(s, r):
            row = _row(s, r)
            accts = {str(row[c]).lower() for c in ("user", "account") if c in row.index and isinstance(row[c], str)}
            hit = accts & want & named
            if hit:
                ok.append(r)
                covered |= hit
    return ok, len(covered) / len(want), ""


def _ips_of(row):
    return {str(row[c]) for c in ("dest_ip", "src_ip", "source_ip", "sender_ip")
            if c in row.index and isinstance(row[c], str)}


def _claim_block_ips(s, rows, answer):
    """Attack rows that show each answered outside address (proxy, vpn, security): the share of addresses proven."""
    from .checks import EXPECTED

    want = set(EXPECTED["attacker_ips"](s))
    named = _many(answer, norm_ip)
    ok, covered = [], set()
    for r in rows:
        if _attack(s, r):
            hit = _ips_of(_row(s, r)) & want & named
            if hit:
                ok.append(r)
                covered |= hit
    return ok, len(covered) / len(want), ""


def _claim_exfil(s, rows, answer):
    """proxy: the attacker's uploads to the answered address (the exfiltration); the transfer tool's process row
    supports it too (alone it does not show where the data went)."""
    ip = _one(answer, norm_ip)
    if ip != s.truth.exfil_ip:
        return [], 0.0, ""
    up = [r for r in rows if r.log == "proxy" and _attack(s, r) and _row(s, r)["dest_ip"] == s.truth.exfil_ip]
    tool = [r for r in rows if r.log == "process" and _attack(s, r) and _row(s, r)["host"] == s.truth.exfil_host
            and _row(s, r)["image"].lower().endswith(("rclone.exe", "winscp.com", "winscp.exe"))]
    return up + tool, 1.0 if up else 0.0, ""


def _claim_backup(s, rows, answer):
    """backup: the answered last clean job's row; file_audit: a rename to the ransom extension (the encryption came
    after that job ended). With the NAS encrypted too: the attacker's program naming \\\\NAS01\\."""
    tr = s.truth
    if tr.last_clean_backup is None:
        ok = [r for r in rows if r.log == "process" and _attack(s, r)
              and "\\\\NAS01\\" in str(_row(s, r)["command_line"]).upper()]
        return ok, 1.0 if ok else 0.0, ""
    job = _one(answer, lambda v: v.strip().upper())
    b = s.logs["backup"]
    ok_job = [r for r in rows if r.log == "backup" and job == tr.last_clean_backup
              and b.iloc[r.row]["job_id"] == tr.last_clean_backup]
    ok_enc = [r for r in rows if r.log == "file_audit" and _attack(s, r) and _row(s, r)["action"] == "rename"
              and str(_row(s, r)["new_path"]).lower().endswith("." + tr.ransom_extension)]
    return ok_job + ok_enc, 0.5 * bool(ok_job) + 0.5 * bool(ok_enc), ""


def _claim_beacon(s, rows, answer):
    """proxy: the implant still calling its command-and-control address from the answered host in the last 2 hours of
    the logs (its memory holds the running implant)."""
    named = _many(answer, norm_host)
    ok = [r for r in rows if r.log == "proxy" and _attack(s, r) and _row(s, r)["dest_ip"] == s.truth.c2_ip
          and _row(s, r)["src_host"] in named]
    late = any(_row(s, r)["time"] >= s.end - pd.Timedelta(hours=2) for r in ok)
    return ok, (1.0 if late else 0.5 if ok else 0.0), ("" if late or not ok else t("incident.evidence_check.not_last"))


def _claim_discovery(s, rows, answer):
    """helpdesk: the first ticket that reports the damage (the discovery, from which the reporting deadlines count)."""
    desk = s.logs["helpdesk"]
    hit = set(desk.index[desk["time"] == s.truth.discovery_time])
    ok = [r for r in rows if r.log == "helpdesk" and r.row in hit]
    return ok, (1.0 if ok else 0.0), ""


CLAIMS = {"encryption": _claim_encryption, "discovery": _claim_discovery, "early_ticket": _claim_early_ticket,
          "first_host": _claim_first_host,
          "entry": _claim_entry, "hosts": _claim_hosts, "accounts": _claim_accounts, "block_ips": _claim_block_ips,
          "exfil": _claim_exfil, "backup": _claim_backup, "beacon": _claim_beacon}


# -- checking and grading ---------------------------------------------------------------------------------------------

def check_evidence(claim, rows, reason, scenario, answer=None):
    """A FieldResult (id "evidence") for the evidence rows of one question against the graded case. Never raises for
    the learner's input."""
    label = t("incident.evidence_check.label")
    got, problems = parse_rows(rows)
    if not got and not problems:
        return FieldResult("evidence", label, "missing", t("incident.evidence_check.no_rows"))
    if len(got) > MAX_ROWS:
        return FieldResult("evidence", label, "invalid", t("incident.evidence_check.too_many", n=len(got),
                                                            max=MAX_ROWS))
    exist = [r for r in got if r.log in scenario.logs and 0 <= r.row < len(scenario.logs[r.log])]
    for r in got:
        if r not in exist:
            problems.append(describe_row(scenario.logs, r))
    supported, share, note = CLAIMS[claim](scenario, exist, answer)
    unsupported = [r for r in exist if r not in supported]
    parts = []
    if supported:
        parts.append(t("incident.evidence_check.supported", rows=", ".join(f"{r.log}[{r.row}]" for r in supported)))
    if unsupported:
        parts.append(t("incident.evidence_check.unsupported",
                       rows=", ".join(f"{r.log}[{r.row}]" for r in unsupported[:6])))
    parts += problems
    if note:
        parts.append(note)
    if unsupported or problems:
        share /= 2
    if not reason_ok(reason):
        parts.append(t("incident.evidence_check.no_reason", n=MIN_REASON))
        share = 0.0
    else:
        parts.append(t("incident.evidence_check.reason_read", reason=reason.strip()[:200]))
    status = "correct" if share >= 1 else "partial" if share > 0 else "wrong"
    return FieldResult("evidence", label, status, " ".join(parts), round(share, 3))


def grade_with_evidence(form_key, answers, scenario, points, prefix, *, claim, evidence, reason, evidence_points=1,
                        answer_field=None):
    """For hidden tests: the answers (points - evidence_points, as checks.grade) and the evidence rows with the
    reason (evidence_points). Prints one RUBRIC line per part and the messages; returns the points earned."""
    from ..rubric.lines import award

    results = [check_field(form_key, fid, value, scenario) for fid, value in answers.items()]
    by_id = {r.id: r for r in results}
    for i, r in enumerate(results):      # a value that means something only with another right answer (needs:)
        need = field_spec(form_key, r.id).get("needs")
        if need in by_id and not by_id[need].ok and r.score > 0:
            results[i] = FieldResult(r.id, r.label, "wrong", t("incident.evidence_check.needs",
                                                                other=by_id[need].label), 0.0)
    answer = answers.get(answer_field or next(iter(answers)))
    ev = check_evidence(claim, evidence, reason, scenario, answer)
    answer_points = points - evidence_points
    share = (answer_points * sum(r.score for r in results) / len(results) + evidence_points * ev.score) / points
    earned = award(points, [{"id": f"{prefix}_{r.id}", "label": r.label, "covered": r.ok, "message": r.message}
                            for r in [*results, ev]], score=share)
    for r in [*results, ev]:
        print(f"{MARK[r.status]} {r.label}: {r.message}")
    return round(earned, 3)
