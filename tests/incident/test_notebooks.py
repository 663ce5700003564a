"""The ir_* notebooks use the learner's saved answers: self-checks pass with model answers, and ir_05 writes the
report with them. (Every notebook also runs on empty answers in test_notebooks_run.py.)"""

import re
from pathlib import Path

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
    assert "6 問中 6 問正解" in outputs_text(nb)  # the six fields of ir_post (discovered_at added in #15)
    report = (notebook_copy / "output" / "incident_report.md").read_text(encoding="utf-8")
    assert scenario.truth.first_host in report and "株式会社さくら工業" in report
    assert "8. 机上演習の結果" in report
    assert (notebook_copy / "output" / "incident_report.docx").stat().st_size > 10_000
    assert nbformat.validate(nb) is None


# -- what the notebooks teach (issue #16) ---------------------------------------------------------------------------

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TAUGHT = [NOTEBOOKS / f"{name}.ipynb" for name in (
    "ir_00_overview", "ir_01_detect", "ir_02_analyze", "ir_03_contain", "ir_04_eradicate_recover", "ir_05_post_incident",
    "ir_06_tabletop", "ch14_06_incident_rules")]


def _cells(name):
    return nbformat.read(NOTEBOOKS / name, as_version=4).cells


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.name)
def test_every_notebook_ends_with_its_sources_and_their_years(path):
    last = nbformat.read(path, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## 参考資料")
    items = [line for line in last.source.splitlines() if line.startswith("- ")]
    assert len(items) >= 3
    assert all(re.search(r"(19|20)\d\d 年", line) for line in items), items


def test_the_lessons_and_drafts_of_the_incident_controls_are_shown_in_ch14_06():
    code = "\n".join(c.source for c in _cells("ch14_06_incident_rules.ipynb") if c.cell_type == "code")
    for number in ("5.24", "5.25", "5.26", "5.27", "5.28", "5.30"):
        assert f'lesson("{number}")' in code and f'Workbench("{number}")' in code, number


def test_the_workshop_feeds_the_5_24_and_5_25_drafts():
    code = lambda name: "\n".join(c.source for c in _cells(name) if c.cell_type == "code")  # noqa: E731
    assert 'Workbench("5.25")' in code("ir_00_overview.ipynb")
    assert 'Workbench("5.24")' in code("ir_05_post_incident.ipynb") and 'load_answers("ir_post")' in code(
        "ir_05_post_incident.ipynb")


@pytest.mark.parametrize("name, terms", [
    ("ir_01_detect.ipynb", ["4688", "Sysmon", "4663", "SACL", "保存期間", "準備のチェックリスト"]),
    ("ir_02_analyze.ipynb", ["ローカル管理者", "ログオンタイプ 2", "4672"]),
    ("ir_03_contain.ipynb", ["同じ症状がないか", "周知の文例"]),
    ("ir_04_eradicate_recover.ipynb", ["KRBTGT", "2 回", "作り直", "recovery", "111 件のうち 90 件（81%）", "2022 年のデータ", "2023 年公表",
                                       "令和4年におけるサイバー空間をめぐる脅威の情勢等について", "同期",
                                       "セグメント分割"]),
    ("ir_05_post_incident.ipynb", ["不正アクセスに関するお知らせ", "第26条第2項"]),
])
def test_the_notebooks_teach_what_issue_16_asks(name, terms):
    text = "\n".join(c.source for c in _cells(name) if c.cell_type == "markdown")
    missing = [t for t in terms if t not in text]
    assert not missing, missing
