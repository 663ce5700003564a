"""The HTML preview escapes every piece of learner text and stays small for huge fields."""

import pytest

from course.answers.draft import Draft, DraftStep
from course.drafting.render import PREVIEW_LIMIT, draft_html, feedback_html
from course.rubric.score import ElementResult, Feedback

ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
           "<a href='javascript:alert(1)'>x</a>", "<style>*{display:none}</style>", "<iframe src=//evil>"]


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("field", ["purpose", "scope", "statements", "owner", "review", "related", "who", "what",
                                   "when", "record"])
def test_learner_html_is_escaped_in_every_field(field, attack):
    draft = Draft("6.6")
    if field in ("statements", "related"):
        setattr(draft, field, [attack])
    elif field in ("who", "what", "when", "record"):
        draft.steps = [DraftStep(**{field: attack})]
    else:
        setattr(draft, field, attack)
    html = draft_html(draft)
    assert attack not in html
    for tag in ("<script", "<img", "<svg", "<a ", "<style", "<iframe"):
        assert tag not in html
    assert attack.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") \
        .replace("'", "&#x27;") in html


def test_preview_shows_sections_statements_and_a_step_table():
    draft = Draft("6.6", purpose="一行目\n二行目", statements=["署名しなければならない。", ""],
                  steps=[DraftStep("総務", "回収", "入社日", "誓約書"), DraftStep()])
    html = draft_html(draft)
    assert "6.6 秘密保持契約又は守秘義務契約" in html
    assert "一行目<br>二行目" in html
    assert html.count("<li>") == 1 and html.count("<tr>") == 2  # empty rows are not shown
    assert "（まだ書かれていません）" in html  # e.g. the empty scope


def test_huge_field_is_cut_in_the_preview_only():
    big = "𠮷" * 1_000_000
    html = draft_html(Draft("6.6", purpose=big, statements=[big]))
    assert len(html) < 4 * PREVIEW_LIMIT + 5000
    assert "1,000,000 文字" in html


def test_feedback_is_escaped_and_lists_elements():
    feedback = Feedback("6.6", 0.5, ["a"], ["b"], ["<b>足りない</b>"],
                        [ElementResult("a", "<i>誓約</i>", True, ""), ElementResult("b", "保管", False, "msg")])
    html = feedback_html(feedback)
    assert "50%" in html and "✅ &lt;i&gt;誓約&lt;/i&gt;" in html and "⬜ 保管" in html
    assert "<b>足りない</b>" not in html and "&lt;b&gt;足りない&lt;/b&gt;" in html
