"""All drafts as one 情報セキュリティ関連規程 document: Markdown and a .docx read back and checked."""

import errno
import os
import zipfile

import docx
import pytest

from course.drafting.drafts import save_draft
from course.drafting.export import build_document, document_markdown, export, export_all, write_markdown
from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.errors import CourseError
from course.profile import CompanyProfile, save_profile

ATTACK = "<script>alert(1)</script>"


@pytest.fixture
def store(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    save_profile(CompanyProfile(company="株式会社𠮷田髙﨑"), store)
    # saved out of order on purpose: the document follows Annex A, not the order of writing
    save_draft(Draft("6.6", purpose="秘密を守る。🔐", statements=["誓約書に署名しなければならない。", ATTACK],
                     steps=[DraftStep("総務", "誓約書を回収する\n台帳に記入する", "入社日", "誓約書 | 台帳")]), store)
    save_draft(Draft("5.15", purpose="必要な人だけが使えるようにする。", statements=["IDは一人一つでなければならない。"],
                     steps=[DraftStep("情シス", "IDを発行する", "入社日", "ID台帳")]), store)
    save_draft(Draft("5.1", purpose=f"方針 {ATTACK}\x00\x0b"), store)
    save_draft(Draft("6.7"), store)  # empty: left out
    store.save("soa", "soa", {"controls": {"6.6": {"adopted": True, "reason": "委託先が多い"},
                                           "5.7": {"adopted": False, "reason": "小規模のため"},
                                           "5.15": {"adopted": True, "reason": ""}}})
    return store


def test_document_collects_non_empty_drafts_in_annex_a_order(store):
    doc = build_document(store, version="1.2", date="2025-04-01", approver="代表取締役 山﨑")
    assert [c.number for c, _ in doc.sections] == ["5.1", "5.15", "6.6"]
    assert [name for name, _ in doc.by_theme()] == ["組織的管理策", "人的管理策"]
    assert doc.cover.company == "株式会社𠮷田髙﨑" and doc.cover.version == "1.2"
    assert [r.number for r in doc.applicability] == ["5.7", "5.15", "6.6"]
    assert doc.messages == []


def test_markdown_document(store):
    md = document_markdown(build_document(store, date="2025-04-01"))
    assert md.startswith("# 株式会社𠮷田髙﨑 情報セキュリティ関連規程\n")
    assert "| 版 | 1.0 |" in md and "| 作成日 | 2025-04-01 |" in md and "| 承認者 |  |" in md
    contents = md.index("## 目次")
    soa, org, people = md.index("## 適用宣言書"), md.index("## 組織的管理策"), md.index("## 人的管理策")
    assert contents < soa < org < md.index("### 5.1 ") < md.index("### 5.15 ") < people < md.index("### 6.6 ")
    assert "| 5.7 | 脅威インテリジェンス | 不採用 | 小規模のため |" in md
    assert "#### 実施手順\n\n| 担当 | 作業 | 時期 | 記録 |" in md
    assert "| 総務 | 誓約書を回収する<br>台帳に記入する | 入社日 | 誓約書 \\| 台帳 |" in md
    assert ATTACK not in md and "&lt;script&gt;" in md
    assert "\x00" not in md and "\x0b" not in md
    assert "6.7" not in md
    assert "#### 適用範囲\n\n（未記入）" in md, "gaps are visible to whoever reviews the document"


def read_docx(path):
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, paragraphs, tables


def test_docx_structure(store, tmp_path):
    path = tmp_path / "out" / "rules.docx"
    export(path, store, version="2.0", date="2025-04-01", approver="代表取締役 山﨑", approved_on="2025-04-10")
    document, paragraphs, tables = read_docx(path)

    assert paragraphs[0] == ("Title", "株式会社𠮷田髙﨑 情報セキュリティ関連規程")
    cover = dict(map(tuple, tables[0][1:]))
    assert cover == {"会社名": "株式会社𠮷田髙﨑", "版": "2.0", "作成日": "2025-04-01", "承認者": "代表取締役 山﨑",
                     "承認日": "2025-04-10"}

    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert headings[:5] == [("Heading 1", "目次"), ("Heading 1", "適用宣言書（管理策の採否）"),
                            ("Heading 1", "組織的管理策"), ("Heading 2", "5.1 情報セキュリティのための方針群"),
                            ("Heading 3", "目的")]
    top = [text for style, text in headings if style == "Heading 2"]
    assert top == ["5.1 情報セキュリティのための方針群", "5.15 アクセス制御", "6.6 秘密保持契約又は守秘義務契約"]
    contents = [text for style, text in paragraphs if style == "List Bullet 2"]
    assert contents == top

    assert tables[1][0] == ["番号", "管理策", "採否", "理由"] and tables[1][1][:3] == ["5.7", "脅威インテリジェンス", "不採用"]
    procedure = tables[-1]
    assert procedure == [["担当", "作業", "時期", "記録"], ["総務", "誓約書を回収する\n台帳に記入する", "入社日", "誓約書 | 台帳"]]
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert ATTACK in bullets and "誓約書に署名しなければならない。" in bullets  # plain text in Word, nothing runs
    assert any(text == "秘密を守る。🔐" for _, text in paragraphs)
    assert ("Normal", "（未記入）") in paragraphs


def test_docx_sets_an_east_asian_font_on_the_styles(store, tmp_path):
    path = tmp_path / "rules.docx"
    export(path, store)
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="Yu Gothic"' in styles and "w:eastAsiaTheme" not in styles
    assert 'w:eastAsia="ja-JP"' in styles
    document = docx.Document(str(path))
    from docx.oxml.ns import qn
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Yu Gothic", name
    assert any("游ゴシック" in p.text for p in document.paragraphs), "the fallback note is on the cover"


def test_export_all_writes_both_files(store, tmp_path):
    doc, paths = export_all(tmp_path / "output", store)
    assert [p.name for p in paths] == ["security-rules.md", "security-rules.docx"]
    assert all(p.stat().st_size > 0 for p in paths) and len(doc.sections) == 3


def test_export_with_no_drafts_says_so(tmp_path):
    doc = build_document(AnswerStore(tmp_path / "nothing"))
    assert doc.sections == [] and doc.applicability == [] and doc.cover.company == "当社"
    assert "まだ下書きがありません" in document_markdown(doc)
    path = tmp_path / "empty.docx"
    export(path, AnswerStore(tmp_path / "nothing"))
    assert any("まだ下書きがありません" in text for _, text in read_docx(path)[1])


def test_unreadable_drafts_are_reported_not_fatal(store):
    store.path("6.8").write_text("{broken", encoding="utf-8")
    store.save("soa", "soa", {"controls": "not a table"})
    doc = build_document(store)
    assert any("退避しました" in m for m in doc.messages)
    assert any("適用宣言書" in m for m in doc.messages) and doc.applicability == []


def test_failed_write_keeps_the_earlier_export(store, tmp_path, monkeypatch):
    path = tmp_path / "rules.md"
    export(path, store)
    before = path.read_bytes()

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(CourseError, match="書き出せませんでした"):
        write_markdown(build_document(store, version="9.9"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before and not list(tmp_path.glob(".rules.md.*"))


def test_unknown_output_type_is_refused(store, tmp_path):
    with pytest.raises(CourseError, match=r"\.md か \.docx"):
        export(tmp_path / "rules.pdf", store)
