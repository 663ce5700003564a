"""The workbench, headless: set widget values as a learner would and check the saved files and the widget state."""

import errno
import json
import os
import tempfile
from dataclasses import replace

import pytest

from course.catalog import ModelAnswer, ProfileClause, Step, controls, get_control
from course.drafting.drafts import UnknownControlError, load_draft, load_kept
from course.drafting.markdown import draft_to_markdown
from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.drafting.widgets import Workbench
from course.profile import CompanyProfile, save_profile

MODEL = ModelAnswer(
    purpose="{company}の秘密を守る。", scope="{company}の全員",
    statements=("{company}は入社時に秘密保持の誓約書に署名させなければならない。",),
    owner="総務部長", review="年1回", related=("就業規則",),
    steps=(Step("総務", "誓約書を回収する", "入社日", "誓約書"),),
    profile_clauses=(ProfileClause("contractors", "委託先と秘密保持契約を結ばなければならない。",
                                   Step("部門長", "契約を結ぶ", "取引前", "契約書")),
                     ProfileClause("telework", "在宅勤務者は家族に画面を見せてはならない。")),
)


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


@pytest.fixture
def control():
    return replace(get_control("6.6"), model=MODEL)


def saved(store, number="6.6"):
    return json.loads(store.path(number).read_text(encoding="utf-8"))["data"]


def told(wb):
    return "".join(o["text"] for o in wb.messages.outputs)


def test_every_change_is_saved(store, control):
    wb = Workbench(control, store, CompanyProfile())
    wb.purpose.value = "秘密を守る。"
    assert saved(store)["purpose"] == "秘密を守る。"
    wb.statements.add()
    wb.statements.row_inputs(0)[0].value = "署名しなければならない。"
    wb.steps.add()
    for widget, text in zip(wb.steps.row_inputs(0), ["総務", "回収", "入社日", "誓約書"]):
        widget.value = text
    wb.owner.value, wb.review.value, wb.related.value = "総務部長", "年1回", "就業規則\n\n誓約書\n"
    data = saved(store)
    assert data["statements"] == ["署名しなければならない。"]
    assert data["steps"] == [{"who": "総務", "what": "回収", "when": "入社日", "record": "誓約書"}]
    assert data["owner"] == "総務部長" and data["related"] == ["就業規則", "誓約書"]
    assert wb.revision == json.loads(store.path("6.6").read_text(encoding="utf-8"))["revision"]
    assert "保存しました" in wb.status.value


def test_add_remove_and_reorder_statements_and_steps(store, control):
    wb = Workbench(control, store, CompanyProfile())
    for text in ("一", "二", "三"):
        wb.statements.add(text)
    row = wb.statements.row_inputs(1)[0]
    wb.statements.move(0, +1)
    assert saved(store)["statements"] == ["二", "一", "三"]
    assert row.value == "一", "rows are positional: the widget of row 2 now shows the moved text"
    wb.statements.move(0, -1)  # the first row cannot move up
    wb.statements.remove(2)
    assert saved(store)["statements"] == ["二", "一"]
    assert len(wb.statements._box.children) == 2
    wb.steps.add({"who": "A", "what": "a", "when": "", "record": ""})
    wb.steps.add({"who": "B", "what": "b", "when": "", "record": ""})
    wb.steps.move(1, -1)
    assert [s["who"] for s in saved(store)["steps"]] == ["B", "A"]
    assert "<li>二</li><li>一</li>" in wb.preview.value


def test_buttons_drive_the_lists(store, control):
    wb = Workbench(control, store, CompanyProfile())
    wb.statements.add_button.click()
    wb.statements.add_button.click()
    wb.statements.row_inputs(0)[0].value = "上"
    wb.statements.row_inputs(1)[0].value = "下"
    wb.statements._rows[1]["up"].click()
    assert saved(store)["statements"] == ["下", "上"]
    assert wb.statements._rows[0]["up"].disabled and wb.statements._rows[1]["down"].disabled
    wb.statements._rows[0]["remove"].click()
    assert saved(store)["statements"] == ["上"]


def test_form_restores_itself_after_a_restart(store, control):
    wb = Workbench(control, store, CompanyProfile())
    wb.purpose.value = "𠮷田と髙﨑の 🔐 を守る。"
    wb.statements.add("署名しなければならない。")
    wb.steps.add({"who": "総務", "what": "回収", "when": "入社日", "record": "誓約書"})
    again = Workbench(control, AnswerStore(store.root), CompanyProfile())  # a new kernel
    assert again.purpose.value == "𠮷田と髙﨑の 🔐 を守る。"
    assert again.statements.value == ["署名しなければならない。"]
    assert again.steps.row_inputs(0)[0].value == "総務"
    assert again.draft == wb.draft
    assert "前回の回答を読み込みました" in again.status.value


def test_model_is_fitted_to_the_company_and_keeps_what_was_written(store, control):
    profile = CompanyProfile(company="株式会社みどり精機", contractors=["A社"])
    wb = Workbench(control, store, profile)
    assert "株式会社みどり精機" in wb.model_note.value and "外部委託先" in wb.model_note.value
    wb.purpose.value = "自分で書いた目的"
    wb.insert_model()
    draft = load_draft("6.6", store)
    assert draft.purpose == "自分で書いた目的"
    assert draft.scope == "株式会社みどり精機の全員"
    assert draft.statements == ["株式会社みどり精機は入社時に秘密保持の誓約書に署名させなければならない。",
                                "委託先と秘密保持契約を結ばなければならない。"]  # no telework clause
    assert [s.who for s in draft.steps] == ["総務", "部門長"]
    assert "挿入しました" in told(wb)


def test_profile_is_read_from_the_answers_folder_when_not_given(store, control):
    save_profile(CompanyProfile(company="山﨑工業", telework="all"), store)
    wb = Workbench(control, store)
    wb.insert_model()
    assert "在宅勤務者は家族に画面を見せてはならない。" in wb.statements.value
    assert wb.scope.value == "山﨑工業の全員"


def test_insert_is_disabled_with_a_message_when_there_is_no_model(store):
    bare = replace(get_control("5.1"), model=None)
    wb = Workbench(bare, store, CompanyProfile())
    assert wb.insert_button.disabled
    assert "模範文例はまだ用意されていません" in wb.model_note.value
    wb.insert_model()
    assert "まだ用意されていません" in told(wb) and not store.path("5.1").exists()


def test_unverified_title_is_marked(store):
    unverified = next(c for c in controls() if not c.verified)
    wb = Workbench(unverified, store, CompanyProfile())
    assert "訳語未確認" in wb.children[0].value and unverified.title_en in wb.children[0].value


def test_preview_escapes_html_from_every_input(store, control):
    attack = "<script>alert(1)</script>"
    wb = Workbench(control, store, CompanyProfile(company="<b>悪</b>"))
    wb.purpose.value = attack
    wb.statements.add(attack)
    wb.steps.add({"who": attack, "what": attack, "when": attack, "record": attack})
    wb.related.value = attack
    assert "<script>" not in wb.preview.value and wb.preview.value.count("&lt;script&gt;") == 7
    assert "<b>悪</b>" not in wb.model_note.value


def test_one_megabyte_field_is_saved_whole_and_previewed_short(store, control):
    wb = Workbench(control, store, CompanyProfile())
    big = "秘" * 1_000_000
    wb.purpose.value = big
    wb.purpose.value = big + "！"  # the next keystroke
    assert saved(store)["purpose"] == big + "！"
    assert len(wb.preview.value) < 20_000


def test_empty_form_is_fine(store, control):
    wb = Workbench(control, store, CompanyProfile())
    assert wb.draft == Draft("6.6") and "（まだ書かれていません）" in wb.preview.value
    result = wb.save()
    assert result.ok and load_draft("6.6", store).is_empty()


def test_bad_control_id_is_refused(store):
    with pytest.raises(UnknownControlError, match="管理策の番号として使えません"):
        Workbench("../../x", store, CompanyProfile())
    assert not store.root.exists()


def test_corrupt_answer_is_set_aside_and_the_form_opens_empty(store, control):
    store.root.mkdir(parents=True)
    store.path("6.6").write_text("{broken", encoding="utf-8")
    wb = Workbench(control, store, CompanyProfile())
    assert wb.draft.is_empty()
    assert "退避しました" in told(wb) and "退避しました" in wb.status.value
    wb.purpose.value = "新しく書く"
    aside = list(store.root.glob("6.6.json.unreadable-*"))
    assert [p.read_text(encoding="utf-8") for p in aside] == ["{broken"]


@pytest.mark.parametrize("failing, code", [("os.replace", errno.EROFS), ("tempfile.mkstemp", errno.ENOSPC)])
def test_read_only_or_full_disk_keeps_the_previous_version_and_tells_once(store, control, monkeypatch, failing, code):
    wb = Workbench(control, store, CompanyProfile())
    wb.purpose.value = "前の版"

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    module, name = failing.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, fail)
    wb.purpose.value = "新しい版"
    wb.purpose.value = "新しい版です"
    monkeypatch.undo()
    assert saved(store)["purpose"] == "前の版"
    assert wb.purpose.value == "新しい版です", "the learner's text stays in the form"
    assert "保存できませんでした" in wb.status.value
    assert told(wb).count("保存できませんでした") == 1, "told once, not on every keystroke"
    wb.save_button.click()  # the disk is fine again
    assert saved(store)["purpose"] == "新しい版です" and "保存しました" in wb.status.value


def test_two_forms_for_one_control_lose_nothing(store, control):
    first = Workbench(control, store, CompanyProfile())
    second = Workbench(control, AnswerStore(store.root), CompanyProfile())  # e.g. another notebook
    first.purpose.value = "一つ目の画面で書いた"
    second.purpose.value = "二つ目の画面で書いた"
    assert "別の画面" in told(second) and "6.6.kept.json" in second.status.value
    assert load_draft("6.6", store).purpose == "二つ目の画面で書いた"
    assert load_kept("6.6", store).purpose == "一つ目の画面で書いた"
    assert not second.kept_button.disabled
    second.kept_button.click()  # bring the other version back; the current one is kept instead
    assert second.purpose.value == "一つ目の画面で書いた"
    assert load_draft("6.6", store).purpose == "一つ目の画面で書いた"
    assert load_kept("6.6", store).purpose == "二つ目の画面で書いた"
    second.purpose.value = "続き"  # no new conflict for the form that saved last
    assert "別の画面" not in second.status.value


def test_import_from_markdown_into_an_empty_form(store, control):
    wb = Workbench(control, store, CompanyProfile())
    wb.import_text.value = "# 6.6\n## 対策基準\n・署名しなければならない。\n## 実施手順\n｜総務｜回収｜入社日｜誓約書｜\n"
    wb.import_button.click()
    assert wb.statements.value == ["署名しなければならない。"]
    assert load_draft("6.6", store).steps == [DraftStep("総務", "回収", "入社日", "誓約書")]
    assert "読み込みました" in told(wb)


def test_import_over_content_needs_confirmation_and_keeps_the_old_content(store, control):
    wb = Workbench(control, store, CompanyProfile())
    wb.purpose.value = "今の内容"
    new = Draft("6.6", purpose="取り込む内容", statements=["守らなければならない。"])
    wb.import_text.value = draft_to_markdown(new)
    wb.import_button.click()
    assert wb.purpose.value == "今の内容" and "チェックを入れて" in told(wb)
    wb.import_replace.value = True
    wb.import_button.click()
    assert load_draft("6.6", store) == new and wb.draft == new
    assert load_kept("6.6", store).purpose == "今の内容"
    assert wb.import_replace.value is False


@pytest.mark.parametrize("text, message", [("# 5.15 アクセス制御\n## 目的\nx", "5.15 の下書き"),
                                           ("# 6.6\n## 備考\nx", "使えません")])
def test_bad_markdown_leaves_the_form_unchanged(store, control, text, message):
    wb = Workbench(control, store, CompanyProfile())
    wb.purpose.value = "そのまま"
    wb.import_replace.value = True
    assert wb.import_markdown(text) is False
    assert wb.purpose.value == "そのまま" and message in told(wb)


def test_self_check_shows_feedback(store):
    control = get_control("6.6")
    wb = Workbench(control, store, CompanyProfile())
    empty = wb.check()
    assert empty.score < 0.5 and "自己チェックの達成度" in wb.feedback.value
    if control.model is None:
        pytest.skip("6.6 has no model answer in the catalog yet")
    wb.insert_model()
    full = wb.check()
    assert full.score > empty.score and not full.missing
    assert "⬜" not in wb.feedback.value


def test_self_check_that_cannot_run_says_why_in_the_form(store, monkeypatch):
    """A button's exception would only reach a log the learner never sees; the reason is shown in the form."""
    from course.errors import CourseError
    from course.rubric import score

    def missing_dictionary(*args, **kwargs):
        raise CourseError("日本語の辞書 <sudachidict-core> が見つかりません。")

    monkeypatch.setattr(score, "score_draft", missing_dictionary)
    wb = Workbench(get_control("6.6"), store, CompanyProfile())
    assert wb.check() is None
    assert "日本語の辞書 &lt;sudachidict-core&gt; が見つかりません" in wb.feedback.value


def test_self_check_reads_the_companys_own_role_names(store):
    """A company whose profile calls its top manager オーナー: the fitted model and the learner's own sentence are
    understood as reporting to top management (issue #12)."""
    profile = CompanyProfile(roles={"ceo": {"name": "オーナー"}, "ciso": {"name": "IT委員長"}})
    save_profile(profile, store)
    wb = Workbench("5.25", store)  # the profile is read from the answers folder
    wb.insert_model()
    assert "オーナー" in " ".join(wb.draft.statements)
    assert wb.check().score == 1.0
    wb.set_draft(Draft("5.25", statements=["重大な事故は、直ちにオーナーに報告しなければならない。"]))
    assert "escalation" in wb.check().covered
    other = Workbench("5.25", AnswerStore(store.root.parent / "other"), CompanyProfile())
    other.set_draft(Draft("5.25", statements=["重大な事故は、直ちにオーナーに報告しなければならない。"]))
    assert "escalation" not in other.check().covered


def test_unexpected_error_in_a_button_is_shown_not_lost(store, control, monkeypatch):
    wb = Workbench(control, store, CompanyProfile())
    monkeypatch.setattr("course.rubric.score.score_draft", lambda draft, **kwargs: 1 / 0)
    wb.check_button.click()
    assert "思わぬエラー" in told(wb) and "ZeroDivisionError" in told(wb)
