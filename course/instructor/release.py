"""`course release` and `course collect`: nbgrader's generate / release / collect, or zip files for an LMS.

An assignment whose hidden tests call `graded_case` (the incident assignments ir1/ir2, issue #15) gives each learner
their own case (course/incident/cases.py): `release` writes release/<A>/cases/<student>/<log>.csv.gz for every learner
of the gradebook or of `--roster` (and no logs/, which only the self-study copy needs), lists them in the course's case
manifest, and checks that no two learners got the same case; with `--zip DIR` it writes one <student>_<A>.zip per
learner holding only that learner's case, as plain CSV files.

`collect_lms` imports what an LMS hands over (Moodle's or Canvas's download, or one <student>.zip per learner) through
nbgrader's zip_collect with the course's plugins (lms.py); each learner gets a timestamp.txt (the newest file time in
their zips) as nbgrader's collect would write.
"""

import shutil
import sys
import zipfile
from pathlib import Path

from .course_dir import exchange_root, gradebook_url, grading_root, nbgrader
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


def release(assignment, root=None, zip_path=None, roster=None, cases=None, progress=False):
    """Generate the learner version, then release it to the exchange, or write a zip when zip_path is given.

    cases: None = per-learner cases when the hidden tests call graded_case; True = required; False = the default logs
    for everyone. With cases, zip_path is a folder of one zip per learner. Returns (kind, path, info): kind "exchange",
    "zip" or "zips"; info {"students", "bytes"} of the cases written (empty without cases)."""
    from ..errors import CourseError
    from ..i18n import t
    from ..incident.cases import uses_cases

    root = grading_root(root)
    graded_by_case = uses_cases(sorted((root / "source" / assignment).glob("*.ipynb")))
    if cases and not graded_by_case:
        raise CourseError(t("cases.not_graded_by_case", assignment=assignment))
    with_cases = graded_by_case if cases is None else bool(cases)
    students = class_students(root, assignment, roster) if with_cases else []
    folder = generate(assignment, root)
    if not with_cases:
        if zip_path:
            return "zip", write_zip(folder, zip_path), {}
        nbgrader("release_assignment", assignment, "--force", root=root)
        return "exchange", exchange_root(root), {}
    if zip_path:
        paths = write_learner_zips(root, assignment, folder, students, zip_path, progress=progress)
        return "zips", Path(zip_path), {"students": len(paths), "bytes": sum(p.stat().st_size for p in paths)}
    size = write_release_cases(root, assignment, folder, students, progress=progress)
    nbgrader("release_assignment", assignment, "--force", root=root)
    return "exchange", exchange_root(root), {"students": len(students), "bytes": size}


def class_students(root, assignment, roster=None):
    """The learners to write cases for: the roster's student ids, else the gradebook's students."""
    from ..errors import CourseError
    from ..i18n import t
    from .lms import read_roster

    if roster:
        ids = [row["student_id"] for row in read_roster(roster)]
    else:
        ids = []
        db = root / "gradebook.db"
        url = gradebook_url(root)
        if not url.startswith("sqlite:///") or db.exists():
            from nbgrader.api import Gradebook

            with Gradebook(url) as gb:
                ids = [s.id for s in gb.students]
    ids = sorted(dict.fromkeys(i for i in ids if i))
    if not ids:
        raise CourseError(t("cases.no_students", assignment=assignment))
    return ids


def _learner_cases(root, assignment, students, progress):
    """(student, scenario) for each learner, with a progress bar; no two learners may share a case."""
    from tqdm import tqdm

    from ..errors import CourseError
    from ..i18n import t
    from ..incident.cases import case_arguments, case_key, ensure_secret
    from ..incident.scenario import generate

    secret = ensure_secret(root)
    seen = {}
    for student in tqdm(students, desc=t("cases.progress"), unit="人", disable=not progress, file=sys.stderr):
        scenario = generate(**case_arguments(secret, assignment, student))
        key = case_key(scenario.truth)
        if key in seen:
            raise CourseError(t("cases.same_case", a=seen[key], b=student, key=" / ".join(key)))
        seen[key] = student
        yield student, scenario


def write_release_cases(root, assignment, folder, students, progress=False):
    """release/<A>/cases/<student>/*.csv.gz for every learner (logs/ removed); returns the bytes written."""
    from ..incident.cases import CASES_FOLDER, write_case, write_manifest

    folder = Path(folder)
    shutil.rmtree(folder / CASES_FOLDER, ignore_errors=True)
    shutil.rmtree(folder / "logs", ignore_errors=True)
    size = 0
    for student, scenario in _learner_cases(root, assignment, students, progress):
        size += sum(p.stat().st_size for p in write_case(scenario.logs, folder / CASES_FOLDER / student))
    write_manifest(root, assignment, students)
    return size


def write_learner_zips(root, assignment, folder, students, out, progress=False):
    """One <student>_<A>.zip per learner in folder out: the release without logs/ and cases/, plus that learner's own
    case as cases/<student>/*.csv (plain CSV, for Excel). Returns the paths."""
    from ..incident.cases import CASES_FOLDER, case_csv_bytes, write_manifest

    folder, out = Path(folder), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    common = sorted(p for p in folder.rglob("*") if p.is_file()
                    and p.relative_to(folder).parts[0] not in ("logs", CASES_FOLDER))
    paths = []
    for student, scenario in _learner_cases(root, assignment, students, progress):
        path = out / f"{student}_{assignment}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for file in common:
                z.write(file, Path(folder.name) / file.relative_to(folder))
            for name, data in case_csv_bytes(scenario.logs).items():
                z.writestr(f"{folder.name}/{CASES_FOLDER}/{student}/{name}", data)
        paths.append(path)
    write_manifest(root, assignment, students)
    return paths


CASE_FACTS = ("company", "entry_route", "entry_time", "entry_account", "entry_source_ip", "first_host", "first_user",
              "infected_hosts", "compromised_accounts", "encryption_start", "ransom_extension", "c2_ip", "exfil_ip",
              "exfil_bytes", "exfil_host", "last_clean_backup", "early_ticket", "nas_wiped")


def case_facts(root, assignment, students=()):
    """[(student, [(label, value)] or None)] for the named learners (default: every learner released a case): what
    really happened in each learner's case, for the instructor grading the reasons by hand. None: no case released."""
    from ..errors import CourseError
    from ..i18n import t
    from ..incident.cases import learner_case_arguments, read_manifest, scenario_for

    root = grading_root(root)
    released = read_manifest(root, assignment)
    if not released:
        raise CourseError(t("cases.show.no_cases", assignment=assignment))
    out = []
    for student in students or sorted(released):
        arguments = learner_case_arguments(root, assignment, student)
        if not arguments:
            out.append((student, None))
            continue
        scenario = scenario_for(arguments)
        truth = {**scenario.truth.as_dict(), "company": scenario.company.name}
        rows = []
        for name in CASE_FACTS:
            value = truth[name]
            if isinstance(value, tuple):
                value = ", ".join(value)
            elif hasattr(value, "strftime"):
                value = f"{value:%Y-%m-%d %H:%M:%S}"
            elif isinstance(value, int):
                value = f"{value:,}"
            rows.append((t(f"cases.fact.{name}"), value if value not in (None, "") else t("cases.show.none")))
        out.append((student, rows))
    return out


def place_cases(root, assignment):
    """Put each learner's own case into their submission (submitted/<student>/<A>/cases/<student>/, other learners'
    cases removed), for the learners of the assignment's case manifest, so that the learner's code runs at grading on
    the logs they were given (also when the submission lacks them, as an LMS upload of the notebook alone). Returns
    the learners whose case was placed."""
    from ..incident.cases import CASES_FOLDER, case_arguments, read_manifest, read_secret, scenario_for, write_case

    root = grading_root(root)
    secret, released = read_secret(root), read_manifest(root, assignment)
    placed = []
    if not secret or not released:
        return placed
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        if student not in released:
            continue
        shutil.rmtree(folder / CASES_FOLDER, ignore_errors=True)
        write_case(scenario_for(case_arguments(secret, assignment, student)).logs, folder / CASES_FOLDER / student)
        placed.append(student)
    return placed


def collect(assignment, root=None):
    """Collect from the exchange (nbgrader collect); returns the number of submissions in submitted/."""
    root = grading_root(root)
    nbgrader("collect", assignment, "--update", root=root)
    place_cases(root, assignment)
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
    place_cases(root, assignment)
    return len(students)
