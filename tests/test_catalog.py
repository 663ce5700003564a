"""The control catalog matches the reference list and rejects malformed files by name and field."""

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from fixtures import ROOT, annex_a_rows
from course.catalog import CONTROLS_DIR, catalog, get_control, load_catalog
from course.errors import ContentError

def reference_rows():
    return annex_a_rows()


def test_all_45_controls_in_annex_a_order():
    numbers = [c.number for c in load_catalog()]
    assert numbers == [f"5.{i}" for i in range(1, 38)] + [f"6.{i}" for i in range(1, 9)]


def test_titles_and_verification_exactly_as_reference():
    cat = catalog()
    rows = reference_rows()
    assert len(rows) == 45
    for row in rows:
        c = cat[row["number"]]
        assert (c.title_en, c.title_ja) == (row["title_en"], row["title_ja"])
        assert c.verified == (row["ja_source"] == "tokyo")
        assert c.in_seminar == (row["in_seminar"] == "yes")


def test_unverified_titles_are_marked_for_display():
    assert get_control("5.23").display_title.endswith("（訳語未確認）")
    assert get_control("5.15").display_title == "アクセス制御"


def test_themes_and_purposes():
    for c in catalog().values():
        assert c.theme == ("organizational" if c.number.startswith("5.") else "people")
        assert c.purpose_ja.strip() and c.purpose_en.strip()


def test_unknown_control_is_a_clear_error():
    with pytest.raises(KeyError, match="カタログにありません"):
        get_control("9.99")


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.pop("title_ja"), "title_ja"),
    (lambda d: d.update(verified="yes"), "verified"),
    (lambda d: d.update(theme="physical"), "theme"),
    (lambda d: d["purpose"].pop("en"), "purpose.en"),
    (lambda d: d.update(rubric=[{"id": "a", "label": "x", "why": "y", "terms": []}]), "rubric[0].terms"),
    (lambda d: d.update(model={"purpose": "p"}), "model.steps"),
])
def test_malformed_file_names_file_and_field(tmp_path, mutate, field):
    shutil.copytree(CONTROLS_DIR, tmp_path / "controls")
    path = tmp_path / "controls" / "6.1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_catalog(tmp_path / "controls")
    assert err.value.path.endswith("6.1.yaml") and err.value.field == field
    assert "6.1.yaml" in str(err.value) and field in str(err.value)


def test_broken_yaml_names_the_file(tmp_path):
    shutil.copytree(CONTROLS_DIR, tmp_path / "controls")
    (tmp_path / "controls" / "5.3.yaml").write_text("number: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="5.3.yaml"):
        load_catalog(tmp_path / "controls")


def test_cli_catalog_json():
    out = subprocess.run([sys.executable, "-m", "course.cli", "catalog", "--json"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    items = json.loads(out)
    assert len(items) == 45
    first = items[0]
    assert {"number", "title_ja", "title_en", "verified"} <= first.keys()
    assert first["number"] == "5.1" and first["verified"] is True
    assert next(i for i in items if i["number"] == "5.34")["verified"] is False


def test_no_stray_spaces_between_japanese_sentences():
    """Folded YAML joins lines with a space, which reads wrongly in Japanese."""
    for c in catalog().values():
        texts = [c.purpose_ja]
        if c.lesson:
            texts += [c.lesson.case, c.lesson.tip, *c.lesson.mistakes]
        if c.model:
            texts += [c.model.purpose, c.model.scope, *c.model.statements]
        for text in texts:
            assert "。 " not in text and "、 " not in text, (c.number, text[:60])
