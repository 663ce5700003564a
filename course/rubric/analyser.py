"""Japanese morphological analysis for the rubric: SudachiPy with the core dictionary (pinned in constraints.txt).

`tokens(text)` cuts a text into the shortest units (Sudachi split mode A) and gives each its normalised form, which
unifies spelling variants (取扱い/取り扱い, サーバ/サーバー, 漏えい/漏洩) and conjugations (見比べて → 見る 比べる),
its part of speech and its conjugation form. The dictionary is loaded once, on the first call (about 40 ms).
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..errors import CourseError
from ..i18n import t


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    lemma: str         # Sudachi's normalised form: one spelling per word, verbs and adjectives in dictionary form
    pos: str           # 名詞, 動詞, 形容詞, 形状詞, 助動詞, 助詞, 副詞, 接尾辞, 補助記号 ...
    pos_detail: str    # the second level: 普通名詞, 格助詞, 非自立可能 ...
    conjugation: str   # 終止形-一般, 連用形-一般, 未然形-一般 ... ("*" for words that do not conjugate)

    @property
    def content(self):
        """A word that carries meaning (not a particle, auxiliary or punctuation)."""
        return self.pos in ("名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "連体詞", "接頭辞", "接尾辞")


@lru_cache(maxsize=1)
def _tokenizer():
    try:
        from sudachipy import Dictionary, SplitMode
        dictionary = Dictionary(dict="core")
    except Exception as exc:  # ImportError, or sudachipy without its dictionary package
        raise CourseError(t("rubric.analyser_missing", reason=type(exc).__name__)) from None
    return dictionary.tokenizer(mode=SplitMode.A)


def load():
    """Load the dictionary now (a notebook may do this before the learner's first self-check)."""
    _tokenizer()


@lru_cache(maxsize=4096)
def tokens(text):
    """The tokens of `text` (NFKC-normalised first, so full-width letters and digits are read as half-width)."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.strip():
        return ()
    return tuple(_token(m) for m in _tokenizer().tokenize(text) if m.part_of_speech()[0] != "空白")


def lemma_strings(texts):
    """lemma_string(tokens(text)) for many short texts, without building Token objects (loads the lexicon fast).
    Each text is analysed on its own: joined texts would be read in each other's context."""
    tokenize = _tokenizer().tokenize
    return ["|" + "|".join(m.normalized_form() for m in tokenize(unicodedata.normalize("NFKC", text))
                           if m.part_of_speech()[0] != "空白") + "|" for text in texts]


def _token(m):
    pos = m.part_of_speech()
    return Token(m.surface(), m.normalized_form(), pos[0], pos[1], pos[5])


def lemma_string(token_list):
    """The lemmas joined as "|a|b|c|", so that a lemma sequence is found with a plain substring test."""
    return "|" + "|".join(tok.lemma for tok in token_list) + "|"


def names_a_person(text):
    """True when the text holds a personal name (the dictionary's 固有名詞・人名: 佐藤, 山田太郎)."""
    text = unicodedata.normalize("NFKC", text or "")
    return any(m.part_of_speech()[1:3] == ("固有名詞", "人名") for m in _tokenizer().tokenize(text))
