"""Every notebook closes with its sources (issue #16, point 5): a markdown cell whose first line is `## 参考資料`,
then a bullet list in which every source carries a four-digit year (of the edition, the publication or the law)."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def references(path):
    return nbformat.read(path, as_version=4).cells[-1]


def bullets(source):
    return [line for line in source.splitlines() if re.match(r"\s*[-*] ", line)]


def test_the_notebooks_are_found():
    assert len(PATHS) >= 20
    assert {"00_start.ipynb", "99_export.ipynb", "ch14_00_overview.ipynb", "ch15_00_overview.ipynb",
            "ir_07_team_worksheet.ipynb"} <= {p.name for p in PATHS}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_notebook_ends_with_its_sources(path):
    last = references(path)
    assert last.cell_type == "markdown", f"{path.name}: the last cell is not markdown"
    assert last.source.splitlines()[0] == "## 参考資料", f"{path.name}: the last cell does not start with ## 参考資料"
    assert sum("## 参考資料" in c.source for c in nbformat.read(path, as_version=4).cells) == 1
    items = bullets(last.source)
    assert items, f"{path.name}: 参考資料 lists no source"
    for item in items:
        assert YEAR.search(item), f"{path.name}: a source without its year: {item}"
    assert not last.get("outputs") and not last.get("attachments")


def test_the_checks_catch_a_missing_year_and_a_missing_heading():
    assert YEAR.search("- NIST SP 800-61 Rev. 2（2012 年）")
    assert not YEAR.search("- IPA「中小企業の情報セキュリティ対策ガイドライン」第3.1版")
    assert not YEAR.search("- ISO/IEC 27001 附属書 A（5.1〜5.37）")
    assert bullets("## 参考資料\n\n- a（2022 年）\n- b\n本文") == ["- a（2022 年）", "- b"]
