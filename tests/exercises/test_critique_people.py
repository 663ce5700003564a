"""The critique question of ch15_people (course/exercises/critique_people.py): the flawed 6.7 draft scores 0 as it is,
a full correction 1, the pasted catalog model nothing (with a review flag), and the deadline check tells a
contradiction from a phone call now and a written report tomorrow."""

import copy
import re

import pytest

from course.answers.draft import Draft
from course.drafting.fit import model_draft
from course.exercises.critique_people import FLAWED_67, grade_critique, loss_report_deadlines, one_deadline
from course.catalog import RubricElement as E

KEY = [
    E("approval", "在宅勤務の許可", "理由", ("許可", "申請"), ("在宅", "テレワーク"), "any"),
    E("no_public_wifi", "公衆無線LANを使わない", "理由", ("公衆無線", "モバイルルーター"), (), "standard"),
    E("family", "家族に見せない", "理由", ("家族", "同居人"), (), "standard"),
    E("loss_report", "紛失の報告", "理由", ("紛失", "盗難"), ("報告", "連絡"), "any"),
]


def fixed():
    d = copy.deepcopy(FLAWED_67)
    d["statements"][3] = "カフェや駅の公衆無線LANには接続してはならず、会社が貸与したモバイルルーターを使わなければならない。"
    d["statements"].append("家族や同居人に、業務の画面や書類を見せてはならない。")
    d["steps"][2]["when"] = "気付いた時点ですぐ（紛失報告書は翌営業日まで）"
    d["steps"][1]["record"] = "貸与機器台帳"
    d["steps"][3] = {"who": "所属長", "what": "在宅勤務の状況を本人に確かめる。", "when": "毎月末", "record": "月次確認表"}
    d["review"] = "毎年4月"
    return d


def test_the_flawed_draft_as_given_scores_nothing():
    assert grade_critique(FLAWED_67, KEY).score == 0.0
    assert grade_critique(Draft("6.7"), KEY).score == 0.0


def test_a_full_correction_scores_one_and_a_partial_one_in_between():
    assert grade_critique(fixed(), KEY).score == 1.0
    half = copy.deepcopy(FLAWED_67)
    half["statements"].append("家族や同居人に、業務の画面や書類を見せてはならない。")
    assert 0 < grade_critique(half, KEY).score < 1


def test_the_catalog_model_pasted_earns_nothing_and_asks_for_review(capsys):
    graded = grade_critique(model_draft("6.7"), KEY)
    assert graded.copied and graded.score == 0.0
    assert re.search(r"^REVIEW model_copied 6\.7", capsys.readouterr().out, re.M)


def test_two_deadlines_for_the_same_report_are_a_contradiction():
    result = one_deadline(FLAWED_67)
    assert not result.covered and "翌営業日" in result.message
    assert sorted(h for h, _ in loss_report_deadlines(FLAWED_67)) == [0.0, 24.0]
    assert one_deadline(fixed()).covered  # the written report's own deadline is another act


@pytest.mark.parametrize("when, agrees", [("気付いてから1時間以内", True), ("3日以内", False), ("翌日", False),
                                         ("直ちに", True)])
def test_deadline_spread(when, agrees):
    d = copy.deepcopy(FLAWED_67)
    d["steps"][2]["when"] = when
    assert one_deadline(d).covered is agrees


def test_no_deadline_at_all_is_not_covered():
    d = copy.deepcopy(FLAWED_67)
    d["statements"][4] = "パソコンや書類を紛失したときは、所属長に報告しなければならない。"
    d["steps"][2]["when"] = ""
    assert not one_deadline(d).covered
