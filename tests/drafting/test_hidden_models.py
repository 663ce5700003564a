"""Controls whose model the course never shows (content/hidden_models.yaml: 5.17, 6.2): the catalog browser shows the
rubric's points and reasons, not the model, and does not search its text; the rules document never holds model text."""

import pytest

from course.answers.draft import Draft
from course.answers.store import AnswerStore
from course.catalog import get_control, hidden_models
from course.catalog_browser import CatalogBrowser, detail_html, search
from course.drafting.drafts import save_draft
from course.drafting.export import build_document, document_markdown
from course.drafting.fit import model_draft
from course.profile import CompanyProfile

HIDDEN = sorted(hidden_models())


def model_texts(control):
    model = model_draft(control)
    return [s for s in model.statements] + [s.what for s in model.steps]


@pytest.mark.parametrize("control", HIDDEN)
def test_the_browser_shows_reasons_not_the_model(control):
    html = detail_html(get_control(control), CompanyProfile())
    assert not any(text[:25] in html for text in model_texts(control))
    assert all(e.label in html for e in get_control(control).rubric)
    assert "この管理策で確かめる点" in html


def test_the_browser_still_shows_the_model_of_other_controls():
    html = detail_html(get_control("5.15"), CompanyProfile())
    assert model_draft("5.15").statements[0] in html


def test_model_words_do_not_find_a_hidden_control():
    """A phrase only the hidden model holds would reveal it through the search results."""
    assert "5.15" in search("アクセス権管理台帳")
    phrase = "10文字以上"  # 5.17's model: 推測されにくい10文字以上のパスワード
    assert phrase in " ".join(model_texts("5.17"))
    assert "5.17" not in search(phrase)
    assert "5.17" in search("認証情報")  # its title still finds it


def test_the_workbench_opened_from_the_browser_offers_no_model(tmp_path):
    browser = CatalogBrowser(store=AnswerStore(tmp_path / "answers"), profile=CompanyProfile())
    assert browser.select("6.2")
    bench = browser.open_workbench()
    assert not bench.show_model and bench.insert_button.layout.display == "none"


def test_the_rules_document_holds_only_the_learners_text(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    save_draft(Draft("6.2"), store)  # opened, nothing written
    save_draft(Draft("5.17", purpose="パスワードを守る。", statements=["パスワードは12文字以上にしなければならない。"]), store)
    doc = build_document(store, CompanyProfile(), date="2026-04-01")
    text = document_markdown(doc)
    assert [c.number for c, _ in doc.sections] == ["5.17"]
    for control in HIDDEN:
        assert not any(t[:25] in text for t in model_texts(control))
    assert "パスワードは12文字以上にしなければならない。" in text
