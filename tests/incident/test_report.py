"""The after-action report from the learner's own answers: Markdown and Word, East Asian font, notifications."""

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from course.answers.store import AnswerStore
from course.incident import checks as C
from course.incident import tabletop as TT
from course.incident.forms import KIND
from course.incident.report import ReportError, build_report, notification_table, to_markdown, write_report
from course.profile import save_profile, CompanyProfile
from fixtures.incident import scenario


@pytest.fixture
def filled(tmp_path):
    s = scenario(2)
    store = AnswerStore(tmp_path / "answers")
    for form in C.forms():
        assert store.save(form, KIND, {"answers": C.model_answers(form, s)}).ok
    store.save(TT.KEY, TT.KIND, {"decisions": TT.model_decisions(), "step": len(TT.injects())})
    save_profile(CompanyProfile(company="有限会社あおば商店"), store)
    return s, store


def test_report_carries_the_learners_answers(filled, tmp_path):
    s, store = filled
    md_path, docx_path = write_report(tmp_path / "output", store, s, created="2026-02-01")
    md = md_path.read_text(encoding="utf-8")
    for fact in (s.truth.first_host, s.truth.ransom_extension, s.truth.exfil_ip, s.truth.last_clean_backup,
                 "有限会社あおば商店", "個人情報保護委員会", "個人情報保護法 第26条", "60 日以内", "CISA"):
        assert fact in md, fact
    assert "（未回答）" not in md.split("## 7.")[0]
    doc = Document(docx_path)
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for tb in doc.tables for r in tb.rows
                                                                  for c in r.cells)
    assert s.truth.first_host in text and "有限会社あおば商店" in text
    for style in ("Normal", "Heading 1"):
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Yu Gothic"


def test_learner_text_cannot_become_html_or_headings(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    payload = '<img src=x onerror="alert(1)">'
    save_profile(CompanyProfile(company=f"{payload}商店"), store)
    store.save("ir_post", KIND, {"answers": {"lessons": f"# 見出しではない\n{payload} を学んだ"}})
    md = to_markdown(build_report(store, scenario(2), created="2026-02-01"))
    assert "<img" not in md and "&lt;img" in md
    assert "\n# 見出しではない" not in md


def test_report_without_answers_says_unanswered_and_does_not_fail(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    report = build_report(store, scenario(2), created="2026-02-01")
    md = to_markdown(report)
    assert "（未回答）" in md and report.company == "当社"


def test_answers_of_the_wrong_type_still_give_a_report(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    store.save("ir_analyze", KIND, {"answers": {"infected_hosts": 7, "entry_time": ["x"], "exfil_gb": {"a": 1}}})
    store.save("ir_post", KIND, {"answers": {"notify": "ppc", "lessons": None}})
    store.save("ir_contain", KIND, {"answers": {"evidence": [{"x": 1}], "power": 3}})
    store.save("ir_detect", KIND, {"answers": {"early_ticket": 12}})
    md = to_markdown(build_report(store, scenario(2), created="2026-02-01"))
    assert "## 6." in md


def test_notification_dates_count_from_discovery():
    table = notification_table(pd.Timestamp("2025-01-23 08:36", tz="Asia/Tokyo"), ["ppc"])
    rows = table.set_index("相手")
    first = rows.loc[rows.index.str.contains("速報")].iloc[0]
    final = rows.loc[rows.index.str.contains("確報")].iloc[0]
    assert first["期限の目安"] == "2025-01-28" and first["回答で選んだ"] == "✓"
    assert final["期限の目安"] == "2025-03-24"
    assert "個人情報保護法 第26条" in final["根拠"]


def test_unwritable_folder_gives_a_japanese_error(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("a file, not a folder")
    with pytest.raises(ReportError) as info:
        write_report(blocker, AnswerStore(tmp_path / "answers"), scenario(2))
    assert "書き込めません" in str(info.value)
