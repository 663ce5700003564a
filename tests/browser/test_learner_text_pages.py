"""Issue #14: learner text that the course itself turns into output — a draft's words quoted by the self-check, a
statement-of-applicability reason, an incident answer, a company name — runs nothing on the pages an instructor
opens. The outputs are made by the course's own functions from planted answers, put in graded cells of a notebook,
and rendered the way feedback and the formgrader render (HideKeys, then nbconvert with the course configuration)."""

import nbformat
import pytest
from nbconvert import HTMLExporter
from traitlets.config import Config

from course.answers.draft import Draft, DraftStep
from course.incident import checks as incident_checks
from course.instructor.hide_keys import HideKeys
from course.instructor.inert_outputs import InertOutputs
from course.rubric.lines import rubric_lines
from course.rubric.score import score_draft
from course.soa import check_soa
from fixtures.incident import scenario

from .lab import UI_TIMEOUT, artifacts_dir

pytestmark = pytest.mark.slow

MARK = "pwned_by_text"
PAYLOADS = [f'<img src=x onerror="window.{MARK}=1">', f"<script>window.{MARK}=2</script>",
            f'<a href="javascript:window.{MARK}=3">押す</a>', f'<svg onload="window.{MARK}=4"></svg>']


def graded(grade_id, outputs):
    cell = nbformat.v4.new_code_cell("# 採点用のセル")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 2, "solution": False,
                                 "locked": True, "schema_version": 3}
    cell.outputs = outputs
    return cell


def display(obj):
    return nbformat.v4.new_output("display_data", data={"text/html": obj._repr_html_(), "text/plain": str(obj)})


def planted_notebook():
    words = " ".join(PAYLOADS)
    draft = Draft(control="5.15", purpose=words, scope=words,
                  statements=[f"{p}の権限は、情報システム管理者が承認しなければならない。" for p in PAYLOADS],
                  owner=words, review=words, steps=[DraftStep(who=p, what=p, when=p, record=p) for p in PAYLOADS])
    rubric = "\n".join(rubric_lines(score_draft(draft))) + "\n"
    soa = check_soa({"controls": {"5.1": {"adopted": False, "reason": words}, "5.2": {"adopted": True, "reason": words}}})
    form = next(iter(incident_checks.forms()))
    fields = incident_checks.model_answers(form, scenario(0))
    answers = {key: words for key in fields}
    incident = incident_checks.check_answers(form, answers, scenario(0))
    nb = nbformat.v4.new_notebook()
    nb.cells = [graded("q_draft", [nbformat.v4.new_output("stream", name="stdout", text=rubric)]),
                graded("q_soa", [display(soa)]),
                graded("q_incident", [display(incident),
                                      nbformat.v4.new_output("stream", name="stdout", text=str(incident))])]
    return nb


def render(nb, tmp_path):
    """What a page shows: HideKeys as feedback runs it, then nbconvert with the course's HTMLExporter setting."""
    (tmp_path / "reports" / "A").mkdir(parents=True)
    nb, _ = HideKeys(course_root=str(tmp_path)).preprocess(nb, {"nbgrader": {"assignment": "A", "student": "s",
                                                                            "notebook": "n"}})
    config = Config()
    config.HTMLExporter.preprocessors = [InertOutputs]
    html, _ = HTMLExporter(config=config).from_notebook_node(nb)
    return html


def test_learner_text_quoted_by_the_course_runs_nothing(page, tmp_path):
    nb = planted_notebook()
    text = nbformat.writes(nb)
    assert all(p in text or p.replace('"', '\\"') in text for p in PAYLOADS)  # the payloads really are in the outputs
    path = tmp_path / "feedback.html"
    path.write_text(render(nb, tmp_path), encoding="utf-8")
    page.goto(path.as_uri())
    page.get_by_text("押す").first.wait_for(timeout=UI_TIMEOUT)  # the learner's words are shown as text
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts_dir() / "inert-learner-text.png"), full_page=True)
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
