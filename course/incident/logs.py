"""The scenario's logs as files: the columns and dtypes of every log (SCHEMAS), writing them as CSV and reading them
back with the right dtypes (write_logs / load_logs round-trip exactly).

Kinds of column: time = tz-aware Asia/Tokyo, str, int, Int = nullable integer, bool. Rows are sorted by time. The CSV
files are UTF-8 with a byte-order mark, so that Excel — which most learners will also try — shows the Japanese text
correctly; load_logs reads both with and without it.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CourseError
from ..i18n import both
from .clock import TZ

SCHEMAS = {
    "users": {"account": "str", "name": "str", "department": "str", "dept_code": "str", "email": "str",
              "host": "str", "role": "str", "admin_account": "str", "telework": "bool"},
    "assets": {"host": "str", "kind": "str", "ip": "str", "department": "str", "owner": "str", "os": "str",
               "role": "str", "depends_on": "str", "max_downtime_hours": "Int", "recovery": "str"},
    "mail": {"time": "time", "message_id": "str", "sender": "str", "sender_ip": "str", "recipient": "str",
             "subject": "str", "attachment": "str", "size": "int", "verdict": "str"},
    "proxy": {"time": "time", "direction": "str", "src_host": "str", "src_ip": "str", "user": "str",
              "dest_host": "str", "dest_ip": "str", "dest_port": "int", "action": "str", "bytes_out": "int",
              "bytes_in": "int"},
    "vpn": {"time": "time", "event": "str", "user": "str", "src_ip": "str", "assigned_ip": "str", "session_id": "str"},
    "security": {"time": "time", "host": "str", "event_id": "int", "account": "str", "logon_type": "Int",
                 "source_ip": "str", "source_host": "str", "status": "str"},
    "system": {"time": "time", "host": "str", "event_id": "int", "service": "str", "image_path": "str",
               "state": "str"},
    "process": {"time": "time", "host": "str", "user": "str", "pid": "int", "parent_image": "str", "image": "str",
                "command_line": "str"},
    "file_audit": {"time": "time", "host": "str", "account": "str", "source_ip": "str", "action": "str",
                   "path": "str", "new_path": "str"},
    "backup": {"job_id": "str", "job_name": "str", "source": "str", "target": "str", "start": "time", "end": "time",
               "status": "str", "files_changed": "int", "bytes": "int", "message": "str"},
    "helpdesk": {"ticket_id": "str", "time": "time", "reporter": "str", "department": "str", "host": "str",
                 "channel": "str", "text": "str"},
}
LOG_NAMES = tuple(SCHEMAS)
TIME_COLUMN = {name: ("start" if name == "backup" else "time") for name in SCHEMAS if name not in ("users", "assets")}
CSV_ENCODING = "utf-8-sig"


class LogsError(CourseError, ValueError):
    """A log folder or file that cannot be read (the message names the file and what to do)."""


# -- CSV -------------------------------------------------------------------------------------------------------------

def write_logs(logs, folder):
    """Write each log as <folder>/<name>.csv (UTF-8 with BOM; times as ISO 8601 with +09:00). Returns the paths."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LogsError(both("incident.error.cannot_write", path=folder, reason=exc.strerror or exc)) from exc
    paths = []
    for name in LOG_NAMES:
        path = folder / f"{name}.csv"
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_bytes(csv_bytes(logs[name], name))
            tmp.replace(path)
        except OSError as exc:
            raise LogsError(both("incident.error.cannot_write", path=path, reason=exc.strerror or exc)) from exc
        paths.append(path)
    return paths


def csv_bytes(df, name):
    """One log as the bytes of its CSV file (UTF-8 with BOM; times as ISO 8601 with +09:00)."""
    df = df.copy()
    for col, kind in SCHEMAS[name].items():
        if kind == "time":
            df[col] = df[col].dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2",
                                                                               regex=True)
    return df.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING)


def read_log(path, name=None):
    """One CSV log with the dtypes of SCHEMAS[name] (name defaults to the file name)."""
    path = Path(path)
    name = name or path.stem
    if name not in SCHEMAS:
        raise LogsError(both("incident.error.unknown_log", name=name, names=", ".join(LOG_NAMES)))
    schema = SCHEMAS[name]
    if not path.exists():
        raise LogsError(both("incident.error.missing_log", path=path))
    dtypes = {c: "str" for c, k in schema.items() if k in ("str", "time")}
    try:
        df = pd.read_csv(path, dtype=dtypes, encoding=CSV_ENCODING, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise LogsError(both("incident.error.bad_log", path=path, reason=exc)) from exc
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise LogsError(both("incident.error.missing_columns", path=path, columns=", ".join(missing)))
    try:
        for col, kind in schema.items():
            if kind == "time":
                df[col] = pd.to_datetime(df[col], format="ISO8601").dt.tz_convert(TZ).dt.as_unit("us")
            elif kind == "int":
                df[col] = df[col].astype(np.int64)
            elif kind == "Int":
                df[col] = df[col].astype("Int64")
            elif kind == "bool":
                df[col] = df[col].astype(str).str.lower().map({"true": True, "false": False}).astype(bool)
    except (ValueError, TypeError) as exc:
        raise LogsError(both("incident.error.bad_log", path=path, reason=exc)) from exc
    return df[list(schema)]


def load_logs(folder, names=None):
    """Read the CSV logs written by `course scenario` (or write_logs) from folder: {name: DataFrame}."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LogsError(both("incident.error.missing_folder", path=folder))
    return {name: read_log(folder / f"{name}.csv", name) for name in (names or LOG_NAMES)}
