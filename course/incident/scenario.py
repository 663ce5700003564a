"""The ransomware scenario: a fictional small company, two weeks of its logs, and one attack hidden in them.

    scenario = generate(seed=7)                  # 30 employees, 14 days (the defaults)
    scenario.logs["process"]                     # pandas DataFrames, times tz-aware in Asia/Tokyo
    scenario.truth.first_host                    # what really happened (never written by `course scenario`)

Everything comes from the seed (numpy Generators spawned from one SeedSequence; no wall clock), so the same seed gives
the same company, the same logs and the same attack on every machine. This module builds the company (world), the
nightly backup jobs, puts the parts together (generate) and the truth (_truth); the attack is in attack.py, the
background noise and help-desk tickets in background.py, the log tables in tables.py. The seed also chooses the entry
route (attack.VARIANTS); `wipe_nas=True` adds the attacker's encryption of the backup folder on NAS01 (no clean copy
is left); `decoys` adds ordinary activity that misleads a single filter (background.DECOYS: the backup agent's nightly
.bak renames, a large legitimate upload, an administrator's night logon, the implant under a real program's name) —
the graded cases carry them all (CASE_OPTIONS, drawn per learner by cases.py). Scenario.attack_rows marks the attack's
own rows of every log (the truth behind the evidence checks of evidence.py). Staff report the damage the next working morning; the logs end a few hours later, when they are handed over
for analysis.

Names, host names and the company are invented; outside addresses are only RFC 5737 documentation addresses
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and domains use the reserved .example top-level domain.
Simplifications (documented for instructors): national holidays are not modelled (Monday to Friday are working days);
one nightly backup job; the encryptor runs on the file server itself, so the file-server audit shows it locally.
"""

import datetime as dt
import ipaddress
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import CourseError
from ..i18n import both, t
from . import content
from .attack import VARIANTS, attack_events, plan_attack
from .background import DECOYS, MASQUERADE_NAME, background, decoys as decoy_rows
from .clock import HOUR, MINUTE, timestamp
from .tables import Batches, assemble

MIN_EMPLOYEES, MAX_EMPLOYEES = 10, 500
MIN_DAYS, MAX_DAYS = 10, 120
MAX_SEED = 2**63 - 1
DOC_NETS = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
# Options of generate() drawn per learner for the graded cases (cases.case_arguments): every case carries all the decoys;
# one case in four has the backup folder on NAS01 encrypted too (then no clean backup is left).
CASE_OPTIONS = {"decoys": (True,), "wipe_nas": (False, False, False, True)}
FIRST_DISCOVERY = dt.date(2025, 1, 6)   # a Monday; the discovery day is a weekday in the 52 weeks from here


class ScenarioError(CourseError, ValueError):
    """A seed or size that cannot make a scenario (the message says what to enter instead)."""


# -- checking the arguments ----------------------------------------------------------------------------------------

def _param_error(key, param, **values):
    """Japanese, then English, each naming the parameter in its own language."""
    ja = t(key, name=t(f"incident.param.{param}"), **values)
    en = t(key, lang="en", name=t(f"incident.param.{param}", lang="en"), **values)
    return ScenarioError(f"{ja}（{en}）")


def _as_int(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, str) and value.strip().lstrip("+").isdigit():
            value = int(value.strip())
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _param_error("incident.error.not_int", name, value=repr(value), lo=lo, hi=hi)
    value = int(value)
    if not lo <= value <= hi:
        raise _param_error("incident.error.out_of_range", name, value=value, lo=lo, hi=hi)
    return value


def check_decoys(decoys):
    """A tuple of decoy names in the order of DECOYS (True = all of them, None / False / () = none)."""
    if decoys is True:
        return DECOYS
    if decoys is None or decoys is False:
        return ()
    if isinstance(decoys, str):
        decoys = [decoys]
    try:
        chosen = set(decoys)
    except TypeError:
        chosen = {repr(decoys)}
    bad = [d for d in chosen if d not in DECOYS]
    if bad:
        raise ScenarioError(both("incident.error.decoy", value=repr(bad[0]), choices=", ".join(DECOYS)))
    return tuple(d for d in DECOYS if d in chosen)


def check_arguments(seed, employees, days, variant=None, wipe_nas=False):
    if not isinstance(wipe_nas, (bool, np.bool_)):
        raise ScenarioError(both("incident.error.wipe_nas", value=repr(wipe_nas)))
    seed = _as_int(seed, "seed", 0, MAX_SEED)
    employees = _as_int(employees, "employees", MIN_EMPLOYEES, MAX_EMPLOYEES)
    days = _as_int(days, "days", MIN_DAYS, MAX_DAYS)
    if variant is not None and variant not in VARIANTS:
        raise ScenarioError(both("incident.error.variant", value=repr(variant), choices=", ".join(VARIANTS)))
    return seed, employees, days, variant, bool(wipe_nas)


# -- the results -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Company:
    name: str
    name_en: str
    domain: str
    netbios: str
    industry: str
    public_ip: str
    backup_job: str
    backup_retention: int
    share_root: str


@dataclass(frozen=True)
class Truth:
    """What really happened. Kept apart from the logs: `course scenario` never writes it."""
    variant: str                         # phishing | vpn | rdp
    entry_route: str                     # the route in Japanese
    entry_time: pd.Timestamp             # phishing: the attachment opened; vpn: VPN login; rdp: RDP logon
    entry_account: str
    entry_source_ip: str | None          # outside address of the attacker (vpn, rdp) or of the mail server (phishing)
    phishing_message_id: str | None
    first_host: str
    first_user: str
    compromised_accounts: tuple[str, ...]
    infected_hosts: tuple[str, ...]
    encryption_start: pd.Timestamp       # the first file renamed to the new extension on the file server
    ransom_extension: str
    ransom_note: str
    c2_ip: str
    exfil_ip: str
    exfil_bytes: int
    exfil_tool: str                      # rclone | winscp
    exfil_host: str
    exfil_start: pd.Timestamp
    last_clean_backup: str | None        # job id of the newest successful backup finished before encryption that
    last_clean_backup_end: pd.Timestamp | None  # still exists (None when the attacker encrypted NAS01 too)
    contaminated_backups: tuple[str, ...]  # successful jobs that copied encrypted files
    early_ticket: str                    # help-desk ticket that was an early warning sign
    discovery_time: pd.Timestamp         # first help-desk ticket about the damage
    nas_wiped: pd.Timestamp | None = None  # when the attacker encrypted the backup folder on NAS01 (wipe_nas)

    def as_dict(self):
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass
class Scenario:
    seed: int
    employees: int
    days: int
    company: Company
    start: pd.Timestamp
    end: pd.Timestamp                    # when the logs were collected
    logs: dict = field(repr=False)
    truth: Truth = field(repr=False)
    attack_rows: dict = field(default=None, repr=False)   # {log: bool array}: the attack's own rows (evidence.py)
    decoys: tuple = ()                   # the misleading ordinary activity in the logs (DECOYS), if any

    def __repr__(self):
        rows = sum(len(df) for df in self.logs.values())
        return (f"Scenario(seed={self.seed}, company={self.company.name!r}, employees={self.employees}, "
                f"days={self.days}, {self.start:%Y-%m-%d}〜{self.end:%Y-%m-%d %H:%M}, logs={list(self.logs)}, "
                f"rows={rows})")


# -- the company -----------------------------------------------------------------------------------------------------

@dataclass
class Staff:
    """Arrays over the employees (index = employee number), used by the log generators."""
    account: np.ndarray
    name: np.ndarray
    dept: np.ndarray            # index into departments
    host: np.ndarray
    ip: np.ndarray
    telework: np.ndarray
    home_ip: np.ndarray         # None for staff who never work from home
    is_admin: np.ndarray
    adm_account: np.ndarray     # admin account of the IT staff, None for others
    role: np.ndarray


@dataclass
class World:
    """Everything the log generators need: the company, its staff and hosts, the calendar and the outside addresses."""
    company: Company
    departments: list
    staff: Staff
    servers: list
    server_ip: dict
    files: pd.DataFrame         # the files on the file server: path, folder, ext, dept
    folders: np.ndarray
    day_start: np.ndarray       # int64 seconds (local wall time as if UTC) of 00:00 of each day
    workday: np.ndarray         # bool per day
    end: int                    # seconds: logs collected
    services: pd.DataFrame      # web services: key, domain, ip, port, weight, out, in, dept (None = everyone)
    partner_mail: list          # (domain, ip)
    vendor_sftp: tuple          # (domain, ip, port)
    scanners: np.ndarray        # outside addresses that scan and guess passwords (noise)
    spare: list                 # unused documentation addresses (for the attacker)
    vpn_pool: str
    nas_ip: str


def _doc_addresses(rng):
    addrs = [str(a) for net in DOC_NETS for a in list(net.hosts())[1:]]   # .2 ... .254 of each range
    order = rng.permutation(len(addrs))
    return [addrs[i] for i in order]


def _departments_counts(weights, n):
    weights = np.asarray(weights, float) / np.sum(weights)
    counts = np.maximum(1, np.floor(weights * n).astype(int))
    while counts.sum() < n:
        counts[np.argmax(weights * n - counts)] += 1
    while counts.sum() > n:
        counts[np.argmax(counts)] -= 1
    return counts


def build_world(rng, employees, days, clock_rng):
    comp = content.load("company")
    act = content.load("activity")
    chosen = comp["companies"][rng.integers(len(comp["companies"]))]
    pool = _doc_addresses(rng)
    take = pool.pop
    net = comp["network"]
    company = Company(chosen["name"], chosen["name_en"], chosen["domain"], chosen["netbios"], chosen["industry"],
                      take(), comp["backup"]["job_name"], int(comp["backup"]["retention"]), net["share_root"])

    departments = comp["departments"]
    counts = _departments_counts([d["weight"] for d in departments], employees)
    dept = np.repeat(np.arange(len(departments)), counts)
    fam = comp["family_names"]
    giv = comp["given_names"]
    fi = rng.integers(len(fam), size=employees)
    gi = rng.integers(len(giv), size=employees)
    accounts, names, hosts, ips = [], [], [], []
    seen = {}
    per_dept = {}
    for k in range(employees):
        base = f"{fam[fi[k]]['romaji']}.{giv[gi[k]]['romaji']}"
        seen[base] = seen.get(base, 0) + 1
        accounts.append(base if seen[base] == 1 else f"{base}{seen[base]}")
        names.append(f"{fam[fi[k]]['ja']} {giv[gi[k]]['ja']}")
        code = departments[dept[k]]["code"]
        per_dept[code] = per_dept.get(code, 0) + 1
        hosts.append(f"PC-{code}-{per_dept[code]:02d}")
        ips.append(f"{int(net['pc_subnet'].split('.')[0])}.{int(net['pc_subnet'].split('.')[1])}."
                   f"{int(net['pc_subnet'].split('.')[2]) + k // 200}.{10 + k % 200}")
    n_admin = 1 if employees <= 60 else 2
    admin_idx = np.flatnonzero(dept == 0)[1:1 + n_admin] if counts[0] > n_admin else np.flatnonzero(dept == 0)[:1]
    is_admin = np.zeros(employees, bool)
    is_admin[admin_idx] = True
    role = np.array([""] * employees, dtype=object)
    role[np.flatnonzero(dept == 0)[0]] = "社長"
    role[admin_idx] = "IT担当（総務部と兼任）"
    adm = np.array([None] * employees, dtype=object)
    for k in admin_idx:
        adm[k] = f"adm-{accounts[k].split('.')[0]}"
    telework = rng.random(employees) < float(comp["telework_share"])
    telework[admin_idx] = True
    home = np.array([None] * employees, dtype=object)
    for k in np.flatnonzero(telework):
        home[k] = take()
    staff = Staff(np.array(accounts, dtype=object), np.array(names, dtype=object), dept,
                  np.array(hosts, dtype=object), np.array(ips, dtype=object), telework, home, is_admin, adm, role)

    servers = comp["servers"]
    server_ip = {s["host"]: s["ip"] for s in servers}

    # files on the share: <root>\<dept>\<folder>\<year>\<base>_<n>.<ext>
    names_pool = act["file_names"]
    years = ["2023年度", "2024年度", "2025年度"]
    folder_list = [f"{company.share_root}\\{d['ja']}\\{f}\\{y}"
                   for d in departments for f in d["folders"] for y in years]
    folder_dept = np.array([i for i, d in enumerate(departments) for _f in d["folders"] for _y in years])
    n_files = employees * 120
    fidx = rng.integers(len(folder_list), size=n_files)
    nidx = rng.integers(len(names_pool), size=n_files)
    bases = np.array([f"{p['base']}" for p in names_pool], dtype=object)
    exts = np.array([p["ext"] for p in names_pool], dtype=object)
    folders_arr = np.array(folder_list, dtype=object)
    numbers = np.char.mod("%04d", np.arange(n_files)).astype(object)
    paths = folders_arr[fidx] + "\\" + bases[nidx] + "_" + numbers + "." + exts[nidx]
    files = pd.DataFrame({"path": paths, "folder": folders_arr[fidx], "ext": exts[nidx], "dept": folder_dept[fidx]})
    dept_roots = [f"{company.share_root}\\{d['ja']}" for d in departments]
    all_folders = np.array([company.share_root, *dept_roots, *folder_list], dtype=object)

    # services: everyone's, per department, and one that starts part-way
    rows = []
    for s in act["web_services"]:
        rows.append({**s, "ip": take(), "dept": -1, "late": False})
    for s in act["department_services"]:
        for i, d in enumerate(departments):
            if s["key"] in d.get("services", []):
                rows.append({**s, "ip": None, "dept": i, "late": False})
    for s in act["late_services"]:
        rows.append({**s, "ip": take(), "dept": -2, "late": True})
    services = pd.DataFrame(rows)
    ip_of_key = {}
    ips = services["ip"].astype(object).tolist()
    for i, key in enumerate(services["key"]):
        if not isinstance(ips[i], str):
            ips[i] = ip_of_key.setdefault(key, take())
    services["ip"] = ips
    for dom in act["blocked_domains"]:
        services = pd.concat([services, pd.DataFrame([{"key": "blocked", "domain": dom, "port": 443, "weight": 0,
                                                       "out": 600, "in": 0, "ip": take(), "dept": -3,
                                                       "late": False}])], ignore_index=True)
    partner_mail = [(d, take()) for d in act["mail_partners"]]
    vendor = act["vendor_sftp"]
    vendor_sftp = (vendor["domain"], take(), int(vendor["port"]))
    scanners = np.array([take() for _ in range(30)], dtype=object)

    # the calendar: the discovery day is a weekday; the logs cover `days` days up to it
    week = int(clock_rng.integers(0, 52))
    weekday = int(clock_rng.integers(0, 5))
    discovery = FIRST_DISCOVERY + dt.timedelta(days=7 * week + weekday)
    start = discovery - dt.timedelta(days=days - 1)
    day0 = int(np.datetime64(start, "s").astype(np.int64))
    day_start = day0 + np.arange(days, dtype=np.int64) * 86400
    workday = np.array([(start + dt.timedelta(days=i)).weekday() < 5 for i in range(days)])
    end = int(day_start[-1] + 11 * HOUR + 30 * MINUTE + clock_rng.integers(0, 40 * MINUTE))
    return World(company, departments, staff, servers, server_ip, files, all_folders, day_start, workday, end,
                 services, partner_mail, vendor_sftp, scanners, pool, net["vpn_pool"], server_ip["NAS01"])


# -- the backup jobs -------------------------------------------------------------------------------------------------

def backup_jobs(rng, world, plan, nas_wiped=None):
    """Nightly FS01 -> NAS01 jobs. After the encryption a job copies the encrypted files (and still says Success);
    once the attacker has encrypted the backup folder on NAS01 (nas_wiped, seconds) every later job fails."""
    comp = content.load("company")["backup"]
    hh, mm = (int(x) for x in comp["start"].split(":"))
    days = len(world.day_start)
    n_files = len(world.files)
    scale = len(world.staff.account)
    rows = []
    E = plan.encryption
    # the job right before the encryption sometimes failed (the NAS was full): the last clean copy is older
    before = [d for d in range(1, days) if world.day_start[d] + hh * HOUR + mm * MINUTE < E]
    forced_fail = before[-1] if before and rng.random() < 0.35 else None
    for d in range(1, days):
        start = int(world.day_start[d] + hh * HOUR + mm * MINUTE + rng.integers(0, 90))
        if start > world.end:
            break
        changed = int(rng.poisson(scale * 6 if world.workday[d - 1] else scale * 0.5)) + 1
        if start > E:
            changed = n_files + changed
        failed = (d == forced_fail) or (start < E and rng.random() < 0.07)
        if failed:
            end = start + int(rng.integers(60, 400))
            rows.append((d, start, end, "Failed", 0, 0, "Target volume is full (NAS01)" if d == forced_fail
                         else "Network path not found: \\\\NAS01\\backup"))
            continue
        size = int(changed * rng.uniform(0.6e6, 2.5e6))
        duration = int(300 + changed * rng.uniform(0.05, 0.12) + rng.integers(0, 300))
        end = start + duration
        if start < E < end:
            changed = changed + int(n_files * (end - E) / max(1, end - start) * 0.2)
        rows.append((d, start, end, "Success", changed, size, "Completed"))
    if nas_wiped is not None:
        rows = [r if r[1] < nas_wiped else (r[0], r[1], r[1] + 40, "Failed", 0, 0, comp["wiped_message"])
                for r in rows]
    job_ids = []
    out = []
    for i, (d, start, end, status, changed, size, message) in enumerate(rows):
        day = dt.date(1970, 1, 1) + dt.timedelta(seconds=int(world.day_start[d]))
        job_id = f"BK-{day:%Y%m%d}"
        job_ids.append(job_id)
        out.append({"job_id": job_id, "job_name": world.company.backup_job, "source": "FS01", "target": "NAS01",
                    "start": start, "end": end, "status": status, "files_changed": changed, "bytes": size,
                    "message": message})
    return out


# -- putting it together ---------------------------------------------------------------------------------------------

def generate(seed, employees=30, days=14, variant=None, wipe_nas=False, decoys=()):
    """A scenario for the seed: the company, its logs (dict of DataFrames) and the truth.

    employees: 10–500, days: 10–120. variant (optional) forces the entry route: "phishing", "vpn" or "rdp";
    without it the seed chooses. wipe_nas=True: the attacker also encrypts the backup folder on NAS01 (the same seed
    without it gives the same attack up to that step). decoys: names from DECOYS (or True for all): ordinary
    activity that misleads a single filter (background.decoys); the same seed without decoys gives the same logs
    byte for byte, and with them the same attack and truth. Raises ScenarioError (a CourseError, message in
    Japanese) for bad arguments.
    """
    seed, employees, days, variant, wipe_nas = check_arguments(seed, employees, days, variant, wipe_nas)
    decoys = check_decoys(decoys)
    s_world, s_clock, s_plan, s_attack, s_background, s_backup, s_decoys = np.random.SeedSequence(seed).spawn(7)
    world = build_world(np.random.default_rng(s_world), employees, days, np.random.default_rng(s_clock))
    plan = plan_attack(np.random.default_rng(s_plan), world, variant, wipe_nas)
    if "masquerade" in decoys:
        plan.beacon = MASQUERADE_NAME
    events, facts = attack_events(np.random.default_rng(s_attack), world, plan)
    backups = backup_jobs(np.random.default_rng(s_backup), world, plan, facts.get("nas_wiped"))
    noise = Batches()
    background(np.random.default_rng(s_background), world, plan, noise)
    if decoys:
        decoy_rows(np.random.default_rng(s_decoys), world, plan, facts, decoys, noise)
    marks = {}
    logs = assemble(world, noise, events, backups, marks)
    truth = _truth(world, plan, facts, backups, logs["helpdesk"])
    return Scenario(seed, employees, days, world.company, timestamp(int(world.day_start[0])), timestamp(world.end),
                    logs, truth, marks, decoys)


def _truth(world, plan, facts, backups, helpdesk):
    """The one place where the truth is put together: from the attack plan, the facts of the attack's events (the
    attack's help-desk tickets among them), the backup jobs and the numbered help-desk log."""
    E = plan.encryption
    wiped = facts.get("nas_wiped")
    clean = [b for b in backups if b["status"] == "Success" and b["end"] < E]
    last_clean = clean[-1] if clean and wiped is None else None
    early_time, early_host, early_text = facts["early_ticket"]
    early = helpdesk[(helpdesk["time"] == timestamp(early_time)) & (helpdesk["host"] == early_host)
                     & (helpdesk["text"] == early_text)]
    staff = world.staff
    return Truth(
        variant=plan.variant,
        entry_route=content.load("attack")["variants"][plan.variant]["ja"],
        entry_time=timestamp(plan.t0),
        entry_account=facts["entry_account"],
        entry_source_ip=facts["entry_source_ip"],
        phishing_message_id=facts["phishing_message_id"],
        first_host=staff.host[plan.user],
        first_user=staff.account[plan.user],
        compromised_accounts=facts["compromised"],
        infected_hosts=facts["infected"],
        encryption_start=timestamp(E),
        ransom_extension=plan.ext,
        ransom_note=plan.note,
        c2_ip=plan.c2_ip,
        exfil_ip=plan.exfil_ip,
        exfil_bytes=facts["exfil_bytes"],
        exfil_tool=plan.exfil_tool,
        exfil_host=plan.exfil_host,
        exfil_start=timestamp(facts["exfil_start"]),
        last_clean_backup=last_clean["job_id"] if last_clean else None,
        last_clean_backup_end=timestamp(last_clean["end"]) if last_clean else None,
        contaminated_backups=tuple(b["job_id"] for b in backups if b["status"] == "Success" and b["end"] >= E),
        early_ticket=str(early["ticket_id"].iloc[0]),
        discovery_time=timestamp(facts["discovery"]),
        nas_wiped=timestamp(wiped) if wiped is not None else None,
    )
