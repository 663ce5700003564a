"""`course export-grades [--format long|wide|moodle|canvas] [--roster CSV]`: the gradebook as CSV, UTF-8 with BOM
(so that Excel in Japanese opens it without mojibake).

- long (default): one row per learner and assignment — student, assignment, score, max_score, needs_review, reason.
  A learner with no submission gets score 0 and reason 未提出 (not submitted), not a 要確認 flag.
- wide: one row per learner — student, name, one score column per assignment, total, max_total, needs_review (the
  assignments with 要確認 flags). Not submitted: empty cell.
- moodle: for Moodle's grade import (Grades → Import → CSV file): Username, Email address, Full name, then one column
  per assignment (its name). At import, "Map from" Username or Email address, and each assignment column to its
  grade item. Not submitted: empty (Moodle leaves the grade alone).
- canvas: Canvas's gradebook layout (Gradebook → Import): Student, ID, SIS User ID, SIS Login ID, Section, then one
  column per assignment, and a "Points Possible" row. A column named "<assignment> (<Canvas id>)" goes to that Canvas
  assignment; a plain name makes a new one. Not submitted: empty.
Manually graded answers (manual_rubric.py): a submission's score is nbgrader's, automatic and manual points added
(an instructor's score in the formgrader replaces the cell's automatic one; an answer not graded yet counts 0). When an
exported assignment has manually graded cells, long gets the columns auto_score, manual_score, manual_pending (how
many of the learner's manual answers no one has graded yet) and manual_note (「手動採点待ち 2 問」), and wide gets
manual_pending (per learner, all assignments) and manual_note; without such cells the files keep their usual columns.
Grade every pending answer before importing scores into an LMS: until then the score lacks those points.
The LMS formats take identities from the roster CSV (lms.py: student_id, name, email, lms_id, section); without it,
the course's student id is the username (Moodle) / SIS Login ID (Canvas). 要確認 reasons stay out of LMS files (an
LMS would show them to learners): check the long or wide file first.
"""

import csv
from pathlib import Path

from ..i18n import t
from .course_dir import grading_root, gradebook_url
from .flags import load_flags, reason
from .manual_rubric import grade_parts, has_manual_cells

COLUMNS = ["student", "assignment", "score", "max_score", "needs_review", "reason"]
MANUAL_COLUMNS = ["auto_score", "manual_score", "manual_pending", "manual_note"]
FORMATS = ["long", "wide", "moodle", "canvas"]
ENCODING = "utf-8-sig"  # every CSV the course writes (report.py too)


def grade_rows(root=None, assignment=None):
    from nbgrader.api import Gradebook, MissingEntry

    root = grading_root(root)
    rows = []
    with Gradebook(gradebook_url(root)) as gb:
        for a in sorted(gb.assignments, key=lambda a: a.name):
            if assignment and a.name != assignment:
                continue
            flags = load_flags(root, a.name)
            manual = has_manual_cells(gb, a.name)
            for student in sorted(gb.students, key=lambda s: s.id):
                try:
                    submission = gb.find_submission(a.name, student.id)
                except MissingEntry:
                    rows.append({"student": student.id, "assignment": a.name, "score": 0.0,
                                 "max_score": float(a.max_score), "needs_review": False, "submitted": False,
                                 "reason": f"{t('instructor.export.not_submitted')}（{t('instructor.export.not_submitted', lang='en')}）",
                                 "has_manual": manual, "auto_score": 0.0, "manual_score": 0.0, "manual_pending": 0,
                                 "manual_note": ""})
                    continue
                student_flags = flags.get(student.id, [])
                parts = grade_parts(submission)
                rows.append({"student": student.id, "assignment": a.name, "score": float(submission.score),
                             "max_score": float(submission.max_score), "needs_review": bool(student_flags),
                             "submitted": True, "reason": reason(student_flags), "has_manual": manual,
                             "auto_score": parts["auto"], "manual_score": parts["manual"],
                             "manual_pending": parts["pending"], "manual_note": pending_note(parts["pending"])})
    return rows


def pending_note(n):
    """「手動採点待ち 2 問（2 answers to grade by hand）」, or "" when nothing waits."""
    return f"{t('instructor.manual.pending', n=n)}（{t('instructor.manual.pending', lang='en', n=n)}）" if n else ""


def _with_manual(rows):
    return any(row.get("has_manual") for row in rows)


def _number(value):
    return f"{value:g}"


def _by_student(rows):
    """({student: {assignment: row}}, [assignments], {assignment: max score}) in a stable order."""
    table, maxima = {}, {}
    for row in rows:
        table.setdefault(row["student"], {})[row["assignment"]] = row
        maxima[row["assignment"]] = max(maxima.get(row["assignment"], 0.0), row["max_score"])
    return table, sorted(maxima), maxima


def long_table(rows, roster):
    columns = COLUMNS + MANUAL_COLUMNS if _with_manual(rows) else COLUMNS
    return columns, [[_number(row[c]) if c in ("auto_score", "manual_score") else row[c] for c in columns]
                     for row in rows]


def wide_table(rows, roster):
    table, assignments, maxima = _by_student(rows)
    names = {r["student_id"]: r["name"] for r in roster}
    manual = _with_manual(rows)
    header = ["student", "name", *assignments, "total", "max_total", "needs_review"]
    header += ["manual_pending", "manual_note"] if manual else []
    out = []
    for student, cells in table.items():
        scores = [_number(cells[a]["score"]) if a in cells and cells[a]["submitted"] else "" for a in assignments]
        total = sum(cells[a]["score"] for a in assignments if a in cells)
        review = " ".join(a for a in assignments if a in cells and cells[a]["needs_review"])
        line = [student, names.get(student, ""), *scores, _number(total), _number(sum(maxima.values())), review]
        if manual:
            pending = sum(cells[a].get("manual_pending", 0) for a in assignments if a in cells)
            line += [pending, pending_note(pending)]
        out.append(line)
    return header, out


def _identity(student, roster):
    for row in roster:
        if row["student_id"] == student:
            return row
    return {"student_id": student, "name": "", "email": "", "lms_id": "", "section": ""}


def _scores(cells, assignments):
    return [_number(cells[a]["score"]) if a in cells and cells[a]["submitted"] else "" for a in assignments]


def moodle_table(rows, roster):
    table, assignments, _ = _by_student(rows)
    header = ["Username", "Email address", "Full name", *assignments]
    out = []
    for student, cells in table.items():
        who = _identity(student, roster)
        out.append([who["lms_id"] or student, who["email"], who["name"], *_scores(cells, assignments)])
    return header, out


def canvas_table(rows, roster):
    table, assignments, maxima = _by_student(rows)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
    out = [["Points Possible", "", "", "", "", *(_number(maxima[a]) for a in assignments)]]
    for student, cells in table.items():
        who = _identity(student, roster)
        out.append([who["name"] or student, who["lms_id"], "", student, who["section"], *_scores(cells, assignments)])
    return header, out


TABLES = {"long": long_table, "wide": wide_table, "moodle": moodle_table, "canvas": canvas_table}


def write_csv(path, header, rows):
    """A CSV in UTF-8 with BOM; returns path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=ENCODING) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def export_grades(to=None, root=None, assignment=None, fmt="long", roster=None):
    """Write the grades in format fmt; returns (path, data rows written)."""
    from .lms import read_roster

    root = grading_root(root)
    default = "grades.csv" if fmt == "long" else f"grades_{fmt}.csv"
    path = Path(to) if to else root / "reports" / default
    header, rows = TABLES[fmt](grade_rows(root, assignment), read_roster(roster))
    return write_csv(path, header, rows), rows
