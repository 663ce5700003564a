"""Chapters 14 and 15 leave one document: drafts of a 5.x and a 6.x control export together, in Annex A order."""

import docx

from course.catalog import get_control
from course.drafting.drafts import save_draft
from course.drafting.export import export
from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.drafting.widgets import Workbench
from course.profile import CompanyProfile

PROFILE = CompanyProfile(company="株式会社やまぶき食品", cloud=["会計クラウド"])
RULE_515 = "当社は、業務に必要な人だけに情報へのアクセスを許可しなければならない。"


def write_drafts(tmp_path):
    """The chapter 15 draft first (through the Workbench, as in ch15_03_leaving), then a chapter 14 draft."""
    store = AnswerStore(tmp_path / "answers")
    bench = Workbench("6.5", store, PROFILE)
    assert bench.insert_model().ok
    save_draft(Draft("5.15", purpose="情報へのアクセスを必要な人に限る。", statements=[RULE_515],
                     steps=[DraftStep("IT担当者", "アクセス権を見直す", "毎年4月", "アクセス権一覧")]), store)
    return store


def test_markdown_has_both_chapters_in_annex_a_order(tmp_path):
    store = write_drafts(tmp_path)
    out = tmp_path / "rules.md"
    doc = export(out, store=store, profile=PROFILE)
    text = out.read_text(encoding="utf-8")
    assert [c.number for c, _ in doc.sections] == ["5.15", "6.5"]
    h515 = text.index(f"### 5.15 {get_control('5.15').display_title}")
    h65 = text.index(f"### 6.5 {get_control('6.5').display_title}")
    assert text.index("## 組織的管理策") < h515 < text.index("## 人的管理策") < h65
    assert RULE_515 in text[h515:h65]
    section_65 = text[h65:]
    assert "株式会社やまぶき食品は、退職者の業務用アカウントを、最終出社日の業務終了までに停止しなければならない。" in section_65
    assert "クラウドサービスのアカウント" in section_65          # the clause added for a company using cloud services
    assert "| 担当 | 作業 | 時期 | 記録 |" in section_65
    assert "6.1 " not in text                                  # controls without a draft are not in the document


def test_word_document_has_both_chapters_in_the_same_order(tmp_path):
    store = write_drafts(tmp_path)
    out = tmp_path / "rules.docx"
    export(out, store=store, profile=PROFILE)
    paragraphs = [p.text for p in docx.Document(out).paragraphs]
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("5.15"))
    second = next(i for i, p in enumerate(paragraphs) if p.startswith("6.5"))
    assert first < second
