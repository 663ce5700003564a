"""Step-by-step helpers for analysing the scenario's logs — the method the notebooks teach.

Each helper does one step a person could also do by hand in Excel, and says what it looked at:

    ext = ransom_extension(logs["file_audit"])                 # 1. which new extension appeared in bulk?
    start = find_encryption_start(logs["file_audit"])          # 2. when was the first file renamed to it?
    sus = suspicious_processes(logs["process"])                # 3. which programs match the signs of an attack?
    first = first_infected_host(sus)                           # 4. where and when did the first one run?
    entry = entry_point(first, logs["security"], logs["vpn"])  # 5. how did the attacker get there?
    hosts = infected_hosts(sus)                                # 6. where else did the attacker run programs?
    accounts = compromised_accounts(sus, entry)                # 7. which accounts did the attacker use?
    out = exfiltration(logs["proxy"], hosts, since=entry.time) # 8. large uploads to new destinations
    clean = last_clean_backup(logs["backup"], start)           # 9. the newest backup made before the encryption …
    hit = backup_store_attacked(sus)                           #    … unless the attacker reached the backup store

A single filter is not enough on these logs: staff mistype passwords (4625), the IT staff use PowerShell and PsExec,
the backup account logs on at night with admin rights (4672), Excel starts splwow64.exe when printing, the design
department uploads large drawings every day. The helpers combine signs instead. Wrong input (not a DataFrame, missing
columns) raises AnalysisError with a Japanese message saying which log to pass.
"""

import re
import warnings
from dataclasses import dataclass

import pandas as pd

from ..errors import CourseError
from ..i18n import both, t
from . import content
from .cases import guard_module

guard_module(__name__)  # a learner's call raises HelperLocked in a graded incident assignment and while grading (cases.py)

OFFICE = re.compile(r"\\(winword|excel|powerpnt|outlook)\.exe$", re.IGNORECASE)
SYSTEM_ACCOUNTS = {"system", "local service", "network service", "-"}
ENTRY_WINDOW = pd.Timedelta(hours=6)
EXFIL_MIN_BYTES = 100_000_000


class AnalysisError(CourseError, ValueError):
    """A helper was given something it cannot analyse (message in Japanese, then English)."""


def _need(df, columns, log):
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(both("incident.error.need_frame", log=log, got=type(df).__name__))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(both("incident.error.need_columns", log=log, columns=", ".join(missing)))
    return df


def _time(value, what):
    if isinstance(value, pd.Timestamp):
        return value
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(both("incident.error.need_time", what=what, got=repr(value))) from exc
    return ts.tz_localize("Asia/Tokyo") if ts.tzinfo is None else ts


# -- 1–2. the encryption -------------------------------------------------------------------------------------------

def _ext(series):
    return series.str.rsplit(".", n=1).str[-1].str.lower()


def ransom_extension(file_audit):
    """The extension that many files were renamed to and that no file had before (e.g. 'kzr7'), or None."""
    _need(file_audit, ["action", "path", "new_path"], "file_audit")
    renames = file_audit[file_audit["action"] == "rename"].dropna(subset=["new_path"])
    if renames.empty:
        return None
    old = set(_ext(renames["path"]).dropna())
    new = _ext(renames["new_path"])
    counts = new[~new.isin(old)].value_counts()
    return str(counts.index[0]) if len(counts) else None


def encrypted_files(file_audit, extension=None):
    """The rename events to the ransom extension (the files that were encrypted)."""
    _need(file_audit, ["time", "action", "path", "new_path"], "file_audit")
    extension = (extension or ransom_extension(file_audit) or "").lstrip(".").lower()
    if not extension:
        return file_audit.iloc[0:0]
    m = (file_audit["action"] == "rename") & _ext(file_audit["new_path"].fillna("")).eq(extension)
    return file_audit[m]


def find_encryption_start(file_audit, extension=None):
    """Time of the first file renamed to the ransom extension (tz-aware), or None when there is none."""
    files = encrypted_files(file_audit, extension)
    return None if files.empty else files["time"].min()


def ransom_notes(file_audit, encryption_start=None):
    """Files created in many folders with the same name around the encryption: the ransom note, with counts."""
    _need(file_audit, ["time", "action", "path"], "file_audit")
    created = file_audit[file_audit["action"] == "create"]
    if encryption_start is not None:
        created = created[created["time"] >= _time(encryption_start, "encryption_start")]
    names = created["path"].str.rsplit("\\", n=1).str[-1]
    counts = names.value_counts()
    return counts[counts >= 5].rename("folders").rename_axis("file").reset_index()


# -- 3–4. suspicious programs and the first infected host -----------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    id: str
    technique: str
    patterns: dict
    ja: str
    en: str
    why_ja: str
    why_en: str


def rules():
    """The signs of an attack (course/content/incident/rules.yaml)."""
    out = []
    for r in content.load("rules")["rules"]:
        pats = {col: re.compile(r[key], re.IGNORECASE) for key, col in
                (("image", "image"), ("parent", "parent_image"), ("command", "command_line")) if key in r}
        out.append(Rule(r["id"], r["technique"], pats, r["ja"], r["en"], r["why"]["ja"], r["why"]["en"]))
    return out


def suspicious_processes(process):
    """Process-creation events that match at least one rule, with the rule(s) and the reason in Japanese."""
    _need(process, ["time", "host", "user", "image", "parent_image", "command_line"], "process")
    hits = pd.Series("", index=process.index, dtype="str")
    reasons = pd.Series("", index=process.index, dtype="str")
    for rule in rules():
        m = pd.Series(True, index=process.index)
        for col, pat in rule.patterns.items():
            with warnings.catch_warnings():   # groups in the patterns are only for alternatives
                warnings.simplefilter("ignore", UserWarning)
                m &= process[col].fillna("").str.contains(pat, regex=True)
        sep = hits.ne("").map({True: ", ", False: ""})
        hits = hits.where(~m, hits + sep + rule.id)
        rsep = reasons.ne("").map({True: " / ", False: ""})
        reasons = reasons.where(~m, reasons + rsep + rule.ja)
    found = process.loc[hits.ne(""), ["time", "host", "user", "parent_image", "image", "command_line"]].copy()
    found["rule"] = hits[found.index]
    found["reason"] = reasons[found.index]
    return found.sort_values("time", kind="stable")


@dataclass(frozen=True)
class FirstHost:
    host: str
    user: str
    time: pd.Timestamp
    image: str
    parent_image: str
    command_line: str

    @property
    def opened_by_office(self):
        """True when the first suspicious program was started by Word/Excel/PowerPoint/Outlook (an attachment)."""
        return bool(OFFICE.search(self.parent_image or ""))


def first_infected_host(suspicious):
    """The host, user and time of the earliest suspicious process."""
    _need(suspicious, ["time", "host", "user", "image", "parent_image", "command_line"], "suspicious_processes")
    if suspicious.empty:
        raise AnalysisError(both("incident.error.no_suspicious"))
    row = suspicious.sort_values("time", kind="stable").iloc[0]
    return FirstHost(str(row["host"]), str(row["user"]), row["time"], str(row["image"]), str(row["parent_image"]),
                     str(row["command_line"]))


# -- 5. how the attacker got in ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    route: str                  # phishing | vpn | rdp
    time: pd.Timestamp
    account: str
    source_ip: str | None       # vpn/rdp: the attacker's outside address
    evidence: str               # what the conclusion rests on (Japanese)

    @property
    def route_ja(self):
        return content.load("attack")["variants"][self.route]["ja"]


def remote_logons(security, host, account=None, before=None, window=ENTRY_WINDOW):
    """Remote-desktop logons (4624, logon type 10) to host in the hours before `before`."""
    _need(security, ["time", "host", "event_id", "account", "logon_type", "source_ip"], "security")
    m = (security["event_id"] == 4624) & (security["logon_type"] == 10) & (security["host"] == host)
    if account is not None:
        m &= security["account"] == account
    if before is not None:
        before = _time(before, "before")
        m &= (security["time"] <= before) & (security["time"] >= before - window)
    return security[m.fillna(False)]


def entry_point(first, security, vpn):
    """The route in: an attachment (Office started the first suspicious program), or a remote-desktop logon shortly
    before it — through a VPN session (the source is an address the VPN gave out) or straight from the internet."""
    if not isinstance(first, FirstHost):
        raise AnalysisError(both("incident.error.need_first", got=type(first).__name__))
    if first.opened_by_office:
        return Entry("phishing", first.time, first.user, None, t("incident.evidence.office", parent=first.parent_image))
    _need(vpn, ["time", "event", "user", "src_ip", "assigned_ip"], "vpn")
    logons = remote_logons(security, first.host, first.user, before=first.time)
    if logons.empty:
        raise AnalysisError(both("incident.error.no_entry", host=first.host))
    logon = logons.sort_values("time").iloc[-1]
    sessions = vpn[(vpn["event"] == "login_success") & (vpn["assigned_ip"] == logon["source_ip"])
                   & (vpn["time"] <= logon["time"])]
    if len(sessions):
        s = sessions.sort_values("time").iloc[-1]
        return Entry("vpn", s["time"], str(s["user"]), str(s["src_ip"]),
                     t("incident.evidence.vpn", ip=logon["source_ip"], src=s["src_ip"]))
    return Entry("rdp", logon["time"], str(logon["account"]), str(logon["source_ip"]),
                 t("incident.evidence.rdp", ip=logon["source_ip"]))


def phishing_mail(mail, process, first):
    """The mail whose attachment was opened on the first host: its attachment name appears in a command line there."""
    _need(mail, ["time", "recipient", "attachment", "sender", "sender_ip", "subject"], "mail")
    _need(process, ["time", "host", "command_line"], "process")
    user = first.user.lower()
    cand = mail[mail["recipient"].str.lower().str.startswith(user + "@") & mail["attachment"].notna()
                & (mail["time"] <= first.time)]
    cmds = process.loc[(process["host"] == first.host) & (process["time"] <= first.time), "command_line"].fillna("")
    text = "\n".join(cmds.tolist())
    hit = cand[[a in text for a in cand["attachment"]]]
    return hit.sort_values("time")


def failed_logons(security, min_failures=10):
    """4625 failures grouped by source address and host, with the first and last time — bursts stand out."""
    _need(security, ["time", "host", "event_id", "account", "source_ip"], "security")
    f = security[security["event_id"] == 4625]
    g = f.groupby(["source_ip", "host"], dropna=False).agg(failures=("time", "size"), first=("time", "min"),
                                                          last=("time", "max"), accounts=("account", "nunique"))
    return g[g["failures"] >= min_failures].sort_values("failures", ascending=False).reset_index()


# -- 6–7. scope -----------------------------------------------------------------------------------------------------

def infected_hosts(suspicious, since=None):
    """Hosts where a suspicious program ran (after `since`, if given), sorted."""
    _need(suspicious, ["time", "host"], "suspicious_processes")
    s = suspicious if since is None else suspicious[suspicious["time"] >= _time(since, "since")]
    return sorted(s["host"].dropna().astype(str).unique())


def compromised_accounts(suspicious, entry=None):
    """Accounts that ran suspicious programs, plus the account used to get in; system accounts left out."""
    _need(suspicious, ["user"], "suspicious_processes")
    names = {str(u) for u in suspicious["user"].dropna() if str(u).lower() not in SYSTEM_ACCOUNTS}
    if entry is not None:
        names.add(entry.account)
    return sorted(names)


def lateral_movements(security, system, window_seconds=120):
    """Network logons with admin rights (4624 type 3 + 4672) followed within the window by a PSEXESVC service install
    (7045) on the same host: remote command execution. Ordinary IT work shows up here too — look at source and time."""
    _need(security, ["time", "host", "event_id", "account", "logon_type", "source_ip", "source_host"], "security")
    _need(system, ["time", "host", "event_id", "service"], "system")
    logons = security[(security["event_id"] == 4624) & (security["logon_type"] == 3).fillna(False)]
    admin = security[security["event_id"] == 4672][["time", "host", "account"]]
    logons = logons.merge(admin, on=["time", "host", "account"], how="inner")
    installs = system[(system["event_id"] == 7045) & system["service"].str.upper().eq("PSEXESVC")]
    installs = installs[["time", "host"]].rename(columns={"time": "installed"})
    pairs = logons.merge(installs, on="host")
    delta = (pairs["installed"] - pairs["time"]).dt.total_seconds()
    pairs = pairs[(delta >= 0) & (delta <= window_seconds)]
    cols = ["time", "source_host", "source_ip", "host", "account", "installed"]
    return pairs[cols].drop_duplicates().sort_values("time").reset_index(drop=True)


def host_of_ip(assets):
    """{ip: host} from the asset list."""
    _need(assets, ["host", "ip"], "assets")
    return dict(zip(assets["ip"], assets["host"]))


# -- 8. data taken out ---------------------------------------------------------------------------------------------

def exfiltration(proxy, hosts=None, since=None, min_bytes=EXFIL_MIN_BYTES):
    """Outbound traffic to destinations never used before `since`, from `hosts`, totalling at least min_bytes,
    per source host and destination (largest first)."""
    _need(proxy, ["time", "direction", "src_host", "dest_ip", "dest_host", "dest_port", "bytes_out"], "proxy")
    out = proxy[proxy["direction"] == "outbound"]
    if since is not None:
        since = _time(since, "since")
        before = set(out.loc[out["time"] < since, "dest_ip"])
        out = out[(out["time"] >= since) & ~out["dest_ip"].isin(before)]
    if hosts is not None:
        if isinstance(hosts, str):
            hosts = [hosts]
        out = out[out["src_host"].isin(list(hosts))]
    g = out.groupby(["src_host", "dest_ip"], dropna=False).agg(
        bytes_out=("bytes_out", "sum"), connections=("time", "size"), first=("time", "min"), last=("time", "max"),
        dest_port=("dest_port", "first"), dest_host=("dest_host", "first"))
    g = g[g["bytes_out"] >= min_bytes].sort_values("bytes_out", ascending=False).reset_index()
    return g


def new_destinations(proxy, since):
    """Outbound destinations first seen after `since`: address, first time, hosts, requests and bytes sent."""
    _need(proxy, ["time", "direction", "src_host", "dest_ip", "bytes_out"], "proxy")
    since = _time(since, "since")
    out = proxy[proxy["direction"] == "outbound"]
    before = set(out.loc[out["time"] < since, "dest_ip"])
    new = out[(out["time"] >= since) & ~out["dest_ip"].isin(before)]
    return new.groupby("dest_ip").agg(first=("time", "min"), hosts=("src_host", "nunique"),
                                      requests=("time", "size"), bytes_out=("bytes_out", "sum"),
                                      dest_host=("dest_host", "first")).sort_values("first").reset_index()


# -- 9. backups ----------------------------------------------------------------------------------------------------

def last_clean_backup(backups, encryption_start):
    """The newest successful backup job that finished before the encryption started (a row), or None."""
    _need(backups, ["job_id", "start", "end", "status"], "backup")
    e = _time(encryption_start, "encryption_start")
    ok = backups[(backups["status"] == "Success") & (backups["end"] < e)].sort_values("end")
    return None if ok.empty else ok.iloc[-1]


def backup_store_attacked(suspicious, store="NAS01"):
    """Suspicious programs whose command line names the backup store (\\\\NAS01\\…): when there are any, the copies
    on it were encrypted too and no backup there is clean — whatever the backup log says about earlier jobs."""
    _need(suspicious, ["time", "host", "user", "command_line"], "suspicious_processes")
    hit = suspicious["command_line"].fillna("").str.contains(f"\\\\{store}\\", case=False, regex=False)
    return suspicious[hit]


def backup_generations(backups, encryption_start, retention=None):
    """The copies NAS01 still keeps (the newest `retention` successful jobs), each marked clean or encrypted."""
    _need(backups, ["job_id", "start", "end", "status", "files_changed"], "backup")
    retention = retention or int(content.load("company")["backup"]["retention"])
    e = _time(encryption_start, "encryption_start")
    ok = backups[backups["status"] == "Success"].sort_values("end").tail(retention).copy()
    ok["clean"] = ok["end"] < e
    ok["generation"] = range(len(ok), 0, -1)   # 1 = newest
    return ok[["generation", "job_id", "start", "end", "files_changed", "clean"]].reset_index(drop=True)


def nights_until_no_clean_copy(backups, encryption_start, retention=None):
    """How many more nightly runs would push the last clean copy out of NAS01 (if nobody stops the job)."""
    gens = backup_generations(backups, encryption_start, retention)
    return int(gens["clean"].sum())


# -- the timeline --------------------------------------------------------------------------------------------------

def timeline(events):
    """A time-sorted table from (time, host, what) tuples or dicts: the events a learner has found."""
    rows = []
    for item in events:
        if isinstance(item, dict):
            rows.append({"time": item.get("time"), "host": item.get("host"), "what": item.get("what")})
        else:
            time, host, what = item
            rows.append({"time": time, "host": host, "what": what})
    df = pd.DataFrame(rows, columns=["time", "host", "what"])
    df = df[df["time"].notna()]
    df["time"] = [_time(x, "time") for x in df["time"]]
    return df.sort_values("time", kind="stable").reset_index(drop=True)
