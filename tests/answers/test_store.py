"""AnswerStore: atomic saves, a history of 20, bad files set aside and never overwritten, conflicts, bad keys."""

import errno
import json
import os
import tempfile
import threading

import pytest

from course.answers import store as store_module
from course.answers.store import SCHEMA, AnswerStore, BadKeyError, check_key


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def test_save_writes_a_record_and_load_reads_it_back(store):
    result = store.save("5.15", "draft", {"text": "𠮷野家の髙﨑さん 🔐"})
    assert result.ok and result.revision == 1 and not result.conflict
    raw = json.loads(store.path("5.15").read_text(encoding="utf-8"))
    assert raw["schema"] == SCHEMA and raw["key"] == "5.15" and raw["kind"] == "draft" and raw["revision"] == 1
    loaded = store.load("5.15", "draft")
    assert loaded.message is None and loaded.record.data == {"text": "𠮷野家の髙﨑さん 🔐"}
    assert not list(store.root.glob(".*.tmp")), "no temporary file is left behind"


def test_missing_answer_loads_as_nothing_without_a_message(store):
    result = store.load("6.6", "draft")
    assert result.record is None and result.message is None


@pytest.mark.parametrize("failing, code", [("os.replace", errno.EROFS), ("tempfile.mkstemp", errno.ENOSPC)])
def test_failed_save_keeps_the_previous_version_and_says_so(store, monkeypatch, failing, code):
    store.save("6.6", "draft", {"v": "first"})
    before = store.path("6.6").read_bytes()

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    module, name = failing.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, fail)
    result = store.save("6.6", "draft", {"v": "second"})
    monkeypatch.undo()

    assert not result.ok and result.revision is None
    assert "保存できませんでした" in result.message and "前回保存した内容はそのまま" in result.message
    assert store.path("6.6").read_bytes() == before
    assert not list(store.root.glob(".*.tmp"))
    assert store.load("6.6", "draft").record.data == {"v": "first"}


def test_history_keeps_the_newest_20_versions(store):
    for n in range(1, 26):
        assert store.save("5.1", "draft", {"n": n}).revision == n
    versions = store.history("5.1")
    assert len(versions) == 20
    assert [store.load_version(p, "5.1").data["n"] for p in versions] == list(range(6, 26))


def test_history_failure_does_not_fail_the_save(store, monkeypatch):
    store.history_dir("5.2").parent.mkdir(parents=True)
    store.history_dir("5.2").write_text("a file where the history folder should be")
    result = store.save("5.2", "draft", {"n": 1})
    assert result.ok and store.load("5.2").record.data == {"n": 1}


@pytest.mark.parametrize("content", [
    b"{not json",                                                              # corrupt
    b"\xff\xfe\x00 not UTF-8",                                                 # not text
    json.dumps({"schema": "other.program/1", "key": "6.6", "data": {}}).encode(),  # a foreign program's file
    json.dumps({"schema": SCHEMA, "key": "6.7", "kind": "draft", "revision": 1, "data": {}}).encode(),  # other key
    json.dumps({"schema": SCHEMA, "key": "6.6", "kind": "profile", "revision": 1, "data": {}}).encode(),  # other kind
    b"[1, 2, 3]",
], ids=["corrupt", "binary", "foreign", "other-key", "other-kind", "list"])
def test_bad_or_foreign_file_is_set_aside_never_overwritten(store, content):
    store.root.mkdir(parents=True)
    store.path("6.6").write_bytes(content)

    result = store.load("6.6", "draft")
    assert result.record is None
    assert "退避しました" in result.message and "消していません" in result.message
    aside = list(store.root.glob("6.6.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content

    assert store.save("6.6", "draft", {"new": True}).ok
    assert aside[0].read_bytes() == content
    assert store.load("6.6", "draft").record.data == {"new": True}


def test_saving_over_a_corrupt_file_sets_it_aside_first(store):
    store.root.mkdir(parents=True)
    store.path("6.6").write_text("garbage", encoding="utf-8")
    assert store.save("6.6", "draft", {"v": 1}).ok
    aside = list(store.root.glob("6.6.json.unreadable-*"))
    assert [p.read_text(encoding="utf-8") for p in aside] == ["garbage"]


def test_revisions_keep_counting_after_a_file_was_set_aside(store):
    """Otherwise the history, sorted by revision, would prune the newest versions first."""
    for n in range(1, 21):
        store.save("6.6", "draft", {"n": n})
    store.path("6.6").write_text("garbage", encoding="utf-8")
    assert store.save("6.6", "draft", {"n": "new"}).revision == 21
    newest = store.history("6.6")[-1]
    assert store.load_version(newest, "6.6").data == {"n": "new"}


def test_conflict_is_reported_and_both_versions_stay_in_history(store):
    other = AnswerStore(store.root)  # another form, e.g. in another notebook
    first = store.save("5.15", "draft", {"by": "form A"})
    other.save("5.15", "draft", {"by": "form B"}, base_revision=first.revision)
    late = store.save("5.15", "draft", {"by": "form A again"}, base_revision=first.revision)
    assert late.ok and late.conflict and "両方の内容を履歴に残し" in late.message
    kept = [store.load_version(p, "5.15").data["by"] for p in store.history("5.15")]
    assert kept == ["form A", "form B", "form A again"]


@pytest.mark.parametrize("revision_after_edit", [1, 2])
def test_a_version_written_outside_the_store_is_kept_before_it_is_replaced(store, revision_after_edit):
    """A hand edit or another program bypasses the store (and its history); a conflicting save must not lose it."""
    from course.answers.kept import keep_overwritten

    first = store.save("6.6", "draft", {"by": "form"})
    record = json.loads(store.path("6.6").read_text(encoding="utf-8"))
    record.update(revision=revision_after_edit, data={"by": "hand edit"})
    store.path("6.6").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    late = store.save("6.6", "draft", {"by": "form again"}, base_revision=first.revision)
    assert late.ok and late.conflict == (revision_after_edit != first.revision)
    assert keep_overwritten(store, "6.6", "draft", late.revision - 1) == "6.6.kept.json"
    assert store.load("6.6.kept").record.data == {"by": "hand edit"}
    again = store.save("6.6", "draft", {"by": "form, third time"}, base_revision=late.revision)
    assert not again.conflict and len(store.history("6.6")) == 4  # 2 by the form, the hand edit, and this one


def test_no_conflict_when_the_base_is_current(store):
    first = store.save("5.15", "draft", {"v": 1}, base_revision=0)
    assert not first.conflict
    assert not store.save("5.15", "draft", {"v": 2}, base_revision=first.revision).conflict


def test_a_second_store_sees_a_change_made_by_the_first(store):
    """The store remembers the file it wrote last; a rewrite by someone else is still noticed."""
    other = AnswerStore(store.root)
    store.save("5.15", "draft", {"v": 1})
    other.save("5.15", "draft", {"v": 2})
    assert store.save("5.15", "draft", {"v": 3}, base_revision=1).conflict
    assert store.load("5.15").record.revision == 3


def test_repeated_saves_do_not_read_the_answer_again(store, monkeypatch):
    """Saving on every keystroke of a large field: one JSON dump and a replace, no re-parse of the saved file."""
    store.save("5.15", "draft", {"text": "x" * 100_000})
    parsed = []
    original = AnswerStore._parse
    monkeypatch.setattr(AnswerStore, "_parse", lambda self, *a: parsed.append(a) or original(self, *a))
    for n in range(5):
        store.save("5.15", "draft", {"text": "x" * 100_000 + str(n)})
    assert parsed == []
    store.path("5.15").write_text("garbage", encoding="utf-8")  # changed behind the store's back: read again
    store.save("5.15", "draft", {"text": "after"})
    assert len(parsed) == 1 and list(store.root.glob("5.15.json.unreadable-*"))


def test_concurrent_saves_get_distinct_revisions(store):
    def work():
        own = AnswerStore(store.root)
        for n in range(10):
            assert own.save("6.8", "draft", {"n": n}).ok

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.load("6.8").record.revision == 40
    revisions = [store.load_version(p, "6.8").revision for p in store.history("6.8")]
    assert revisions == list(range(21, 41))


@pytest.mark.parametrize("key", ["../../x", "..", "a/b", "", ".hidden", "5..15", "x" * 65, "答え"])
def test_bad_keys_are_refused(store, key):
    with pytest.raises(BadKeyError, match="回答の名前として使えません"):
        store.save(key, "draft", {})
    with pytest.raises(BadKeyError):
        check_key(key)
    assert not (store.root / "../../x.json").resolve().exists()
    assert not store.root.exists() or list(store.root.iterdir()) == []


def test_set_aside_by_caller_moves_the_file_and_says_so(store):
    store.save("6.6", "draft", {"not": "a draft"})
    message = store.set_aside("6.6")
    assert "退避しました" in message and not store.path("6.6").exists()
    assert len(list(store.root.glob("6.6.json.unreadable-*"))) == 1
    assert store.set_aside("6.6") is None


def test_default_root_is_answers_beside_the_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ANSWERS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert store_module.default_root() == tmp_path / "answers"
    monkeypatch.setenv("COURSE_ANSWERS_DIR", str(tmp_path / "elsewhere"))
    assert AnswerStore().root == tmp_path / "elsewhere"
