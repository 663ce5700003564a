"""The graded questions of ch14_organizational ask other questions of the chapter's datasets than the lessons do (#15,
point 5): late stops of leavers' accounts (staff numbers), dormant accounts per department, labels too light per
department, breaches per rule. Their truths are worked out here row by row in plain Python, for many seeds; the
lessons' answers (pasted unchanged) read as the wrong shape and earn nothing."""

from datetime import timedelta

import pandas as pd
import pytest

from course.exercises.org_checks import (DORMANT_DAYS, LATE_DAYS, check_dormant_by_department, check_late_leavers,
                                         check_too_low_by_department, check_violations_by_rule)
from course.exercises.org_data import PUBLIC_SEED, access_review, asset_inventory, transfer_log

SEEDS = list(range(12)) + [PUBLIC_SEED, 8123]
ODD_ANSWERS = [None, "", [], 3, 2.5, True, {"a": "x"}, [[1, 2]], pd.DataFrame({"x": ["a"]}), object()]
RANK = {"機密": 3, "社外秘": 2, "公開": 1}


def late_truth(data):
    people = {p["社員番号"]: p for p in data.people.to_dict("records")}
    late = set()
    for a in data.accounts.to_dict("records"):
        p = people.get(a["社員番号"]) if isinstance(a["社員番号"], str) else None
        if p is None or p["在籍状況"] != "退職":
            continue
        if a["状態"] == "有効" or a["無効化日"] > p["退職日"] + timedelta(days=LATE_DAYS):
            late.add(p["社員番号"])
    return late


def dormant_truth(data):
    depts = {p["社員番号"]: p["部署"] for p in data.people.to_dict("records")}
    counts = {}
    for a in data.accounts.to_dict("records"):
        if not isinstance(a["社員番号"], str) or a["状態"] != "有効":
            continue
        if a["最終ログイン"] < data.audit_date - timedelta(days=DORMANT_DAYS):
            counts[depts[a["社員番号"]]] = counts.get(depts[a["社員番号"]], 0) + 1
    return counts


def too_low_truth(data):
    counts = {}
    for r in data.assets.to_dict("records"):
        if r["個人情報"] or r["取引先の秘密"] or r["未公表の経営情報"]:
            need = 3
        elif r["公表済み"]:
            need = 0
        else:
            need = 2
        if RANK.get(r["現在の表示"], 0) < need:
            counts[r["部署"]] = counts.get(r["部署"], 0) + 1
    return counts


def by_rule_truth(data):
    counts = {}
    for r in data.log.to_dict("records"):
        secret, kept, m = r["分類"] == "機密", r["分類"] in ("機密", "社外秘"), r["方法"]
        broken = {
            "R1": secret and m == "メール添付" and not (r["暗号化"] and r["パスワード別送"]),
            "R2": secret and m == "共有リンク" and not r["有効期限あり"],
            "R3": secret and m == "郵送・宅配便" and not r["追跡あり"],
            "R4": kept and m == "USBメモリ" and not (r["持出承認"] and r["暗号化"]),
            "R5": kept and r["宛先の種類"] == "個人のアドレス",
            "R6": secret and not r["記録簿に記入"],
        }
        for rule, yes in broken.items():
            if yes:
                counts[rule] = counts.get(rule, 0) + 1
    return counts


@pytest.mark.parametrize("seed", SEEDS)
def test_truths_worked_out_row_by_row_score_one(seed):
    access, assets, log = access_review(seed), asset_inventory(seed), transfer_log(seed)
    late, dormant, low, rules = late_truth(access), dormant_truth(access), too_low_truth(assets), by_rule_truth(log)
    assert late and dormant and low and rules
    assert check_late_leavers(sorted(late), access).score == 1.0
    assert check_late_leavers(pd.Series(sorted(late)).str.lower().tolist(), access).ok  # case does not matter
    assert check_dormant_by_department(dormant, access).score == 1.0
    assert check_dormant_by_department(pd.Series(dormant), access).ok
    assert check_too_low_by_department(low, assets).score == 1.0
    assert check_violations_by_rule(rules, log).score == 1.0
    # a zero written out says the same as an absent key
    assert check_violations_by_rule({**{f"R{i}": 0 for i in range(1, 7)}, **rules}, log).ok


def test_the_questions_are_not_the_lessons_answers():
    """Late stops are more than the lesson's still-active accounts; the graded truths differ from the lessons'."""
    differs = 0
    for seed in SEEDS:
        access = access_review(seed)
        active_people = {a for a, s in zip(access.accounts["社員番号"], access.accounts["アカウントID"])
                         if s in set(access.truth_leavers_active)}
        assert active_people <= late_truth(access)
        differs += active_people != late_truth(access)
    assert differs >= len(SEEDS) // 2


def test_lesson_answers_pasted_unchanged_earn_nothing():
    access, assets, log = access_review(8123), asset_inventory(8123), transfer_log(8123)
    assert check_late_leavers(access.truth_leavers_active, access).score == 0.0  # account IDs, not people
    assert "社員番号" in check_late_leavers(access.truth_leavers_active, access).messages[0]
    assert check_dormant_by_department(access.truth_shared, access).score == 0.0
    assert check_too_low_by_department(assets.truth_mislabelled, assets).score == 0.0
    result = check_violations_by_rule(log.truth_violations, log)
    assert result.score == 0.0 and "規則" in result.messages[0]


def test_partial_counts_score_the_share_of_right_keys_and_say_which():
    access = access_review(8123)
    truth = dormant_truth(access)
    wrong = dict(truth)
    first = sorted(truth)[0]
    wrong[first] += 1
    result = check_dormant_by_department(wrong, access)
    assert result.score == round((len(truth) - 1) / len(truth), 4)
    assert first in "\n".join(result.messages) and "多すぎる" in "\n".join(result.messages)
    only_active = {p for p in late_truth(access)
                   if any(a["社員番号"] == p and a["状態"] == "有効" for a in access.accounts.to_dict("records"))}
    partial = check_late_leavers(sorted(only_active), access)
    assert partial.score == round(len(only_active) / len(late_truth(access)), 4) < 1
    assert f"{LATE_DAYS} 日" in "\n".join(partial.messages)


@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_checks_never_raise(answer):
    for check in (check_late_leavers, check_dormant_by_department, check_too_low_by_department,
                  check_violations_by_rule):
        result = check(answer)
        assert not result.ok and result.score == 0.0 and result.messages
