"""What can be seen in a submission before it runs: edited locked cells, deleted or duplicated graded cells, missing
notebooks and missing answer records. Each finding is a flag (flags.py); nbgrader still grades what is there.

The answer records an assignment expects are the ones its model notebook writes: `expected_records` runs the source
notebooks once in a temporary folder (as otter-grader runs the solution) and caches the list by the source's hash in
reports/<assignment>/expected_records.json.
"""

import hashlib
import shutil
import tempfile
from pathlib import Path

import nbformat

from .flags import read_json, reports_dir, write_json


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _graded(cell):
    meta = _nbgrader(cell)
    return bool(meta.get("grade") or meta.get("solution")) and bool(meta.get("grade_id"))


def _locked_test(cell):
    meta = _nbgrader(cell)
    return bool(meta.get("locked")) and not meta.get("solution") and bool(meta.get("grade_id"))


def _visible(cell):
    """A cell's source as the release shows it: hidden tests removed (the instructor's own copy has them)."""
    from .hide_keys import strip_hidden

    return strip_hidden(cell.source)[0].strip()


def inspect_notebook(release_nb, submitted_nb):
    """Flags for one submitted notebook compared with its release version."""
    flags = []
    counts = {}
    for cell in submitted_nb.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id:
            counts[grade_id] = counts.get(grade_id, 0) + 1
    submitted = {_nbgrader(c).get("grade_id"): c for c in submitted_nb.cells if _nbgrader(c).get("grade_id")}
    for cell in release_nb.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if not grade_id:
            continue
        if _graded(cell) and counts.get(grade_id, 0) == 0:
            flags.append({"code": "graded_cell_deleted", "cell": grade_id, "detail": ""})
        elif _graded(cell) and counts[grade_id] > 1:
            flags.append({"code": "graded_cell_duplicated", "cell": grade_id, "detail": str(counts[grade_id])})
        if _locked_test(cell) and grade_id in submitted and _visible(submitted[grade_id]) != _visible(cell):
            flags.append({"code": "locked_edited", "cell": grade_id, "detail": ""})
    return flags


def inspect_submission(root, assignment, student, expected=()):
    """Flags for student's submission of assignment (the release folder holds the learner versions)."""
    root = Path(root)
    release = root / "release" / assignment
    folder = root / "submitted" / student / assignment
    flags = []
    for release_path in sorted(release.glob("*.ipynb")):
        path = folder / release_path.name
        if not path.exists():
            flags.append({"code": "notebook_missing", "cell": "", "detail": release_path.name})
            continue
        try:
            submitted_nb = nbformat.read(path, as_version=4)
        except Exception:  # nbformat raises several kinds for a damaged file
            flags.append({"code": "notebook_unreadable", "cell": "", "detail": release_path.name})
            continue
        flags += inspect_notebook(nbformat.read(release_path, as_version=4), submitted_nb)
    for record in expected:
        if not (folder / record).exists():
            flags.append({"code": "record_missing", "cell": "", "detail": record})
    return flags


def source_hash(root, assignment):
    digest = hashlib.sha256()
    source = Path(root) / "source" / assignment
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def expected_records(root, assignment, timeout=120):
    """Answer records (answers/*.json, relative paths) that the model notebooks write; cached by source hash."""
    cache = reports_dir(root, assignment) / "expected_records.json"
    digest = source_hash(root, assignment)
    cached = read_json(cache, {})
    if cached.get("source_hash") == digest:
        return cached["records"]
    records = _run_model(Path(root) / "source" / assignment, timeout)
    write_json(cache, {"source_hash": digest, "records": records})
    return records


def _run_model(source, timeout):
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="course-model-") as tmp:
        work = Path(tmp) / source.name
        shutil.copytree(source, work)
        for path in sorted(work.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(work)}}).execute()
        answers = work / "answers"
        return sorted(str(p.relative_to(work)) for p in answers.glob("*.json")) if answers.is_dir() else []
