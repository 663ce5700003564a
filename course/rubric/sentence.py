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
LIST_MIN_BARE_ITEMS = 3
TOPIC_MIN_ITEMS = 4
# Acts that say nothing about what is done to each topic of a list (「…について、適切に管理しなければならない」).
_GENERIC_ACTS = frozenset({"管理", "運用", "対応", "注意", "理解", "準備", "徹底", "整備", "取り組む", "明確",
                           "留意", "配慮", "遵守", "守る", "努める", "取り扱う", "取り扱い", "処理", "推進", "適切",
                           "十分", "確実", "適正", "正しい", "正しく", "計画", "しっかり", "きちんと", "組む"})
# Acts that neither make a list specific nor generic: 「Aの停止、Bの解除を行う」 names its acts in the list.
_NEUTRAL_ACTS = frozenset({"行う", "実施", "実行", "取る"})


@dataclass(frozen=True)
class Sentence:
    text: Text             # normalised surface and lemmas
    modality: Modality
    list_like: bool        # words side by side rather than a sentence
    generic_act: bool      # its act is generic: 〜を適切に管理する, 〜に対応する, 〜を徹底する
    verbs: int             # verbs that carry meaning (not する, なる, いる, ある …)

    @property
    def binding(self):
        return self.modality.binding and not self.list_like


@lru_cache(maxsize=4096)
def analyse(sentence, task=False):
    """Analyse one sentence (course.rubric.text.split_sentences gives them); `task` for a step's task."""
    toks = tokens(sentence)
    return Sentence(Text(lemma_string(toks), normalize(sentence)), classify(toks, task), _list_like(toks),
                    _generic_act(toks), _verbs(toks))


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
    if bare == len(segments) >= LIST_MIN_BARE_ITEMS:
        return True  # 「申請・承認・設定・削除」: nothing but nouns
    if _topics_then_generic_act(toks):
        return True
    nouns = sum(1 for i, t in enumerate(body) if _nominal(t) and (i == 0 or not _nominal(body[i - 1])))
    particles = sum(1 for t in body if t.pos == "助詞" and t.lemma not in _NOUN_JOINERS)
    if nouns >= LIST_MIN_NOUNS and particles == 0:
        return True
    # 「一人一つしなければならない」: apart from its ending, a bare noun phrase without any case particle or verb
    if body and not any(t.pos in ("動詞", "形容詞", "助動詞") or (t.pos == "助詞" and t.lemma not in _NOUN_JOINERS)
                        for t in body):
        return True
    # 「外すしなければならない」: a verb right before the する of the ending is not Japanese
    return _verb_before_suru(toks)


def _verb_before_suru(toks):
    lemmas = [t.lemma for t in toks]
    for ending in (["為る", "ない", "ば", "成る", "ない"], ["為る", "こと"], ["為る", "物", "と", "為る"]):
        n = len(ending)
        if len(toks) > n and lemmas[-n:] == ending:
            before = toks[-n - 1]
            return before.pos == "動詞" or (before.pos == "助動詞" and before.lemma != "だ")  # 〜ようにする is fine
    return False


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


def _topics_then_generic_act(toks):
    """Many topics named side by side, then one generic act for all of them: 「A、B、C、Dについて、適切に管理しなけれ
    ばならない」 says nothing about what is done to any one of them."""
    body = _without_asides(toks)
    lemmas = [t.lemma for t in body]
    for i in range(len(body) - 1, 0, -1):
        marker = _topic_marker(lemmas, i)
        if marker:
            return _noun_items_before(body[:i]) >= TOPIC_MIN_ITEMS and _only_generic(body[i + marker:])
    return False


def _topic_marker(lemmas, i):
    """The length of a topic marker (について, に関して, を, は) starting at i, else 0."""
    if lemmas[i] in ("を", "は"):
        return 1
    if lemmas[i] == "に" and i + 1 < len(lemmas) and lemmas[i + 1] in ("つく", "関する", "係る", "対する"):
        return 2
    return 0


def _noun_items_before(toks):
    """How many items, mostly without a verb, stand side by side (、 ・ 及び) between the sentence's subject and the
    end of toks (0 when most of them are clauses rather than nouns)."""
    items, current = [], []
    for i in range(len(toks) - 1, -1, -1):
        tok = toks[i]
        if tok.lemma in ("は", "が") and i + 1 < len(toks) and toks[i + 1].surface in _SEPARATORS:
            break  # the subject: 「当社は、」
        if tok.surface in _SEPARATORS or tok.lemma in ("及び", "および", "並びに", "や"):
            if current:
                items.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        items.append(current)
    clauses = sum(1 for item in items if any(t.pos == "動詞" for t in item))
    return len(items) if clauses * 3 <= len(items) else 0


_AUXILIARY = frozenset({"的", "為る", "成る", "ない", "ば", "て", "は", "行く", "だ", "に", "、", "。", "物", "こと", "と",
                        "ます", "ず", "べし", "有る", "よう", "出来る", "下さる"})


def _verbs(toks):
    """Acts named in the sentence: verbs that carry meaning (not する, なる, いる …) and サ変 nouns used with する."""
    count = 0
    for i, t in enumerate(toks):
        if t.pos == "動詞" and t.pos_detail != "非自立可能":
            count += 1
        elif t.pos == "名詞" and i + 1 < len(toks) and toks[i + 1].lemma in ("為る", "出来る"):
            count += 1
    return count


def _generic_act(toks):
    """The words after the last particle are a generic act and the ending: 「…を適切に管理しなければならない」."""
    i = max((i for i, t in enumerate(toks) if t.lemma in ("を", "に", "は", "、")), default=-1)
    return _only_generic(toks[i + 1:])


def _only_generic(toks):
    """After the list, nothing but a generic act, its adverbs and the ending."""
    content = [t for t in toks if t.lemma not in _AUXILIARY and t.pos not in ("補助記号", "助詞", "助動詞")]
    return (any(t.lemma in _GENERIC_ACTS for t in content)
            and all(t.lemma in _GENERIC_ACTS or t.lemma in _NEUTRAL_ACTS for t in content))
