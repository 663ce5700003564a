"""Japanese text normalisation and sentence splitting for the rubric.

`normalize` maps the many ways of writing the same Japanese word to one form, so that a learner's text and the rubric's
terms can be compared with a plain substring test. It is deterministic and idempotent:
normalize(normalize(x)) == normalize(x). Comparisons only: never show normalised text to a learner.
"""

import re
import unicodedata

KATAKANA = "ァ-ヺ"
HIRAGANA = "ぁ-ゖ"
NON_ASCII = r"[^\x00-\x7f]"

# Mid-dots and bullets; wave dashes; hyphens, dashes and long vowel marks (NFKC has already folded the full-width ones).
_BULLETS = re.compile(r"[·•∙‧]")
_WAVES = re.compile(r"[~〜〰]")
_DASHES = "\\-‐‑‒–—―−─━"
_LONG_MARK_AFTER_KATAKANA = re.compile(f"(?<=[{KATAKANA}])[{_DASHES}ー]+")
_HYPHEN_IN_WORD = re.compile(f"(?<=[a-z])[{_DASHES}](?=[a-z])")  # wi-fi, e-mail
_OTHER_DASH = re.compile(f"[{_DASHES}]+")
_DOT_IN_KATAKANA = re.compile(f"(?<=[{KATAKANA}ー])・(?=[{KATAKANA}])")
# サーバー/サーバ, プリンター/プリンタ: the long mark that ends a katakana word of three or more kana is dropped.
_FINAL_LONG_MARK = re.compile(f"(?<=[{KATAKANA}ー]{{2}}[{KATAKANA}])ー(?![{KATAKANA}ー])")
_SPACES = re.compile(r"\s+")
_SPACE_BY_JAPANESE = re.compile(f" (?={NON_ASCII})|(?<={NON_ASCII}) ")
_COMMA = re.compile(f"(?<={NON_ASCII}),|,(?={NON_ASCII})")
_FULL_STOP = re.compile(f"(?<={NON_ASCII})\\.")

# Okurigana and kana/kanji variants: every variant on the left is written as the canonical form on the right.
_CANONICAL = {
    "取扱": ["取り扱い", "取扱い", "取り扱"],
    "申込": ["申し込み", "申込み", "申し込"],
    "引継": ["引き継ぎ", "引継ぎ", "引き継"],
    "受付": ["受け付け", "受付け", "受け付"],
    "持出": ["持ち出し", "持出し", "持ち出"],
    "持込": ["持ち込み", "持込み", "持ち込"],
    "貸出": ["貸し出し", "貸出し", "貸し出"],
    "割当": ["割り当て", "割当て", "割り当"],
    "取消": ["取り消し", "取消し", "取り消"],
    "取組": ["取り組み", "取組み", "取り組"],
    "取決": ["取り決め", "取決め", "取り決"],
    "取外": ["取り外し", "取外し", "取り外"],
    "取付": ["取り付け", "取付け", "取り付"],
    "引渡": ["引き渡し", "引渡し", "引き渡"],
    "受渡": ["受け渡し", "受渡し", "受け渡"],
    "立入": ["立ち入り", "立入り", "立ち入"],
    "立会": ["立ち会い", "立会い", "立ち会"],
    "置忘": ["置き忘れ", "置忘れ", "置き忘"],
    "書込": ["書き込み", "書込み", "書き込"],
    "読取": ["読み取り", "読取り", "読み取"],
    "切替": ["切り替え", "切替え", "切り替"],
    "払出": ["払い出し", "払出し", "払い出"],
    "振返": ["振り返り", "振返り", "振り返"],
    "問合": ["問い合わせ", "問合わせ", "問合せ", "問い合"],
    "打合": ["打ち合わせ", "打合わせ", "打合せ", "打ち合"],
    "締切": ["締め切り", "締切り", "締め切"],
    "見積": ["見積もり", "見積り"],
    "届出": ["届け出"],
    "申出": ["申し出"],
    "手続": ["手続き"],
    "行う": ["行なう"],
    "行い": ["行ない"],
    "行わ": ["行なわ"],
    "行っ": ["行なっ"],
    "行え": ["行なえ"],
    "行お": ["行なお"],
    "使い回": ["使いまわ"],
    "および": ["及び"],
    "または": ["又は"],
    "ならびに": ["並びに"],
    "もしくは": ["若しくは"],
    "かつ": ["且つ"],
    "ただし": ["但し"],
    "あらかじめ": ["予め"],
    "すでに": ["既に"],
    "すべて": ["全て"],
    "ただちに": ["直ちに"],
    "すみやか": ["速やか"],
    "でき": ["出来"],
    "ください": ["下さい"],
    "いたし": ["致し"],
    "いただ": ["頂"],
    "ない": ["無い"],
    "なく": ["無く"],
    "なし": ["無し"],
    "よい": ["良い"],
    "よく": ["良く"],
    "かまわ": ["構わ"],
    "差し支え": ["差支え"],
    "ごとに": ["毎に"],
    "子供": ["子ども", "こども"],
    "漏えい": ["漏洩"],
    "のぞ": ["覗"],
    "ひな形": ["雛形", "雛型", "ひな型"],
}
_VARIANT_TO_CANONICAL = {v: canon for canon, variants in _CANONICAL.items() for v in variants}
_VARIANTS = re.compile("|".join(re.escape(v) for v in sorted(_VARIANT_TO_CANONICAL, key=len, reverse=True)))

# Context rules: only where the kanji cannot be part of another word.
_CONTEXT_RULES = [
    # 3ヶ月 / 3ケ月 / 3カ月 / 3箇月 → 3か月
    (re.compile(r"(?<=[0-9〇一二三四五六七八九十百何数])[ヶヵケカ箇](?=[月所国年条])"), "か"),
    # PC等 → PCなど, but not 同等, 平等, 等級 ...
    (re.compile(r"(?<![同平対均高上劣優初中一二三何])等(?![級しく分価号比式温差圧高])"), "など"),
    # する事が → することが; 仕事, 事故 are untouched
    (re.compile(f"(?<=[{HIRAGANA}])事(?=[がをはにともで、。]|$)"), "こと"),
    # 退職した時は → 退職したときは; 同時, 日時 are untouched
    (re.compile(r"(?<=[るたいな])時(?=[はにのも、])"), "とき"),
    # 使えない様に → 使えないように; 同様, お客様 are untouched
    (re.compile(f"(?<=[{HIRAGANA}])様(?=[にな])"), "よう"),
]


def prepare(text):
    """NFKC, lower case, spacing, dashes and punctuation made regular, but words left as written: the form given to
    the morphological analyser, which knows the spelling variants of words itself."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _SPACE_BY_JAPANESE.sub("", _SPACES.sub(" ", text)).strip()
    text = _BULLETS.sub("・", text)
    text = _WAVES.sub("〜", text)
    text = _LONG_MARK_AFTER_KATAKANA.sub("ー", text)
    text = _HYPHEN_IN_WORD.sub("", text)
    text = _OTHER_DASH.sub("-", text)
    text = _DOT_IN_KATAKANA.sub("", text)
    text = _FINAL_LONG_MARK.sub("", text)
    text = _COMMA.sub("、", text)
    return _FULL_STOP.sub("。", text)


def normalize(text):
    """One canonical form for comparing Japanese text (NFKC, lower case, variants, punctuation, spacing)."""
    text = _VARIANTS.sub(lambda m: _VARIANT_TO_CANONICAL[m.group()], prepare(text))
    for pattern, replacement in _CONTEXT_RULES:
        text = pattern.sub(replacement, text)
    return text


# --- sentences ---------------------------------------------------------------------------------------------------

_LIST_MARKER = re.compile(r"^(?:[・\-*+>]|\(?\d{1,2}[).、]|\(\d{1,2}\)|\d{1,2}\.)\s*")
_CIRCLED_NUMBER = re.compile(r"^\s*[①-⑳]\s*")  # read before NFKC, which turns ① into 1
_SENTENCE_END = re.compile(r"(?<=[。!?])")
_TRAILING = re.compile(r"(?:[。!?」』\"')\]\s]|\([^()]*\))+$")
# A line that ends like a rule ends its sentence even without 。 (a line break inside a sentence does not).
_RULE_END = re.compile("(?:ない|こと|する|します|とする|ません|ください|です|である|だ)$")


def split_sentences(text):
    """The sentences of a text (text.prepare'd), without their final 。 and without list markers (・, 1., (1), ① ...).

    A line break ends a sentence when the line ends with 。 or like a rule, or when the next line starts a list item;
    otherwise the lines are one sentence wrapped by hand.
    """
    pieces = []
    for line in (text or "").splitlines():
        circled = _CIRCLED_NUMBER.match(line)
        line = prepare(line[circled.end():] if circled else line)
        marker = circled or _LIST_MARKER.match(line)
        if marker and not circled:
            line = line[marker.end():]
        if not line:
            continue
        if pieces and not marker and not _ends_sentence(pieces[-1]):
            pieces[-1] += line
        else:
            pieces.append(line)
    result = []
    for piece in pieces:
        for part in _SENTENCE_END.split(piece):
            part = _TRAILING.sub("", part.strip()).strip()
            if part:
                result.append(part)
    return result


def _ends_sentence(piece):
    return piece.endswith(("。", "!", "?")) or _RULE_END.search(_TRAILING.sub("", piece)) is not None
