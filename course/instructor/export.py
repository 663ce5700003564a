"""`course export-grades`: one CSV row per learner and assignment, with the 要確認 flags beside the score.

Columns: student, assignment, score, max_score, needs_review, reason. A learner with no submission gets score 0 and
reason 未提出 (not submitted), not a 要確認 flag.
"""

import csv
from pathlib import Path

from ..i18n import t
from .course_dir import grading_root, gradebook_url
from .flags import load_flags, reason

COLUMNS = ["student", "assignment", "score", "max_score", "needs_review", "reason"]


def grade_rows(root=None, assignment=None):
    from nbgrader.api import Gradebook, MissingEntry

    root = grading_root(root)
    rows = []
    with Gradebook(gradebook_url(root)) as gb:
        for a in sorted(gb.assignments, key=lambda a: a.name):
            if assignment and a.name != assignment:
                continue
            flags = load_flags(root, a.name)
            for student in sorted(gb.students, key=lambda s: s.id):
                try:
                    submission = gb.find_submission(a.name, student.id)
                except MissingEntry:
                    rows.append({"student": student.id, "assignment": a.name, "score": 0.0,
                                 "max_score": float(a.max_score), "needs_review": False,
                                 "reason": f"{t('instructor.export.not_submitted')}（{t('instructor.export.not_submitted', lang='en')}）"})
                    continue
                student_flags = flags.get(student.id, [])
                rows.append({"student": student.id, "assignment": a.name, "score": float(submission.score),
                             "max_score": float(submission.max_score), "needs_review": bool(student_flags),
                             "reason": reason(student_flags)})
    return rows


def export_grades(to=None, root=None, assignment=None):
    root = grading_root(root)
    path = Path(to) if to else root / "reports" / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = grade_rows(root, assignment)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path, rows
