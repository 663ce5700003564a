"""Assembly of the scenario's log tables: the background batches, the backup jobs' rows and the attack's rows become
one DataFrame per log with the columns and dtypes of logs.SCHEMAS, cut to the logged period and sorted by time;
`users` and `assets` are the company's inventories."""

import numpy as np
import pandas as pd

from . import content
from .clock import to_time
from .logs import SCHEMAS, TIME_COLUMN


def assemble(world, out, events, backups, marks=None):
    """All logs as DataFrames: the batches in `out` (the background), then the backup jobs, then the attack.

    marks (a dict, optional) receives {log: numpy bool array over the log's rows}: True for the attack's own rows
    (the truth of the evidence checks, evidence.py); the logs are the same with or without it."""
    _backup_rows(world, backups, out)
    first_attack = {name: len(parts) for name, parts in out.parts.items()}
    _attack_rows(events, out)
    users, assets = inventories(world)
    logs = {"users": _typed_frame("users", users), "assets": _typed_frame("assets", assets)}
    for name in SCHEMAS:
        if name not in logs:
            logs[name], mask = _frame(name, out.parts[name], world, first_attack.get(name, 0))
            if marks is not None:
                marks[name] = mask
    order = logs["backup"]["start"].argsort(kind="stable").to_numpy()
    logs["backup"] = logs["backup"].iloc[order].reset_index(drop=True)
    if marks is not None:
        marks["backup"] = marks["backup"][order]
        marks["users"] = np.zeros(len(logs["users"]), bool)
        marks["assets"] = np.zeros(len(logs["assets"]), bool)
    _number_tickets(world, logs["helpdesk"])
    return logs


def _number_tickets(world, desk):
    """Help-desk tickets are numbered in time order (HD-<year>-0001 …), the noise's and the attack's alike."""
    year = pd.Timestamp(int(world.day_start[-1]), unit="s").year
    desk["ticket_id"] = pd.array([f"HD-{year}-{i:04d}" for i in range(1, len(desk) + 1)], dtype="str")


def _cols(n, **cols):
    """A batch of n rows: scalars are repeated, arrays must have length n."""
    out = {}
    for key, value in cols.items():
        if isinstance(value, np.ndarray):
            assert len(value) == n, (key, len(value), n)
            out[key] = value
        else:
            out[key] = np.full(n, value, dtype=np.int64 if isinstance(value, (int, np.integer)) else object)
    return out


class Batches:
    """Columns for each log, in batches (the order of the batches decides the order of rows at the same second)."""

    def __init__(self):
        self.parts = {name: [] for name in SCHEMAS}

    def add(self, log, n, **cols):
        if n:
            self.parts[log].append(_cols(n, **cols))


def _backup_rows(world, backups, out):
    """One row per backup job, and the backup service's logon on the file server just before each job starts."""
    for b in backups:
        out.add("backup", 1, **{k: np.array([v], dtype=np.int64 if isinstance(v, int) and k != "job_id" else object)
                                for k, v in b.items()})
    starts = np.array([b["start"] for b in backups], np.int64)
    k = starts.size
    for eid, lt, sip in ((4624, 3, world.nas_ip), (4672, None, None)):
        out.add("security", k, time=starts - 2, host="FS01", event_id=eid, account="svc_backup", logon_type=lt,
                source_ip=sip, source_host="NAS01" if sip else None, status=np.full(k, None, dtype=object))


def _attack_rows(events, out):
    """The attack's rows (attack.Events) as batches."""
    for log, rows in events.rows.items():
        schema = SCHEMAS[log]
        n = len(rows)
        cols = {}
        for col, kind in schema.items():
            vals = [r.get(col) for r in rows]
            cols[col] = np.array(vals, dtype=np.int64) if kind in ("int", "time") else np.array(vals, dtype=object)
        out.add(log, n, **cols)
    for log, batches in events.columns.items():
        for cols in batches:
            out.add(log, len(next(iter(cols.values()))), **cols)


# -- inventories ----------------------------------------------------------------------------------------------------

def inventories(world):
    staff = world.staff
    depts = world.departments
    users = pd.DataFrame({
        "account": staff.account, "name": staff.name, "department": [depts[d]["ja"] for d in staff.dept],
        "dept_code": [depts[d]["code"] for d in staff.dept],
        "email": [f"{a}@{world.company.domain}" for a in staff.account], "host": staff.host,
        "role": [r or None for r in staff.role], "admin_account": staff.adm_account, "telework": staff.telework})
    rows = [{"host": s["host"], "kind": s["kind"], "ip": s["ip"], "department": None, "owner": None, "os": s["os"],
             "role": s["role"], "depends_on": s["depends_on"] or None,
             "max_downtime_hours": s.get("max_downtime_hours"), "recovery": s["recovery"]} for s in world.servers]
    comp = content.load("company")
    pc_hours, pc_recovery = comp["pc_max_downtime_hours"], comp["pc_recovery"]
    for k in range(len(staff.host)):
        rows.append({"host": staff.host[k], "kind": "pc", "ip": staff.ip[k], "department": depts[staff.dept[k]]["ja"],
                     "owner": staff.account[k], "os": "Windows 11 Pro", "role": f"業務用 PC（{staff.name[k]}）",
                     "depends_on": "DC01", "max_downtime_hours": pc_hours, "recovery": pc_recovery})
    return users, pd.DataFrame(rows)


# -- typed frames ---------------------------------------------------------------------------------------------------

def _frame(name, parts, world, first_attack=None):
    """(DataFrame, attack mask): parts from index first_attack on are the attack's."""
    schema = SCHEMAS[name]
    tcol = TIME_COLUMN[name]
    first_attack = len(parts) if first_attack is None else first_attack
    lengths = [len(next(iter(p.values()))) for p in parts]
    attack = (np.concatenate([np.full(n, i >= first_attack) for i, n in enumerate(lengths)]) if lengths
              else np.zeros(0, bool))
    cols = {}
    for col, kind in schema.items():
        arrays = []
        for p in parts:
            v = p.get(col)
            if v is None:
                raise KeyError(f"{name}.{col} missing in a batch")
            arrays.append(v)
        cols[col] = np.concatenate(arrays) if arrays else np.array([], dtype=object)
    times = cols[tcol].astype(np.int64)
    keep = (times >= world.day_start[0]) & (times <= world.end)
    order = np.argsort(times[keep], kind="stable")
    data = {}
    for col, kind in schema.items():
        v = cols[col][keep][order]
        data[col] = _typed(v, kind)
    return pd.DataFrame(data), attack[keep][order]


def _typed(values, kind):
    if kind == "time":
        return to_time(values.astype(np.int64))
    if kind == "int":
        return values.astype(np.int64)
    if kind == "Int":
        return pd.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v) for v in values],
                        dtype="Int64") if values.dtype == object else pd.array(values, dtype="Int64")
    if kind == "bool":
        return values.astype(bool)
    return pd.array(values, dtype="str")


def _typed_frame(name, df):
    return pd.DataFrame({col: _typed(df[col].to_numpy(dtype=object if kind != "bool" else bool), kind)
                         for col, kind in SCHEMAS[name].items()})
