"""Concepts: what a rubric term means, matched on lemmas rather than on spelling.

The lexicon (course/content/rubric/concepts.yaml) groups expressions by meaning: the word a rule book would use and
the everyday words people write instead (秘密保持 / 口外しない / もらさない). A rubric term belongs to every concept
whose lexicon holds the same lemmas; the term then matches anything its concepts hold. A term that no concept holds
is matched as its own lemma sequence, and also as written inside longer words (the rubric's keys may be stems such
as 見直 or 切り離), so hidden grading keys written as plain term lists keep working.

Expressions are tokenised by course.rubric.analyser and compared as lemma sequences ("|返す|て|貰う|"), so
conjugation and spelling do not matter (返して / 返し / 返す). An entry written `re: <regex>` is a pattern on the
normalised text instead, for open classes such as dates and frequencies (毎月, 年2回, 4月と10月).

A company names its roles in its profile (社長 may be 代表取締役 or オーナー). `role_words` turns the profile's role
table into extra entries of the concepts that stand for each role (the `roles:` table of the lexicon); `matcher` takes
them as a second, hashable argument, so each (terms, roles) pair is compiled once.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import ContentError
from .analyser import lemma_string, lemma_strings, names_a_person, tokens
from .text import normalize, prepare

LEXICON = Path(__file__).resolve().parent.parent / "content" / "rubric" / "concepts.yaml"
_KANA = re.compile("[ぁ-ゖ]")
_VERB_ENDINGS = tuple("うくぐすつぬぶむる")
_STEM_KEY = "stem:"


@dataclass(frozen=True)
class Text:
    """A piece of a draft in the two forms the matcher reads."""

    lemmas: str    # analyser.lemma_string of its tokens
    surface: str   # course.rubric.text.normalize of the text

    @classmethod
    def of(cls, raw):
        return cls(lemmas_of(raw), normalize(raw))


def lemmas_of(raw):
    """The lemma sequence of a word or phrase, read the way draft text is read."""
    return lemma_string(tokens(prepare(raw)))


@dataclass(frozen=True)
class Matcher:
    """Any of a set of expressions: lemma sequences, stems written inside words, patterns on the text."""

    lemmas: re.Pattern | None
    surfaces: re.Pattern | None
    concepts: tuple[str, ...]  # the concepts the terms were mapped to (for tests and debugging)

    def search(self, text: Text):
        return bool((self.lemmas and self.lemmas.search(text.lemmas))
                    or (self.surfaces and self.surfaces.search(text.surface)))


@dataclass(frozen=True)
class _Concept:
    name: str
    lemmas: frozenset[str]     # "|a|b|" sequences
    patterns: tuple[str, ...]  # regexes on normalised text


@lru_cache(maxsize=1)
def _data():
    try:
        return yaml.load(LEXICON.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(LEXICON, "(file)", f"読み込めません / cannot read: {exc}") from exc


@lru_cache(maxsize=1)
def lexicon():
    """{concept name: _Concept} and {lemma sequence: concept names}, built once per kernel."""
    data = _data()
    entries = [(name, entry) for name, items in data["concepts"].items() for entry in items]
    words = [(name, prepare(str(entry))) for name, entry in entries if not isinstance(entry, dict)]
    analysed = lemma_strings([text for _, text in words])
    lemmas, patterns, index = {}, {}, {}
    for (name, text), seq in zip(words, analysed):
        if seq != "||":
            lemmas.setdefault(name, set()).add(seq)
            index.setdefault(seq, set()).add(name)
            if text.endswith(_VERB_ENDINGS) and len(text) > 1:
                # the rubric's keys are often stems: 知らせ, 洗い出, 振り返 stand for 知らせる, 洗い出す, 振り返る
                index.setdefault(_STEM_KEY + normalize(text[:-1]), set()).add(name)
    for name, entry in entries:
        if isinstance(entry, dict):
            patterns.setdefault(name, []).append(entry["re"])
    concepts = {name: _Concept(name, frozenset(lemmas.get(name, ())), tuple(patterns.get(name, ())))
                for name in data["concepts"]}
    return concepts, {k: frozenset(v) for k, v in index.items()}


def concepts_of(term):
    """The concepts whose lexicon holds the term's lemmas, or a verb of which the term is the stem."""
    _, index = lexicon()
    return index.get(lemmas_of(term)) or index.get(_STEM_KEY + normalize(term), frozenset())


def _is_stem(term):
    """A term that may stand inside a longer word: written without kana (棚卸 in 棚卸し表, 送 in 送付), or cut off
    before its ending (見直, 預か, 切り離). A complete word with kana (返す, 迷う) is matched as a word only, so that
    返す does not match 繰り返す."""
    text = normalize(term)
    if not _KANA.search(text):
        return True
    return not tokens(text)[-1].conjugation.startswith(("終止形", "連体形"))


def _alternation(items):
    items = sorted(set(items), key=len, reverse=True)
    return re.compile("|".join(items)) if items else None


@lru_cache(maxsize=2048)
def matcher(terms: tuple[str, ...], roles: tuple = ()) -> Matcher | None:
    """A matcher for any of `terms`, widened to their concepts (and to the company's role words in `roles`, from
    role_words). None when no term has any letters."""
    concepts, _ = lexicon()
    extra = dict(roles)
    lemmas, surfaces, patterns, names = set(), set(), [], set()
    for term in terms:
        seq = lemmas_of(term)
        if seq == "||":
            continue
        lemmas.add(seq)
        if _is_stem(term):
            surfaces.add(normalize(term))
        for name in concepts_of(term):
            names.add(name)
            lemmas.update(concepts[name].lemmas)
            lemmas.update(extra.get(name, ()))
            patterns.extend(concepts[name].patterns)
    if not lemmas:
        return None
    return Matcher(
        lemmas=_alternation(map(re.escape, lemmas)),
        surfaces=_alternation([*map(re.escape, surfaces), *patterns]),
        concepts=tuple(sorted(names)),
    )


def concept_matcher(name):
    """A matcher for one concept of the lexicon by name (slots such as who / when / record use these)."""
    concepts, _ = lexicon()
    c = concepts[name]
    return Matcher(_alternation(map(re.escape, c.lemmas)), _alternation(c.patterns), (name,))


# --- the company's own role names ----------------------------------------------------------------------------------

_NOTE = re.compile(r"[（(][^）)]*[）)]")  # 「総務課の担当者（兼任）」: a note in brackets is not part of the title
_QUOTES = re.compile("[「」『』\"'“”]")
_HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿")
MIN_ROLE_WORD = 2  # characters: a one-letter name (長, 係) would be found inside countless words


@lru_cache(maxsize=1)
def role_concepts():
    """{role key of the profile's role table: concept names} and the lemma sequences of the generic role words, from
    the `roles:` and `generic_role_words:` tables of the lexicon."""
    data = _data()
    concepts, _ = lexicon()
    table = {str(key): tuple(names or ()) for key, names in (data.get("roles") or {}).items()}
    unknown = sorted({n for names in table.values() for n in names} - set(concepts))
    if unknown:
        raise ContentError(LEXICON, "roles", f"未知の概念 / unknown concepts: {', '.join(unknown)}")
    generic = frozenset(lemma_strings([prepare(str(w)) for w in data.get("generic_role_words") or ()]))
    return table, generic


def _cleaned(word):
    return _QUOTES.sub("", _NOTE.sub("", word or "")).strip()


def role_word(word, person_check=False):
    """The lemma sequence under which `word` (a 呼称, or a 担当 when person_check) joins the role's concepts, or None
    when it should not: shorter than MIN_ROLE_WORD, no noun in it, a generic role word (担当, 責任者), already an entry of
    a concept that stands for no role (担当 is in duties: it already means something else), or — for a holder — a
    person rather than a title (a personal name, 田中さん): rules name roles, and a person's name is not a role."""
    text = _cleaned(word)
    if len(normalize(text)) < MIN_ROLE_WORD:
        return None
    toks = tokens(prepare(text))
    if not any(tok.pos in ("名詞", "接尾辞") for tok in toks):
        return None
    seq = lemma_string(toks)
    table, generic = role_concepts()
    _, index = lexicon()
    role_related = {n for names in table.values() for n in names}
    if seq in generic or index.get(seq, frozenset()) - role_related:
        return None
    if person_check and (text.endswith(_HONORIFICS) or names_a_person(text)):
        return None
    return seq


def role_words(roles: tuple[tuple[str, str, str], ...]) -> tuple:
    """The extra concept entries for a company's roles, given as (key, 呼称, 担当) triples; hashable, for matcher."""
    return _role_words(tuple(roles))


@lru_cache(maxsize=64)
def _role_words(roles):
    table, _ = role_concepts()
    extra = {}
    for key, name, holder in roles:
        names = table.get(key, ())
        if not names:
            continue
        for word, person_check in ((name, False), (holder, True)):
            seq = role_word(word, person_check)
            if seq is not None:
                for concept in names:
                    extra.setdefault(concept, set()).add(seq)
    return tuple(sorted((concept, tuple(sorted(seqs))) for concept, seqs in extra.items()))
