"""要確認 flags: why a submission needs the instructor's eyes. Stored in reports/<assignment>/flags.json.

A flag is {"code", "cell", "detail"}; its text is the UI string instructor.flag.<code> (Japanese, then English).
"""

import json
import os
import tempfile
from pathlib import Path

from ..i18n import t

FLAGS_FILE = "flags.json"


def reports_dir(root, assignment):
    return Path(root) / "reports" / assignment


def describe(flag, lang="ja"):
    values = {"cell": flag.get("cell") or "-", "detail": flag.get("detail", "")}
    try:
        return t(f"instructor.flag.{flag['code']}", lang=lang, **values)
    except KeyError:  # a hidden test's review() code without its own text
        return t("instructor.flag.review", lang=lang, code=flag["code"], **values)


def reason(flags):
    """One line for a grade export: every flag, Japanese with English after."""
    return " / ".join(f"{describe(f)}（{describe(f, 'en')}）" for f in flags)


def write_json(path, data):
    """Write JSON atomically (temp file + os.replace), so an interrupted run never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def read_json(path, default):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def load_flags(root, assignment):
    """{student: [flag, ...]} for the assignment (only students with flags)."""
    return read_json(reports_dir(root, assignment) / FLAGS_FILE, {})


def save_flags(root, assignment, flags):
    write_json(reports_dir(root, assignment) / FLAGS_FILE, {s: f for s, f in sorted(flags.items()) if f})


def unique(flags):
    seen, out = set(), []
    for flag in flags:
        key = (flag["code"], flag.get("cell", ""), flag.get("detail", ""))
        if key not in seen:
            seen.add(key)
            out.append({"code": flag["code"], "cell": flag.get("cell", ""), "detail": flag.get("detail", "")})
    return out
