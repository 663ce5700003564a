"""All drafts as one 情報セキュリティ関連規程 document: Markdown and a .docx read back and checked."""

import errno
import os
import re
import zipfile

import docx
import pytest

from docx.oxml.ns import qn

from course.catalog import catalog
from course.drafting.drafts import save_draft
from course.drafting.export import (build_document, column_widths, document_markdown, export, export_all,
                                    write_markdown)
from course.drafting.fit import model_draft
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
    # 総則 has articles 1-4; 5.1 has no steps, so the first procedure article is 5.15's
    assert doc.articles() == {"5.1": (5, None), "5.15": (6, 1), "6.6": (7, 2)}


def test_markdown_document(store):
    md = document_markdown(build_document(store, date="2025-04-01", effective="2025-05-01"))
    assert md.startswith("# 株式会社𠮷田髙﨑 情報セキュリティ関連規程\n")
    assert "| 版 | 1.0 |" in md and "| 制定日 | 2025年4月1日 |" in md and "| 施行日 | 2025年5月1日 |" in md
    assert "| 承認 | 確認 | 作成 |" in md and "| 社長 | 情報セキュリティ責任者 |  |" in md
    order = ["## 制定・改訂履歴", "## 目次", "## 第1編　対策基準", "### 第1章　総則", "#### 第1条（目的）",
             "#### 第3条（体制）", "### 第2章　組織的管理策", "#### 第5条（情報セキュリティのための方針群）",
             "#### 第6条（アクセス制御）", "### 第3章　人的管理策", "#### 第7条（秘密保持契約又は守秘義務契約）",
             "## 第2編　実施手順", "#### 第1条（アクセス制御の手順）", "#### 第2条（秘密保持契約又は守秘義務契約の手順）",
             "## 附則", "## 付録1　適用宣言書（管理策の採否）"]
    assert [md.index(h) for h in order] == sorted(md.index(h) for h in order)
    assert "| 1.0 | 2025年4月1日 | 制定 |  |" in md
    assert "二　情報セキュリティ責任者　総務部長。" in md, "the role table of the profile, as 号"
    assert "誓約書に署名しなければならない。\n\n２　&lt;script&gt;" in md, "項: the first unnumbered, then ２"
    assert "３　前各項の実施手順は、第2編第2条に定める。" in md
    assert "第1編第7条（秘密保持契約又は守秘義務契約）の実施手順は、次の表のとおりとする。" in md
    assert "| No. | 担当 | 作業 | 時期 | 記録 |" in md
    assert "| 1 | 総務 | 誓約書を回収する<br>台帳に記入する | 入社日 | 誓約書 \\| 台帳 |" in md
    assert "この規程は、2025年5月1日から施行する。" in md
    assert "| 5.7 | 脅威インテリジェンス | 不採用 | 小規模のため |" in md
    assert ATTACK not in md and "&lt;script&gt;" in md
    assert "\x00" not in md and "\x0b" not in md
    assert "6.7" not in md
    assert "> 【適用範囲】（未記入）" in md, "gaps are visible to whoever reviews the document"
    assert "整合性チェック：3 件の管理策の下書きを照らし合わせ" in md


def test_no_unverified_marker_in_the_body_one_note_in_an_appendix(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    for number in ("5.20", "5.23", "6.1"):  # 5.20 and 5.23 have unverified Japanese titles
        save_draft(model_draft(number), store)
    md = document_markdown(build_document(store))
    assert "訳語未確認" not in md
    appendix = md[md.index("## 付録1　管理策の名称について"):]
    assert "まだ確認できていない訳語" in appendix
    assert "5.20　供給者との合意における情報セキュリティの取扱い（Addressing" in appendix and "6.1" not in appendix


def read_docx(path):
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, paragraphs, tables


def test_docx_structure(store, tmp_path):
    path = tmp_path / "out" / "rules.docx"
    export(path, store, version="2.0", date="2025-04-01", approver="代表取締役 山﨑", approved_on="2025-04-10",
           effective="2025-05-01")
    document, paragraphs, tables = read_docx(path)

    assert paragraphs[0] == ("Title", "株式会社𠮷田髙﨑 情報セキュリティ関連規程")
    cover = dict(map(tuple, tables[0][1:]))
    assert cover == {"会社名": "株式会社𠮷田髙﨑", "版": "2.0", "制定日": "2025年4月1日", "施行日": "2025年5月1日",
                     "承認者": "代表取締役 山﨑", "承認日": "2025年4月10日"}
    assert tables[1][0] == ["承認", "確認", "作成"] and tables[1][2][0] == "代表取締役 山﨑"
    assert tables[2] == [["版", "日付", "内容", "承認者"], ["2.0", "2025年4月1日", "改訂", "代表取締役 山﨑"]]

    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    parts = [text for style, text in headings if style == "Heading 1"]
    assert parts == ["制定・改訂履歴", "目次", "第1編　対策基準", "第2編　実施手順", "附則", "付録1　適用宣言書（管理策の採否）"]
    chapters = [text for style, text in headings if style == "Heading 2"]
    assert chapters == ["第1章　総則", "第2章　組織的管理策", "第3章　人的管理策", "第1章　組織的管理策の手順",
                        "第2章　人的管理策の手順"]
    articles = [text for style, text in headings if style == "Heading 3"]
    standard, procedure = articles[:7], articles[7:]
    assert [int(re.match(r"第(\d+)条", a)[1]) for a in standard] == list(range(1, 8))
    assert [int(re.match(r"第(\d+)条", a)[1]) for a in procedure] == [1, 2]
    assert standard[5] == "第6条（アクセス制御）" and procedure[0] == "第1条（アクセス制御の手順）"

    items = [text for style, text in paragraphs if style == "Rules Item"]
    assert items[0].startswith("一　社長　代表取締役。") and len(items) == 9
    clauses = [text for style, text in paragraphs if style == "Rules Paragraph"]
    assert ATTACK in " ".join(clauses)  # plain text in Word, nothing runs
    assert "２　" + ATTACK in clauses and "この規程は、2025年5月1日から施行する。" in clauses
    assert ("Rules Note", "【目的】秘密を守る。🔐") in paragraphs and ("Rules Note", "【適用範囲】（未記入）") in paragraphs

    procedure_table = tables[-2]  # the last table is the statement of applicability (付録1)
    assert procedure_table == [["No.", "担当", "作業", "時期", "記録"], ["1", "総務", "誓約書を回収する\n台帳に記入する", "入社日", "誓約書 | 台帳"]]
    assert tables[-1][0] == ["番号", "管理策", "採否", "理由"] and tables[-1][1][:3] == ["5.7", "脅威インテリジェンス", "不採用"]
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_procedure_columns_fit_their_content_and_the_task_is_widest(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    for number in catalog():
        save_draft(model_draft(number), store)
    path = tmp_path / "rules.docx"
    export(path, store)
    document = docx.Document(str(path))
    procedures = [t for t in document.tables if t.rows[0].cells[0].text == "No."]
    assert len(procedures) == len(catalog())
    for table in procedures:
        widths = [c.width.cm for c in table.columns]
        assert abs(sum(widths) - 17.0) < 0.1, widths
        assert widths[2] == max(widths) and widths[2] > 1.4 * max(widths[3:]), widths
        longest = max(len(row.cells[1].text) for row in table.rows[1:])
        assert widths[1] >= -(-min(longest, 12) // 2) * 0.37, "a role such as 情報セキュリティ責任者 takes at most two lines"
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_column_widths_follow_the_content():
    header = ("No.", "担当", "作業", "時期", "記録")
    rows = [("1", "社長", "短い作業", "毎月末から少し長めの時期の説明を書いた", "記録")]
    widths = column_widths(header, rows, fixed={0: 1.3}, widest=2, whole=(1,))
    assert widths[0] == 1.3 and widths[2] == max(widths) and round(sum(widths), 1) == 17.0
    assert widths[3] > widths[4], "a longer 時期 gets more room than a short 記録"


def test_docx_sets_an_east_asian_font_on_the_styles(store, tmp_path):
    path = tmp_path / "rules.docx"
    export(path, store)
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="Yu Gothic"' in styles and "w:eastAsiaTheme" not in styles
    assert 'w:eastAsia="ja-JP"' in styles
    document = docx.Document(str(path))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Rules Paragraph", "Rules Item", "Rules Note"):
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
