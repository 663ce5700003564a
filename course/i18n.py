"""UI strings, Japanese first. The texts live in course/content/strings/*.yaml (one file per part of the course).

Each file maps a key to {ja: ..., en: ...}. `t("key", name=...)` formats the text in the current language;
`t(..., lang="en")` the English whatever the current language.

The current language (current_lang) is, first found: set_lang() in this process, the environment variable COURSE_LANG
(ja | en), the learner's choice saved by 00_start (answers/settings.json, see course/language.py), else Japanese.
"""

import json
import os
from functools import lru_cache
from pathlib import Path

from .errors import ContentError
from .yamlio import CONTENT_DIR, read_yaml

LANGS = ("ja", "en")
LANG_ENV = "COURSE_LANG"
SETTINGS_KEY = "settings"  # answers/settings.json: {"data": {"lang": "en"}, ...} (an AnswerStore record)

_process_lang = None


def set_lang(lang):
    """Use lang for every UI string of this process (None: back to COURSE_LANG / the saved choice / Japanese)."""
    global _process_lang
    if lang is not None and lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    _process_lang = lang


def _env_lang():
    value = os.environ.get(LANG_ENV, "").strip().lower().replace("-", "_").split("_")[0]
    return value if value in LANGS else None


def settings_path():
    """answers/settings.json beside the notebook (the AnswerStore's folder, $COURSE_ANSWERS_DIR if set)."""
    return Path(os.environ.get("COURSE_ANSWERS_DIR") or Path.cwd() / "answers") / f"{SETTINGS_KEY}.json"


@lru_cache(maxsize=8)
def _saved_lang_at(path, mtime_ns):
    try:
        lang = json.loads(Path(path).read_text(encoding="utf-8"))["data"]["lang"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return lang if lang in LANGS else None


def saved_lang():
    """The language chosen in 00_start, or None (a missing or unreadable file counts as no choice)."""
    path = settings_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _saved_lang_at(str(path), mtime)


def current_lang():
    return _process_lang or _env_lang() or saved_lang() or "ja"


@lru_cache(maxsize=1)
def strings():
    table = {}
    for path in sorted((CONTENT_DIR / "strings").glob("*.yaml")):
        data = read_yaml(path) or {}
        if not isinstance(data, dict):
            raise ContentError(path, "(file)", "キーと文の対応表が必要です / expected a mapping of keys")
        for key, texts in data.items():
            if key in table:
                raise ContentError(path, key, "同じキーが別のファイルにもあります / duplicate key")
            if not isinstance(texts, dict) or not all(isinstance(texts.get(lang), str) for lang in LANGS):
                raise ContentError(path, key, "ja と en の両方の文が必要です / needs both ja and en text")
            if set(texts) - set(LANGS):
                # an unquoted ", " in a {ja: ..., en: ...} flow mapping cuts the text into stray keys
                raise ContentError(path, key, "ja と en 以外のキーがあります。文に「, 」を含むときは引用符で囲んでください"
                                              " / keys other than ja and en: quote a text that contains ', '")
            table[key] = texts
    return table


def t(key, /, lang=None, **values):
    texts = strings().get(key)
    if texts is None:
        raise KeyError(f"unknown UI string {key!r}")
    text = texts[lang or current_lang()]
    return text.format(**values) if values else text


def both(key, /, **values):
    """Japanese, then English in parentheses: for messages that self-study learners may read in either language."""
    return f"{t(key, lang='ja', **values)}（{t(key, lang='en', **values)}）"
