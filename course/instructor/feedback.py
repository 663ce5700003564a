"""`course feedback ASSIGNMENT [--reveal] [--force]`: feedback HTML per learner without hidden tests (hide_keys.py), returned
through the exchange when the assignment was released there; otherwise the files stay in feedback/ for an LMS."""

import subprocess
import sys
from pathlib import Path

from ..errors import CourseError
from ..i18n import t
from ..lab import tool_env
from .course_dir import course_config, exchange_root, grading_root, nbgrader


def feedback_files(root, assignment):
    return sorted(Path(root).glob(f"feedback/*/{assignment}/*.html"))


def pending_manual(root, assignment):
    """{student: how many of their manually graded answers no one has graded yet}."""
    from .export import grade_rows

    return {row["student"]: row["manual_pending"] for row in grade_rows(grading_root(root), assignment)
            if row.get("manual_pending")}


def generate_feedback(assignment, root=None, reveal=False, force=False):
    """Feedback for every graded learner. While manually graded answers wait for the instructor, the feedback would
    show them as 0 points: refused with the list of learners unless force."""
    root = grading_root(root)
    pending = pending_manual(root, assignment)
    if pending and not force:
        names = "、".join(f"{s}（{n}）" for s, n in sorted(pending.items()))
        raise CourseError(t("instructor.feedback.manual_pending", n=sum(pending.values()), learners=names))
    cmd = [sys.executable, "-m", "course.instructor.feedback_job", str(root), assignment] + (["--reveal"] if reveal else [])
    result = subprocess.run(cmd, cwd=root, env=tool_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(t("instructor.feedback.failed", log=result.stderr[-2000:]))
    return_through_exchange(root, assignment)
    return feedback_files(root, assignment)


def return_through_exchange(root, assignment):
    """nbgrader release_feedback for the learners who submitted through the exchange (LMS learners have no
    submission_secret.txt; their feedback stays in feedback/<student>/ to be uploaded)."""
    outbound = exchange_root(root) / course_config(root).CourseDirectory.course_id / "outbound" / assignment
    if not outbound.is_dir():
        return
    folders = sorted(Path(root).glob(f"submitted/*/{assignment}"))
    secret = [f.parent.name for f in folders if (f / "submission_secret.txt").exists()]
    if secret and len(secret) == len(folders):
        nbgrader("release_feedback", assignment, root=root)
    else:
        for student in secret:
            nbgrader("release_feedback", assignment, "--student", student, root=root)
