"""The critique exercise (#15, point 2): a flawed 5.23 draft with hedges, missing elements and two deadlines for the same
request. Unchanged it earns about a quarter; the catalog model at most 0.3; a corrected draft written for a company 1.0."""

import pytest

from course.answers.draft import Draft
from course.catalog import RubricElement as E
from course.drafting.fit import model_draft
from course.exercises.critique import (FLAWED, flawed_draft, grade_critique, hedges, request_periods,
                                       without_hedges)

KEY = [
    E("approval", "a", "b", ("承認", "許可"), ("利用", "使う", "導入"), "any"),
    E("backup", "a", "b", ("バックアップ", "複製"), (), "any"),
    E("mfa", "a", "b", ("多要素", "二要素", "2段階"), (), "any"),
    E("location", "a", "b", ("保存場所", "国内"), (), "any"),
    E("exit", "a", "b", ("解約",), ("データ",), "any"),
    E("inventory", "a", "b", ("管理表", "一覧表"), ("クラウド", "サービス"), "any"),
    E("admin_few", "a", "b", ("管理者",), ("限る", "2名"), "any"),
]

FIXED = {
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


def test_the_flawed_draft_has_its_three_kinds_of_flaw():
    flawed = flawed_draft("5.23")
    assert len(hedges(flawed)) == 3
    assert request_periods(flawed) == {"10営業日", "3営業日"}
    assert len(without_hedges(flawed).statements) == 2 and len(without_hedges(flawed).steps) == 2
    flawed["statements"].append("x")
    assert FLAWED["5.23"]["statements"][-1] != "x"  # a copy each time


def test_unchanged_is_low_the_model_capped_a_correction_full():
    unchanged = grade_critique("5.23", flawed_draft("5.23"), KEY)
    covered = {e.id for e in unchanged.elements if e.covered}
    assert covered == {"approval", "exit"}
    assert unchanged.score < 0.3
    model = grade_critique("5.23", model_draft("5.23"), KEY)
    assert model.copied and model.coverage == 0 and model.score <= 0.3
    fixed = grade_critique("5.23", FIXED, KEY)
    assert fixed.score == 1.0, fixed.messages
    assert grade_critique("5.23", Draft("5.23"), KEY).score == 0.0


def test_each_fix_is_needed():
    still_two = {**FIXED, "steps": [dict(FIXED["steps"][0], when="利用開始の3営業日前"), *FIXED["steps"][1:]]}
    result = grade_critique("5.23", still_two, KEY)
    assert not next(e for e in result.elements if e.id == "one_deadline").covered
    assert "3営業日" in result.messages[0] and result.score == pytest.approx(0.9)
    no_deadline = {**FIXED, "statements": FIXED["statements"][1:], "steps": FIXED["steps"][1:]}
    assert not next(e for e in grade_critique("5.23", no_deadline, KEY).elements if e.id == "one_deadline").covered
    hedged = {**FIXED, "statements": FIXED["statements"][:-1] + ["必要に応じて、解約のときのデータの扱いを検討する。"]}
    result = grade_critique("5.23", hedged, KEY)
    covered = {e.id: e.covered for e in result.elements}
    assert not covered["no_hedges"] and not covered["exit"]  # a hedged sentence does not count as the rule
