"""The background noise of the scenario's logs: what the company's staff, servers and the internet do every day,
drawn as whole numpy arrays (no Python loop over rows), and the help-desk tickets.

Background volumes per employee and working day (roughly): 14 security events, 13 processes, 35 web requests,
6 mails, 10 file-server audit events; servers and the VPN add their own; the ordinary help-desk tickets. The attack's
rows, including its help-desk tickets (the early warning sign and the reports on the morning of the discovery), come
from their own random stream (attack.py), so changing the noise never moves them; only the ticket numbers, which count
every ticket, depend on the noise. The decoys (decoys(), only when asked for) come from a seventh stream after
everything else, so a scenario without them is the same byte for byte.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import content
from .clock import HOUR, MINUTE
from .content import fill


def background(rng, world, plan, out):
    """Every generator of the noise, in a fixed order (they share one stream), adding their rows to `out`
    (tables.Batches)."""
    ud = user_days(rng, world, plan)
    _security_and_vpn(rng, world, plan, ud, out)
    _processes_and_services(rng, world, plan, ud, out)
    _web(rng, world, plan, ud, out)
    _mail(rng, world, ud, out)
    _file_audit(rng, world, ud, out)
    _helpdesk(rng, world, out)


# -- small helpers ---------------------------------------------------------------------------------------------------

def _obj(values):
    return np.asarray(values, dtype=object)


def _full(n, value):
    return np.full(n, value, dtype=object)


@dataclass
class UserDays:
    """One row per employee and working day at the office (or working from home over the VPN)."""
    u: np.ndarray
    d: np.ndarray
    arrive: np.ndarray
    leave: np.ndarray
    remote: np.ndarray
    assigned: np.ndarray


def user_days(rng, world, plan):
    staff = world.staff
    workdays = np.flatnonzero(world.workday)
    n_staff = len(staff.account)
    u = np.repeat(np.arange(n_staff), len(workdays))
    d = np.tile(workdays, n_staff)
    present = rng.random(u.size) < 0.95
    present |= (u == plan.user) & (d == plan.entry_day)
    u, d = u[present], d[present]
    n = u.size
    arrive = world.day_start[d] + 8 * HOUR + 10 * MINUTE + rng.integers(0, 70 * MINUTE, size=n)
    leave = world.day_start[d] + 17 * HOUR + 30 * MINUTE + np.minimum(rng.exponential(50 * MINUTE, size=n),
                                                                      4.5 * HOUR).astype(np.int64)
    remote = staff.telework[u] & (rng.random(n) < 0.25)
    # VPN addresses: distinct within a day (10.8.0.10 upwards), in order of arrival
    assigned = _full(n, None)
    idx = np.flatnonzero(remote)
    if idx.size:
        order = idx[np.lexsort((arrive[idx], d[idx]))]
        day_of = d[order]
        first = np.r_[0, np.flatnonzero(np.diff(day_of)) + 1]
        rank = np.arange(order.size) - np.repeat(first, np.diff(np.r_[first, order.size]))
        assigned[order] = np.char.add(f"{world.vpn_pool}.", (10 + rank % 240).astype(str)).astype(object)
    return UserDays(u, d, arrive, leave, remote, assigned)


def spread(rng, ud, lam, mask=None):
    """Poisson(lam) events per user-day (optionally only where mask), at uniform times between arrival and leaving."""
    lam_arr = np.where(mask, lam, 0.0) if mask is not None else np.full(ud.u.size, float(lam))
    counts = rng.poisson(lam_arr)
    idx = np.repeat(np.arange(ud.u.size), counts)
    lo, hi = ud.arrive[idx], ud.leave[idx]
    times = lo + (rng.random(idx.size) * (hi - lo)).astype(np.int64)
    return idx, times


def _choice(rng, weights, size):
    p = np.asarray(weights, float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _hexes(rng, n, digits=8):
    return np.char.mod(f"%0{digits}x", rng.integers(0, 16 ** digits, size=n, dtype=np.int64)).astype(object)


# -- the generators ------------------------------------------------------------------------------------------------

def _security_and_vpn(rng, world, plan, ud, out):
    staff = world.staff
    host, ip, acct = staff.host, staff.ip, staff.account
    u = ud.u
    n = u.size
    localhost = "127.0.0.1"
    # morning logon: at the PC (type 2) or from home through the VPN with remote desktop (type 10)
    ltype = np.where(ud.remote, 10, 2)
    src_ip = np.where(ud.remote, ud.assigned, localhost).astype(object)
    src_host = np.where(ud.remote, None, host[u]).astype(object)
    out.add("security", n, time=ud.arrive, host=host[u], event_id=4624, account=acct[u], logon_type=ltype,
            source_ip=src_ip, source_host=src_host, status=_full(n, None))
    # mistyped passwords just before the logon (ordinary 4625s)
    typo = rng.random(n) < 0.07
    for k in (1, 2):
        m = typo & ((k == 1) | (rng.random(n) < 0.3))
        i = np.flatnonzero(m)
        out.add("security", i.size, time=ud.arrive[i] - rng.integers(5, 40, size=i.size) * k, host=host[u[i]],
                event_id=4625, account=acct[u[i]], logon_type=ltype[i], source_ip=src_ip[i],
                source_host=src_host[i], status="0xC000006A")
    # someone who forgot the new password: several failures in a row
    i = np.flatnonzero(rng.random(n) < 0.004)
    reps = 5
    ii = np.repeat(i, reps)
    out.add("security", ii.size, time=ud.arrive[ii] - 240 + np.tile(np.arange(reps) * 25, i.size),
            host=host[u[ii]], event_id=4625, account=acct[u[ii]], logon_type=2, source_ip=localhost,
            source_host=host[u[ii]], status="0xC000006A")
    # unlocking the screen, and network logons to the servers
    idx, times = spread(rng, ud, 3)
    out.add("security", idx.size, time=times, host=host[u[idx]], event_id=4624, account=acct[u[idx]], logon_type=7,
            source_ip=localhost, source_host=host[u[idx]], status=_full(idx.size, None))
    dept_codes = np.array([d["code"] for d in world.departments], dtype=object)
    uses_app = np.isin(dept_codes[world.staff.dept[u]], ["EIGYO", "KEIRI", "SEIZO"])
    for server, lam, mask in (("FS01", 5, None), ("DC01", 2, None), ("APP01", 2, uses_app)):
        idx, times = spread(rng, ud, lam, mask)
        out.add("security", idx.size, time=times, host=server, event_id=4624, account=acct[u[idx]], logon_type=3,
                source_ip=ip[u[idx]], source_host=host[u[idx]], status=_full(idx.size, None))
    # the IT staff's admin work on the servers (remote desktop with the admin account: 4624 type 10 + 4672)
    is_admin = staff.is_admin[u]
    idx, times = spread(rng, ud, 2, is_admin)
    servers = _obj(["DC01", "FS01", "APP01"])[rng.integers(0, 3, size=idx.size)]
    adm = staff.adm_account[u[idx]]
    out.add("security", idx.size, time=times, host=servers, event_id=4624, account=adm, logon_type=10,
            source_ip=ip[u[idx]], source_host=host[u[idx]], status=_full(idx.size, None))
    out.add("security", idx.size, time=times, host=servers, event_id=4672, account=adm, logon_type=None,
            source_ip=_full(idx.size, None), source_host=_full(idx.size, None), status=_full(idx.size, None))

    # VPN: staff working from home
    r = np.flatnonzero(ud.remote)
    sid = np.char.add("S", _hexes(rng, r.size).astype(str)).astype(object)
    login = ud.arrive[r] - rng.integers(60, 300, size=r.size)
    home = staff.home_ip[u[r]]
    out.add("vpn", r.size, time=login, event="login_success", user=acct[u[r]], src_ip=home,
            assigned_ip=ud.assigned[r], session_id=sid)
    out.add("vpn", r.size, time=ud.leave[r] + rng.integers(30, 300, size=r.size), event="logout", user=acct[u[r]],
            src_ip=home, assigned_ip=ud.assigned[r], session_id=sid)
    f = r[rng.random(r.size) < 0.05]
    out.add("vpn", f.size, time=ud.arrive[f] - 330, event="login_failure", user=acct[u[f]],
            src_ip=staff.home_ip[u[f]], assigned_ip=_full(f.size, None), session_id=_full(f.size, None))
    # the IT staff sometimes work late from home: VPN, then remote desktop to a server as admin
    a = np.flatnonzero(is_admin & (rng.random(n) < 0.12))
    start = world.day_start[ud.d[a]] + 20 * HOUR + rng.integers(0, 150 * MINUTE, size=a.size)
    sid = np.char.add("S", _hexes(rng, a.size).astype(str)).astype(object)
    addr = np.char.add(f"{world.vpn_pool}.", rng.integers(245, 251, size=a.size).astype(str)).astype(object)
    out.add("vpn", a.size, time=start, event="login_success", user=acct[u[a]], src_ip=staff.home_ip[u[a]],
            assigned_ip=addr, session_id=sid)
    out.add("vpn", a.size, time=start + rng.integers(30, 90, size=a.size) * MINUTE, event="logout", user=acct[u[a]],
            src_ip=staff.home_ip[u[a]], assigned_ip=addr, session_id=sid)
    srv = _obj(["DC01", "FS01", "APP01"])[rng.integers(0, 3, size=a.size)]
    for eid, lt, sip in ((4624, 10, addr), (4672, None, _full(a.size, None))):
        out.add("security", a.size, time=start + 120, host=srv, event_id=eid, account=staff.adm_account[u[a]],
                logon_type=lt, source_ip=sip, source_host=_full(a.size, None), status=_full(a.size, None))

    # password spraying against the VPN from the internet (never succeeds): noise on every day
    days = len(world.day_start)
    bursts = rng.poisson(1.2, size=days)
    bd = np.repeat(np.arange(days), bursts)
    sizes = rng.integers(5, 30, size=bd.size)
    bt = np.repeat(world.day_start[bd] + rng.integers(0, 86400, size=bd.size), sizes)
    bt = bt + rng.integers(0, 300, size=bt.size)
    src = np.repeat(world.scanners[rng.integers(0, 15, size=bd.size)], sizes)
    generic = _obj(["admin", "test", "user", "vpn", "guest", "support", "info", "backup"])
    names = np.where(rng.random(bt.size) < 0.3, acct[rng.integers(0, len(acct), size=bt.size)],
                     generic[rng.integers(0, len(generic), size=bt.size)]).astype(object)
    out.add("vpn", bt.size, time=bt, event="login_failure", user=names, src_ip=src, assigned_ip=_full(bt.size, None),
            session_id=_full(bt.size, None))

    if plan.variant == "rdp":
        _exposed_rdp_noise(rng, world, plan, out)


def _exposed_rdp_noise(rng, world, plan, out):
    """The PC with remote desktop open to the internet: guessing from scanners every day, and its owner's own logons."""
    staff = world.staff
    h0, ip0, u0 = staff.host[plan.user], staff.ip[plan.user], staff.account[plan.user]
    days = len(world.day_start)
    day = np.flatnonzero(rng.random(days) < 0.8)
    sizes = rng.integers(15, 80, size=day.size)
    bt = np.repeat(world.day_start[day] + rng.integers(0, 86400, size=day.size), sizes)
    bt = bt + np.concatenate([np.sort(rng.integers(0, 600, size=s)) for s in sizes]) if sizes.size else bt
    src = np.repeat(world.scanners[15 + rng.integers(0, 15, size=day.size)], sizes)
    names = _obj(["administrator", "admin", "user", "test", "guest", "scan", "owner", "pc"])
    acc = names[rng.integers(0, len(names), size=bt.size)]
    out.add("security", bt.size, time=bt, host=h0, event_id=4625, account=acc, logon_type=3, source_ip=src,
            source_host=_full(bt.size, None), status="0xC0000064")
    out.add("proxy", bt.size, time=bt, direction="inbound", src_host=_full(bt.size, None), src_ip=src,
            user=_full(bt.size, None), dest_host=h0, dest_ip=ip0, dest_port=3389, action="allowed", bytes_out=0,
            bytes_in=rng.integers(2000, 6000, size=bt.size))
    # the owner connects from home in the evening (the reason the port was opened)
    evenings = np.flatnonzero(world.workday & (rng.random(days) < 0.3))
    evenings = evenings[evenings != plan.entry_day]
    et = world.day_start[evenings] + 20 * HOUR + rng.integers(0, 150 * MINUTE, size=evenings.size)
    home = staff.home_ip[plan.user]
    k = evenings.size
    out.add("security", k, time=et, host=h0, event_id=4624, account=u0, logon_type=10, source_ip=home,
            source_host=_full(k, f"HOME-{u0.split('.')[0].upper()}"), status=_full(k, None))
    out.add("proxy", k, time=et, direction="inbound", src_host=_full(k, None), src_ip=home, user=_full(k, None),
            dest_host=h0, dest_ip=ip0, dest_port=3389, action="allowed", bytes_out=0,
            bytes_in=rng.integers(5_000_000, 40_000_000, size=k))


def _processes_and_services(rng, world, plan, ud, out):
    act = content.load("activity")
    staff = world.staff
    u = ud.u
    n = u.size
    host, acct = staff.host, staff.account
    userinit = "C:\\Windows\\System32\\userinit.exe"
    explorer = "C:\\Windows\\explorer.exe"
    out.add("process", n, time=ud.arrive + 5, host=host[u], user=acct[u], pid=rng.integers(250, 4000, size=n) * 4,
            parent_image=userinit, image=explorer, command_line="C:\\Windows\\Explorer.EXE")
    apps = act["apps"]
    idx, times = spread(rng, ud, 10)
    app = _choice(rng, [a["weight"] for a in apps], idx.size)
    cmd = _full(idx.size, None)
    image = _obj([a["image"] for a in apps])[app]
    files = world.files
    rel = files["path"].str.slice(len(world.company.share_root) + 1).to_numpy(dtype=object)
    for j, a in enumerate(apps):
        m = app == j
        if not m.any():
            continue
        if "{file}" in a["command"]:
            pool = np.flatnonzero(files["ext"].to_numpy() == a.get("ext"))
            pool = pool if pool.size else np.arange(len(files))
            before, after = a["command"].split("{file}")
            cmd[m] = before + rel[pool[rng.integers(0, pool.size, size=m.sum())]] + after
        elif "{user}" in a["command"]:
            per_user = _obj([fill(a["command"], user=x) for x in acct])
            cmd[m] = per_user[u[idx[m]]]
        else:
            cmd[m] = a["command"]
    k = idx.size
    out.add("process", k, time=times, host=host[u[idx]], user=acct[u[idx]], pid=rng.integers(250, 16000, size=k) * 4,
            parent_image=explorer, image=image, command_line=cmd)
    # printing from Word or Excel: splwow64.exe as a child of Office (ordinary)
    office = np.array([bool(a.get("office")) for a in apps])[app]
    p = np.flatnonzero(office & (rng.random(k) < 0.1))
    pr = act["office_print"]
    out.add("process", p.size, time=times[p] + rng.integers(30, 600, size=p.size), host=host[u[idx[p]]],
            user=acct[u[idx[p]]], pid=rng.integers(250, 16000, size=p.size) * 4, parent_image=image[p],
            image=pr["image"], command_line=pr["command"])
    # the IT staff's ordinary admin work
    tasks = act["admin_tasks"]
    idx, times = spread(rng, ud, 3, staff.is_admin[u])
    k = idx.size
    task = rng.integers(0, len(tasks), size=k)
    on_server = np.array([tk["host"] == "server" for tk in tasks])[task]
    where = np.where(on_server, _obj(["DC01", "FS01", "APP01"])[rng.integers(0, 3, size=k)], host[u[idx]])
    target_user = acct[rng.integers(0, len(acct), size=k)]
    cmds = _full(k, None)
    for j, tk in enumerate(tasks):
        m = task == j
        if "{target_user}" in tk["command"]:
            before, after = tk["command"].split("{target_user}")
            cmds[m] = before + target_user[m] + after
        else:
            cmds[m] = tk["command"]
    out.add("process", k, time=times, host=where.astype(object), user=staff.adm_account[u[idx]],
            pid=rng.integers(250, 16000, size=k) * 4, parent_image=_obj([tk["parent"] for tk in tasks])[task],
            image=_obj([tk["image"] for tk in tasks])[task], command_line=cmds)

    # services that start and stop (7036) on PCs and servers, and ordinary installs (7045)
    svc = _obj(act["services_7036"])
    idx, times = spread(rng, ud, 2)
    k = idx.size
    out.add("system", k, time=times, host=host[u[idx]], event_id=7036, service=svc[rng.integers(0, svc.size, size=k)],
            image_path=_full(k, None), state=_obj(["running", "stopped"])[rng.integers(0, 2, size=k)])
    days = len(world.day_start)
    for server in ("DC01", "FS01", "APP01"):
        c = rng.poisson(6, size=days)
        dd = np.repeat(np.arange(days), c)
        k = dd.size
        out.add("system", k, time=world.day_start[dd] + rng.integers(0, 86400, size=k), host=server, event_id=7036,
                service=svc[rng.integers(0, svc.size, size=k)], image_path=_full(k, None),
                state=_obj(["running", "stopped"])[rng.integers(0, 2, size=k)])
    inst = act["services_7045"]
    i = np.flatnonzero(rng.random(n) < 0.01)
    which = rng.integers(0, len(inst), size=i.size)
    out.add("system", i.size, time=ud.arrive[i] + rng.integers(60, 3600, size=i.size), host=host[u[i]], event_id=7045,
            service=_obj([s["service"] for s in inst])[which], image_path=_obj([s["image"] for s in inst])[which],
            state=_full(i.size, None))

    # the IT staff run a command on a PC with PsExec now and then (a legitimate PSEXESVC install)
    admins = np.flatnonzero(staff.is_admin)
    wd = np.flatnonzero(world.workday & (rng.random(days) < 0.25))
    k = wd.size
    who = admins[rng.integers(0, admins.size, size=k)]
    target = rng.integers(0, len(host), size=k)
    target = np.where(target == who, (target + 1) % len(host), target)
    tt = world.day_start[wd] + 10 * HOUR + rng.integers(0, 7 * HOUR, size=k)
    adm = staff.adm_account[who]
    lat = content.load("attack")["lateral"]
    ps = act["admin_psexec"]
    out.add("security", k, time=tt, host=host[target], event_id=4624, account=adm, logon_type=3,
            source_ip=staff.ip[who], source_host=host[who], status=_full(k, None))
    out.add("security", k, time=tt, host=host[target], event_id=4672, account=adm, logon_type=None,
            source_ip=_full(k, None), source_host=_full(k, None), status=_full(k, None))
    out.add("system", k, time=tt + 1, host=host[target], event_id=7045, service=lat["service"],
            image_path=lat["image"], state=_full(k, None))
    out.add("system", k, time=tt + 2, host=host[target], event_id=7036, service=lat["service"],
            image_path=_full(k, None), state="running")
    out.add("process", k, time=tt + 2, host=host[target], user="SYSTEM", pid=rng.integers(250, 16000, size=k) * 4,
            parent_image="C:\\Windows\\System32\\services.exe", image="C:\\Windows\\PSEXESVC.exe",
            command_line="C:\\Windows\\PSEXESVC.exe")
    out.add("process", k, time=tt + 3, host=host[target], user=adm, pid=rng.integers(250, 16000, size=k) * 4,
            parent_image="C:\\Windows\\PSEXESVC.exe", image=ps["image"], command_line=ps["command"])
    out.add("process", k, time=tt - 5, host=host[who], user=adm, pid=rng.integers(250, 16000, size=k) * 4,
            parent_image="C:\\Windows\\System32\\cmd.exe", image="C:\\IT\\tools\\PsExec.exe",
            command_line=np.char.add(np.char.add("C:\\IT\\tools\\PsExec.exe \\\\", host[target].astype(str)),
                                     " gpupdate /force").astype(object))


def _web(rng, world, plan, ud, out):
    act = content.load("activity")
    staff = world.staff
    u = ud.u
    services = world.services
    general = services[services["dept"] == -1]
    idx, times = spread(rng, ud, 35)
    k = idx.size
    dept = staff.dept[u[idx]]
    chosen = np.empty(k, dtype=np.int64)
    for di in range(len(world.departments)):
        m = dept == di
        if not m.any():
            continue
        rows = pd.concat([general, services[services["dept"] == di]])
        chosen[m] = rows.index.to_numpy()[_choice(rng, rows["weight"].to_numpy(float), m.sum())]
    blocked = services.index[services["dept"] == -3].to_numpy()
    is_blocked = rng.random(k) < 0.01
    chosen[is_blocked] = blocked[rng.integers(0, blocked.size, size=is_blocked.sum())]
    s = services.loc[chosen]
    out_b = (s["out"].to_numpy(float) * rng.lognormal(0, 0.6, size=k)).astype(np.int64) + 200
    in_b = (s["in"].to_numpy(float) * rng.lognormal(0, 0.8, size=k)).astype(np.int64)
    out.add("proxy", k, time=times, direction="outbound", src_host=staff.host[u[idx]], src_ip=staff.ip[u[idx]],
            user=staff.account[u[idx]], dest_host=s["domain"].to_numpy(dtype=object),
            dest_ip=s["ip"].to_numpy(dtype=object), dest_port=s["port"].to_numpy(np.int64),
            action=np.where(is_blocked, "blocked", "allowed").astype(object),
            bytes_out=np.where(is_blocked, 600, out_b), bytes_in=np.where(is_blocked, 0, in_b))
    # a new (legitimate) web service, used by a few people from part-way through the period
    late = services[services["late"]]
    if len(late) and plan.late_users.size:
        m = np.isin(u, plan.late_users) & (ud.d >= plan.late_day)
        idx, times = spread(rng, ud, 6, m)
        k = idx.size
        row = late.iloc[0]
        out.add("proxy", k, time=times, direction="outbound", src_host=staff.host[u[idx]], src_ip=staff.ip[u[idx]],
                user=staff.account[u[idx]], dest_host=row["domain"], dest_ip=row["ip"], dest_port=int(row["port"]),
                action="allowed", bytes_out=(row["out"] * rng.lognormal(0, 0.6, size=k)).astype(np.int64),
                bytes_in=(row["in"] * rng.lognormal(0, 0.6, size=k)).astype(np.int64))
    # the IT staff send log files to the IT vendor's support by SFTP (WinSCP installed normally)
    admin_days = np.flatnonzero(staff.is_admin[u] & (rng.random(u.size) < 0.15))
    k = admin_days.size
    tt = ud.arrive[admin_days] + rng.integers(HOUR, 6 * HOUR, size=k)
    domain, vip, port = world.vendor_sftp
    out.add("process", k, time=tt - 10, host=staff.host[u[admin_days]], user=staff.account[u[admin_days]],
            pid=rng.integers(250, 16000, size=k) * 4, parent_image="C:\\Windows\\explorer.exe",
            image="C:\\Program Files (x86)\\WinSCP\\WinSCP.exe",
            command_line='"C:\\Program Files (x86)\\WinSCP\\WinSCP.exe"')
    out.add("proxy", k, time=tt, direction="outbound", src_host=staff.host[u[admin_days]],
            src_ip=staff.ip[u[admin_days]], user=staff.account[u[admin_days]], dest_host=domain, dest_ip=vip,
            dest_port=port, action="allowed", bytes_out=rng.integers(500_000, 8_000_000, size=k),
            bytes_in=rng.integers(5_000, 40_000, size=k))
    # scans from the internet, blocked at the firewall
    days = len(world.day_start)
    c = rng.poisson(20, size=days)
    dd = np.repeat(np.arange(days), c)
    k = dd.size
    ports = np.array([22, 23, 445, 3389, 8080, 1433], np.int64)
    out.add("proxy", k, time=world.day_start[dd] + rng.integers(0, 86400, size=k), direction="inbound",
            src_host=_full(k, None), src_ip=world.scanners[rng.integers(0, world.scanners.size, size=k)],
            user=_full(k, None), dest_host="VPN01", dest_ip=world.company.public_ip,
            dest_port=ports[rng.integers(0, ports.size, size=k)], action="blocked", bytes_out=0,
            bytes_in=rng.integers(40, 120, size=k))


def _mail(rng, world, ud, out):
    act = content.load("activity")
    staff = world.staff
    u = ud.u
    idx, times = spread(rng, ud, 6)
    k = idx.size
    partners = world.partner_mail
    p = rng.integers(0, len(partners), size=k)
    domains = _obj([d for d, _ in partners])
    ips = _obj([i for _, i in partners])
    local = _obj(["info", "sales", "eigyo", "support", "keiri", "order", "jimu"])
    sender = local[rng.integers(0, local.size, size=k)] + "@" + domains[p]
    subjects = _obj(act["mail_subjects"])
    attach = _obj(act["attachments"])
    has = rng.random(k) < 0.25
    attachment = np.where(has, attach[rng.integers(0, attach.size, size=k)], None).astype(object)
    size = np.where(has, rng.integers(80_000, 3_000_000, size=k), rng.integers(3_000, 40_000, size=k))
    spam = rng.random(k) < 0.04
    spam_subjects = _obj(act["spam_subjects"])
    subject = np.where(spam, spam_subjects[rng.integers(0, spam_subjects.size, size=k)],
                       subjects[rng.integers(0, subjects.size, size=k)]).astype(object)
    spam_from = "noreply@" + _obj(["promo-mail.example", "prize-center.example", "secure-login.example"])[
        rng.integers(0, 3, size=k)]
    sender = np.where(spam, spam_from, sender).astype(object)
    sip = np.where(spam, world.scanners[rng.integers(0, world.scanners.size, size=k)], ips[p]).astype(object)
    mid = "<" + _hexes(rng, k, 12) + "@" + np.where(spam, "promo-mail.example", domains[p]).astype(object) + ">"
    out.add("mail", k, time=times - rng.integers(0, 2 * HOUR, size=k), message_id=mid, sender=sender, sender_ip=sip,
            recipient=staff.account[u[idx]] + f"@{world.company.domain}", subject=subject,
            attachment=np.where(spam, None, attachment).astype(object), size=size,
            verdict=np.where(spam, "quarantined", "delivered").astype(object))


def _file_audit(rng, world, ud, out):
    staff = world.staff
    u = ud.u
    files = world.files
    idx, times = spread(rng, ud, 10)
    k = idx.size
    dept = staff.dept[u[idx]]
    own = rng.random(k) < 0.9
    fi = rng.integers(0, len(files), size=k)
    fdept = files["dept"].to_numpy()
    for di in range(len(world.departments)):
        m = own & (dept == di)
        pool = np.flatnonzero(fdept == di)
        if m.any() and pool.size:
            fi[m] = pool[rng.integers(0, pool.size, size=m.sum())]
    paths = files["path"].to_numpy(dtype=object)[fi]
    action = _obj(["write", "create", "rename", "delete"])[_choice(rng, [0.6, 0.15, 0.15, 0.1], k)]
    new_path = _full(k, None)
    r = np.flatnonzero(action == "rename")
    stems = files["path"].str.rsplit(".", n=1).str[0].to_numpy(dtype=object)[fi[r]]
    exts = files["ext"].to_numpy(dtype=object)[fi[r]]
    suffix = _obj(["_旧", "_コピー", "(2)", "_確認済"])[rng.integers(0, 4, size=r.size)]
    new_path[r] = stems + suffix + "." + exts
    out.add("file_audit", k, time=times, host="FS01", account=staff.account[u[idx]], source_ip=staff.ip[u[idx]],
            action=action, path=paths, new_path=new_path)


def _helpdesk(rng, world, out):
    """Ordinary tickets (printers, passwords, meeting-room equipment …) on working days. The tickets about the attack
    are the attack's own rows (attack._helpdesk); tables.assemble numbers all tickets in time order."""
    act = content.load("activity")
    staff = world.staff
    n_staff = len(staff.account)
    dept_names = _obj([d["ja"] for d in world.departments])
    days = np.flatnonzero(world.workday)
    c = rng.poisson(max(0.6, n_staff / 25), size=days.size)
    dd = np.repeat(days, c)
    k = dd.size
    who = rng.integers(0, n_staff, size=k)
    texts = _obj(act["helpdesk_background"])
    channels = _obj(act["helpdesk_channels"])
    times = world.day_start[dd] + 9 * HOUR + rng.integers(0, 9 * HOUR, size=k)
    out.add("helpdesk", k, ticket_id=_full(k, None), time=times, reporter=staff.name[who],
            department=dept_names[staff.dept[who]], host=staff.host[who],
            channel=channels[rng.integers(0, channels.size, size=k)], text=texts[rng.integers(0, texts.size, size=k)])


# -- decoys: ordinary activity that a single filter mistakes for the attack (graded variants) ------------------------

DECOYS = ("backup_rename", "big_upload", "night_logon", "masquerade")
MASQUERADE_NAME = "OneDriveStandaloneUpdater.exe"   # the beacon's name with `masquerade` (a real Windows program)
LEGIT_UPDATER = "C:\\Program Files\\Microsoft OneDrive\\" + MASQUERADE_NAME
BACKUP_AGENT = "C:\\Program Files\\BackupAgent\\bkagent.exe"
UPLOAD_DOMAIN = "upload.cloudbox.example"


def decoys(rng, world, plan, facts, names, out):
    """The chosen decoys' rows (own random stream, drawn after the attack; without decoys nothing is drawn):

    backup_rename  the backup agent on FS01 keeps the previous version of files as <name>.bak every night, more
                   renames in total than the encryption made: the most frequent new extension is .bak, not the ransom's
    big_upload     an employee whose PC is not infected uploads drawings to a new cloud service after the entry, more
                   bytes than the attacker took: the largest transfer to a new destination is not the stolen data
    night_logon    an IT administrator works at night over the VPN and remote desktop (4624 type 10 on a server) on
                   another night than the entry: the night-time logon is not by itself the attacker's
    masquerade     the implant carries the name of a real Windows program (OneDriveStandaloneUpdater.exe, run every
                   working day from its own folder on every PC): searching the image's name finds every PC
    """
    staff = world.staff
    E = plan.encryption
    if "backup_rename" in names:
        files = world.files["path"].to_numpy(dtype=object)
        n = files.size
        for d in range(len(world.day_start)):
            start = int(world.day_start[d] + 2 * HOUR + 30 * MINUTE + rng.integers(0, 20 * MINUTE))
            if start >= min(E, world.end):
                break
            k = int(n * rng.uniform(0.2, 0.32))
            pick = np.sort(rng.choice(n, size=k, replace=False))
            times = start + np.sort(rng.integers(0, int(k / rng.uniform(15, 30)) + 2, size=k))
            out.add("process", 1, time=np.array([start - 20], np.int64), host="FS01", user="svc_backup",
                    pid=np.array([int(rng.integers(250, 4000)) * 4], np.int64),
                    parent_image="C:\\Windows\\System32\\services.exe", image=BACKUP_AGENT,
                    command_line=f'"{BACKUP_AGENT}" /versioning "{world.company.share_root}" /keep-previous .bak')
            out.add("file_audit", k, time=times, host="FS01", account="svc_backup", source_ip=_full(k, None),
                    action="rename", path=files[pick], new_path=files[pick] + ".bak")
    if "big_upload" in names:
        infected = {staff.host[plan.user], *plan.targets}
        cand = [i for i in range(len(staff.host)) if staff.host[i] not in infected and not staff.is_admin[i]]
        who = int(cand[int(rng.integers(len(cand)))])
        days = [d for d in range(plan.entry_day, plan.night_day + 1) if world.workday[d]] or [plan.entry_day]
        day = days[int(rng.integers(len(days)))]
        used = {plan.c2_ip, plan.exfil_ip, plan.attacker_ip, facts.get("entry_source_ip"),
                *[ip for ip in staff.home_ip if ip]}
        spare = [ip for ip in world.spare if ip not in used]
        dest = spare[int(rng.integers(len(spare)))]
        total = int(facts["exfil_bytes"] * rng.uniform(1.4, 2.2))
        k = int(rng.integers(60, 200))
        parts = np.maximum(1, np.floor(rng.dirichlet(np.ones(k)) * total)).astype(np.int64)
        parts[-1] += total - parts.sum()
        times = int(world.day_start[day] + 13 * HOUR + rng.integers(0, 2 * HOUR)) + np.sort(
            rng.integers(0, int(total / rng.uniform(8e6, 20e6)) + 2, size=k))
        out.add("proxy", k, time=times, direction="outbound", src_host=staff.host[who], src_ip=staff.ip[who],
                user=staff.account[who], dest_host=UPLOAD_DOMAIN, dest_ip=dest, dest_port=443, action="allowed",
                bytes_out=parts, bytes_in=rng.integers(2000, 20000, size=k))
    if "night_logon" in names:
        admins = np.flatnonzero(staff.is_admin)
        a = int(admins[int(rng.integers(len(admins)))])
        nights = [d for d in range(max(1, plan.entry_day - 3), plan.night_day + 1) if d != plan.entry_day]
        day = nights[int(rng.integers(len(nights)))]
        t = int(world.day_start[day] + 30 * MINUTE + rng.integers(0, int(3.5 * HOUR)))
        assigned = f"{world.vpn_pool}.250"
        sid = "S" + "".join(f"{x:02x}" for x in rng.integers(0, 256, size=4))
        server = "APP01"
        account = str(staff.adm_account[a])
        out.add("vpn", 2, time=np.array([t, t + int(rng.integers(40, 90)) * MINUTE], np.int64),
                event=_obj(["login_success", "logout"]), user=staff.account[a], src_ip=staff.home_ip[a],
                assigned_ip=assigned, session_id=sid)
        lt = t + int(rng.integers(2, 6)) * MINUTE
        out.add("security", 2, time=np.array([lt, lt], np.int64), host=server, event_id=np.array([4624, 4672]),
                account=account, logon_type=_obj([10, None]), source_ip=_obj([assigned, None]),
                source_host=_obj([staff.host[a], None]), status=_full(2, None))
        out.add("process", 1, time=np.array([lt + 90], np.int64), host=server, user=account,
                pid=np.array([int(rng.integers(250, 4000)) * 4], np.int64), parent_image="C:\\Windows\\explorer.exe",
                image="C:\\Windows\\System32\\mmc.exe", command_line='"C:\\Windows\\System32\\mmc.exe" services.msc')
    if "masquerade" in names:
        workdays = np.flatnonzero(world.workday)
        n_staff = len(staff.host)
        u = np.repeat(np.arange(n_staff), workdays.size)
        d = np.tile(workdays, n_staff)
        k = u.size
        out.add("process", k, time=world.day_start[d] + 9 * HOUR + rng.integers(0, 3 * HOUR, size=k),
                host=staff.host[u], user=staff.account[u], pid=rng.integers(250, 16000, size=k) * 4,
                parent_image="C:\\Windows\\System32\\svchost.exe", image=LEGIT_UPDATER,
                command_line=f'"{LEGIT_UPDATER}" /silent')
