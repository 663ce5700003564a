"""The feedback preprocessor: learners see their results and what they missed, never the hidden tests.

Runs in nbgrader's GenerateFeedback (feedback_job.py) after GetGrades, on a copy of the autograded notebook:
- the `### BEGIN HIDDEN TESTS` … `### END HIDDEN TESTS` regions are removed from every cell (a note says there are
  checks not shown);
- an error in a graded cell shows only its message (a traceback would quote the hidden line that failed);
- RUBRIC lines (course/rubric/lines.py) become a list of covered / missing elements with the reason for each;
- if the submission was flagged 要確認, a note at the top says the instructor will check it;
- with reveal=True (after the deadline) each answer cell is followed by the model answer from source/.
"""

import json
from html import escape
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

from ..i18n import t
from .flags import describe
from ..rubric.lines import cell_rubric, strip_rubric
from .inert_outputs import inert_cell

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def strip_hidden(source):
    """source without its hidden-test regions; True if something was removed."""
    kept, hidden, removed = [], False, False
    for line in source.splitlines():
        if BEGIN in line:
            hidden = removed = True
        elif END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept), removed


def _both(key, **values):
    return f"{t(key, **values)} / {t(key, lang='en', **values)}"


class HideKeys(NbGraderPreprocessor):
    reveal = Bool(False, help="Show the model answers (after the deadline)").tag(config=True)
    course_root = Unicode("", help="The nbgrader course folder (for source/ and reports/)").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        assignment, student, notebook = info.get("assignment"), info.get("student"), info.get("notebook")
        root = Path(self.course_root)
        model = self._model(root, assignment, notebook) if self.reveal else {}
        cells = []
        flags = json.loads((root / "reports" / str(assignment) / "flags.json").read_text(encoding="utf-8")) \
            if (root / "reports" / str(assignment) / "flags.json").exists() else {}
        if flags.get(student):
            items = "\n".join(f"- {escape(describe(f))}（{escape(describe(f, 'en'))}）" for f in flags[student])
            cells.append(new_markdown_cell(f"**{_both('instructor.feedback.review_title')}**\n\n{items}"))
        for cell in nb.cells:
            cells.append(cell)
            cell.source, removed = strip_hidden(cell.source)
            if removed:
                cell.source += f"\n# {_both('instructor.feedback.hidden_note')}"
            if cell.cell_type != "code":
                continue
            rubric = cell_rubric(cell)
            if utils.is_grade(cell):
                self._plain_errors(cell)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    output.text = strip_rubric(output.text)
            if rubric:
                cells.append(new_markdown_cell(self._rubric_markdown(rubric)))
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if utils.is_solution(cell) and grade_id in model:
                cells.append(new_markdown_cell(
                    f"**{_both('instructor.feedback.model_answer')}**\n\n```python\n{model[grade_id]}\n```"))
        for cell in cells:  # rubric messages quote the learner's words, flags name their files: inert like the rest
            if cell.cell_type == "markdown":
                inert_cell(cell)
        nb.cells = cells
        return nb, resources

    @staticmethod
    def _plain_errors(cell):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = f"{output.get('ename', '')}: {output.get('evalue', '')}".strip(": ")
                output.traceback = [_both("instructor.feedback.error_note", message=message)]

    @staticmethod
    def _rubric_markdown(rubric):
        covered = sum(1 for r in rubric if r["covered"])
        lines = [f"**{_both('instructor.feedback.rubric_title', covered=covered, total=len(rubric))}**", ""]
        for r in rubric:
            mark = "✅ " + t("instructor.feedback.covered") if r["covered"] else "❌ " + t("instructor.feedback.missing")
            lines.append(f"- {mark}: {escape(r['label'])}" + (f" — {escape(r['message'])}" if r["message"] else ""))
        return "\n".join(lines)

    @staticmethod
    def _model(root, assignment, notebook):
        path = root / "source" / str(assignment) / f"{notebook}.ipynb"
        if not path.exists():
            return {}
        source = nbformat.read(path, as_version=4)
        return {c.metadata["nbgrader"]["grade_id"]: strip_hidden(c.source)[0]
                for c in source.cells if utils.is_solution(c) and c.cell_type == "code"}
