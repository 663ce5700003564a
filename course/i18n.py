"""UI strings, Japanese first. The texts live in course/content/strings/*.yaml (one file per part of the course).

Each file maps a key to {ja: ..., en: ...}. `t("key", name=...)` formats the Japanese text; `t(..., lang="en")` the English.
"""

from functools import lru_cache

from .errors import ContentError
from .yamlio import CONTENT_DIR, read_yaml

LANGS = ("ja", "en")


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


def t(key, /, lang="ja", **values):
    texts = strings().get(key)
    if texts is None:
        raise KeyError(f"unknown UI string {key!r}")
    text = texts[lang]
    return text.format(**values) if values else text


def both(key, /, **values):
    """Japanese, then English in parentheses: for messages that self-study learners may read in either language."""
    return f"{t(key, **values)}（{t(key, lang='en', **values)}）"
