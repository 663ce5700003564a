"""The ransomware scenario: a fictional small company, two weeks of its logs, and one attack hidden in them.

    scenario = generate(seed=7)                  # 30 employees, 14 days (the defaults)
    scenario.logs["process"]                     # pandas DataFrames, times tz-aware in Asia/Tokyo
    scenario.truth.first_host                    # what really happened (never written by `course scenario`)

Everything comes from the seed (numpy Generators spawned from one SeedSequence; no wall clock), so the same seed gives
the same company, the same logs and the same attack on every machine. The seed also chooses the entry route:
a phishing attachment, misused VPN credentials, or an exposed remote desktop (RDP). After the entry the attacker
explores, steals credentials, moves to the servers with PsExec, copies data out (rclone or WinSCP), deletes shadow
copies and encrypts the file server at night. Staff report the damage the next working morning; the logs end a few
hours later, when they are handed over for analysis.

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
from .background import background
from .clock import HOUR, MINUTE, timestamp
from .content import fill
from .tables import Batches, assemble

VARIANTS = ("phishing", "vpn", "rdp")
MIN_EMPLOYEES, MAX_EMPLOYEES = 10, 500
MIN_DAYS, MAX_DAYS = 10, 120
MAX_SEED = 2**63 - 1
DOC_NETS = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
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


def check_arguments(seed, employees, days, variant=None):
    seed = _as_int(seed, "seed", 0, MAX_SEED)
    employees = _as_int(employees, "employees", MIN_EMPLOYEES, MAX_EMPLOYEES)
    days = _as_int(days, "days", MIN_DAYS, MAX_DAYS)
    if variant is not None and variant not in VARIANTS:
        raise ScenarioError(both("incident.error.variant", value=repr(variant), choices=", ".join(VARIANTS)))
    return seed, employees, days, variant


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
    last_clean_backup: str               # job id of the newest successful backup finished before encryption
    last_clean_backup_end: pd.Timestamp
    contaminated_backups: tuple[str, ...]  # successful jobs that copied encrypted files
    early_ticket: str                    # help-desk ticket that was an early warning sign
    discovery_time: pd.Timestamp         # first help-desk ticket about the damage

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


# -- the attack plan -------------------------------------------------------------------------------------------------

@dataclass
class Plan:
    variant: str
    entry_day: int
    t0: int                     # seconds
    user: int                   # employee index of the first user
    adm: str                    # the admin account the attacker steals
    extra_account: str | None   # "Administrator" when the attacker also uses it
    targets: list               # hosts reached by lateral movement, in order
    encryption: int             # seconds: first file renamed
    night_day: int
    c2_ip: str
    exfil_ip: str
    attacker_ip: str
    exfil_tool: str
    exfil_host: str
    ext: str
    note: str
    beacon: str
    encryptor: str
    encryptor_dir: str
    dump: str
    late_users: np.ndarray      # employees who start using the new (legitimate) service
    late_day: int


def plan_attack(rng, world, variant=None):
    atk = content.load("attack")
    variant = variant or VARIANTS[int(rng.integers(len(VARIANTS)))]
    days = len(world.day_start)
    discovery = days - 1
    monday = (dt.date(1970, 1, 1) + dt.timedelta(seconds=int(world.day_start[-1]))).weekday() == 0
    night_day = int(discovery - rng.integers(1, 4)) if monday else discovery - 1
    encryption = int(world.day_start[night_day] + 22 * HOUR + rng.integers(0, int(6.5 * HOUR)))

    lo, hi = max(4, night_day - 5), max(1, night_day - 2)
    lo = min(lo, hi)
    candidates = [d for d in range(lo, hi + 1) if world.workday[d]]
    if not candidates:
        candidates = [d for d in range(1, hi + 1) if world.workday[d]] or [hi]
    entry_day = int(candidates[rng.integers(len(candidates))])

    staff = world.staff
    ordinary = np.flatnonzero(~staff.is_admin & (staff.role != "社長"))
    if variant in ("vpn", "rdp"):
        if staff.telework[ordinary].any():
            ordinary = np.intersect1d(ordinary, np.flatnonzero(staff.telework))
    user = int(ordinary[rng.integers(len(ordinary))])
    if variant in ("vpn", "rdp") and staff.home_ip[user] is None:
        staff.telework[user] = True
        staff.home_ip[user] = world.spare.pop()
    if variant == "phishing":
        t0 = int(world.day_start[entry_day] + 9 * HOUR + 30 * MINUTE + rng.integers(0, 7 * HOUR))
    else:
        t0 = int(world.day_start[entry_day] + 30 * MINUTE + rng.integers(0, int(3.5 * HOUR)))
    admins = np.flatnonzero(staff.is_admin)
    adm = staff.adm_account[admins[rng.integers(len(admins))]]
    extra = "Administrator" if rng.random() < 0.4 else None

    servers = ["FS01"] + [s for s, p in (("DC01", 0.7), ("APP01", 0.6)) if rng.random() < p]
    others = np.setdiff1d(np.arange(len(staff.host)), [user])
    n_pcs = 1 + int(rng.integers(0, 2 + len(staff.host) // 50))
    pcs = [str(staff.host[i]) for i in rng.choice(others, size=min(n_pcs, len(others)), replace=False)]
    targets = [str(h) for h in rng.permutation(servers + pcs)]

    spare = list(world.spare)
    picks = rng.choice(len(spare), size=3, replace=False)
    c2_ip, exfil_ip, attacker_ip = (spare[i] for i in picks)
    tool = "rclone" if rng.random() < 0.5 else "winscp"
    exfil_host = "FS01" if rng.random() < 0.5 else staff.host[user]

    def pick(key):
        items = atk[key]
        return items[int(rng.integers(len(items)))]

    late_dept = int(rng.integers(len(world.departments)))
    infected_users = set(np.flatnonzero(np.isin(staff.host, [staff.host[user], *pcs])))
    late_users = np.array([i for i in np.flatnonzero(staff.dept == late_dept) if i not in infected_users][:3], int)
    late_day = min(entry_day + 1, days - 1)
    return Plan(variant, entry_day, t0, user, adm, extra, targets, encryption, night_day, c2_ip, exfil_ip, attacker_ip,
                tool, exfil_host, pick("ransom_extensions"), pick("ransom_notes"), pick("beacon_names"),
                pick("encryptor_names"), pick("encryptor_dirs"), pick("dump_names"), late_users, late_day)


# -- the attack's own events -----------------------------------------------------------------------------------------

class Events:
    """Rows for each log, collected as dicts (the attack is small) and turned into columns later."""

    def __init__(self):
        self.rows = {}
        self.columns = {}

    def add(self, log, **row):
        self.rows.setdefault(log, []).append(row)

    def add_batch(self, log, **columns):
        self.columns.setdefault(log, []).append(columns)


def _hex(rng, n):
    return "".join(f"{x:02x}" for x in rng.integers(0, 256, size=n))


def _b64ish(rng, n):
    chars = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
    return "".join(chars[rng.integers(0, 64, size=n)]) + "=="


def attack_events(rng, world, plan):
    """The attack's rows in every log, and the facts that the truth needs."""
    atk = content.load("attack")
    comp = world.company
    staff = world.staff
    ev = Events()
    u = plan.user
    h0, u0, ip0 = staff.host[u], staff.account[u], staff.ip[u]
    host_ip = {**world.server_ip, **dict(zip(staff.host, staff.ip))}
    pid = lambda: int(rng.integers(1000, 16000)) * 4  # noqa: E731
    facts = {}
    t = plan.t0

    def proc(time, host, user, image, command, parent):
        ev.add("process", time=time, host=host, user=user, pid=pid(), parent_image=parent, image=image,
               command_line=command)

    def beacon(host, src_ip, user, start, stop):
        """The implant calls home every few minutes (small requests to a bare IP address)."""
        step = int(rng.integers(10, 40)) * MINUTE
        k = max(1, (stop - start) // step)
        times = start + np.arange(k, dtype=np.int64) * step + rng.integers(0, 90, size=k)
        ev.add_batch("proxy", time=times, direction=np.full(k, "outbound", dtype=object),
                     src_host=np.full(k, host, dtype=object), src_ip=np.full(k, src_ip, dtype=object),
                     user=np.full(k, user, dtype=object), dest_host=np.full(k, None, dtype=object),
                     dest_ip=np.full(k, plan.c2_ip, dtype=object), dest_port=np.full(k, 443, dtype=np.int64),
                     action=np.full(k, "allowed", dtype=object), bytes_out=rng.integers(300, 1500, size=k),
                     bytes_in=rng.integers(200, 900, size=k))

    # 1. entry --------------------------------------------------------------------------------------------------
    cmd = "C:\\Windows\\System32\\cmd.exe"
    ps = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    explorer = "C:\\Windows\\explorer.exe"
    if plan.variant == "phishing":
        ph = atk["phishing"]
        day = dt.date(1970, 1, 1) + dt.timedelta(seconds=int(world.day_start[plan.entry_day]))
        mmdd = f"{day.month:02d}{day.day:02d}"
        k = int(rng.integers(len(ph["attachments"])))
        attachment = fill(ph["attachments"][k], mmdd=mmdd)
        document = fill(ph["documents"][k % len(ph["documents"])], mmdd=mmdd)
        subject = fill(ph["subjects"][int(rng.integers(len(ph["subjects"])))], month=day.month)
        sender_domain = ph["sender_domains"][int(rng.integers(len(ph["sender_domains"])))]
        sender_ip = world.spare[int(rng.integers(len(world.spare)))]
        while sender_ip in (plan.c2_ip, plan.exfil_ip, plan.attacker_ip):
            sender_ip = world.spare[int(rng.integers(len(world.spare)))]
        mail_time = max(int(world.day_start[plan.entry_day] + 8 * HOUR + 40 * MINUTE),
                        t - int(rng.integers(5 * MINUTE, 150 * MINUTE)))
        lo, hi = ph["extra_recipients"]
        others = rng.choice(np.setdiff1d(np.arange(len(staff.account)), [u]), size=int(rng.integers(lo, hi + 1)),
                            replace=False)
        message_id = f"<{_hex(rng, 8)}@{sender_domain}>"
        for j, r in enumerate([u, *others]):
            ev.add("mail", time=mail_time + j, message_id=message_id, sender=f"billing@{sender_domain}",
                   sender_ip=sender_ip, recipient=f"{staff.account[r]}@{comp.domain}", subject=subject,
                   attachment=attachment, size=int(rng.integers(180_000, 420_000)), verdict="delivered")
        office = ("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" if document.endswith(".xls")
                  else "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE")
        proc(t - 20, h0, u0, office,
             f'"{office}" /n "C:\\Users\\{u0}\\AppData\\Local\\Temp\\Temp1_{attachment}\\{document}"', explorer)
        proc(t, h0, u0, ps, fill(atk["first_stage"]["phishing"], payload=_b64ish(rng, 120)), office)
        first_parent = ps
        facts.update(entry_account=u0, entry_source_ip=sender_ip, phishing_message_id=message_id)
        t_next = t + int(rng.integers(40, 120))
    else:
        assigned = None
        if plan.variant == "vpn":
            assigned = f"{world.vpn_pool}.{int(rng.integers(251, 254))}"
            sid = f"S{_hex(rng, 4)}"
            ev.add("vpn", time=t, event="login_success", user=u0, src_ip=plan.attacker_ip, assigned_ip=assigned,
                   session_id=sid)
            ev.add("vpn", time=t + int(rng.integers(100, 200)) * MINUTE, event="logout", user=u0,
                   src_ip=plan.attacker_ip, assigned_ip=assigned, session_id=sid)
            rdp_time = t + int(rng.integers(2, 8)) * MINUTE
            src, src_host = assigned, "WIN-" + _hex(rng, 4).upper()
        else:
            # password guessing from the attacker's address, then a successful RDP logon
            n_fail = int(rng.integers(40, 160))
            fail_times = t - int(rng.integers(8, 40)) * MINUTE + np.sort(rng.integers(0, 7 * MINUTE, size=n_fail))
            names = ["administrator", "admin", "user", "test", u0, "guest", "scan", "backup"]
            for ft in fail_times:
                name = names[int(rng.integers(len(names)))]
                ev.add("security", time=int(ft), host=h0, event_id=4625, account=name, logon_type=3,
                       source_ip=plan.attacker_ip, source_host=None,
                       status="0xC000006A" if name == u0 else "0xC0000064")
                ev.add("proxy", time=int(ft), direction="inbound", src_host=None, src_ip=plan.attacker_ip, user=None,
                       dest_host=h0, dest_ip=ip0, dest_port=3389, action="allowed", bytes_out=0,
                       bytes_in=int(rng.integers(2000, 6000)))
            rdp_time = t
            src, src_host = plan.attacker_ip, "WIN-" + _hex(rng, 4).upper()
            ev.add("proxy", time=t, direction="inbound", src_host=None, src_ip=plan.attacker_ip, user=None,
                   dest_host=h0, dest_ip=ip0, dest_port=3389, action="allowed", bytes_out=0,
                   bytes_in=int(rng.integers(2_000_000, 9_000_000)))
        ev.add("security", time=rdp_time, host=h0, event_id=4624, account=u0, logon_type=10, source_ip=src,
               source_host=src_host, status=None)
        facts.update(entry_account=u0, entry_source_ip=plan.attacker_ip, phishing_message_id=None)
        t_next = rdp_time + int(rng.integers(3, 15)) * MINUTE
        first_parent = cmd
        proc(t_next - 5, h0, u0, cmd, '"C:\\Windows\\System32\\cmd.exe"', explorer)

    # 2. on the first host: look around, fetch a tool, steal credentials ------------------------------------------
    recon = list(atk["recon"])
    tt = t_next
    for c in recon[: 2 + int(rng.integers(0, len(recon) - 1))]:
        c = fill(c, domain=f"{comp.netbios.lower()}.local")
        image = {"whoami": "whoami.exe", "net": "net.exe", "nltest": "nltest.exe"}.get(c.split()[0], "cmd.exe")
        proc(tt, h0, u0, f"C:\\Windows\\System32\\{image}", c, first_parent)
        tt += int(rng.integers(20, 240))
    proc(tt, h0, u0, ps, fill(atk["download"], c2=plan.c2_ip, beacon=plan.beacon), first_parent)
    ev.add("proxy", time=tt + 2, direction="outbound", src_host=h0, src_ip=ip0, user=u0, dest_host=None,
           dest_ip=plan.c2_ip, dest_port=80, action="allowed", bytes_out=int(rng.integers(300, 600)),
           bytes_in=int(rng.integers(300_000, 900_000)))
    tt += int(rng.integers(20, 90))
    proc(tt, h0, u0, f"C:\\Users\\Public\\{plan.beacon}", f"C:\\Users\\Public\\{plan.beacon}", first_parent)
    beacon(h0, ip0, u0, tt + 30, world.end)
    tt += int(rng.integers(15, 90)) * MINUTE
    proc(tt, h0, u0, "C:\\Windows\\System32\\rundll32.exe",
         fill(atk["credential_dump"], pid=int(rng.integers(500, 900)) * 4, dump=plan.dump), first_parent)

    # 3. lateral movement with the stolen admin account (PsExec) ---------------------------------------------------
    lat = atk["lateral"]
    lateral_start = (plan.encryption - int(rng.integers(int(2.5 * HOUR), int(4.5 * HOUR)))
                     - len(plan.targets) * 5 * MINUTE)
    lateral_start = max(lateral_start, tt + 30 * MINUTE)
    used = {u0, plan.adm}
    tl = lateral_start
    for target in plan.targets:
        account = plan.extra_account if (target == "DC01" and plan.extra_account) else plan.adm
        used.add(account)
        ev.add("security", time=tl, host=target, event_id=4624, account=account, logon_type=3, source_ip=ip0,
               source_host=h0, status=None)
        ev.add("security", time=tl, host=target, event_id=4672, account=account, logon_type=None, source_ip=None,
               source_host=None, status=None)
        ev.add("system", time=tl + 1, host=target, event_id=7045, service=lat["service"], image_path=lat["image"],
               state=None)
        ev.add("system", time=tl + 2, host=target, event_id=7036, service=lat["service"], image_path=None,
               state="running")
        proc(tl + 2, target, "SYSTEM", "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe",
             "C:\\Windows\\System32\\services.exe")
        tl += int(rng.integers(2, 7)) * MINUTE

    # 4. copying data out before the encryption --------------------------------------------------------------------
    tool = atk["exfil_tools"][plan.exfil_tool]
    ex_start = tl + int(rng.integers(10, 40)) * MINUTE
    source = comp.share_root if plan.exfil_host == "FS01" else "\\\\FS01\\共有"
    ex_user = plan.adm if plan.exfil_host == "FS01" else u0
    ex_ip = host_ip[plan.exfil_host]
    parent = "C:\\Windows\\System32\\cmd.exe"
    proc(ex_start - 3, plan.exfil_host, ex_user, tool["image"],
         fill(tool["command"], source=source, exfil=plan.exfil_ip), parent)
    scale = max(1.0, len(staff.account) / 30) ** 0.6
    total = int(rng.uniform(1.2e9, 4.5e9) * scale)
    n_conn = int(rng.integers(40, 160))
    parts = rng.dirichlet(np.ones(n_conn))
    chunk_bytes = np.maximum(1, np.floor(parts * total)).astype(np.int64)
    chunk_bytes[-1] += total - chunk_bytes.sum()
    duration = int(total / rng.uniform(4e6, 12e6))
    times = ex_start + np.sort(rng.integers(0, max(2, duration), size=n_conn))
    for ct, b in zip(times, chunk_bytes):
        ev.add("proxy", time=int(ct), direction="outbound", src_host=plan.exfil_host, src_ip=ex_ip, user=ex_user,
               dest_host=None, dest_ip=plan.exfil_ip, dest_port=int(tool["port"]), action="allowed",
               bytes_out=int(b), bytes_in=int(rng.integers(2000, 40000)))
    facts.update(exfil_bytes=int(chunk_bytes.sum()), exfil_start=int(times[0]))

    # 5. delete shadow copies, start the encryptor (file server first) ------------------------------------------------
    E = plan.encryption
    enc_image = f"{plan.encryptor_dir}\\{plan.encryptor}"
    order = ["FS01"] + [h for h in plan.targets if h != "FS01"] + [h0]
    for i, host in enumerate(order):
        start = E - int(rng.integers(4, 12)) * MINUTE if i == 0 else E + int(rng.integers(1, 25)) * MINUTE
        account = u0 if host == h0 else (plan.extra_account if host == "DC01" and plan.extra_account else plan.adm)
        parent = "C:\\Windows\\PSEXESVC.exe" if host != h0 else first_parent
        steps = atk["inhibit_recovery"]
        k = 2 + int(rng.integers(0, len(steps) - 1))
        for step in steps[:k]:
            proc(start, host, account, step["image"], step["command"], parent)
            start += int(rng.integers(2, 20))
        target = comp.share_root if host == "FS01" else "C:\\Users"
        if host == "FS01":
            start = E - int(rng.integers(5, 40))
        proc(start + 5, host, account, enc_image,
             f"{enc_image} " + fill(atk["encryptor_args"], target=target), parent)

    # mass renames and ransom notes on the file server
    files = world.files
    n = len(files)
    order_idx = rng.permutation(n)
    rate = rng.uniform(8, 25)
    offsets = np.floor(np.arange(n) / rate).astype(np.int64)
    rename_time = E + offsets
    paths = files["path"].to_numpy(dtype=object)[order_idx]
    renamed = paths + "." + plan.ext
    enc_account = plan.adm
    ev.add_batch("file_audit", **{
        "time": rename_time, "host": np.full(n, "FS01", dtype=object), "account": np.full(n, enc_account, dtype=object),
        "source_ip": np.full(n, None, dtype=object), "action": np.full(n, "rename", dtype=object),
        "path": paths, "new_path": renamed})
    folder_first = pd.Series(rename_time).groupby(files["folder"].to_numpy()[order_idx]).min()
    notes_t = [E + 1]
    notes_p = [f"{comp.share_root}\\{plan.note}"]
    for folder in world.folders[1:]:
        first = folder_first.get(folder)
        if first is None:
            first = E + int(rng.integers(2, 60))
        notes_t.append(int(first) + 1)
        notes_p.append(f"{folder}\\{plan.note}")
    k = len(notes_t)
    ev.add_batch("file_audit", **{
        "time": np.array(notes_t, np.int64), "host": np.full(k, "FS01", dtype=object),
        "account": np.full(k, enc_account, dtype=object), "source_ip": np.full(k, None, dtype=object),
        "action": np.full(k, "create", dtype=object), "path": np.array(notes_p, dtype=object),
        "new_path": np.full(k, None, dtype=object)})
    ev.add("system", time=E - 60, host="FS01", event_id=7036, service="Volume Shadow Copy", image_path=None,
           state="stopped")

    facts["compromised"] = tuple(sorted(used))
    facts["infected"] = tuple(sorted({h0, *plan.targets}))
    return ev, facts


# -- the backup jobs -------------------------------------------------------------------------------------------------

def backup_jobs(rng, world, plan):
    """Nightly FS01 -> NAS01 jobs. After the encryption a job copies the encrypted files (and still says Success)."""
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

def generate(seed, employees=30, days=14, variant=None):
    """A scenario for the seed: the company, its logs (dict of DataFrames) and the truth.

    employees: 10–500, days: 10–120. variant (optional) forces the entry route: "phishing", "vpn" or "rdp";
    without it the seed chooses. Raises ScenarioError (a CourseError, message in Japanese) for bad arguments.
    """
    seed, employees, days, variant = check_arguments(seed, employees, days, variant)
    s_world, s_clock, s_plan, s_attack, s_background, s_backup = np.random.SeedSequence(seed).spawn(6)
    world = build_world(np.random.default_rng(s_world), employees, days, np.random.default_rng(s_clock))
    plan = plan_attack(np.random.default_rng(s_plan), world, variant)
    backups = backup_jobs(np.random.default_rng(s_backup), world, plan)
    events, facts = attack_events(np.random.default_rng(s_attack), world, plan)
    noise = Batches()
    helpdesk = background(np.random.default_rng(s_background), world, plan, noise)
    logs = assemble(world, noise, events, backups)
    truth = _truth(world, plan, facts, backups, helpdesk)
    return Scenario(seed, employees, days, world.company, timestamp(int(world.day_start[0])), timestamp(world.end),
                    logs, truth)


def _truth(world, plan, facts, backups, helpdesk):
    """The one place where the truth is put together: from the attack plan, the facts of the attack's events, the
    backup jobs and what the help desk recorded."""
    E = plan.encryption
    clean = [b for b in backups if b["status"] == "Success" and b["end"] < E]
    last_clean = clean[-1] if clean else None
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
        early_ticket=helpdesk["early_ticket"],
        discovery_time=timestamp(helpdesk["discovery"]),
    )
