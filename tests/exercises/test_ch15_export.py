"""Chapters 14 and 15 leave one document: drafts of a 5.x and a 6.x control export together, in Annex A order.

The document is a 規程: 第1編 対策基準 with a chapter per theme (第2章 組織的管理策, 第3章 人的管理策) and an article
(第N条（title）) per control, which ends with a note naming the control (【ISO/IEC 27001:2022 附属書A n.m】), and
第2編 実施手順 with the steps of each control as its own article in the same order.
"""

import re

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
    standard, procedure = text[:text.index("## 第2編　実施手順")], text[text.index("## 第2編　実施手順"):]
    # 対策基準: the 5.15 article in the chapter of organisational controls, then 6.5 in that of people controls
    a515 = re.search(rf"^#### 第(\d+)条（{re.escape(get_control('5.15').title_ja)}）$", standard, re.M)
    a65 = re.search(rf"^#### 第(\d+)条（{re.escape(get_control('6.5').title_ja)}）$", standard, re.M)
    assert a515 and a65, "an article per control"
    assert int(a515[1]) + 1 == int(a65[1])
    assert standard.index("### 第2章　組織的管理策") < a515.start() < standard.index("### 第3章　人的管理策") < a65.start()
    section_515, section_65 = standard[a515.start():a65.start()], standard[a65.start():]
    assert RULE_515 in section_515 and "【ISO/IEC 27001:2022 附属書A 5.15】" in section_515
    assert "【ISO/IEC 27001:2022 附属書A 6.5】" in section_65
    assert "株式会社やまぶき食品は、退職者の業務用アカウントを、最終出社日の業務終了までに停止しなければならない。" in section_65
    assert "クラウドサービスのアカウント" in section_65          # the clause added for a company using cloud services
    # 実施手順: each control's steps as an article in the same order, pointing back to its article in 第1編
    p515 = procedure.index(f"第1編第{a515[1]}条（{get_control('5.15').title_ja}）の実施手順は")
    p65 = procedure.index(f"第1編第{a65[1]}条（{get_control('6.5').title_ja}）の実施手順は")
    assert procedure.index("### 第1章　組織的管理策の手順") < p515 < procedure.index("### 第2章　人的管理策の手順") < p65
    assert "| 1 | IT担当者 | アクセス権を見直す | 毎年4月 | アクセス権一覧 |" in procedure[p515:p65]
    assert "| No. | 担当 | 作業 | 時期 | 記録 |" in procedure[p65:] and "クラウドサービス利用者一覧" in procedure[p65:]
    # controls without a draft are not in the document: only these two are named
    assert re.findall(r"附属書A (\d\.\d+)】", text) == ["5.15", "6.5"]


def test_word_document_has_both_chapters_in_the_same_order(tmp_path):
    store = write_drafts(tmp_path)
    out = tmp_path / "rules.docx"
    export(out, store=store, profile=PROFILE)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(out).paragraphs]

    def at(style, pattern):
        found = [i for i, (s, text) in enumerate(paragraphs) if s == style and re.fullmatch(pattern, text)]
        assert len(found) == 1, (style, pattern, found)
        return found[0]

    t515, t65 = re.escape(get_control("5.15").title_ja), re.escape(get_control("6.5").title_ja)
    # 第1編: chapter of organisational controls, the 5.15 article and its note, then people controls and 6.5
    assert (at("Heading 1", "第1編　対策基準") < at("Heading 2", "第2章　組織的管理策") < at("Heading 3", rf"第\d+条（{t515}）")
            < at("Rules Note", r"【ISO/IEC 27001:2022 附属書A 5\.15】") < at("Heading 2", "第3章　人的管理策")
            < at("Heading 3", rf"第\d+条（{t65}）") < at("Rules Note", r"【ISO/IEC 27001:2022 附属書A 6\.5】"))
    # 第2編: their procedures in the same order
    assert (at("Heading 1", "第2編　実施手順") < at("Heading 3", rf"第1条（{t515}の手順）")
            < at("Heading 3", rf"第2条（{t65}の手順）"))
