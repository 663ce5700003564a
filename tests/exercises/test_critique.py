"""The critique questions (course/exercises/critique.py): the flawed drafts of 5.23 (ch14_organizational) and 6.7
(ch15_people) are graded by one formula, the improvement over the flawed start. Unchanged they score 0, a full
correction 1, partial fixes in between, the pasted catalog model 0 (with a review line); a contradiction left leaves
the element one_deadline missing, and the 6.7 check tells a report by phone now from a written report tomorrow."""

import copy
import re

import pytest

from course.answers.draft import Draft
from course.catalog import RubricElement as E
from course.drafting.adaptation import grade_draft
from course.drafting.fit import model_draft
from course.exercises.critique import (CHECKS, FLAWED, flawed_draft, grade_critique, loss_report_deadlines,
                                       one_deadline, request_periods)

KEY_523 = [
    E("approval", "a", "b", ("承認", "許可"), ("利用", "使う", "導入"), "any"),
    E("backup", "a", "b", ("バックアップ", "複製"), (), "any"),
    E("mfa", "a", "b", ("多要素", "二要素", "2段階"), (), "any"),
    E("location", "a", "b", ("保存場所", "国内"), (), "any"),
    E("exit", "a", "b", ("解約",), ("データ",), "any"),
    E("inventory", "a", "b", ("管理表", "一覧表"), ("クラウド", "サービス"), "any"),
    E("admin_few", "a", "b", ("管理者",), ("限る", "2名"), "any"),
]

KEY_67 = [
    E("approval", "在宅勤務の許可", "理由", ("許可", "申請"), ("在宅", "テレワーク"), "any"),
    E("no_public_wifi", "公衆無線LANを使わない", "理由", ("公衆無線", "モバイルルーター"), (), "standard"),
    E("family", "家族に見せない", "理由", ("家族", "同居人"), (), "standard"),
    E("loss_report", "紛失の報告", "理由", ("紛失", "盗難"), ("報告", "連絡"), "any"),
]
KEYS = {"5.23": KEY_523, "6.7": KEY_67}

FIXED_523 = {
    "schema": "course.draft/1", "control": "5.23",
    "purpose": "業務で使うクラウドサービスに預けた図面や顧客情報を守る。",
    "scope": "本社と第二工場の全従業員と、業務で使うすべてのクラウドサービス",
    "statements": [
        "クラウドサービスの利用は、利用開始の10営業日前までに情報システム担当者に申請し、社長の承認を得なければならない。",
        "情報システム担当者は、承認の前に、データの保存場所が国内かどうかを確かめなければならない。",
        "Google Workspaceのデータは、情報システム担当者が毎週金曜日に社内のNASへバックアップしなければならない。",
        "管理者アカウントは情報システム担当者と社長の2名に限り、多要素認証を設定しなければならない。",
        "クラウドサービスの利用をやめるときは、預けたデータをすべて取り出してから解約しなければならない。",
    ],
    "owner": "社長", "review": "毎年11月", "related": [],
    "steps": [
        {"who": "利用したい従業員", "what": "使いたいクラウドサービスの名前と、預ける情報を申請書に書いて申請する。",
         "when": "利用開始の10営業日前", "record": "クラウドサービス利用申請書"},
        {"who": "社長", "what": "確かめた保存場所を見て、利用を承認する。", "when": "申請を受けて5営業日以内",
         "record": "クラウドサービス利用申請書の承認欄"},
        {"who": "情報システム担当者", "what": "承認したサービスをクラウドサービス管理表に書く。", "when": "利用開始の前日",
         "record": "クラウドサービス管理表"},
    ],
}


def fixed_67():
    d = flawed_draft("6.7")
    d["statements"][3] = "カフェや駅の公衆無線LANには接続してはならず、会社が貸与したモバイルルーターを使わなければならない。"
    d["statements"].append("家族や同居人に、業務の画面や書類を見せてはならない。")
    d["steps"][2]["when"] = "気付いた時点ですぐ（紛失報告書は翌営業日まで）"
    d["steps"][1]["record"] = "貸与機器台帳"
    d["steps"][3] = {"who": "所属長", "what": "在宅勤務の状況を本人に確かめる。", "when": "毎月末", "record": "月次確認表"}
    d["review"] = "毎年4月"
    return d


def fixed(control):
    return copy.deepcopy(FIXED_523) if control == "5.23" else fixed_67()


def grade(control, draft):
    return grade_critique(control, draft, KEYS[control])


def element(result, id):
    return next(e for e in result.elements if e.id == id)


BOTH = pytest.mark.parametrize("control", ["5.23", "6.7"])


# --- the flawed drafts -------------------------------------------------------------------------------------------------

def test_each_flawed_draft_has_its_three_kinds_of_flaw():
    assert set(FLAWED) == set(CHECKS) == {"5.23", "6.7"}
    f523 = flawed_draft("5.23")
    assert request_periods(f523) == {"10営業日", "3営業日"}
    f67 = flawed_draft("6.7")
    assert sorted(h for h, _ in loss_report_deadlines(f67)) == [0.0, 24.0]
    for control, draft in (("5.23", f523), ("6.7", f67)):
        messages = grade_draft(control, draft, elements=KEYS[control]).messages
        assert any("必要に応じて" in m or "努める" in m for m in messages), messages  # the hedges are read as such
        assert not one_deadline(control, draft).covered
        draft["statements"].append("x")
        assert FLAWED[control]["statements"][-1] != "x"  # a copy each time


# --- the grade ----------------------------------------------------------------------------------------------------------

@BOTH
def test_the_flawed_draft_as_given_and_a_blank_one_score_nothing(control):
    unchanged = grade(control, flawed_draft(control))
    assert unchanged.score == 0.0 and unchanged.base == unchanged.start_base > 0
    assert [e.id for e in unchanged.elements] == [e.id for e in KEYS[control]] + ["one_deadline"]
    assert grade(control, Draft(control)).score == 0.0


@BOTH
def test_a_full_correction_scores_one(control):
    result = grade(control, fixed(control))
    assert result.score == 1.0 and result.base == 1.0, result.messages
    assert all(e.covered for e in result.elements)


@BOTH
def test_the_catalog_model_pasted_earns_nothing_and_asks_for_review(control, capsys):
    graded = grade(control, model_draft(control))
    assert graded.copied and graded.score == 0.0
    assert re.search(rf"^REVIEW model_copied {re.escape(control)}", capsys.readouterr().out, re.M)


@BOTH
def test_the_model_pasted_under_the_flawed_draft_earns_nothing_and_asks_for_review(control, capsys):
    """The flawed start is the course's text: only what the learner added is compared with the model."""
    model = model_draft(control)
    pasted = Draft.from_dict(flawed_draft(control))
    pasted.statements = list(pasted.statements) + list(model.statements)   # the model's rules under the flawed ones
    graded = grade(control, pasted)
    assert graded.copied and graded.score == 0.0
    assert re.search(rf"^REVIEW model_copied {re.escape(control)}", capsys.readouterr().out, re.M)
    assert any("模範文例" in m for m in graded.messages)
    honest = grade(control, fixed(control))
    assert not honest.copied and honest.score == 1.0   # a correction in the learner's words is no copy


def test_the_start_base_is_the_formula_on_the_flawed_draft():
    """base(FLAWED 5.23) = 0.7 · 2/8 (approval and exit: the only rules it states without a hedge) + 0.3 · structure."""
    unchanged = grade("5.23", flawed_draft("5.23"))
    assert {e.id for e in unchanged.elements if e.covered} == {"approval", "exit"}
    structure = grade_draft("5.23", flawed_draft("5.23"), elements=KEY_523).structure
    assert unchanged.start_base == pytest.approx(0.7 * 2 / 8 + 0.3 * structure, abs=1e-4)


@BOTH
def test_a_contradiction_left_leaves_one_deadline_missing(control):
    d = fixed(control)
    if control == "5.23":
        d["steps"][0]["when"] = "利用開始の3営業日前"
        shown = "3営業日"
    else:
        d["steps"][2]["when"] = "翌営業日まで"
        shown = "翌営業日"
    result = grade(control, d)
    missing = element(result, "one_deadline")
    assert not missing.covered and shown in missing.message and result.messages[0] == missing.message
    # everything else fixed: base = 0.7 · k/(k+1) + 0.3, and the score is its improvement over the start
    k = len(KEYS[control])
    base = 0.7 * k / (k + 1) + 0.3
    assert result.base == pytest.approx(base, abs=1e-4)
    assert result.score == pytest.approx((base - result.start_base) / (1 - result.start_base), abs=1e-4)
    assert 0 < result.score < 1


@BOTH
def test_no_deadline_at_all_is_not_one_deadline(control):
    d = fixed(control)
    if control == "5.23":
        d["statements"], d["steps"] = d["statements"][1:], d["steps"][1:]
    else:
        d["statements"][4] = "パソコンや書類を紛失したときは、所属長に報告しなければならない。"
        d["steps"][2]["when"] = ""
    assert not one_deadline(control, d).covered
    assert not element(grade(control, d), "one_deadline").covered


@BOTH
def test_partial_fixes_score_in_between_and_more_fixes_score_more(control):
    one = flawed_draft(control)
    if control == "5.23":
        one["statements"][2] = "管理者アカウントには、多要素認証を設定しなければならない。"
    else:
        one["statements"].append("家族や同居人に、業務の画面や書類を見せてはならない。")
    two = copy.deepcopy(one)
    if control == "5.23":
        two["steps"][0]["when"] = "利用開始の10営業日前"
    else:
        two["steps"][2]["when"] = "気付いた時点ですぐ（紛失報告書は翌営業日まで）"
    first, second = grade(control, one), grade(control, two)
    assert 0 < first.score < second.score < 1
    assert not element(first, "one_deadline").covered and element(second, "one_deadline").covered


def test_a_rule_written_as_a_hedge_does_not_count():
    hedged = {**FIXED_523, "statements": FIXED_523["statements"][:-1] + ["必要に応じて、解約のときのデータの扱いを検討する。"]}
    result = grade("5.23", hedged)
    assert not element(result, "exit").covered and result.score < 1


def test_grade_critique_takes_a_dict_or_a_draft():
    assert grade("6.7", Draft.from_dict(fixed_67())).score == grade("6.7", fixed_67()).score == 1.0


# --- 6.7: the loss report's deadlines ---------------------------------------------------------------------------------

def test_the_written_reports_deadline_is_another_act():
    assert one_deadline("6.7", fixed_67()).covered
    assert {h for h, _ in loss_report_deadlines(fixed_67())} == {0.0}  # 「紛失報告書は翌営業日まで」 left out


@pytest.mark.parametrize("when, agrees", [("気付いてから1時間以内", True), ("3日以内", False), ("翌日", False),
                                         ("直ちに", True)])
def test_deadline_spread(when, agrees):
    d = flawed_draft("6.7")
    d["steps"][2]["when"] = when
    assert one_deadline("6.7", d).covered is agrees
