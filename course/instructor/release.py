"""`course release` and `course collect`: nbgrader's generate / release / collect, or zip files for an LMS.

`collect_lms` imports what an LMS hands over (Moodle's or Canvas's download, or one <student>.zip per learner) through
nbgrader's zip_collect with the course's plugins (lms.py); each learner gets a timestamp.txt (the newest file time in
their zips) as nbgrader's collect would write.
"""

import shutil
import zipfile
from pathlib import Path

from .course_dir import exchange_root, grading_root, nbgrader
from .integrity import expected_records


def generate(assignment, root=None):
    root = grading_root(root)
    nbgrader("generate_assignment", assignment, "--create", "--force", root=root)
    expected_records(root, assignment)  # runs the model once: its answer records are what every learner must submit
    return root / "release" / assignment


def write_zip(folder, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            z.write(file, Path(folder.name) / file.relative_to(folder))
    return path


def release(assignment, root=None, zip_path=None):
    """Generate the learner version, then release it to the exchange, or write a zip when zip_path is given."""
    root = grading_root(root)
    folder = generate(assignment, root)
    if zip_path:
        return "zip", write_zip(folder, zip_path)
    nbgrader("release_assignment", assignment, "--force", root=root)
    return "exchange", exchange_root(root)


def collect(assignment, root=None):
    """Collect from the exchange (nbgrader collect); returns the number of submissions in submitted/."""
    root = grading_root(root)
    nbgrader("collect", assignment, "--update", root=root)
    return len(list((root / "submitted").glob(f"*/{assignment}")))


def collect_lms(assignment, inbox, root=None, layout="plain", roster=None, warn=print):
    """Import an LMS download (a zip, or a folder of zips and files) with nbgrader's zip_collect (lms.py); returns the
    number of learners imported. Learners the roster does not know and unreadable zips are reported through warn."""
    from ..errors import CourseError
    from ..i18n import t
    from .lms import NEEDS_ROSTER, identify, read_roster, release_top_names

    root = grading_root(root)
    inbox = Path(inbox)
    if layout in NEEDS_ROSTER and not roster:
        raise CourseError(t("instructor.lms.roster_needed", layout=layout))
    if not inbox.exists():
        raise CourseError(t("instructor.lms.no_inbox", path=inbox))
    roster_rows = read_roster(roster)
    downloaded = root / "downloaded" / assignment
    archive, extracted = downloaded / "archive", downloaded / "extracted"
    shutil.rmtree(downloaded, ignore_errors=True)
    if inbox.is_dir():
        shutil.copytree(inbox, archive)
    else:
        archive.mkdir(parents=True)
        shutil.copy2(inbox, archive / inbox.name)
    for path in sorted(archive.rglob("*.zip")):
        if not zipfile.is_zipfile(path):
            warn(t("instructor.collect.bad_zip", name=path.name))
    top = sorted(release_top_names(root / "release" / assignment))
    nbgrader("zip_collect", assignment, "--force", "--extractor=course.instructor.lms.LmsExtractor",
             "--collector=course.instructor.lms.LmsCollector", f"--LmsCollector.layout={layout}",
             f"--LmsCollector.roster={Path(roster).resolve() if roster else ''}",
             f"--LmsCollector.extracted={extracted.resolve()}", f"--LmsCollector.top_names={'/'.join(top)}", root=root)
    students, unknown = set(), set()
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        student, file_id = identify(path.relative_to(extracted), layout, roster_rows, set(top))
        if student and student.startswith("?"):
            unknown.add(student[1:])
        elif file_id:
            students.add(student)
    for name in sorted(unknown):
        warn(t("instructor.lms.unknown_learner", name=name))
    return len(students)
