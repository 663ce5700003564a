"""Submissions downloaded from an LMS (Moodle, Canvas, or one zip per learner), for nbgrader's `zip_collect`.

`course collect A --lms PATH --layout plain|moodle|canvas [--roster roster.csv]` copies PATH (the LMS's download zip,
or a folder of files and zips) to downloaded/<A>/archive/ and runs `nbgrader zip_collect` with the two plugins below:

- `LmsExtractor` unpacks every zip (and the zips inside it: learners upload their assignment folder as a zip) into
  downloaded/<A>/extracted/, a zip into a folder of its own name, keeping each file's time from the zip (the
  submission time). Entries with absolute paths or `..` are skipped.
- `LmsCollector` names the learner and the file of each extracted file from its path (LAYOUTS, `identify`): the first
  path part that matches the layout's pattern gives the learner; the file is the rest of the path from the first part
  that the release has at its top (the notebook, answers/, logs/…), so wrapper folders do not matter. Hidden files,
  __MACOSX and files outside the release's layout are skipped.

Layouts (README "LMS"):
- plain: <student>.zip or <student>_anything.zip (the course's own `release --zip` round trip, `course demo`).
- moodle: "Download all submissions" gives <Full name>_<participant id>_assignsubmission_file_/<file> (or, without
  "download submissions in folders", <Full name>_<participant id>_assignsubmission_file_<file>). The participant id
  is per assignment, so the learner is found by full name in the roster.
- canvas: "Download Submissions" gives <name>_<user id>_<submission id>_<file>, late ones <name>_late_<user id>_….
  The learner is found by Canvas user id (roster column lms_id), else by name; without a roster the name part is
  taken as the course's student id (a Canvas login name).

Roster CSV (UTF-8, with or without BOM): student_id (the course's id, required), name (the full name as the LMS shows
it), email, lms_id (Canvas: the user ID, column "ID" of its gradebook export; Moodle: the username), section.
"""

import calendar
import datetime
import os
import re
import shutil
import zipfile
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Unicode

LAYOUTS = {
    "plain": re.compile(r"^(?P<student>[^_]+)(?:_.*)?$"),
    "moodle": re.compile(r"^(?P<name>.+)_(?P<lms_id>\d+)_assignsubmission_file_(?P<rest>.*)$"),
    "canvas": re.compile(r"^(?P<name>[^_]+)(?:_late)?_(?P<lms_id>\d+)_\d+_(?P<rest>.+)$", re.IGNORECASE),
}
NEEDS_ROSTER = {"moodle"}
ROSTER_COLUMNS = ["student_id", "name", "email", "lms_id", "section"]


def normalize_name(name):
    """A name compared without case, spaces, underscores or punctuation ("Yamada, Taro" = "yamadataro")."""
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


def read_roster(path):
    """The roster CSV as a list of dicts with ROSTER_COLUMNS (missing columns empty); [] without a path."""
    import csv

    from ..errors import CourseError
    from ..i18n import t

    if not path:
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise CourseError(t("instructor.lms.roster_unreadable", path=path, error=exc)) from None
    if rows and "student_id" not in rows[0]:
        raise CourseError(t("instructor.lms.roster_columns", path=path, columns=", ".join(ROSTER_COLUMNS)))
    return [{c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS} for row in rows if (row.get("student_id") or "").strip()]


def find_student(layout, match, roster):
    """The course's student id for one matched path part, or None when the roster does not know the learner."""
    groups = match.groupdict()
    if layout == "plain":
        return groups["student"]
    if roster and groups.get("lms_id"):
        for row in roster:
            if row["lms_id"] and row["lms_id"] == groups["lms_id"]:
                return row["student_id"]
    if roster:
        wanted = normalize_name(groups["name"])
        found = [row["student_id"] for row in roster if row["name"] and normalize_name(row["name"]) == wanted]
        return found[0] if len(found) == 1 else None
    return None if layout in NEEDS_ROSTER else groups["name"]


def identify(relpath, layout, roster, top_names):
    """(student id, file id) for a file at relpath (a path under extracted/), or (None, None) to skip it.

    A path part that matches the layout but whose learner the roster does not know gives ("?" + the part, None)."""
    parts = Path(relpath).parts
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None, None
    for i, part in enumerate(parts):
        match = LAYOUTS[layout].match(part)
        if match:
            break
    else:
        return None, None
    student = find_student(layout, match, roster)
    if not student:
        return "?" + part, None
    rest = match.groupdict().get("rest")
    inner = ([rest] if rest else []) + list(parts[i + 1:])
    if layout == "plain" and not inner:  # a loose file named after the learner is not a submission file
        return None, None
    for j, name in enumerate(inner):
        if name in top_names:
            return student, "/".join(inner[j:])
    return None, None


def release_top_names(release_dir):
    """What may stand at the top of a submission: the release's files and folders, and answers/."""
    return {p.name for p in Path(release_dir).iterdir()} | {"answers"} if Path(release_dir).is_dir() else {"answers"}


def extract_zip(path, dest):
    """Unpack zip `path` into folder `dest`, keeping the entries' times; then the zips inside it. Returns dest."""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name = info.filename
            if info.is_dir() or name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
                continue
            target = dest.joinpath(*name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            stamp = calendar.timegm((*info.date_time, 0, 0, 0))  # zip times have no zone: read as UTC
            os.utime(target, (stamp, stamp))
    for inner in sorted(dest.rglob("*.zip")):
        try:
            extract_zip(inner, inner.with_suffix(""))
        except zipfile.BadZipFile:
            continue
    return dest


class LmsExtractor(ExtractorPlugin):
    """nbgrader's extractor, with zip times kept and nested zips unpacked next to themselves."""

    def extract(self, archive_path, extracted_path):
        archive, extracted = Path(archive_path), Path(extracted_path)
        for path in sorted(p for p in archive.rglob("*") if p.is_file()):
            target = extracted / path.parent.relative_to(archive)
            target.mkdir(parents=True, exist_ok=True)
            if path.suffix.lower() == ".zip":
                try:
                    extract_zip(path, target / path.stem)
                except zipfile.BadZipFile:
                    self.log.warning("Not a readable zip: %s", path)
            else:
                shutil.copy2(path, target / path.name)


class LmsCollector(FileNameCollectorPlugin):
    """Learner and file from the path (identify); the file's time as the submission time."""

    layout = Unicode("plain", help="plain, moodle or canvas").tag(config=True)
    roster = Unicode("", help="roster CSV: student_id, name, email, lms_id, section").tag(config=True)
    extracted = Unicode("", help="the extracted folder (paths are read relative to it)").tag(config=True)
    top_names = Unicode("answers", help="names a submission may have at its top, joined by '/'").tag(config=True)

    def collect(self, submitted_file):
        if not hasattr(self, "_roster"):
            self._roster = read_roster(self.roster)
        relpath = os.path.relpath(submitted_file, self.extracted)
        student, file_id = identify(relpath, self.layout, self._roster, set(self.top_names.split("/")))
        if not file_id:
            return None
        mtime = datetime.datetime.fromtimestamp(os.path.getmtime(submitted_file), datetime.timezone.utc)
        return {"student_id": student, "file_id": file_id, "timestamp": mtime.isoformat()}
