"""Submissions are made inert before an instructor opens them (issue #14).

`InertOutputs` runs last in the autograde pipeline (the course's nbgrader_config.py; `course grade` and plain
`nbgrader autograde` alike), after the grades are saved, so it never changes a score. It keeps, per output, only the
MIME types that no page can run: text, cleaned HTML and Markdown, LaTeX, PNG/JPEG/GIF images, JSON. Script outputs,
SVG, widget views and any unknown type are removed; Markdown cells are rendered the way nbconvert renders them and, if
the result holds anything the sanitiser refuses, replaced by the cleaned HTML. Each cell that lost something gets a
note in its outputs and `metadata.course.inert = [what was removed]`; `inert_flags(nb)` turns those into 要確認 flags.
The formgrader, feedback and the class report read the autograded notebook, so they all get the inert copy; the
course configuration also runs it when the formgrader or feedback renders HTML (`HTMLExporter.preprocessors`), for
notebooks graded without it. formgrader_csp.py adds a Content-Security-Policy as an independent second layer.
"""

from pathlib import Path

import nbformat
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import NbGraderPreprocessor

from ..i18n import t
from ..sanitize import clean_html, findings

KEEP = frozenset({"text/plain", "text/latex", "image/png", "image/jpeg", "image/gif", "application/json"})
CLEAN = frozenset({"text/html", "text/markdown"})
QUIET_DROPS = frozenset({"application/vnd.jupyter.widget-view+json"})  # the form's text/plain stays; no flag


def _render_markdown(source, attachments=None):
    """Markdown as nbconvert's HTML exporter renders it (raw HTML passes through, as on the instructor's page)."""
    return MarkdownWithMath(renderer=IPythonRenderer(escape=False, attachments=attachments or {})).render(source)


def _inert_bundle(data):
    """(kept bundle, [what was removed]) for one output's data."""
    kept, removed = {}, []
    for mime, value in data.items():
        if mime in KEEP:
            kept[mime] = value
        elif mime in CLEAN:
            text = "".join(value) if isinstance(value, list) else str(value)
            if mime == "text/markdown":
                text = _render_markdown(text)
                removed += findings(text)
                kept["text/html"] = clean_html(text)
            else:
                removed += findings(text)
                kept[mime] = clean_html(text)
        elif mime not in QUIET_DROPS:
            removed.append(mime)
    if not kept:
        kept["text/plain"] = t("instructor.inert.placeholder")
    return nbformat.from_dict(kept), removed


def inert_cell(cell):
    """Make one cell inert in place; returns what was removed (empty for honest content)."""
    removed = []
    if cell.get("cell_type") == "markdown":
        for name, bundle in list(cell.get("attachments", {}).items()):
            cell["attachments"][name], lost = _inert_bundle(bundle)
            removed += lost
        rendered = _render_markdown(cell.get("source", ""), cell.get("attachments"))
        found = findings(rendered)
        if found:
            cell["source"] = clean_html(rendered)
            removed += found
    for output in cell.get("outputs", []):
        if "data" in output:
            output["data"], lost = _inert_bundle(output["data"])
            removed += lost
    removed = list(dict.fromkeys(removed))
    if removed:
        cell.setdefault("metadata", nbformat.NotebookNode()).setdefault("course", nbformat.NotebookNode())["inert"] = removed
        if cell.get("cell_type") == "code":
            note = t("instructor.inert.note", what=", ".join(removed)) + "\n"
            cell.setdefault("outputs", []).append(nbformat.v4.new_output("stream", name="stdout", text=note))
    return removed


def inert_notebook(nb):
    """{cell index: [removed]} for the cells that lost something. Saved widget state goes too: a page that finds it
    loads a widget manager that would render the HTML the state holds."""
    nb.get("metadata", {}).pop("widgets", None)
    report = {}
    for index, cell in enumerate(nb.cells):
        removed = inert_cell(cell)
        if removed:
            report[index] = removed
    return report


def inert_flags(nb):
    """要確認 flags for a notebook that InertOutputs changed."""
    flags = []
    for index, cell in enumerate(nb.get("cells", [])):
        removed = cell.get("metadata", {}).get("course", {}).get("inert")
        if removed:
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"#{index + 1}"
            flags.append({"code": "script_removed", "cell": name, "detail": ", ".join(removed)[:200]})
    return flags


class InertOutputs(NbGraderPreprocessor):
    """nbgrader preprocessor: see the module doc."""

    def preprocess(self, nb, resources):
        inert_notebook(nb)
        return nb, resources


def submission_flags(root, assignment, student):
    """The script_removed flags of one learner's autograded notebooks (an unreadable notebook is integrity's to flag)."""
    flags = []
    for path in sorted(Path(root, "autograded", student, assignment).glob("*.ipynb")):
        try:
            flags += inert_flags(nbformat.read(path, as_version=4))
        except (OSError, ValueError):
            continue
    return flags
