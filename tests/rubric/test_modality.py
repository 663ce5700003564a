"""The modality of a sentence (course/rubric/modality.py), read from SudachiPy's lemmas and parts of speech."""

import pytest

from course.rubric.analyser import tokens
from course.rubric.modality import (DECLARATIVE, EVALUATION, HEDGE, NEGATION, OBLIGATION, PERMISSION, PROHIBITION,
                                    STATEMENT, classify)
from course.rubric.text import prepare


def kind(sentence, task=False):
    return classify(tokens(prepare(sentence)), task).kind


@pytest.mark.parametrize("sentence", [
    "アクセス権は業務に必要な最小限の範囲で付与しなければならない。",
    "退職者のアカウントを削除しなければなりません。",
    "退職者のアカウントは削除せねばならない。",
    "管理者は総務部長とする。",
    "見直しは年1回とする。",
    "委託先には秘密保持契約を結ぶものとする",
    "従業員は秘密を守る義務を負う。",
    "持ち出す前に上長の許可を得なければならない（例：出張）。",
    "入社の日に誓約書に署名すること。",
    "退職者のアカウントは削除してください。",
    "確認する必要がある。",
    "持ち出してもよいが、上長の許可を得なければならない。",
    "持ち出さないようにしなければならない。",
    # a conditional duty is still a duty: the ending says it outright
    "当社は、影響を受ける顧客に、必要に応じて速やかに報告しなければならない。",
    # 「考慮しなければならない」 binds; only 「検討するものとする」 decides nothing
    "報告した事情を処分の重さを決めるときに考慮しなければならない。",
])
def test_obligations(sentence):
    assert kind(sentence) == OBLIGATION


@pytest.mark.parametrize("sentence", [
    "共有アカウントを使用してはならない。",
    "私物のPCの利用を禁止する。",
    "持ち出しは禁止します。",
    "パスワードを他人に教えないこと。",
    "私物のUSBメモリは使わないものとする。",
    "確認を怠ってはいけません。",
])
def test_prohibitions(sentence):
    assert kind(sentence) == PROHIBITION


@pytest.mark.parametrize("sentence, cue", [
    ("必要に応じて検討するものとする。", "検討"),
    ("望ましいものとする。", "望ましい"),
    ("適宜とする。", "適宜"),
    ("責任者は未定とする。", "未定"),
    ("アクセス権は、なるべく業務に必要な範囲にとどめることが望ましい。", "望ましい"),
    ("共有アカウントの利用は、可能であれば避けるよう努める。", "努める"),
    ("共有アカウントの利用は、可能であれば避けるものとする。", "可能であれば"),
    ("退職者のアカウントは、適宜停止を検討するものとする。", "検討"),
    ("退職・異動時の権限の扱いは、その都度状況に応じて判断する。", "判断"),
    ("退職者のアカウントは、状況に応じて停止する。", "状況に応じて"),
    ("情報の取扱いに配慮するものとする。", "配慮"),
    ("確認するよう努めなければならない。", "努め"),
    ("見直しは場合による。", "場合による"),
    ("分類の区分、基準、取扱いについては適宜対応する。", "適宜"),
])
def test_hedges_name_the_learners_own_words(sentence, cue):
    m = classify(tokens(prepare(sentence)))
    assert (m.kind, m.cue) == (HEDGE, cue)


@pytest.mark.parametrize("sentence", [
    "最小権限の考え方は重要であるとする。",
    "パスワード管理は重要である。",
    "確認が必要です。",
    "従業員は、方針を守るよう心がけることが大切である。",
])
def test_evaluations_bind_nobody(sentence):
    assert kind(sentence) in (EVALUATION, HEDGE)
    assert not classify(tokens(prepare(sentence))).binding


@pytest.mark.parametrize("sentence, expected", [
    ("退職者のアカウントは削除しなくてもよい。", PERMISSION),
    ("退職者のアカウントは削除しなくても構わない。", PERMISSION),
    ("アクセス権の見直しは不要とする。", PERMISSION),
    ("記録は不要。", PERMISSION),
    ("承認を得る必要はない。", PERMISSION),
    ("アクセス権は業務に必要な範囲に限る必要はなく、全員に全フォルダの閲覧を許可してよい。", PERMISSION),
    ("共有アカウントを使ってもよい。", PERMISSION),
    ("誓約書の提出は任意とする。", PERMISSION),
    ("確認することができる。", PERMISSION),
    ("定期的な見直しは行わない。", NEGATION),
    ("定期的な見直しは行わないものとする。", NEGATION),
    ("研修は実施しません。", NEGATION),
    ("退職者のアカウントは削除しないこと。", NEGATION),  # denying a protective act waives it
])
def test_waivers_and_negations(sentence, expected):
    assert kind(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "不要となったアカウントは速やかに削除しなければならない。",
    "業務上必要がない権限は付与してはならない。",
    "異動者については不要になった権限を削除する。",
    "辞めた人のIDや要らなくなった権限が残っていたら消すこと。",
])
def test_negative_words_inside_a_rule_do_not_waive_it(sentence):
    assert classify(tokens(prepare(sentence))).binding


def test_plain_sentences():
    assert kind("パスワードは定期的に変更する。") == DECLARATIVE  # a 規程 may state a rule plainly
    assert kind("パスワードはメールでは送らず、電話で伝える。") == DECLARATIVE
    assert kind("アクセス権の管理") == STATEMENT
    assert not classify(tokens(prepare("アクセス権の管理"))).binding
    assert classify(()).kind == STATEMENT


def test_tasks_of_steps_may_deliberate_but_not_hedge():
    assert kind("報告を受け、社内で取り入れる点を検討する。", task=True) == DECLARATIVE
    assert kind("報告を受け、社内で取り入れる点を検討するものとする。") == HEDGE
    assert kind("必要に応じて方針を改訂する。", task=True) == HEDGE
    # an act finished before the hedge stands
    assert kind("ログイン履歴を確認し、必要に応じて利用を止めて報告する。", task=True) == DECLARATIVE


def test_exceptions_qualify_a_rule():
    m = classify(tokens(prepare("ただし、緊急時はこの限りでない。")))
    assert m.exception and not m.binding
