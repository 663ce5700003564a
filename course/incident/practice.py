"""The practice scenario of the ir_* notebooks: one fixed seed (course/content/incident/course.yaml), its logs written
once as CSV beside the notebook (output/ir_logs/, so learners can also open them in Excel) and read back from there."""

from functools import lru_cache
from pathlib import Path

from . import content
from .logs import LOG_NAMES, load_logs, write_logs
from .scenario import generate


def settings():
    return content.load("course")["practice"]


@lru_cache(maxsize=4)
def practice_scenario(seed=None, wipe_nas=False):
    """The practice scenario; wipe_nas=True: the same attack, where the attacker also encrypts the NAS backup."""
    p = settings()
    return generate(p["seed"] if seed is None else seed, employees=p["employees"], days=p["days"], wipe_nas=wipe_nas)


@lru_cache(maxsize=4)
def cached_scenario(seed, employees=30, days=14):
    """generate(...) once per kernel (graded cells check several answers against the same scenario)."""
    return generate(seed, employees=employees, days=days)


def open_logs(folder=None, seed=None):
    """{name: DataFrame} of the practice logs, read from CSV; the files are written first if any is missing."""
    default = settings()["folder"] if seed is None else f"{settings()['folder']}_{seed}"
    folder = Path(folder or default)
    if not all((folder / f"{name}.csv").exists() for name in LOG_NAMES):
        write_logs(practice_scenario(seed).logs, folder)
    return load_logs(folder)


def describe_logs(logs):
    """One row per log: what it records (Japanese), rows, first and last time."""
    import pandas as pd

    from ..i18n import t
    from .logs import TIME_COLUMN

    rows = []
    for name, df in logs.items():
        col = TIME_COLUMN.get(name)
        rows.append({"ログ": name, "内容": t(f"incident.log.{name}"), "行数": len(df),
                     "最初": f"{df[col].min():%Y-%m-%d %H:%M}" if col and len(df) else "—",
                     "最後": f"{df[col].max():%Y-%m-%d %H:%M}" if col and len(df) else "—"})
    return pd.DataFrame(rows)
