"""Every other form of the course in JupyterLab in Chromium: the drafting workbench, the statement of applicability,
the catalog browser, the incident triage board and the tabletop exercise (the company profile: test_profile_form.py).

Each test opens the form's notebook, runs it once the kernel is idle, types Japanese (where the form has text),
clicks, and asserts both the answer record on disk (read with the course's own loaders) and the text on the page.
Labels come from the course's UI strings and content, so a reworded label does not break the test, a missing one does.
A form whose notebook does not exist (yet) is skipped, naming the notebook.
"""

import re

import pytest

from course.answers.store import AnswerStore
from course.i18n import t

from .lab import NOTEBOOKS, SAVE_TIMEOUT, read_record, wait_for


def need(notebook, marker):
    """Skip unless notebooks/<notebook> exists and builds the form `marker` (a class name)."""
    path = NOTEBOOKS / notebook
    if not path.exists() or marker not in path.read_text(encoding="utf-8"):
        pytest.skip(f"notebooks/{notebook} with {marker} is not in the course yet")


def prefix(key, **values):
    """The fixed beginning of a UI string with placeholders (what the page shows whatever the values)."""
    text = t(key, **{k: "\x00" for k in values})
    return text.split("\x00")[0].strip()


def wait_record(folder, key, check, what):
    return wait_for(lambda: (r := read_record(folder, key)) and check(r["data"]) and r["data"], SAVE_TIMEOUT, what)


# -- 01_workbench: the drafting workbench (course.drafting.widgets.Workbench) ------------------------------------------

PURPOSE = "取引先から預かった情報と自社の秘密情報を守るため、秘密保持の約束を明確にする。"
SCOPE = "役員、正社員、パート・アルバイト、派遣社員"
STATEMENT = "従業員は、入社時に秘密保持誓約書に署名しなければならない。"
STEP = {"who": "総務課", "what": "入社手続きで誓約書の内容を説明し、署名を受け取る", "when": "入社日", "record": "署名済みの誓約書"}


@pytest.mark.slow
def test_workbench_drafts_a_standard_and_a_procedure(open_notebook, workdir):
    need("01_workbench.ipynb", "Workbench")
    from course.drafting.drafts import load_draft

    nb = open_notebook("01_workbench.ipynb")
    nb.run_all()
    nb.expect_text(t("drafting.section_standard"))
    number = re.search(r'Workbench\(\\?"([0-9.]+)', (NOTEBOOKS / "01_workbench.ipynb").read_text()).group(1)

    nb.textarea(t("drafting.purpose")).type_japanese(PURPOSE)
    nb.textarea(t("drafting.scope")).type_japanese(SCOPE)
    nb.button(t("drafting.add_statement")).click()
    nb.field_by_placeholder(t("drafting.statement_placeholder")).type_japanese(STATEMENT)
    nb.button(t("drafting.add_step")).click()
    for name, text in STEP.items():
        nb.field_by_placeholder(t(f"drafting.step_{name}")).type_japanese(text)
    nb.text_input(t("drafting.owner")).type_japanese("総務部長")

    store = AnswerStore(workdir / "answers")
    wait_for(lambda: load_draft(number, store).owner == "総務部長", SAVE_TIMEOUT, f"answers/{number}.json")
    draft = load_draft(number, store)
    assert (draft.purpose, draft.scope, draft.statements) == (PURPOSE, SCOPE, [STATEMENT])
    assert [(s.who, s.what, s.when, s.record) for s in draft.steps] == [tuple(STEP.values())]
    nb.expect_text(STATEMENT)  # the preview of the document, under the form
    nb.button(t("drafting.check")).click()
    nb.expect_text(prefix("drafting.check_score", percent=0))
    nb.scroll_to(nb.textarea(t("drafting.purpose")).locator)
    nb.screenshot("workbench-1-drafted")

    # The model text fills what is still empty and adds missing statements; the learner's own stay first.
    nb.button(t("drafting.insert_model")).click()
    nb.expect_text(prefix("drafting.model_inserted", company=""))
    wait_for(lambda: len(load_draft(number, store).statements) > 1, SAVE_TIMEOUT, "the model statements on disk")
    draft = load_draft(number, store)
    assert draft.statements[0] == STATEMENT and draft.purpose == PURPOSE
    nb.screenshot("workbench-2-model-inserted")


# -- ch14_00_overview: the statement of applicability (course.soa.SoaTable) ------------------------------------------

REASON = "脆弱性情報は IT 保守の委託先から毎月報告を受けており、自社では収集しないため。"


@pytest.mark.slow
def test_statement_of_applicability_records_a_decision_and_its_reason(open_notebook, workdir):
    need("ch14_00_overview.ipynb", "SoaTable")
    from course.soa import load_soa

    nb = open_notebook("ch14_00_overview.ipynb")
    nb.run_all()
    nb.expect_text(t("ch14.soa.title"))
    number = "5.7"
    row = nb.page.locator(".widget-hbox", has=nb.page.locator("b", has_text=re.compile(f"^{re.escape(number)}$"))).first
    reason = row.locator("input[type=text]")
    nb.scroll_to(row)
    row.locator("button", has_text=re.compile(f"^{t('ch14.soa.adopted')}$")).click()
    row.locator("button", has_text=re.compile(f"^{t('ch14.soa.rejected')}$")).click()
    reason.click()
    nb.page.keyboard.press("Control+A")
    nb.page.keyboard.press("Delete")
    nb.page.keyboard.press("Tab")
    row.get_by_text(t("ch14.soa.flag_no_reason")).wait_for()  # 不採用 without a reason is flagged at once
    reason.click()
    nb.page.keyboard.type(REASON)
    nb.page.keyboard.press("Tab")

    store = AnswerStore(workdir / "answers")
    wait_for(lambda: load_soa(store)[0].get(number, {}).get("reason") == REASON, SAVE_TIMEOUT, "answers/soa.json")
    entries = load_soa(store)[0]
    assert entries[number] == {"adopted": False, "reason": REASON}
    assert len(entries) >= 37  # the whole table is saved, not one row
    row.get_by_text(t("ch14.soa.flag_no_reason")).wait_for(state="detached")
    nb.button(t("ch14.soa.check")).click()
    nb.expect_text(prefix("ch14.soa.summary", adopted=0, rejected=0, missing=0, undecided=0))
    nb.screenshot("soa-1-decided")


# -- ch14_05_catalog: the catalog browser (course.catalog_browser.CatalogBrowser) -------------------------------------

@pytest.mark.slow
def test_catalog_browser_finds_a_control_and_opens_its_workbench(open_notebook, workdir):
    need("ch14_05_catalog.ipynb", "CatalogBrowser")
    from course.catalog import get_control
    from course.catalog_browser import catalog_only_numbers, search
    from course.drafting.drafts import load_draft

    nb = open_notebook("ch14_05_catalog.ipynb")
    nb.run_all()
    query = "ｸﾗｳﾄﾞ"  # half-width katakana, as some keyboards type it: the search normalises it
    found = search(query, numbers=catalog_only_numbers())
    number = "5.23" if "5.23" in found else found[0]
    nb.text_input(t("ch14.browser.search")).type_japanese(query)
    nb.expect_text(t("ch14.browser.count", n=len(found)))
    title = get_control(number).display_title
    nb.page.locator(".widget-select select").first.select_option(label=f"{number}  {title}")
    nb.expect_text(f"{number} {title}")
    nb.button(t("ch14.browser.open_number", control=number)).click()
    purpose = "クラウドサービスに預けた顧客情報を、契約と設定の両面から守るため。"
    nb.textarea(t("drafting.purpose")).type_japanese(purpose)

    store = AnswerStore(workdir / "answers")
    wait_for(lambda: load_draft(number, store).purpose == purpose, SAVE_TIMEOUT, f"answers/{number}.json")
    nb.expect_text(purpose)  # in the workbench's preview
    nb.scroll_to(nb.text_input(t("ch14.browser.search")).locator)
    nb.screenshot("catalog-1-search-and-workbench")


# -- ir_00_overview: the incident triage board (course.incident.triage.TriageBoard) -----------------------------------

@pytest.mark.slow
def test_triage_board_saves_the_ranking_and_explains_the_check(open_notebook, workdir):
    need("ir_00_overview.ipynb", "TriageBoard")
    from course.incident.triage import KEY, check_triage, model_ranking

    nb = open_notebook("ir_00_overview.ipynb")
    nb.run_all()
    nb.expect_text(t("incident.triage.title"))
    order = model_ranking()
    order[0], order[-1] = order[-1], order[0]  # one mistake, so that the check has something to explain
    for rank, report in enumerate(order, start=1):
        card = nb.page.locator(".widget-hbox", has=nb.page.locator("b", has_text=re.compile(f"^{report}\u3000"))).first
        card.locator("select").select_option(label=str(rank))
    expected = {report: rank for rank, report in enumerate(order, start=1)}
    wait_record(workdir, KEY, lambda d: d.get("ranks") == expected, "answers/ir_triage.json")
    nb.button(t("incident.form.check")).click()
    result = check_triage(expected)
    wrong = [f for f in result.fields.values() if f.status == "wrong"]
    assert wrong, "the swapped ranking should be wrong somewhere"
    nb.expect_text(wrong[0].message)  # the same explanation, in Japanese, on the page
    nb.screenshot("triage-1-checked")


# -- ir_06_tabletop: the tabletop exercise (course.incident.tabletop.TabletopWidget) ----------------------------------

@pytest.mark.slow
def test_tabletop_exercise_steps_through_the_injects_and_shows_the_result(open_notebook, workdir):
    need("ir_06_tabletop.ipynb", "TabletopWidget")
    from course.incident import content
    from course.incident.tabletop import KEY, injects, model_decisions

    nb = open_notebook("ir_06_tabletop.ipynb")
    nb.run_all()
    nb.button(t("incident.tabletop.next")).click()  # nothing chosen yet: the form says what to do
    nb.expect_text(t("incident.tabletop.answer_first"))
    model = model_decisions()
    steps = injects()
    for i, inj in enumerate(steps):
        labels = {o["id"]: content.text(o) for o in inj["options"]}
        chosen = model[inj["id"]] if inj["kind"] == "multi" else [model[inj["id"]]]
        for oid in chosen:
            if inj["kind"] == "multi":
                nb.checkbox(labels[oid]).check()
            else:
                nb.page.locator(".widget-radio-box label", has_text=labels[oid]).first.click()
        if i < len(steps) - 1:
            nb.button(t("incident.tabletop.next")).click()
    wait_record(workdir, KEY, lambda d: d.get("decisions") == model and d.get("step") == len(steps),
                "answers/ir_tabletop.json")
    nb.button(t("incident.tabletop.result")).click()
    nb.expect_text(t("incident.tabletop.why"))  # the table: your decision, the model, why
    nb.scroll_to(nb.button(t("incident.tabletop.result")))
    nb.screenshot("tabletop-1-result")
    # The chart belongs in the widget's own Output area, above that table.
    result_area = nb.page.locator(".widget-output", has=nb.page.get_by_text(t("incident.tabletop.why"))).last
    result_area.locator("img").first.wait_for()


# -- ir_01_detect: an incident answer sheet (course.incident.forms.AnswerSheet; ir_02–ir_05 use the same form) ---------

@pytest.mark.slow
def test_incident_answer_sheet_saves_answers_and_shows_the_check(open_notebook, workdir):
    need("ir_01_detect.ipynb", "AnswerSheet")
    from course.incident import analysis, checks
    from course.incident.forms import KIND
    from course.incident.practice import open_logs, practice_scenario

    form_key = re.search(r'AnswerSheet\(\\?"([a-z_]+)', (NOTEBOOKS / "ir_01_detect.ipynb").read_text()).group(1)
    fields = {f["id"]: f for f in checks.form(form_key)["fields"]}
    nb = open_notebook("ir_01_detect.ipynb")
    nb.run_all()
    extension = analysis.ransom_extension(open_logs()["file_audit"])  # the right answer, found as the notebook does
    typed = {"ransom_extension": extension, "ransom_note": "身代金の手紙.txt"}  # and a wrong one, in Japanese
    for fid, text in typed.items():
        nb.field_by_placeholder(fields[fid]["placeholder"]).type_japanese(text)
    record = wait_record(workdir, form_key, lambda d: all(d.get("answers", {}).get(k) == v for k, v in typed.items()),
                         f"answers/{form_key}.json")
    assert read_record(workdir, form_key)["kind"] == KIND and record["seed"] == practice_scenario().seed
    nb.button(t("incident.form.check")).click()
    result = checks.check_answers(form_key, record["answers"], practice_scenario())
    assert result.fields["ransom_extension"].status == "correct" and result.fields["ransom_note"].status != "correct"
    for fid in typed:  # the same explanations, in Japanese, on the page
        nb.expect_text(result.fields[fid].message)
    nb.screenshot("incident-answer-sheet-1-checked")
