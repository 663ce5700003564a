"""`course release` and `course collect`: nbgrader's generate / release / collect, or zip files for an LMS.

An LMS inbox is a folder of zip files, one per learner, named <student>.zip (or <student>_anything.zip); each holds
the assignment's files (the notebook and answers/), at the top or inside one folder. Imported submissions get a
timestamp.txt (the zip's time) as nbgrader's collect would write.
"""

import datetime
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


def collect_lms(assignment, inbox, root=None, warn=print):
    """Import <student>.zip files from inbox into submitted/<student>/<assignment>/; returns the count."""
    from ..i18n import t

    root = grading_root(root)
    count = 0
    for path in sorted(Path(inbox).glob("*.zip")):
        student = path.stem.split("_")[0]
        target = root / "submitted" / student / assignment
        try:
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
                if any(Path(n).is_absolute() or ".." in Path(n).parts for n in names):
                    raise zipfile.BadZipFile("unsafe path")
                prefix = _common_folder(names)
                if target.exists():
                    shutil.rmtree(target)
                for name in names:
                    dest = target / name[len(prefix):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(z.read(name))
                stamp = datetime.datetime(*max(z.getinfo(n).date_time for n in names)) if names else datetime.datetime.now()
        except zipfile.BadZipFile:
            warn(t("instructor.collect.bad_zip", name=path.name))
            continue
        (target / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
        count += 1
    return count


def _common_folder(names):
    """'folder/' when every name lives in the same top folder, else ''."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""
