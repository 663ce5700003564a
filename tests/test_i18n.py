"""UI strings: every key has exactly a Japanese and an English text."""

import pytest

from course import i18n
from course.errors import ContentError


@pytest.fixture
def strings_dir(tmp_path, monkeypatch):
    (tmp_path / "strings").mkdir()
    monkeypatch.setattr(i18n, "CONTENT_DIR", tmp_path)
    i18n.strings.cache_clear()
    yield tmp_path / "strings"
    i18n.strings.cache_clear()


def test_the_course_strings_load():
    table = i18n.strings()
    assert all(set(texts) == {"ja", "en"} for texts in table.values())
    assert i18n.t("incident.triage.criteria").endswith("1, 2, 3… と順位を付けてください。")


def test_an_unquoted_comma_in_a_flow_mapping_is_refused(strings_dir):
    (strings_dir / "part.yaml").write_text("a.key: {ja: 順に 1, 2, 3 と付けます。, en: One}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="a.key"):
        i18n.strings()


def test_course_lang_switches_the_course_strings(monkeypatch):
    i18n.set_lang(None)
    monkeypatch.delenv("COURSE_LANG", raising=False)
    monkeypatch.setenv("COURSE_ANSWERS_DIR", "/nonexistent-answers")
    assert i18n.t("language.label") == "表示言語"
    monkeypatch.setenv("COURSE_LANG", "en")
    assert i18n.current_lang() == "en" and i18n.t("language.label") == "Language"
    assert i18n.t("language.label", lang="ja") == "表示言語"          # an explicit language still wins
    assert i18n.both("language.label") == "表示言語（Language）"        # both: Japanese first, whatever is current
    i18n.set_lang("ja")                                                 # 00_start's choice in this kernel
    try:
        assert i18n.t("language.label") == "表示言語"
    finally:
        i18n.set_lang(None)
    with pytest.raises(ValueError):
        i18n.set_lang("fr")
