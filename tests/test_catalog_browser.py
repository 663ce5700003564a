"""The catalog browser, headless: search, filters, the detail of a control, and opening its Workbench."""

import json
import re

import pytest

import fixtures
from course.catalog import catalog
from course.catalog_browser import CatalogBrowser, catalog_only_numbers, detail_html, search
from course.answers.store import AnswerStore
from course.profile import CompanyProfile

PROFILE = CompanyProfile(company="有限会社くすのき設計", cloud=["Google Workspace"])


def fill(text, profile):
    """A model text with the profile's company, role names and calendar put in (what the detail must show)."""
    values = profile.placeholders()
    return re.sub(r"\{([^{}]+)\}", lambda m: values[m.group(1)], text)


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


@pytest.fixture
def browser(store):
    return CatalogBrowser(numbers=catalog_only_numbers(), store=store, profile=PROFILE)


def test_the_catalog_notebook_lists_exactly_the_26_controls_the_seminar_does_not_name():
    expected = [r["number"] for r in fixtures.annex_a_rows()
                if r["number"].startswith("5.") and r["in_seminar"] == "no"]
    assert catalog_only_numbers() == expected and len(expected) == 26
    assert expected[:4] == ["5.6", "5.9", "5.10", "5.11"] and expected[4] == "5.16" and expected[-1] == "5.37"


def test_search_normalises_and_needs_every_word():
    assert "5.17" in search("パスワード")
    assert search("ﾊﾟｽﾜｰﾄﾞ") == search("パスワード")          # half-width katakana
    assert search("ＣＬＯＵＤ") == search("cloud")               # full-width latin, any case
    both = search("クラウド 解約")
    assert both and set(both) <= set(search("クラウド")) & set(search("解約"))
    assert search("zzzz存在しない語") == []
    assert search("", theme="people") == [c.number for c in catalog().values() if c.theme == "people"]
    assert search("", topic="incidents") == ["5.24", "5.25", "5.26", "5.27", "5.28"]


def test_filters_and_search_update_the_list(browser):
    assert browser.matches == catalog_only_numbers() and browser.selected == "5.6"
    assert browser.count.value == "26 件の管理策"
    browser.topic.value = "suppliers"
    assert browser.matches == ["5.19", "5.20", "5.21", "5.22", "5.23"]
    browser.query.value = "クラウド"
    assert "5.23" in browser.matches and set(browser.matches) <= {"5.19", "5.20", "5.21", "5.22", "5.23"}
    browser.query.value = "存在しない語"
    assert browser.matches == [] and browser.selected is None and browser.open_button.disabled
    assert "当てはまる管理策がありません" in browser.count.value
    assert browser.open_workbench() is None                       # nothing chosen: a message, no crash
    browser.query.value, browser.topic.value = "", ""
    assert len(browser.matches) == 26 and not browser.open_button.disabled


def test_only_the_themes_and_topics_of_the_list_are_offered(browser):
    assert [v for _, v in browser.theme.options] == ["", "organizational"]
    assert "before_employment" not in [v for _, v in browser.topic.options]
    everything = CatalogBrowser(profile=PROFILE, store=AnswerStore(browser.store.root))
    assert [v for _, v in everything.theme.options] == ["", "organizational", "people"]


def test_detail_shows_purpose_fitted_model_and_unverified_title(browser):
    browser.select("5.23")
    html = browser.detail.value
    control = catalog()["5.23"]
    assert "クラウドサービスの利用における情報セキュリティ（訳語未確認）" in html
    assert "訳語未確認" in html and "JIS Q 27001:2023" in html
    assert control.purpose_ja in html
    assert "{role." in control.model.statements[0]  # the model names a role of the company's role table
    assert fill(control.model.statements[0], PROFILE) in html
    assert "有限会社くすのき設計は、業務でクラウドサービスを使う前に、情報セキュリティ責任者の承認を得なければならない。" in html
    assert not re.search(r"\{(company|role\.|cal\.)", html)
    # the cloud clause of the profile is in the model statements shown
    assert fill(control.model.profile_clauses[0].statement, PROFILE) in html
    # the company's own name for a role is the one shown
    renamed = CompanyProfile(company="有限会社くすのき設計", roles={"ciso": {"name": "情報管理責任者"}})
    assert "業務でクラウドサービスを使う前に、情報管理責任者の承認を得なければならない。" in detail_html(control, renamed)
    assert "<table" in html and "担当" in html
    assert browser.open_button.description == "5.23 の下書きを書く"


def test_detail_escapes_text():
    control = catalog()["5.6"]
    html = detail_html(control, CompanyProfile(company="<b>x</b>"))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_selecting_a_control_outside_the_list_is_a_message(browser):
    assert browser.select("6.1") is False and browser.selected == "5.6"
    assert "6.1 は今の一覧にありません" in browser.messages.outputs[-1]["text"]


def test_open_workbench_drafts_the_chosen_control(browser, store):
    browser.select("5.30")
    bench = browser.open_workbench()
    assert bench.control.number == "5.30" and browser.bench_area.children == (bench,)
    assert browser.open_workbench() is bench                     # the same control: the same form
    bench.statements.value = ["当社は、重要なシステムの復旧手順を年1回試験しなければならない。"]
    record = json.loads(store.path("5.30").read_text(encoding="utf-8"))
    assert record["kind"] == "draft" and record["data"]["statements"] == bench.statements.value
    browser.select("5.31")
    other = browser.open_workbench()
    assert other is not bench and other.control.number == "5.31" and browser.bench_area.children == (other,)
    assert not store.path("5.31").exists()                       # opening a form saves nothing


def test_reopened_workbench_restores_the_draft(browser, store):
    browser.select("5.9")
    browser.open_workbench().insert_model()
    again = CatalogBrowser(numbers=catalog_only_numbers(), store=store, profile=PROFILE)
    again.select("5.9")
    assert again.open_workbench().statements.value == browser.workbench.statements.value
