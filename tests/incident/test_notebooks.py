"""The ir_* notebooks use the learner's saved answers: self-checks pass with model answers, and ir_05 writes the
report with them. (Every notebook also runs on empty answers in test_notebooks_run.py.)"""

import nbformat
import pytest

from fixtures import execute_notebook
from course.answers.store import AnswerStore
from course.incident import checks as C
from course.incident import tabletop as TT
from course.incident.forms import KIND
from course.incident.practice import practice_scenario
from course.incident.triage import KEY as TRIAGE_KEY, KIND as TRIAGE_KIND, model_ranking
from course.profile import CompanyProfile, save_profile


def outputs_text(nb):
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.slow
def test_notebooks_pick_up_saved_model_answers(notebook_copy):
    scenario = practice_scenario()
    store = AnswerStore(notebook_copy / "answers")
    for form in C.forms():
        assert store.save(form, KIND, {"answers": C.model_answers(form, scenario)}).ok
    store.save(TRIAGE_KEY, TRIAGE_KIND, {"ranks": {rid: i for i, rid in enumerate(model_ranking(), start=1)}})
    store.save(TT.KEY, TT.KIND, {"decisions": TT.model_decisions(), "step": len(TT.injects())})
    save_profile(CompanyProfile(company="株式会社さくら工業"), store)

    text = outputs_text(execute_notebook(notebook_copy / "ir_02_analyze.ipynb", notebook_copy))
    assert "8 問中 8 問正解" in text
    text = outputs_text(execute_notebook(notebook_copy / "ir_00_overview.ipynb", notebook_copy))
    assert "8 問中 8 問正解" in text and "株式会社さくら工業" in text

    nb = execute_notebook(notebook_copy / "ir_05_post_incident.ipynb", notebook_copy)
    assert "5 問中 5 問正解" in outputs_text(nb)
    report = (notebook_copy / "output" / "incident_report.md").read_text(encoding="utf-8")
    assert scenario.truth.first_host in report and "株式会社さくら工業" in report
    assert "8. 机上演習の結果" in report
    assert (notebook_copy / "output" / "incident_report.docx").stat().st_size > 10_000
    assert nbformat.validate(nb) is None
