"""Concepts: what a rubric term means, matched on lemmas rather than on spelling.

The lexicon (course/content/rubric/concepts.yaml) groups expressions by meaning: the word a rule book would use and
the everyday words people write instead (秘密保持 / 口外しない / もらさない). A rubric term belongs to every concept
whose lexicon holds the same lemmas; the term then matches anything its concepts hold. A term that no concept holds
is matched as its own lemma sequence, and also as written inside longer words (the rubric's keys may be stems such
as 見直 or 切り離), so hidden grading keys written as plain term lists keep working.

Expressions are tokenised by course.rubric.analyser and compared as lemma sequences ("|返す|て|貰う|"), so
conjugation and spelling do not matter (返して / 返し / 返す). An entry written `re: <regex>` is a pattern on the
normalised text instead, for open classes such as dates and frequencies (毎月, 年2回, 4月と10月).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import ContentError
from .analyser import lemma_string, lemma_strings, tokens
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
def lexicon():
    """{concept name: _Concept} and {lemma sequence: concept names}, built once per kernel."""
    try:
        data = yaml.load(LEXICON.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(LEXICON, "(file)", f"読み込めません / cannot read: {exc}") from exc
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
def matcher(terms: tuple[str, ...]) -> Matcher | None:
    """A matcher for any of `terms`, widened to their concepts. None when no term has any letters."""
    concepts, _ = lexicon()
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
