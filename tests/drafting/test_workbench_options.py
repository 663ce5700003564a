"""Workbench options of issue #15: show_model=False (and the hidden models of content/hidden_models.yaml) shows the
rubric's reasons instead of the model button; start= pre-fills a draft only while nothing is saved; the self-check says
when the draft is the model."""

import json

import pytest

from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.catalog import get_control, hidden_models
from course.drafting.drafts import load_draft
from course.drafting.fit import model_draft
from course.drafting.widgets import Workbench
from course.profile import CompanyProfile

FLAWED = Draft("5.15", purpose="権限を管理する。", statements=["アクセス権は必要に応じて適切に管理することが望ましい。"],
               steps=[DraftStep("担当者", "必要に応じて権限を見直す", "適宜", "")])


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def told(wb):
    return "".join(o["text"] for o in wb.messages.outputs)


def test_hidden_models_are_5_17_and_6_2():
    assert hidden_models() == {"5.17", "6.2"}


@pytest.mark.parametrize("control, show_model", [("5.15", False), ("6.2", True), ("5.17", True)])
def test_without_the_model_the_reasons_are_shown_and_nothing_is_inserted(store, control, show_model):
    wb = Workbench(control, store, CompanyProfile(), show_model=show_model)
    assert not wb.show_model
    assert wb.insert_button.layout.display == "none" and wb.insert_button.disabled
    rubric = get_control(control).rubric
    assert all(e.label in wb.model_note.value for e in rubric)
    assert "この管理策で確かめる点" in wb.model_note.value
    assert wb.insert_model() is None and wb.draft.is_empty() and not store.path(control).exists()
    assert "模範文例は表示しません" in told(wb)
    model = model_draft(control)
    shown = wb.model_note.value + wb.preview.value
    assert not any(s[:20] in shown for s in model.statements)  # no model text anywhere in the form


def test_the_model_button_stays_for_other_controls(store):
    wb = Workbench("5.15", store, CompanyProfile())
    assert wb.show_model and wb.insert_button.layout.display != "none" and not wb.insert_button.disabled
    wb.insert_model()
    assert wb.draft.statements == model_draft("5.15").statements


def test_start_prefills_the_draft_without_saving_it(store):
    wb = Workbench("5.15", store, CompanyProfile(), start=FLAWED)
    assert wb.draft == FLAWED and not store.path("5.15").exists()
    assert "必要に応じて" in wb.preview.value
    wb.purpose.value = "業務に必要な人だけが使えるようにする。"  # the learner corrects it: now it is saved
    assert load_draft("5.15", store).statements == FLAWED.statements


def test_start_never_replaces_a_saved_answer(store):
    Workbench("5.15", store, CompanyProfile()).set_draft(Draft("5.15", purpose="自分の下書き"))
    again = Workbench("5.15", AnswerStore(store.root), CompanyProfile(), start=FLAWED)
    assert again.purpose.value == "自分の下書き" and again.statements.value == []
    assert json.loads(store.path("5.15").read_text(encoding="utf-8"))["data"]["purpose"] == "自分の下書き"


def test_start_takes_a_dict_and_refuses_another_control(store):
    wb = Workbench("5.15", store, CompanyProfile(), start={"purpose": "目的"})
    assert wb.purpose.value == "目的"
    from course.answers.draft import DraftFormatError
    with pytest.raises(DraftFormatError):
        Workbench("5.15", AnswerStore(store.root.parent / "b"), CompanyProfile(), start=Draft("6.6", purpose="x"))


def test_self_check_says_when_the_draft_is_the_model(store):
    profile = CompanyProfile(company="ひかり物流", roles={"it": {"name": "システム係"}})
    wb = Workbench("5.15", store, profile)
    wb.insert_model()
    wb.check()
    assert "模範文例とほぼ同じです（類似度 100%）" in wb.feedback.value
    wb.set_draft(FLAWED)
    wb.check()
    assert "模範文例とほぼ同じ" not in wb.feedback.value


def test_self_check_of_a_hidden_model_still_warns(store):
    wb = Workbench("6.2", store, CompanyProfile())
    wb.set_draft(model_draft("6.2"))  # e.g. pasted from elsewhere
    wb.check()
    assert "模範文例とほぼ同じです" in wb.feedback.value
