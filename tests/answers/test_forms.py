"""Every answer form shares one life (course/answers/form.py): the same cases run against each of the six forms.

Each case names one input of the form, three answers a learner could give in it, and where the answer sits in the
saved record data. The forms are driven headless, as a learner would: by setting the input's value.
"""

import ast
import errno
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

import course.answers
import course.answers.store as store_module
from course.answers.kept import kept_key
from course.answers.store import AnswerStore
from course.drafting.widgets import Workbench
from course.incident.forms import AnswerSheet
from course.incident.tabletop import TabletopWidget
from course.incident.triage import TriageBoard
from course.profile import CompanyProfile, ProfileForm
from course.soa import SoaTable

ATTACK = "<img src=x onerror=alert(1)>"


@dataclass
class Case:
    open: Callable          # store -> form
    input: Callable         # form -> the widget the learner changes
    answers: tuple          # three different answers for that widget
    where: tuple            # path of the answer in the record data
    text: bool = True       # the input takes free text

    def saved(self, store, key=None):
        data = json.loads(store.path(key or self.key(store)).read_text(encoding="utf-8"))["data"]
        for step in self.where:
            data = data[step]
        return data

    def key(self, store):
        return self.open(store).record_key


CASES = {
    "Workbench": Case(lambda s: Workbench("6.6", s, CompanyProfile()), lambda f: f.purpose,
                      ("秘密を守る。", "顧客の秘密を守る。", "顧客と取引先の秘密を守る。"), ("purpose",)),
    "SoaTable": Case(lambda s: SoaTable(s, CompanyProfile()), lambda f: f.rows["5.2"].reason,
                     ("社長が決める。", "社長と総務が決める。", "総務部長が決める。"), ("controls", "5.2", "reason")),
    "ProfileForm": Case(ProfileForm, lambda f: f.company,
                        ("株式会社みどり精機", "有限会社あおば商店", "株式会社かえで"), ("company",)),
    "AnswerSheet": Case(lambda s: AnswerSheet("ir_detect", SimpleNamespace(seed=7), s),
                        lambda f: f.inputs["early_ticket"], ("T-1", "T-2", "T-3"), ("answers", "early_ticket")),
    "TriageBoard": Case(TriageBoard, lambda f: f.selectors["R1"], (1, 2, 3), ("ranks", "R1"), text=False),
    "TabletopWidget": Case(TabletopWidget, lambda f: f.decisions["first_report"],
                           ("isolate_now", "investigate_first", "wait_vendor"), ("decisions", "first_report"),
                           text=False),
}


@pytest.fixture(params=list(CASES))
def case(request):
    return CASES[request.param]


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def told(form):
    return "".join(o["text"] for o in form.messages.outputs)


def test_a_new_form_instance_restores_the_saved_answer(case, store):
    form = case.open(store)
    case.input(form).value = case.answers[0]
    again = case.open(AnswerStore(store.root))  # a restarted kernel: a new store object on the same folder
    assert case.input(again).value == case.answers[0]
    assert "前回の回答を読み込みました" in again.status.value
    assert again.revision == form.revision and told(again) == ""


def test_opening_a_form_saves_nothing(case, store):
    case.open(store)
    assert not store.root.exists() or not list(store.root.glob("*.json"))


def test_two_forms_on_one_record_keep_both_versions(case, store):
    first = case.open(store)
    second = case.open(AnswerStore(store.root))  # e.g. the same cell run again, or another notebook
    key = first.record_key
    case.input(first).value = case.answers[0]
    case.input(second).value = case.answers[1]
    assert case.saved(store) == case.answers[1]                     # the form the learner used last wins
    assert case.saved(store, kept_key(key)) == case.answers[0]      # the other version is kept, not lost
    assert "別の画面" in told(second) and f"{key}.kept.json" in second.status.value
    assert case.input(first).value == case.answers[0]               # each form still shows what was typed in it
    case.input(second).value = case.answers[2]                      # no new conflict for the form that saved last
    assert "別の画面" not in second.status.value and told(second).count("別の画面") == 1


def test_a_record_changed_on_disk_after_opening_is_a_conflict(case, store):
    form = case.open(store)
    case.input(form).value = case.answers[0]
    other = AnswerStore(store.root)  # another kernel writes the same record
    record = other.load(form.record_key).record
    data = record.data
    place = data
    for step in case.where[:-1]:
        place = place[step]
    place[case.where[-1]] = case.answers[1]
    assert other.save(form.record_key, record.kind, data).ok
    case.input(form).value = case.answers[2]
    assert case.saved(store) == case.answers[2]
    assert case.saved(store, kept_key(form.record_key)) == case.answers[1]
    assert "別の画面" in told(form) and "kept.json" in form.status.value


def test_a_failed_save_is_told_once_and_keeps_the_input(case, store, monkeypatch):
    form = case.open(store)
    case.input(form).value = case.answers[0]

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store_module, "write_atomic", denied)
    case.input(form).value = case.answers[1]
    case.input(form).value = case.answers[2]
    assert case.saved(store) == case.answers[0]             # the previous version is untouched
    assert case.input(form).value == case.answers[2]        # the learner's input stays in the form
    assert "保存できませんでした" in form.status.value
    assert told(form).count("保存できませんでした") == 1      # once, not on every change
    monkeypatch.undo()
    assert form.save().ok                                   # the disk is fine again
    assert case.saved(store) == case.answers[2] and "保存しました" in form.status.value
    monkeypatch.setattr(store_module, "write_atomic", denied)
    case.input(form).value = case.answers[1]
    assert told(form).count("保存できませんでした") == 2      # a new failure after a success is told again


def test_a_corrupt_record_is_set_aside_and_the_form_opens_empty(case, store, tmp_path):
    key = case.key(AnswerStore(tmp_path / "probe"))
    store.root.mkdir(parents=True)
    store.path(key).write_text("{broken", encoding="utf-8")
    form = case.open(store)
    empty = case.open(AnswerStore(tmp_path / "empty"))
    assert case.input(form).value == case.input(empty).value
    assert "退避しました" in form.status.value and "退避しました" in told(form)
    aside = list(store.root.glob(f"{key}.json.unreadable-*"))
    assert [p.read_text(encoding="utf-8") for p in aside] == ["{broken"]
    case.input(form).value = case.answers[0]
    assert case.saved(store) == case.answers[0]


def test_status_text_is_html_escaped(case, tmp_path, monkeypatch):
    store = AnswerStore(tmp_path / ATTACK / "answers")  # a folder name ends up in the status of a new form
    form = case.open(store)
    if case.text:
        case.input(form).value = ATTACK
        assert case.saved(store) == ATTACK
    else:
        case.input(form).value = case.answers[0]
    assert "<img" not in form.status.value

    def odd_error(*args, **kwargs):
        raise OSError(errno.EIO, ATTACK)

    monkeypatch.setattr(store_module, "write_atomic", odd_error)
    case.input(form).value = case.answers[1]
    assert "<img" not in form.status.value and "&lt;img src=x onerror=alert(1)&gt;" in form.status.value


@pytest.mark.parametrize("name, kind, data", [("Workbench", "draft", {"control": "5.1", "purpose": "別の管理策"}),
                                              ("SoaTable", "soa", {"x": 1})])
def test_a_record_the_form_cannot_use_is_set_aside(name, kind, data, store):
    case = CASES[name]
    key = case.key(store)
    assert store.save(key, kind, data).ok
    form = case.open(store)
    assert "退避しました" in form.status.value and "退避しました" in told(form)
    assert not store.path(key).exists() and len(list(store.root.glob(f"{key}.json.unreadable-*"))) == 1
    case.input(form).value = case.answers[0]
    assert case.saved(store) == case.answers[0]


def test_the_answer_layer_imports_nothing_above_errors_fileio_and_i18n():
    allowed = {"answers", "errors", "fileio", "i18n"}
    for path in Path(course.answers.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                assert (node.module or "").split(".")[0] in allowed, (path.name, node.module)
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            for name in names:
                parts = name.split(".")
                assert parts[0] != "course" or (len(parts) > 1 and parts[1] in allowed), (path.name, name)
