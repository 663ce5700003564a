"""One analysed sentence (course/rubric/sentence.py): is it a sentence or words side by side?"""

import pytest

from course.rubric.sentence import analyse
from course.rubric.text import split_sentences


def one(text):
    (sentence,) = split_sentences(text)
    return analyse(sentence)


@pytest.mark.parametrize("text", [
    "アクセス権 最小 承認 見直し 退職 削除 共有アカウント 記録しなければならない。",
    "アクセス権、最小、承認、見直し、退職、削除、共有アカウント、記録しなければならない。",
    "アクセス権最小権限承認見直し棚卸退職削除共有アカウント記録台帳",
    "申請・承認・設定・削除・棚卸し",
    "一人一つしなければならない。",
    "外すしなければならない。",
    "当社は、アクセス権、最小権限、申請、承認、共有アカウント、管理者権限について、適切に管理しなければならない。",
])
def test_words_side_by_side_are_not_a_sentence(text):
    assert one(text).list_like and not one(text).binding


@pytest.mark.parametrize("text", [
    "PC、スマートフォン、タブレット、USBメモリを社外に持ち出す場合は、事前に上長の承認を得なければならない。",
    "退職者のアカウントは速やかに削除しなければならない。",
    "画面をロックしなければならない。",
    "従業員がいつでも参照できるようにしなければならない。",
    "当社は、分類ごとの取扱い（保管場所、アクセスできる者、社外への持ち出し、廃棄の方法）を基準表に定めなければならない。",
    "アカウントの停止、共有リンクの解除、データの所有者の変更を行う。",
    "IPAの注意喚起、メーカーのセキュリティ情報、クラウドサービスのお知らせを確認する。",
])
def test_real_sentences_with_lists_inside_are_sentences(text):
    assert not one(text).list_like


def test_generic_act():
    assert one("個人情報について、適切に管理しなければならない。").generic_act
    assert not one("個人情報は鍵のかかる棚に保管しなければならない。").generic_act
