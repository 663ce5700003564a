"""Manually graded 「なぜそう決めたか」 answers (issue #15, point 3): the instructor's rubric beside each answer, and
which manual answers still wait for a grade.

A manually graded answer is an nbgrader cell with `grade: true, solution: true` (a Markdown cell in the course's
assignments). nbgrader's autograde (stock, and `course grade`, which runs the same SaveAutoGrades) gives it no points:
an answer the learner wrote stays pending (`auto_score` empty, `needs_manual_grade`) until an instructor enters a score
in the formgrader; only an answer left exactly as released gets 0 automatically (nbgrader's checksum rule: "blank 0").

The rubric of each such cell is in course/content/manual_rubrics/<assignment>.yaml:

    q3_reason:
      points: 2
      question: "なぜその対策を選んだのか、自社の事情に触れて説明してください。"
      rubric: ["自社の具体的な事情に触れている (1点)", "対策とリスクのつながりを説明している (1点)"]
      good_example: "..."          # optional

`ManualRubric` (an nbgrader preprocessor, configured in grading/nbgrader_config.py as one of
`HTMLExporter.preprocessors`) inserts after each manually graded cell that has a rubric one Markdown cell, marked
`metadata.course.manual_rubric = <grade_id>`:

- in the formgrader (the page an instructor grades on) titled 「採点の目安（講師用）」: the question, the criteria,
  the points and the good example;
- in feedback (also rendered by HTMLExporter, and returned to the learner after grading) titled 「採点の目安」: the
  question, the criteria and the points, so the learner sees how the score was decided. The good example is left
  out there: it is a model answer, and feedback may reach learners while others can still hand in late. Any other
  rendering that is not the formgrader is treated like feedback.

Every text from the YAML file is escaped (HTML and Markdown), so the cell is inert whatever it contains; the learner's
own answer is made inert by inert_outputs.py as before. The inserted cell is shown only; it is never saved into the
autograded notebook, and a notebook that already carries one is not given a second.
"""

import html
import re
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..errors import ContentError
from ..i18n import t
from ..yamlio import CONTENT_DIR, read_yaml

RUBRIC_DIR = CONTENT_DIR / "manual_rubrics"
MARK = "manual_rubric"  # metadata.course key of an inserted cell
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def rubric_path(assignment, folder=None):
    return Path(folder or RUBRIC_DIR) / f"{assignment}.yaml"


def load_rubrics(assignment, folder=None):
    """{grade_id: {points, question, rubric: [...], good_example}} of one assignment; {} when it has no file."""
    path = rubric_path(assignment, folder)
    if not assignment or not path.is_file():
        return {}
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ContentError(path, "(file)", "grade_id ごとの対応表ではありません / not a mapping of grade_id")
    out = {}
    for grade_id, entry in data.items():
        if not isinstance(entry, dict):
            raise ContentError(path, str(grade_id), "対応表ではありません / not a mapping")
        criteria = entry.get("rubric") or []
        if isinstance(criteria, str):
            criteria = [criteria]
        if not isinstance(criteria, list):
            raise ContentError(path, f"{grade_id}.rubric", "リストではありません / not a list")
        points = entry.get("points")
        if points is not None and not isinstance(points, (int, float)):
            raise ContentError(path, f"{grade_id}.points", "数ではありません / not a number")
        out[str(grade_id)] = {"points": points, "question": str(entry.get("question") or ""),
                              "rubric": [str(c) for c in criteria], "good_example": str(entry.get("good_example") or "")}
    return out


def is_manual(cell):
    """A manually graded answer: an nbgrader cell that is both graded and a solution (the learner writes into it)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade") and meta.get("solution"))


def md_text(text):
    """Text that renders as itself in Markdown: HTML escaped, Markdown punctuation backslash-escaped, one line."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def md_lines(text):
    """Multi-line text as escaped Markdown lines joined by hard breaks."""
    lines = [md_text(line) for line in str(text).strip().splitlines() if line.strip()]
    return "  \n".join(lines) if lines else "-"


def _number(value):
    return f"{float(value):g}"


def rubric_markdown(grade_id, entry, cell_points=None, instructor=True):
    """The Markdown of the rubric cell for one manually graded answer."""
    title = "instructor.manual.title_instructor" if instructor else "instructor.manual.title_learner"
    points = cell_points if cell_points is not None else entry.get("points")
    parts = [f"#### {t(title)}（{md_text(grade_id)}）", ""]
    if instructor:
        parts += [f"*{t('instructor.manual.instructor_note')}*", ""]
    if points is not None:
        parts += [f"**{t('instructor.manual.points', points=_number(points))}**", ""]
    if instructor and cell_points is not None and entry.get("points") is not None \
            and float(entry["points"]) != float(cell_points):
        parts += [f"**{t('instructor.manual.points_mismatch', rubric=_number(entry['points']), cell=_number(cell_points))}**", ""]
    if entry.get("question"):
        parts += [f"**{t('instructor.manual.question')}**", "", "> " + md_lines(entry["question"]).replace("\n", "\n> "), ""]
    parts += [f"**{t('instructor.manual.criteria')}**", ""]
    parts += [f"- {md_text(c)}" for c in entry.get("rubric", [])] or ["- -"]
    if instructor and entry.get("good_example"):
        parts += ["", f"**{t('instructor.manual.good_example')}**", "",
                  "> " + md_lines(entry["good_example"]).replace("\n", "\n> ")]
    return "\n".join(parts)


def rubric_cell(grade_id, entry, cell_points=None, instructor=True):
    cell = nbformat.v4.new_markdown_cell(rubric_markdown(grade_id, entry, cell_points, instructor))
    cell.metadata["course"] = {MARK: grade_id}
    return cell


def is_rubric_cell(cell):
    return bool(cell.get("metadata", {}).get("course", {}).get(MARK))


def add_rubrics(nb, rubrics, instructor=True):
    """Insert the rubric cells into nb (in place); returns the grade_ids that got one."""
    cells, added = [], []
    for cell in nb.cells:
        if is_rubric_cell(cell):  # one rubric per answer, whoever inserted the earlier one
            continue
        cells.append(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if is_manual(cell) and grade_id in rubrics:
            points = cell.metadata["nbgrader"].get("points")
            cells.append(rubric_cell(grade_id, rubrics[grade_id], points, instructor))
            added.append(grade_id)
    nb.cells = cells
    return added


def assignment_of(resources):
    """The assignment being rendered: feedback's resources, the formgrader's, else the notebook's folder name."""
    info = resources.get("nbgrader") or {}
    if info.get("assignment"):
        return info["assignment"]
    if resources.get("assignment_id"):
        return resources["assignment_id"]
    path = (resources.get("metadata") or {}).get("path")
    return Path(path).name if path else None


def is_formgrader(resources):
    """True on the formgrader's submission page (its resources carry the submission id); feedback has no such key."""
    return "submission_id" in resources and "nbgrader" not in resources


class ManualRubric(NbGraderPreprocessor):
    """nbgrader / nbconvert preprocessor: see the module doc."""

    rubric_dir = Unicode("", help="folder of <assignment>.yaml rubric files (default course/content/manual_rubrics)"
                         ).tag(config=True)

    def preprocess(self, nb, resources):
        try:
            rubrics = load_rubrics(assignment_of(resources), self.rubric_dir or None)
        except ContentError as exc:  # a broken rubric file must not keep the instructor from the answers
            self.log.warning("%s", exc)
            return nb, resources
        if rubrics:
            add_rubrics(nb, rubrics, instructor=is_formgrader(resources))
        return nb, resources


# -- which manual answers are graded, from the gradebook -------------------------------------------------------------

def manual_cell_names(notebook):
    """Names of the manually graded cells of a gradebook Notebook (grade cells that are also solution cells)."""
    solutions = {c.name for c in notebook.solution_cells}
    return {c.name for c in notebook.grade_cells if c.name in solutions}


def grade_parts(submission):
    """{auto, manual, pending, manual_max} of a gradebook SubmittedAssignment.

    auto: points of automatically graded cells; manual: points of manually graded cells (an answer left blank counts
    its automatic 0); pending: how many manual answers have no score yet (neither an instructor's nor nbgrader's)."""
    parts = {"auto": 0.0, "manual": 0.0, "pending": 0, "manual_max": 0.0}
    for notebook in submission.notebooks:
        manual = manual_cell_names(notebook.notebook)
        for grade in notebook.grades:
            if grade.name in manual:
                parts["manual_max"] += float(grade.max_score or 0)
                if grade.manual_score is None and grade.auto_score is None:
                    parts["pending"] += 1
                parts["manual"] += float(grade.score or 0)
            else:
                parts["auto"] += float(grade.score or 0)
    return parts


def has_manual_cells(gb, assignment):
    """True if the gradebook's assignment has a manually graded cell."""
    return any(manual_cell_names(nb) for nb in gb.find_assignment(assignment).notebooks)


# -- the rubric files agree with the assignments ---------------------------------------------------------------------

def check_rubrics(source_root, folder=None):
    """Problems (Japanese sentences) between grading/source/<A>/*.ipynb and the rubric files: a manually graded cell
    without a rubric, a rubric for no such cell, points that differ, a rubric without criteria. [] when they agree."""
    problems = []
    source_root = Path(source_root)
    folder = Path(folder or RUBRIC_DIR)
    names = {p.name for p in source_root.iterdir() if p.is_dir()} if source_root.is_dir() else set()
    names |= {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    for assignment in sorted(names):
        rubrics = load_rubrics(assignment, folder)
        cells = {}
        for path in sorted((source_root / assignment).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                if is_manual(cell):
                    cells[cell.metadata["nbgrader"]["grade_id"]] = cell.metadata["nbgrader"].get("points")
        for grade_id, points in cells.items():
            entry = rubrics.get(grade_id)
            if entry is None:
                problems.append(t("instructor.manual.check.missing", assignment=assignment, cell=grade_id))
                continue
            if entry["points"] is not None and points is not None and float(entry["points"]) != float(points):
                problems.append(t("instructor.manual.check.points", assignment=assignment, cell=grade_id,
                                  rubric=_number(entry["points"]), points=_number(points)))
            if not entry["rubric"]:
                problems.append(t("instructor.manual.check.no_criteria", assignment=assignment, cell=grade_id))
        for grade_id in sorted(set(rubrics) - set(cells)):
            problems.append(t("instructor.manual.check.unknown", assignment=assignment, cell=grade_id))
    return problems
