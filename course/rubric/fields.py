"""When does a field of a draft say something? 「未定」「適宜」「随時」「なし」「検討中」「必要に応じて」 fill a
field with words but decide nothing, in every field: who, when, record, the owner and the review date included."""

import re
from functools import lru_cache

from .concepts import Text, concept_matcher
from .modality import HEDGE, NEGATION, PERMISSION, classify
from .analyser import tokens
from .text import normalize, prepare

EMPTY_VALUES = frozenset(normalize(v) for v in (
    "", "なし", "特になし", "無し", "不要", "未定", "未記入", "検討中", "調整中", "未決定", "-", "n/a", "tbd", "?", "…",
    "適宜", "随時", "その都度", "都度", "必要に応じて", "必要なとき", "必要な時", "状況に応じて", "場合による",
    "ケースバイケース", "臨機応変", "適当", "いつでも", "後で決める", "今後検討", "別途定める", "誰か"))
# Words that leave the field undecided wherever they stand: 「担当者（未定）」「記録は検討中」.
_UNDECIDED = re.compile("未定|検討中|調整中|未決定|決めていない|決まっていない|後で決め|今後決め|今後検討|別途定め")
_PUNCTUATION = re.compile(r"[\s。、,.・()「」]")
TIME_CONCEPTS = ("periodic", "immediately", "before_start")
# A date, a count of days or a moment in a process: 4月, 3日以内, 入社日, 最終出社日, 退職するとき, 契約前.
_TIME = re.compile(r"[0-9一二三四五六七八九十]+(?:月|日|年|週|時間|か月|回)|日$|時$|とき|前$|後$|まで|以内|際|ごと|毎")


@lru_cache(maxsize=4096)
def is_empty(value, field=""):
    """True when the field decides nothing. `field` is when / review for time fields (they must name a time)."""
    text = normalize(value)
    if _PUNCTUATION.sub("", text) in EMPTY_VALUES or _UNDECIDED.search(text):
        return True
    kind = classify(tokens(prepare(value)), task=True).kind  # a field describes; 「…を判断する」 is not a hedge there
    if kind in (NEGATION, PERMISSION):
        return True  # 「見直しは行わない」「記録は不要」
    if kind != HEDGE:
        return False
    # 「適宜見直す」 is empty; 「毎年4月。必要に応じて随時」 still names a time.
    return field not in ("when", "review") or not names_a_time(value)


def names_a_time(text):
    t = Text.of(text)
    return bool(_TIME.search(t.surface)) or any(concept_matcher(c).search(t) for c in TIME_CONCEPTS)
