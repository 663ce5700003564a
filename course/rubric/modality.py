"""The modality of a sentence: does it bind anyone (a duty or a prohibition), or does it only hedge, judge, allow,
waive or deny?

Read from the tokens of course.rubric.analyser (lemmas and parts of speech), so that spelling and politeness do not
matter: 〜しなければならない / 〜しなければなりません / 〜せねばならぬ are one duty, 〜てはいけません one prohibition.

Kinds:
  obligation   〜しなければならない, 〜すること, 〜すべきである, 〜させる義務を負う, 〜ものとする / 〜とする with a
               concrete action or value (「年1回とする」), 〜してください
  prohibition  〜してはならない, 〜しないこと, 〜を禁止する, 〜ないものとする (of a risky act: 持ち出さないものとする)
  hedge        努める, 望ましい, 検討する, 配慮する, 心がける …, and 必要に応じて, 適宜, なるべく, できる限り,
               可能であれば, 状況に応じて, 場合による … anywhere in the sentence
  evaluation   重要である, 大切だ, 必要である, 欠かせない (a judgement, nobody is bound)
  permission   〜してもよい, 〜ことができる, 不要とする, 〜する必要はない, 任意とする, 省略できる, 免除する
  negation     〜しない, 〜は行わない(ものとする): a protective act denied
  statement    a plain sentence: 〜する。 〜します。 (describes, does not bind)
Only obligation and prohibition cover a rubric element (BINDING).
"""

from dataclasses import dataclass

from .analyser import Token

OBLIGATION, PROHIBITION, HEDGE, EVALUATION, PERMISSION, NEGATION, STATEMENT, DECLARATIVE = (
    "obligation", "prohibition", "hedge", "evaluation", "permission", "negation", "statement", "declarative")
BINDING = frozenset({OBLIGATION, PROHIBITION, DECLARATIVE})


def _seqs(*items):
    """Lemma sequences written "a|b|c" → "|a|b|c|" for substring tests on analyser.lemma_string."""
    return tuple(f"|{s}|" for s in items)


# Endings, tested on the lemmas of the sentence's last words (politeness removed: ます/です dropped, ません → ない).
_DUTY_ENDINGS = _seqs(
    "ない|ば|成る|ない", "ない|て|は|成る|ない", "ず|ば|成る|ない", "ない|て|は|行く|ない", "ない|と|行く|ない",
    "ない|ば|行く|ない", "ない|と|駄目|だ", "べし", "べし|だ|有る", "べし|だ", "義務|を|負う", "義務|が|有る",
    "義務|と|為る", "義務|付ける", "義務|付ける|られる", "必須|と|為る", "必須|だ", "必須|だ|有る",
    "て|下さる", "必要|が|有る", "こと|を|要する", "を|要する",
)
_PROHIBITION_ENDINGS = _seqs(
    "て|は|成る|ない", "て|は|行く|ない", "て|は|駄目|だ", "禁止|為る", "禁止|と|為る", "禁止|だ", "禁止|だ|有る",
    "禁じる", "禁ずる", "禁止|為る|られる|て|いる", "禁止|さ|れる|て|いる", "ない|こと", "ない|よう|に|為る|こと",
    "ない|で|下さる",
)
# Effort and wish: nobody breaks them, whatever the ending (〜よう努めなければならない is still an effort).
_EFFORT_PREDICATES = _seqs(
    "努める", "努力", "望ましい", "心掛ける", "推奨", "目指す", "期待", "奨励", "勧める", "望む", "たい",
    "方|が|良い", "越す|こと|は|無い", "工夫",
)
# Deliberation: 「検討するものとする」 decides nothing, but 「考慮しなければならない」 binds, and in a step
# 「…を検討する」 is a task.
_DELIBERATIVE_PREDICATES = _seqs("検討", "配慮", "留意", "意識", "考慮", "注意", "判断")
_HEDGE_PREDICATES = _EFFORT_PREDICATES + _DELIBERATIVE_PREDICATES
_HEDGE_ADVERBS = _seqs(
    "適宜", "必要|に|応じる", "必要|が|有る|ば", "必要|だ|場合|は", "状況|に|応じる", "状況|に|因る", "場合|に|よる",
    "場合|に|因る", "可能|だ|有る|ば", "可能|だ|限り", "可能|だ|範囲", "出来る|限り", "出来る|だけ", "出来る|ば",
    "成る可く", "極力", "臨機|応変", "ケース|バイ|ケース", "各自|の|判断", "努める|て", "余裕|が|有る", "随時",
    "適当|だ|時期", "都度|判断", "様子|を|見る", "未定", "検討|中", "別途|定める", "今後|検討",
)
_EVALUATION_ENDINGS = _seqs(
    "重要|だ", "重要|だ|有る", "大切|だ", "大切|だ|有る", "大事|だ", "大事|だ|有る", "肝要|だ", "肝要|だ|有る",
    "必要|だ", "必要|だ|有る", "必要|だ|成る", "不可欠|だ", "不可欠|だ|有る", "欠かす|ない", "有効|だ", "有効|だ|有る",
    "求める|られる", "重要", "大切", "必要", "肝要", "大事",
)
# Wording that waives a duty wherever it stands in the sentence (「…必要はなく、…許可してよい」).
_PERMISSION_ANYWHERE = _seqs(
    "ない|て|も|良い", "ない|て|も|構う|ない", "ない|て|も|差し支える|ない", "ない|て|も|差し支え|ない",
    "ない|とも|良い", "必要|は|無い", "必要|と|為る|ない", "は|不要|と|為る", "も|不要|と|為る",
    "任意|と|為る", "は|任意", "省略|出来る", "省略|為る|て|も", "省く|て|も", "免除",
)
_PERMISSION_ENDINGS = _seqs(
    "て|も|良い", "て|も|構う|ない", "て|も|差し支える|ない", "て|も|差し支え|ない", "こと|が|出来る", "出来る",
    "て|も|問題|無い", "て|も|いい", "て|良い", "て|いい", "不要", "不要|だ", "不要|だ|有る", "任意", "任意|だ",
    "自由|だ", "自由|と|為る", "要る|ない", "問う|ない", "必要|が|無い", "必要|無い",
)
# Endings that state a duty or a ban outright: a hedge adverb inside makes it a conditional duty, still a duty
# (「…に、必要に応じて速やかに報告しなければならない」).
_EXPLICIT_ENDINGS = _seqs(
    "ない|ば|成る|ない", "ない|て|は|成る|ない", "ず|ば|成る|ない", "ない|て|は|行く|ない", "ない|と|行く|ない",
    "て|は|成る|ない", "て|は|行く|ない", "禁止|為る", "禁止|と|為る", "禁じる", "べし", "べし|だ|有る",
)
_CONCRETE_THEN_SURU = _seqs("物|と|為る", "こと|と|為る", "と|為る")
_NEGATIVE = _seqs("ない", "ず")
# Acts that protect: denying them waives a duty (「見直しは行わないものとする」). Any other act denied in a rule's
# wording is a prohibition (「私物のUSBメモリは使わないものとする」).
_PROTECTIVE_ACTS = _seqs(
    "行う", "実施", "確認", "確かめる", "削除", "停止", "止める", "無効", "見直す", "見直し", "記録", "保管",
    "返却", "返す", "回収", "廃棄", "消去", "署名", "報告", "連絡", "知らせる", "承認", "申請", "点検", "締結",
    "結ぶ", "交わす", "暗号", "登録", "更新", "教育", "研修", "受講", "説明", "周知", "通知", "提出", "求める",
    "定める", "明記", "調べる", "調査", "照合", "棚卸", "棚卸し", "得る", "取る",
)
# Sentences that qualify a rule rather than state one: ただし…, なお…, …この限りでない.
_EXCEPTION_STARTS = ("ただし", "但し", "なお", "尚")


@dataclass(frozen=True)
class Modality:
    kind: str
    cue: str = ""        # the learner's own words that decided a hedge, an evaluation or a permission
    exception: bool = False

    @property
    def binding(self):
        return self.kind in BINDING


def _plain(tokens):
    """Lemmas without punctuation at the end and without polite forms (ます, です; ません → ない)."""
    lemmas = [t.lemma for t in tokens]
    while lemmas and lemmas[-1] in ("。", ".", "!", "?", "」", "』"):
        lemmas.pop()
    if lemmas and lemmas[-1] == ")" and "(" in lemmas:  # 「…得なければならない(例:出張)」
        del lemmas[len(lemmas) - 1 - lemmas[::-1].index("("):]
    while lemmas and tokens[len(lemmas) - 1].pos == "補助記号":
        lemmas.pop()
    out = []
    for i, lemma in enumerate(lemmas):
        if lemma == "ます":
            if i + 1 < len(lemmas) and lemmas[i + 1] == "ず":
                out.append("ない")
            continue
        if lemma == "ず" and i > 0 and lemmas[i - 1] == "ます":
            continue
        if lemma == "です":
            lemma = "だ"
        out.append(lemma)
    return out


def _ends(joined, endings):
    return next((e for e in endings if joined.endswith(e)), None)


def _contains(joined, patterns):
    return next((p for p in patterns if p in joined), None)


def _cue(tokens, pattern):
    """The learner's own words for a lemma pattern (for messages): the surfaces of the matching tokens."""
    wanted = pattern.strip("|").split("|")
    lemmas = [t.lemma for t in tokens]
    for i in range(len(lemmas) - len(wanted) + 1):
        if lemmas[i:i + len(wanted)] == wanted:
            end = i + len(wanted)
            if end < len(tokens) and tokens[end].surface in ("て", "で") and tokens[end - 1].pos == "動詞":
                end += 1  # 「必要に応じて」, not 「必要に応じ」
            return "".join(t.surface for t in tokens[i:end])
    return "".join(wanted)


def _without_aside(tokens):
    """The tokens without a closing aside: 「…得なければならない（例：出張）。」"""
    words = list(tokens)
    while words and words[-1].pos == "補助記号" and words[-1].surface != ")":
        words.pop()
    if words and words[-1].surface == ")" and any(t.surface == "(" for t in words):
        words = words[:len(words) - 1 - [t.surface for t in words][::-1].index("(")]
    return words


def _predicate(lemmas, end):
    """The words right before position `end`: the act that the ending binds, denies or hedges."""
    start = end
    while start > 0 and lemmas[start - 1] not in ("を", "に", "は", "が", "で", "と", "も", "、", ",", "へ", "の"):
        start -= 1
    return "|" + "|".join(lemmas[max(start, end - 6):end]) + "|"


def classify(tokens: tuple[Token, ...], task=False) -> Modality:
    """The modality of one sentence given as analyser tokens; `task` for the task of a procedure step, which is
    written plainly (「…を確認する」) and may be a deliberation (「取り入れる点を検討する」)."""
    if not tokens:
        return Modality(STATEMENT)
    lemmas = _plain(tokens)
    joined = "|" + "|".join(lemmas) + "|"
    exception = tokens[0].surface.startswith(_EXCEPTION_STARTS) or joined.endswith("|限り|だ|無い|")

    waiver = _contains(joined, _PERMISSION_ANYWHERE)
    if waiver and not exception:
        return Modality(PERMISSION, _cue(tokens, waiver), exception)
    kind, pattern = _ending_kind(lemmas, joined, _ends_with_a_verb(_without_aside(tokens)))
    if task and kind == HEDGE and _ends(joined, _DELIBERATIVE_PREDICATES):
        kind = STATEMENT
    if kind in (OBLIGATION, PROHIBITION, STATEMENT, DECLARATIVE):
        explicit = _ends(joined, _EXPLICIT_ENDINGS)
        hedge = _hedged_predicate(lemmas, joined,
                                  _EFFORT_PREDICATES if explicit or task else _HEDGE_PREDICATES)
        if not hedge and not explicit:
            hedge = _hedge_adverb(tokens)
        if hedge:
            return Modality(HEDGE, _cue(tokens, hedge), exception)
    return Modality(kind, _cue(tokens, pattern) if pattern else "", exception)


def _hedge_adverb(tokens):
    """A hedge adverb that governs the act: 「適宜見直す」, not 「履歴を確認し、必要に応じて利用を止める」 (an act
    finished before it with 〜し、 stands whatever follows)."""
    lemmas = [t.lemma for t in tokens]
    for i in range(len(lemmas)):
        tail = "|" + "|".join(lemmas[i:i + 4]) + "|"
        found = next((h for h in _HEDGE_ADVERBS if tail.startswith(h)), None)
        if found:
            finished = any(tokens[j].pos == "動詞" and lemmas[j + 1] == "、" for j in range(i - 1))
            return None if finished else found
    return None


def _ends_with_a_verb(tokens):
    """The sentence's last word (before 。 and polite ます) is a verb in its plain form: 「…を持つ」「…を確認します」."""
    words = [t for t in tokens if t.pos != "補助記号" and t.lemma not in ("ます", "です")]
    if not words:
        return False
    last = words[-1]
    return last.pos == "動詞" and (last.conjugation.startswith("終止形") or last.conjugation.startswith("連用形"))


def _ending_kind(lemmas, joined, ends_with_a_verb=False):
    """(kind, the lemma pattern that decided it) from the sentence's ending."""
    prohibition = _ends(joined, _PROHIBITION_ENDINGS)
    if prohibition:
        if prohibition in ("|ない|こと|", "|ない|で|下さる|"):
            return _polarity(lemmas, prohibition, PROHIBITION, negation_ending=True), None
        return PROHIBITION, None
    if _ends(joined, _DUTY_ENDINGS):
        return OBLIGATION, None
    if joined.endswith("|こと|") and len(lemmas) > 1:
        return OBLIGATION, None  # 〜すること (a rule in list form); 〜ないこと is a prohibition, above
    for kind, endings in ((HEDGE, _HEDGE_PREDICATES), (EVALUATION, _EVALUATION_ENDINGS),
                          (PERMISSION, _PERMISSION_ENDINGS)):
        found = _ends(joined, endings)
        if found:
            return kind, found
    suru = _ends(joined, _CONCRETE_THEN_SURU)
    if suru:
        before = joined[:-len(suru) + 1]
        if _ends(before, _NEGATIVE):
            return _polarity(lemmas, suru, PROHIBITION, negation_ending=True), None
        for kind, endings in ((HEDGE, _HEDGE_PREDICATES), (EVALUATION, _EVALUATION_ENDINGS)):
            found = _ends(before, endings)
            if found:
                return kind, found
        if before.strip("|"):
            return OBLIGATION, None
    if _ends(joined, _NEGATIVE):
        return _polarity(lemmas, "|ない|", NEGATION, negation_ending=True), None
    if ends_with_a_verb and any(l in ("を", "に", "は", "が", "で") for l in lemmas):
        return DECLARATIVE, None
    return STATEMENT, None


def _polarity(lemmas, ending, otherwise, negation_ending=False):
    """A denied protective act is a negation (the duty is waived); any other denied act keeps `otherwise`."""
    n = len(ending.strip("|").split("|"))
    end = len(lemmas) - n
    if negation_ending:
        # step back over the negative itself: 行わ|ない|物|と|為る → 行う
        while end > 0 and lemmas[end - 1] in ("ない", "ず", "物", "こと", "と", "為る", "よう", "に", "だ"):
            end -= 1
    predicate = _predicate(lemmas, end)
    return NEGATION if _contains(predicate, _PROTECTIVE_ACTS) else otherwise


def _hedged_predicate(lemmas, joined, predicates):
    """A hedge verb as the act itself: 〜よう努めなければならない, 〜を検討すること, 〜に配慮するものとする."""
    for ending in (*_DUTY_ENDINGS, *_PROHIBITION_ENDINGS, *_CONCRETE_THEN_SURU, "|為る|", "|こと|"):
        if joined.endswith(ending):
            n = len(ending.strip("|").split("|"))
            predicate = _predicate(lemmas, len(lemmas) - n)
            if lemmas[len(lemmas) - n - 1:len(lemmas) - n] == ["為る"]:
                predicate = _predicate(lemmas, len(lemmas) - n - 1)
            return _ends(predicate, predicates) or _ends(predicate.replace("|為る|", "|"), predicates)
    return None
