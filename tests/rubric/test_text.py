"""Japanese normalisation and sentence analysis (course/rubric/text.py)."""

import pytest

from course.rubric.text import analyse, is_negated, is_obligation, looks_like_list, normalize, split_sentences

SAME = [
    ("パスワ－ド", "パスワード", "パスワ-ド", "ﾊﾟｽﾜｰﾄﾞ", "パスワ―ド", "パスワ—ド"),
    ("取扱い", "取り扱い", "取扱"),
    ("行なう", "行う"),
    ("行ないます", "行います"),
    ("申し込み", "申込み", "申込"),
    ("持ち出し", "持出し", "持出"),
    ("3ヶ月", "3ケ月", "3か月", "3カ月", "３箇月", "３ヵ月"),
    ("子ども", "子供", "こども"),
    ("及び", "および"),
    ("又は", "または"),
    ("PC等", "PCなど", "ＰＣ等"),
    ("ＶＰＮ", "VPN", "vpn"),
    ("Ｗｉ－Ｆｉ", "Wi-Fi", "wifi", "WiFi"),
    ("ショルダー・ハッキング", "ショルダーハッキング", "ｼｮﾙﾀﾞｰﾊｯｷﾝｸﾞ"),
    ("サーバー", "サーバ"),
    ("プリンター", "プリンタ"),
    ("漏洩", "漏えい"),
    ("覗き見", "のぞき見"),
    ("しなくても良い", "しなくてもよい"),
    ("これは、テスト。", "これは，テスト．", "これは､テスト｡", "これは,テスト."),
    ("パソコン を 使う", "パソコン\u3000を使う", "パソコンを\n使う", "パソコンを使う"),
]


@pytest.mark.parametrize("variants", SAME, ids=lambda v: v[0])
def test_variants_normalise_to_one_form(variants):
    forms = {normalize(v) for v in variants}
    assert len(forms) == 1, forms


@pytest.mark.parametrize("text, expected", [
    ("ＶＰＮ を 使う。", "vpnを使う。"),
    ("取り扱い", "取扱"),
    ("3ヶ月ごと", "3か月ごと"),
    ("パスワ－ド", "パスワード"),
    ("e-mail と Wi-Fi", "emailとwifi"),
    ("USB メモリー", "usbメモリ"),
    ("  前後の空白  ", "前後の空白"),
    ("ver.2 と 1,000円", "ver.2と1,000円"),  # ASCII punctuation between ASCII characters is kept
])
def test_exact_forms(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text, kept", [
    ("同等の対策", "同等"),
    ("平等に扱う", "平等"),
    ("仕事を始める", "仕事"),
    ("同時に行う", "同時"),
    ("キーを渡す", "キー"),  # a two-kana word keeps its long mark
    ("無線LAN", "無線"),
    ("お客様に", "様"),
])
def test_words_that_only_look_like_variants_are_left_alone(text, kept):
    assert kept in normalize(text)


def test_normalize_is_idempotent_and_deterministic():
    samples = [v for group in SAME for v in group] + ["退職した時は速やかに取り消しの手続きを行なう事。"]
    for s in samples:
        once = normalize(s)
        assert normalize(once) == once
        assert normalize(s) == once
    assert normalize("") == "" and normalize(None) == ""


def test_split_sentences():
    text = "1. アクセス権は業務に必要な\n最小限の範囲で付与しなければならない。退職者のIDは削除しなければならない\n・共有アカウントを使用してはならない（例外あり）"
    assert split_sentences(text) == [
        "アクセス権は業務に必要な最小限の範囲で付与しなければならない",  # a line wrapped by hand stays one sentence
        "退職者のidは削除しなければならない",
        "共有アカウントを使用してはならない",
    ]
    assert split_sentences("") == [] and split_sentences(" \n 。") == []


@pytest.mark.parametrize("sentence", [
    "アクセス権は業務に必要な最小限の範囲で付与しなければならない。",
    "共有アカウントを使用してはならない。",
    "私物のPCの利用を禁止する。",
    "管理者は総務部長とする。",
    "委託先には秘密保持契約を結ぶものとする",
    "パスワードを他人に教えないこと。",
    "従業員は秘密を守る義務を負う。",
    "退職者のアカウントを削除しなければなりません。",
    "持ち出す前に上長の許可を得なければならない（例：出張）。",
])
def test_obligations(sentence):
    assert is_obligation(sentence)


@pytest.mark.parametrize("sentence", [
    "パスワードは定期的に変更する。",
    "見直しを行います。",
    "退職者のアカウントは削除してください。",
    "アクセス権の管理",
    "共有アカウントを使ってもよい。",
    "",
])
def test_not_obligations(sentence):
    assert not is_obligation(sentence)


@pytest.mark.parametrize("sentence", [
    "退職者のアカウントは削除しなくてもよい。",
    "退職者のアカウントは削除しなくても構わない。",
    "アクセス権の見直しは不要とする。",
    "記録は不要。",
    "承認を得る必要はない。",
    "定期的な見直しは行わない。",
    "定期的な見直しは行わないものとする。",
    "研修は実施しません。",
    "共有アカウントを使ってもよい。",
    "誓約書の提出は任意とする。",
])
def test_negations(sentence):
    assert is_negated(sentence)


@pytest.mark.parametrize("sentence", [
    "共有アカウントを使用してはならない。",  # a prohibition is a rule, not a waiver
    "パスワードを他人に教えないこと。",
    "私物のPCで業務を行わないこと。",
    "不要となったアカウントは速やかに削除しなければならない。",
    "業務上必要がない権限は付与してはならない。",
    "持ち出してもよいが、上長の許可を得なければならない。",
])
def test_rules_that_contain_negative_words_are_not_negations(sentence):
    assert not is_negated(sentence)


def test_keyword_lists_are_not_sentences():
    assert looks_like_list("アクセス権 最小 承認 見直し 退職 削除 共有アカウント 記録しなければならない。")
    assert looks_like_list("アクセス権、最小、承認、見直し、退職、削除、共有アカウント、記録しなければならない。")
    assert looks_like_list("アクセス権最小権限承認見直し棚卸退職削除共有アカウント記録台帳")
    assert not looks_like_list(
        "PC、スマートフォン、タブレット、USBメモリを社外に持ち出す場合は、事前に上長の承認を得なければならない。")
    assert not looks_like_list("退職者のアカウントは速やかに削除しなければならない。")


def test_analyse_reports_every_property_at_once():
    s = analyse("画面ロックしなければならない。")
    assert (s.text, s.obligation, s.negated, s.bare) == ("画面ロックしなければならない", True, False, True)
    s = analyse("ただし、緊急時はこの限りでない。")
    assert s.exception and not s.obligation

