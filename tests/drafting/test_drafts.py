"""Draft records: answers/<control>.json of kind "draft"; bad files set aside; conflicts keep both versions."""

import errno
import json
import os

import pytest

from course.catalog import get_control
from course.drafting.drafts import (UnknownControlError, keep_draft, load_draft, load_kept, open_draft,
                                    resolve_control, save_draft)
from course.answers.draft import Draft, DraftFormatError, DraftStep
from course.answers.store import AnswerStore


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def sample(control="5.15", text="利用者IDは一人に一つ発行しなければならない。"):
    return Draft(control, purpose="目的", statements=[text], steps=[DraftStep("情シス", "ID発行", "入社日", "台帳")])


def test_nothing_saved_gives_an_empty_draft(store):
    draft = load_draft("6.6", store)
    assert draft == Draft("6.6") and draft.is_empty()
    assert open_draft("6.6", store).revision == 0


def test_saved_draft_is_a_record_keyed_by_control_number(store):
    result = save_draft(sample(), store)
    assert result.ok and result.revision == 1
    raw = json.loads((store.root / "5.15.json").read_text(encoding="utf-8"))
    assert raw["key"] == "5.15" and raw["kind"] == "draft" and raw["data"] == sample().to_dict()
    assert load_draft("5.15", store) == sample()
    assert load_draft(get_control("5.15"), AnswerStore(store.root)) == sample()  # a new kernel, the same folder


@pytest.mark.parametrize("number", ["６．６", " 6.6 "])
def test_full_width_and_spaced_numbers_are_understood(number):
    assert resolve_control(number).number == "6.6"


@pytest.mark.parametrize("bad", ["../../x", "6.6/../../x", "5.15.json", "..", "", "7.1", "5.99", None])
def test_bad_control_ids_are_refused(store, bad):
    with pytest.raises(UnknownControlError):
        load_draft(bad, store)
    with pytest.raises(DraftFormatError):
        save_draft(Draft(str(bad)), store)
    assert not store.root.exists()


@pytest.mark.parametrize("data", [
    {"control": "6.6", "statements": "not a list"},
    {"control": "6.7", "purpose": "a draft of another control"},
    {"schema": "course.draft/99", "control": "6.6"},
])
def test_unusable_draft_data_is_set_aside_and_the_draft_opens_empty(store, data):
    store.save("6.6", "draft", data)
    original = store.path("6.6").read_bytes()
    opened = open_draft("6.6", store)
    assert opened.draft == Draft("6.6") and "退避しました" in opened.message
    aside = list(store.root.glob("6.6.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == original


def test_conflicting_save_keeps_the_other_version(store):
    a, b = AnswerStore(store.root), AnswerStore(store.root)  # two forms
    first = save_draft(sample(text="A の版"), a, base_revision=0)
    second = save_draft(sample(text="B の版"), b, base_revision=0)  # B opened before A saved
    assert first.ok and not first.conflict
    assert second.ok and second.conflict and "5.15.kept.json" in second.message
    assert load_draft("5.15", store).statements == ["B の版"]
    assert load_kept("5.15", store).statements == ["A の版"]


def test_kept_copy_survives_many_later_saves(store):
    save_draft(sample(text="A の版"), store, base_revision=0)
    save_draft(sample(text="B の版"), AnswerStore(store.root), base_revision=0)
    for n in range(30):  # typing on: the history of 5.15 rolls over, the kept copy does not
        save_draft(sample(text=f"B の版 {n}"), store)
    assert load_kept("5.15", store).statements == ["A の版"]


def test_keep_draft_and_load_kept(store):
    assert load_kept("6.6", store) is None
    assert keep_draft(sample("6.6"), store).ok
    assert load_kept("6.6", store) == sample("6.6")


def test_read_only_folder_keeps_the_previous_version(store, monkeypatch):
    save_draft(sample(text="前の版"), store)

    def read_only(*args):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", read_only)
    result = save_draft(sample(text="新しい版"), store)
    monkeypatch.undo()
    assert not result.ok and "前回保存した内容はそのまま" in result.message
    assert load_draft("5.15", store).statements == ["前の版"]
