"""One sentence of a draft, analysed once: its tokens, lemmas, modality, and whether it is a list of words."""

from dataclasses import dataclass
from functools import lru_cache

from .analyser import Token, lemma_string, tokens
from .concepts import Text
from .text import normalize
from .modality import Modality, classify

_JOINERS = frozenset({"助詞", "助動詞", "動詞", "形容詞"})
# Particles and copulas that make noun phrases (アクセス権の棚卸し, 定期的な見直し), not sentences.
_NOUN_JOINERS = frozenset({"の", "と", "や", "だ", "へ", "及び", "および", "又は", "または"})
_SEPARATORS = frozenset({"、", ",", "・", " ", "　"})
LIST_MIN_SEGMENTS = 6
LIST_BARE_SHARE = 0.75
LIST_MIN_NOUNS = 6


@dataclass(frozen=True)
class Sentence:
    text: Text             # normalised surface and lemmas
    modality: Modality
    list_like: bool        # words side by side rather than a sentence

    @property
    def binding(self):
        return self.modality.binding and not self.list_like


@lru_cache(maxsize=4096)
def analyse(sentence, task=False):
    """Analyse one sentence (course.rubric.text.split_sentences gives them); `task` for a step's task."""
    toks = tokens(sentence)
    return Sentence(Text(lemma_string(toks), normalize(sentence)), classify(toks, task), _list_like(toks))


def _list_like(toks: tuple[Token, ...]):
    """Japanese joins its words with particles and verbs (を, に, は, する …); a keyword list has almost none,
    whether its words are separated by 、, spaces or nothing at all. The rule ending is left out of the count."""
    body = _without_asides(toks)
    while body and body[-1].pos in ("補助記号", "助動詞", "助詞") or (body and body[-1].lemma in ("為る", "成る", "こと", "物")):
        body.pop()
    segments, current = [], []
    for tok in body:
        if tok.surface in _SEPARATORS or tok.pos == "補助記号":
            if current:
                segments.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        segments.append(current)
    bare = sum(1 for seg in segments if not any(t.pos in _JOINERS and t.lemma not in _NOUN_JOINERS for t in seg))
    if len(segments) >= LIST_MIN_SEGMENTS and bare >= len(segments) * LIST_BARE_SHARE:
        return True
    nouns = sum(1 for i, t in enumerate(body) if _nominal(t) and (i == 0 or not _nominal(body[i - 1])))
    joiners = sum(1 for t in body if t.pos in _JOINERS and t.lemma not in _NOUN_JOINERS)
    return nouns >= LIST_MIN_NOUNS and joiners == 0


def _nominal(tok):
    return tok.pos in ("名詞", "接尾辞", "接頭辞")


def _without_asides(toks):
    """The tokens outside parentheses: 「台帳（種類、件数、保管場所）を作る」 is a sentence with a list inside."""
    kept, depth = [], 0
    for tok in toks:
        if tok.surface in ("(", "（", "[", "【"):
            depth += 1
        elif tok.surface in (")", "）", "]", "】"):
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(tok)
    return kept
