"""Concepts matched on lemmas (course/rubric/concepts.py, course/content/rubric/concepts.yaml) and the analyser."""

import importlib.metadata

import pytest

from course.rubric import analyser
from course.rubric.concepts import Text, concepts_of, lexicon, matcher

# Grades must not drift between installs: the dictionary's version is pinned here, in pyproject.toml and constraints.txt.
DICTIONARY_VERSION = "20260723.1"


def test_the_pinned_dictionary_is_installed():
    assert importlib.metadata.version("sudachidict_core") == DICTIONARY_VERSION


def test_lemmas_unify_spelling_and_conjugation():
    lemmas = {analyser.lemma_string(analyser.tokens(w)) for w in ("取扱い", "取り扱い")}
    assert len(lemmas) == 1
    assert analyser.lemma_string(analyser.tokens("見比べて")) == "|見る|比べる|て|"
    assert analyser.tokens("") == ()


@pytest.mark.parametrize("term, everyday", [
    ("秘密保持", "口外しない約束の書面に名前を書いてもらう"),
    ("入社", "働き始める人には初日に説明する"),
    ("従業員", "働いている人は全員守る"),
    ("管理者権限", "設定を何でも変えられる強いIDは社長とIT係の2人だけが持つ"),
    ("突き合わせ", "IDの一覧と社員名簿を見比べる"),
    ("台帳", "管理ノートに書く"),
    ("返却", "貸していたパソコンを返してもらう"),
    ("退職後", "辞めた後も約束は続く"),
    ("多要素", "スマホに届く番号も入れないと入れない設定にする"),
])
def test_everyday_words_match_the_rubric_term_of_the_same_meaning(term, everyday):
    assert concepts_of(term), term
    assert matcher((term,)).search(Text.of(everyday))


def test_a_term_outside_the_lexicon_is_matched_as_itself_and_as_a_stem():
    m = matcher(("棚卸",))  # a stem without kana also matches inside longer words
    assert m.search(Text.of("年に一度、棚卸し表を作る"))
    stem = matcher(("切り離",))  # cut off before its ending
    assert stem.search(Text.of("ネットワークから切り離す"))
    word = matcher(("迷う",))  # a complete word is matched as a word, in any of its forms
    assert word.search(Text.of("判断に迷ったときは")) and not word.search(Text.of("迷惑メールを削除する"))


def test_patterns_match_open_classes_such_as_frequencies():
    m = matcher(("定期",))
    for text in ("毎年4月に見直す", "3か月ごとに見直す", "年2回見直す", "4月と10月に見直す"):
        assert m.search(Text.of(text)), text
    assert not m.search(Text.of("見直す"))


def test_every_lexicon_entry_is_read_by_the_analyser():
    concepts, index = lexicon()
    assert len(concepts) > 100
    assert all(c.lemmas or c.patterns for c in concepts.values())
    assert all(seq != "||" for seq in index)


def test_no_term_means_no_matcher():
    assert matcher(("  ",)) is None


def test_a_missing_dictionary_is_a_clear_message(monkeypatch):
    import builtins

    from course.errors import CourseError

    real_import = builtins.__import__

    def no_sudachi(name, *args, **kwargs):
        if name == "sudachipy":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    analyser._tokenizer.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_sudachi)
    try:
        with pytest.raises(CourseError, match="pip install -c constraints.txt -e ."):
            analyser.tokens("辞書がない場合の確認")
    finally:
        monkeypatch.undo()
        analyser._tokenizer.cache_clear()
