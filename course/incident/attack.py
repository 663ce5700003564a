"""The attack of the scenario: the plan (entry route, first host, stolen admin account, targets, times, addresses,
tool and file names) and the attack's own rows in every log, with the facts the truth needs (scenario._truth).

After the entry (a phishing attachment, misused VPN credentials or an exposed remote desktop) the attacker explores,
steals credentials, moves to the servers with PsExec, copies data out (rclone or WinSCP), deletes shadow copies and
encrypts the file server at night; with `wipe_nas` it also encrypts the backup folder on NAS01 from the file server.
The plan and the events each have their own random stream; the help-desk tickets about the attack (the early warning
sign and the reports on the morning of the discovery) are drawn from the events' stream too, so the noise never moves
them.

The credential dump needs administrator rights on the first PC (SeDebugPrivilege to read LSASS). The premise, as in
many small companies: the first user's account is a member of the PC's local Administrators group (so that staff can
install software), and on the working day before the entry an IT administrator signed in at that PC for support and
switched user instead of signing out, so the admin's credentials were still in LSASS memory (security log: 4624 logon
type 2 and 4672 of the admin account on the PC).
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import content
from .clock import HOUR, MINUTE
from .content import fill

VARIANTS = ("phishing", "vpn", "rdp")


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
    wipe_nas: bool = False      # the attacker also encrypts the backup folder on NAS01


def plan_attack(rng, world, variant=None, wipe_nas=False):
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
                pick("encryptor_names"), pick("encryptor_dirs"), pick("dump_names"), late_users, late_day, wipe_nas)


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

    # 6. the IT admin's support session on the first PC on the working day before the entry (why the dump found admin
    # rights)
    support_day = max(0, plan.entry_day - 1)
    while support_day > 0 and not world.workday[support_day]:
        support_day -= 1
    support = int(world.day_start[support_day] + 10 * HOUR + rng.integers(0, 6 * HOUR))
    for eid, ltype in ((4624, 2), (4672, None)):
        ev.add("security", time=support, host=h0, event_id=eid, account=plan.adm, logon_type=ltype,
               source_ip="127.0.0.1" if ltype else None, source_host=h0 if ltype else None, status=None)

    _helpdesk(rng, world, plan, ev, facts)
    # 7. (wipe_nas; drawn last, so the rest of the attack stays the same) the backup folder on NAS01 is reachable
    # from the file server with the stolen domain admin account: an always-connected copy is encrypted like the original
    if plan.wipe_nas:
        wiped = E + int(rng.integers(1, 6)) * MINUTE
        nas_share = f"\\\\NAS01\\{content.load('company')['backup']['share']}"
        proc(wiped, "FS01", plan.adm, enc_image, f"{enc_image} " + fill(atk["encryptor_args"], target=nas_share),
             "C:\\Windows\\PSEXESVC.exe")
        facts["nas_wiped"] = wiped
    facts["compromised"] = tuple(sorted(used))
    facts["infected"] = tuple(sorted({h0, *plan.targets}))
    return ev, facts


def _helpdesk(rng, world, plan, ev, facts):
    """The tickets about the attack: the early warning sign nobody followed up and the reports on the morning of the
    discovery (with wipe_nas also the IT staff's finding on NAS01). Ticket numbers are given when the tickets of the
    whole help desk are put in order (tables.assemble)."""
    atk = content.load("attack")
    staff = world.staff
    dept_names = [d["ja"] for d in world.departments]

    def ticket(time, person, channel, text):
        ev.add("helpdesk", time=int(time), reporter=staff.name[person], department=dept_names[staff.dept[person]],
               host=staff.host[person], channel=channel, text=text)

    if plan.variant == "phishing":
        early = plan.t0 + int(rng.integers(10, 60)) * MINUTE
    else:
        early = int(world.day_start[plan.entry_day] + 9 * HOUR + rng.integers(0, 90 * MINUTE))
    ticket(early, plan.user, "メール", atk["early_tickets"][plan.variant])
    facts["early_ticket"] = (early, staff.host[plan.user], atk["early_tickets"][plan.variant])
    tt = int(world.day_start[-1] + 8 * HOUR + 15 * MINUTE + rng.integers(0, 30 * MINUTE))
    facts["discovery"] = tt
    pool = rng.permutation(len(atk["discovery_tickets"]))
    k = int(rng.integers(3, len(pool) + 1))
    people = rng.choice(len(staff.account), size=k, replace=False)
    for j in range(k):
        ticket(tt, int(people[j]), ("電話", "チャット", "口頭")[j % 3],
               fill(atk["discovery_tickets"][pool[j]], note=plan.note))
        tt += int(rng.integers(2, 15)) * MINUTE
    if plan.wipe_nas:
        admin = int(np.flatnonzero(staff.adm_account == plan.adm)[0])
        ticket(tt + int(rng.integers(5, 30)) * MINUTE, admin, "口頭", atk["nas_wiped_ticket"])
