"""`course demo`: a simulated class, end to end, in one folder (default ./demo/).

Copies the real assignment 00_orientation into DIR/grading, releases it (exchange and LMS zip), simulates learners
with varied answers (complete, partial and empty profiles, right and wrong code, errors, a few missing answer
records), imports their zips as an LMS would hand them over, grades them in parallel, writes feedback, the class
report and the grade export, and prints where everything is. bench/grading.py builds its class with build_class().
"""

import random
import shutil
import tempfile
import zipfile
from pathlib import Path

import nbformat
from tqdm import tqdm

from ..answers.store import AnswerStore
from ..i18n import t
from ..lab import project_root
from .release import collect_lms, release

ASSIGNMENT = "00_orientation"

PROFILES = [
    {"company": "有限会社あおば商店", "industry": "小売業", "employees": 12, "sites": "本店（杉並区）"},
    {"company": "株式会社かえで工務店", "industry": "建設業", "employees": 28, "sites": "本社（八王子市）、資材置場"},
    {"company": "さくら会計事務所", "industry": "士業", "employees": 6, "sites": "事務所（新宿区）"},
    {"company": "株式会社ひかり物流", "industry": "運輸業", "employees": 45, "sites": "本社、倉庫（川崎市）"},
]
FIELDS = ["company", "industry", "employees", "sites"]

# What learners write in the q2 answer cell (after the given first line). Weights: how often each appears.
CODE_ANSWERS = [
    (5, "mask = (table['theme'] == 'organizational') & ~table['verified']\n"
        "unverified_numbers = list(table.loc[mask, 'number'])"),
    (3, "unverified_numbers = [n for n, th, v in zip(table['number'], table['theme'], table['verified'])"
        " if th == 'organizational' and not v]"),
    (2, "unverified_numbers = list(table.loc[~table['verified'], 'number'])"),                 # people controls too
    (2, "unverified_numbers = list(table.loc[table['theme'] == 'organizational', 'number'])"),  # ignores verified
    (1, "unverified_numbers = table.loc[~table['verified'], 'number']"),                       # not a list
    (1, "unverified_numbers = sorted(table.loc[(table['theme'] == 'organizational') & ~table['verified'], 'number'])"),
    (1, "unverified_numbers = [c.number for c in controls() if not c.verified"),               # syntax error
    (2, "# ここに回答を書いてください / YOUR ANSWER HERE"),                                        # left empty
]


def student_name(i):
    return f"learner{i + 1:02d}"


def simulate_learner(rng, release_nb):
    """(notebook, profile data or None): one learner's submission."""
    nb = nbformat.from_dict(release_nb)
    weights, codes = zip(*CODE_ANSWERS)
    code = rng.choices(codes, weights=weights)[0]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2_answer":
            first = cell.source.splitlines()[0]
            cell.source = f"{first}\n{code}\n"
    if rng.random() < 0.07:
        return nb, None
    base = rng.choice(PROFILES)
    filled = rng.choices([4, 3, 2, 1, 0], weights=[10, 3, 2, 1, 1])[0]
    keep = set(rng.sample(FIELDS, filled))
    profile = {k: (v if k in keep else None if k == "employees" else "") for k, v in base.items()}
    profile.update(telework="none", cloud=[], contractors=[])
    return nb, profile


def copy_course(target):
    """A fresh nbgrader course folder at target with the project's config and the demo assignment."""
    source = project_root() / "grading"
    if target.exists():
        shutil.rmtree(target)
    (target / "source").mkdir(parents=True)
    shutil.copy(source / "nbgrader_config.py", target)
    shutil.copytree(source / "source" / ASSIGNMENT, target / "source" / ASSIGNMENT)
    return target


def build_class(out, students=30, seed=2026, exchange=True, progress=True):
    """Course folder out/grading with a released assignment and `students` collected submissions; returns it."""
    out = Path(out)
    root = copy_course(out / "grading")
    release(ASSIGNMENT, root, zip_path=out / "lms" / f"{ASSIGNMENT}.zip")
    if exchange:
        release(ASSIGNMENT, root)
    release_nb = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    inbox = out / "lms" / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="course-demo-") as staging:
        for i in tqdm(range(students), desc=t("instructor.demo.making"), disable=not progress):
            nb, profile = simulate_learner(rng, release_nb)
            folder = Path(staging) / student_name(i) / ASSIGNMENT
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
            if profile is not None:
                assert AnswerStore(folder / "answers").save("company_profile", "profile", profile).ok
            with zipfile.ZipFile(inbox / f"{student_name(i)}.zip", "w") as z:
                for file in sorted(p for p in folder.rglob("*") if p.is_file() and ".history" not in p.parts
                                   and ".locks" not in p.parts):
                    z.write(file, Path(ASSIGNMENT) / file.relative_to(folder))
    collect_lms(ASSIGNMENT, inbox, root)
    return root


def run_demo(out, students=30, jobs=2, progress=True):
    """The whole instructor workflow on a simulated class; returns {what: path}."""
    from .export import export_grades
    from .feedback import generate_feedback
    from .parallel_grade import grade_assignment
    from .report import write_report

    out = Path(out).resolve()

    def step(text):
        print(f"▶ {text}", flush=True)

    step(t("instructor.demo.release", n=students))
    root = build_class(out, students, progress=progress)
    step(t("instructor.demo.grade"))
    grade_assignment(ASSIGNMENT, root=root, jobs=jobs, progress=progress)
    step(t("instructor.demo.feedback"))
    feedback = generate_feedback(ASSIGNMENT, root=root)
    step(t("instructor.demo.report"))
    report = write_report(ASSIGNMENT, root=root)
    grades, _ = export_grades(root=root)
    paths = {
        "course": root,
        "lms_zip": out / "lms" / f"{ASSIGNMENT}.zip",
        "submissions": root / "submitted",
        "feedback_files": root / "feedback",
        "report_file": report,
        "grades": grades,
        "flags": root / "reports" / ASSIGNMENT / "flags.json",
    }
    print(t("instructor.demo.done") + " / " + t("instructor.demo.done", lang="en"))
    for key, path in paths.items():
        print(f"  {t('instructor.demo.' + key, n=len(feedback))}: {path}")
    return paths
