"""Chapter 14 notebooks: the lesson template, every lesson control in place, and the data notebooks as a learner uses
them (answers filled in). tests/test_notebooks_run.py already runs every notebook with empty answers."""

import re

import nbformat
import pytest

from fixtures import NOTEBOOKS, execute_notebook
from course.catalog import controls, get_control
from course.answers.store import AnswerStore
from course.exercises.organizational import lesson_numbers, notebook_of
from course.exercises.org_plots import overview
from course.profile import CompanyProfile, save_profile

CH14 = sorted(p.name for p in NOTEBOOKS.glob("ch14_*.ipynb"))
# lessons beyond the seminar's 11: the incident controls, drafted from the ransomware workshop (ir_*)
INCIDENT_LESSONS = ["5.24", "5.25", "5.26", "5.27", "5.28", "5.30"]

ANSWERS = {
    "ch14_03_information.ipynb": {
        'assets["正しい分類"] = None': '\n'.join([
            'assets["正しい分類"] = "社外秘"',
            'assets.loc[assets["公表済み"], "正しい分類"] = "公開"',
            'assets.loc[assets["個人情報"] | assets["取引先の秘密"] | assets["未公表の経営情報"], "正しい分類"] = "機密"']),
        "mislabelled = []": '\n'.join([
            'ok_public = (assets["正しい分類"] == "公開") & (assets["現在の表示"] == "表示なし")',
            'mislabelled = assets.loc[(assets["正しい分類"] != assets["現在の表示"]) & ~ok_public, "資産ID"].tolist()']),
        "violations = []": '\n'.join([
            'secret = log["分類"] == "機密"',
            'kept = log["分類"].isin(["機密", "社外秘"])',
            'r1 = secret & (log["方法"] == "メール添付") & ~(log["暗号化"] & log["パスワード別送"])',
            'r2 = secret & (log["方法"] == "共有リンク") & ~log["有効期限あり"]',
            'r3 = secret & (log["方法"] == "郵送・宅配便") & ~log["追跡あり"]',
            'r4 = kept & (log["方法"] == "USBメモリ") & ~(log["持出承認"] & log["暗号化"])',
            'r5 = kept & (log["宛先の種類"] == "個人のアドレス")',
            'r6 = secret & ~log["記録簿に記入"]',
            'violations = log.loc[r1 | r2 | r3 | r4 | r5 | r6, "記録ID"].tolist()']),
    },
    "ch14_04_access.ipynb": {
        "leavers_active = []": '\n'.join([
            'merged = accounts.merge(people[["社員番号", "在籍状況"]], on="社員番号", how="left")',
            'leavers_active = merged.loc[(merged["在籍状況"] == "退職") & (merged["状態"] == "有効"), "アカウントID"].tolist()']),
        "shared_accounts = []": 'shared_accounts = accounts.loc[accounts["社員番号"].isna() & (accounts["用途"] == "業務")'
                                ' & (accounts["状態"] == "有効"), "アカウントID"].tolist()',
        "conflict_people = []": '\n'.join([
            'held = duties.groupby("社員番号")["職務"].agg(set)',
            'conflict_people = [n for n, s in held.items() if any({a, b} <= s for a, b in zip(conflicts["職務A"], conflicts["職務B"]))]']),
    },
}

FIGURES = {"ch14_03_information.ipynb": 2, "ch14_04_access.ipynb": 1}


def cells(name):
    return nbformat.read(NOTEBOOKS / name, as_version=4).cells


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == kind]


# -- structure (fast) -----------------------------------------------------------------------------------------------------

def test_the_chapter_has_its_notebooks():
    assert CH14 == ["ch14_00_overview.ipynb", "ch14_01_policy_roles.ipynb", "ch14_02_external_projects.ipynb",
                    "ch14_03_information.ipynb", "ch14_04_access.ipynb", "ch14_05_catalog.ipynb",
                    "ch14_06_incident_rules.ipynb"]
    taught = {f"{name}.ipynb" for name in overview()["notebooks"]} | {f'{overview()["catalog_notebook"]}.ipynb'}
    assert taught <= set(CH14), "every notebook the overview names exists"


@pytest.mark.parametrize("name", CH14)
def test_template_and_clean(name):
    nb = cells(name)
    first = nb[0].source
    assert nb[0].cell_type == "markdown" and first.startswith("# ")
    for part in ("**このノートブックのゴール**", "**前提知識**", "**所要時間**"):
        assert part in first, part
    code = [c for c in nb if c.cell_type == "code"]
    assert all(line.startswith(("import ", "from ", " ", ")")) or not line.strip()
               for line in code[0].source.splitlines()), "imports first"
    assert all(not c.outputs and c.execution_count is None for c in code)
    # the summary closes the lesson; only a list of sources (参考資料) may follow it
    closing = nb[-2] if nb[-1].source.startswith("## 参考資料") else nb[-1]
    assert closing.cell_type == "markdown" and "## まとめ" in closing.source and "## 次のステップ" in closing.source
    assert sum("## まとめ" in c.source for c in nb) == 1
    # narrative in Markdown: code cells carry at most a one-line answer prompt as a comment
    assert all(sum(line.lstrip().startswith("#") for line in c.source.splitlines()) <= 1 for c in code)


def test_every_lesson_control_has_its_parts_in_its_notebook():
    catalog_notebook = overview()["catalog_notebook"]
    taught = [c.number for c in controls("organizational") if notebook_of(c.number) != catalog_notebook]
    assert taught == sorted(lesson_numbers() + INCIDENT_LESSONS, key=lambda n: int(n.split(".")[1]))
    assert {notebook_of(n) for n in INCIDENT_LESSONS} == {"ch14_06_incident_rules"}
    for number in taught:
        name = notebook_of(number) + ".ipynb"
        text = "\n".join(c.source for c in cells(name))
        control = get_control(number)
        assert f'lesson("{number}")' in text, number
        assert f'Workbench("{number}")' in text, number
        assert re.search(rf"^## \d+\. {re.escape(number)} {re.escape(control.display_title)}$", text, re.M), number
        assert control.lesson is not None and control.model is not None and control.rubric, number


def test_titles_in_the_text_are_the_catalogs():
    """Every 'n.m title' written in a chapter 14 notebook is the catalog title, an unverified one marked （訳語未確認）
    right after it; text that starts like a title but differs is a misspelt title."""
    for name in CH14:
        for c in cells(name):
            if c.cell_type != "markdown":
                continue
            for m in re.finditer(r"\b(5\.\d{1,2}) ", c.source):
                control = get_control(m.group(1))
                rest = c.source[m.end():]
                if rest.startswith(control.title_ja):
                    after = rest[len(control.title_ja):]
                    assert control.verified or after.startswith("（訳語未確認）"), (name, control.number, rest[:40])
                else:
                    assert rest[:3] != control.title_ja[:3], (name, control.number, rest[:40])


def test_sources_are_named():
    text = "\n".join(c.source for name in CH14 for c in cells(name))
    for source in ("ISO/IEC 27001:2022", "IPA", "中小企業の情報セキュリティ対策ガイドライン", "総務省"):
        assert source in text, source


# -- as a learner uses them (slow) ------------------------------------------------------------------------------------------

def answered(path, answers):
    """Fill the answer cells; also show figures inline as JupyterLab does (the tests run with MPLBACKEND=Agg)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%matplotlib inline"))
    for c in nb.cells:
        for blank, answer in list(answers.items()):
            if c.cell_type == "code" and c.source.startswith("# 回答欄") and c.source.rstrip().endswith(blank):
                c.source = c.source.replace(blank, answer)
                answers = {k: v for k, v in answers.items() if k != blank}
    assert not answers, f"answer cells not found: {list(answers)}"
    nbformat.write(nb, path)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_data_notebook_accepts_the_right_answers(name, notebook_copy):
    answered(notebook_copy / name, dict(ANSWERS[name]))
    nb = execute_notebook(notebook_copy / name, notebook_copy)
    assert not outputs(nb, "error")
    checks = [o["data"] for o in outputs(nb, "execute_result")
              if "text/html" in o["data"] and o["data"]["text/plain"].startswith(("✅", "⚠"))]
    assert len(checks) == len(ANSWERS[name])
    assert all(c["text/plain"].startswith("✅") and "正解です" in c["text/html"] for c in checks), checks
    figures = [o for o in outputs(nb, "display_data") if "image/png" in o["data"]]
    assert len(figures) == FIGURES[name]  # the managers' charts, drawn from the answers


@pytest.mark.slow
def test_overview_proposes_from_the_saved_profile(notebook_copy):
    store = AnswerStore(notebook_copy / "answers")
    save_profile(CompanyProfile(company="株式会社こまち電機", cloud=["kintone"], contractors=["配送のC社"]), store)
    nb = execute_notebook(notebook_copy / "ch14_00_overview.ipynb", notebook_copy)
    assert not outputs(nb, "error")
    assert not store.path("soa").exists()                 # opening the form saves nothing
    text = "".join(o["data"].get("text/plain", "") + o["data"].get("text/html", "") for o in outputs(nb, "execute_result"))
    assert "適用宣言書がまだ保存されていません" in text
    widgets = [o for o in outputs(nb, "execute_result") if "application/vnd.jupyter.widget-view+json" in o["data"]]
    assert len(widgets) == 1
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    values = [m["state"].get("value") for m in state.values() if m.get("model_name") == "TextModel"]
    assert any("kintone" in str(v) for v in values) and any("配送のC社" in str(v) for v in values)
