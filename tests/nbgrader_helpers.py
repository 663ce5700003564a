"""Run the real nbgrader pipeline on a temporary copy of the course: used by every assignment's gate tests.

    course = make_course(tmp_path, "00_orientation")           # copy + generate_assignment
    release = release_notebook(course, "00_orientation")       # what learners get (nbformat node)
    submit(course, "00_orientation", "alice", nb, files={"answers/x.json": "..."})
    scores = grade(course, "00_orientation")                   # autograde + generate_feedback + export -> {student: score}
"""

import copy
import csv
import json
import shutil
from pathlib import Path

import nbformat

from conftest import GRADING
from course.drafting.store import AnswerStore
from course.instructor.course_dir import nbgrader


def make_course(tmp_path, assignment):
    course = Path(tmp_path) / "grading"
    (course / "source").mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", course)
    shutil.copytree(GRADING / "source" / assignment, course / "source" / assignment)
    nbgrader("generate_assignment", assignment, "--create", "--force", root=course)
    return course


def notebook_names(course, assignment):
    return sorted(p.name for p in (course / "release" / assignment).glob("*.ipynb"))


def release_notebook(course, assignment, name=None):
    name = name or notebook_names(course, assignment)[0]
    return nbformat.read(course / "release" / assignment / name, as_version=4)


def source_notebook(course, assignment, name=None):
    name = name or notebook_names(course, assignment)[0]
    return nbformat.read(course / "source" / assignment / name, as_version=4)


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def with_answer(nb, grade_id, source):
    """A copy of nb whose cell grade_id has the given source (a learner's answer)."""
    nb = copy.deepcopy(nb)
    cell(nb, grade_id).source = source
    return nb


def submit(course, assignment, student, nb, name=None, files=None, records=None):
    """Place a submission: the notebook, extra files, and AnswerStore records {key: (kind, data)}."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / (name or notebook_names(course, assignment)[0]))
    (folder / "timestamp.txt").write_text("2026-11-29 10:00:00.000000 UTC")
    for rel, text in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    store = AnswerStore(folder / "answers")
    for key, (kind, data) in (records or {}).items():
        assert store.save(key, kind, data).ok
    return folder


def grade(course, assignment, timeout=600):
    """autograde, generate_feedback and export; returns {student: score} from the exported CSV."""
    nbgrader("autograde", assignment, "--force", root=course, timeout=timeout)
    nbgrader("generate_feedback", assignment, "--force", root=course, timeout=timeout)
    nbgrader("export", "--to", str(course / "grades.csv"), root=course, timeout=timeout)
    with open(course / "grades.csv", encoding="utf-8") as f:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(f) if row["assignment"] == assignment}


def feedback_html(course, assignment, student):
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((course / "feedback" / student / assignment).glob("*.html")))


def record_json(kind, key, data):
    return json.dumps({"schema": "course.answer/1", "key": key, "kind": kind, "revision": 1,
                       "saved_at": "2026-11-29T10:00:00+09:00", "data": data}, ensure_ascii=False)
