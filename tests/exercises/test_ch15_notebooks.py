"""Chapter 15 notebooks as a learner uses them: answers filled in, a saved company profile.

(tests/test_notebooks_run.py already runs every notebook with empty answers; here the same notebooks must accept the
right answers, say so, and draw the manager's chart from them.)
"""

import nbformat
import pytest

from fixtures import execute_notebook
from course.answers.store import AnswerStore
from course.profile import CompanyProfile, save_profile

ANSWERS = {
    "ch15_05_training_data.ipynb": {
        "missed = []": 'missed = list(merged.loc[merged["_merge"] == "left_only", "社員番号"].unique())',
        "completion = None": 'completion = merged_dept.groupby("部署")["受講済"].mean()',
    },
    "ch15_06_phishing_drill.ipynb": {
        "click_rates = None": 'click_rates = results.pivot_table(index="回", columns="部署", values="クリック", aggfunc="mean")',
        "report_rates = None": 'report_rates = results.groupby(["回", "部署"])["報告"].mean()',
        'follow_up = ""': 'follow_up = click_rates.loc[click_rates.index.max()].idxmax()',
    },
    "ch15_07_offboarding_audit.ipynb": {
        "open_accounts = None": 'open_accounts = leaver_accounts[leaver_accounts["状態"] == "有効"]',
        "unreturned = None": 'unreturned = assets[assets["貸与先"].isin(leavers["社員番号"]) & assets["返却日"].isna()]',
    },
}


def answered(path, answers):
    """Fill the answer cells; also show figures inline as JupyterLab does (the tests run with MPLBACKEND=Agg)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%matplotlib inline"))
    for c in nb.cells:
        for blank, answer in answers.items():
            if c.cell_type == "code" and c.source.startswith("# 回答欄") and c.source.rstrip().endswith(blank):
                c.source = c.source.replace(blank, answer)
                answers = {k: v for k, v in answers.items() if k != blank}
    assert not answers, f"answer cells not found: {list(answers)}"
    nbformat.write(nb, path)


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == kind]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_data_notebook_accepts_the_right_answers(name, notebook_copy):
    answered(notebook_copy / name, ANSWERS[name])
    nb = execute_notebook(notebook_copy / name, notebook_copy)
    assert not outputs(nb, "error")
    checks = [o["data"]["text/plain"] for o in outputs(nb, "execute_result")
              if "text/html" in o.get("data", {}) and o["data"]["text/plain"].startswith(("✅", "⚠"))]
    assert len(checks) == len(ANSWERS[name])
    assert all(c.startswith("✅") for c in checks), checks
    figures = [o for o in outputs(nb, "display_data") if "image/png" in o["data"]]
    assert len(figures) == 1  # the manager's chart, drawn from the answers


@pytest.mark.slow
def test_lesson_notebook_fits_the_saved_profile(notebook_copy):
    save_profile(CompanyProfile(company="株式会社こまち電機", telework="some"), AnswerStore(notebook_copy / "answers"))
    nb = execute_notebook(notebook_copy / "ch15_04_remote_reporting.ipynb", notebook_copy)
    assert not outputs(nb, "error")
    html = "".join(o["data"].get("text/html", "") for o in outputs(nb, "execute_result"))
    assert "株式会社こまち電機" in html
    assert "（御社の状況に合わせて追加）" in html                  # 6.8's telework clause
    widgets = [o for o in outputs(nb, "execute_result") if "application/vnd.jupyter.widget-view+json" in o["data"]]
    assert len(widgets) == 2                                          # the workbenches of 6.7 and 6.8
