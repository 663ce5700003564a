"""The one sanitiser for learner HTML (course/sanitize.py) and inert submissions (instructor/inert_outputs.py)."""

import nbformat
import pandas as pd
import pytest

from course.instructor.inert_outputs import inert_cell, inert_flags, inert_notebook
from course.sanitize import clean_html, findings

PAYLOADS = [
    '<img src=x onerror="document.title=\'pwned\'">',
    "<script>window.pwned = 1</script>",
    '<a href="javascript:window.pwned=1">click</a>',
    '<a href=" JaVaScRiPt:window.pwned=1">click</a>',
    '<iframe src="https://example.com/"></iframe>',
    '<svg onload="window.pwned=1"><circle r="1"/></svg>',
    '<svg><script>window.pwned=1</script></svg>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<body onload="window.pwned=1">',
    '<div onmouseover="window.pwned=1">hover</div>',
    '<form action="https://example.com"><input name=a></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:1">',
    '<base href="https://example.com/">',
    '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
    '<a href="data:text/html,<script>1</script>">x</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=1>',
    '<IMG SRC=x OnErRoR=window.pwned=1>',
    '<img src="x"\nonerror="window.pwned=1">',
    '<a href="jav&#x09;ascript:window.pwned=1">x</a>',
    '<a href="&#106;avascript:window.pwned=1">x</a>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_script_survives_and_each_payload_is_named(payload):
    cleaned = clean_html(payload).lower()
    for dangerous in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe", "<svg", "<object",
                      "<embed", "<form", "<meta", "<base", "data:image/svg", "data:text/html"):
        assert dangerous not in cleaned
    assert findings(payload), payload


def test_honest_content_stays_readable_and_is_not_reported():
    table = pd.DataFrame({"部署": ["総務", "営業"], "人数": [3, 5]})._repr_html_()
    assert findings(table) == []
    cleaned = clean_html(table)
    assert "<table" in cleaned and "総務" in cleaned and "<th>人数</th>" in cleaned
    png = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="グラフ">'
    assert findings(png) == [] and 'src="data:image/png;base64,iVBORw0KGgo="' in clean_html(png)
    link = '<p>詳しくは <a href="https://www.ipa.go.jp/">IPA</a> へ。<b>重要</b></p>'
    assert findings(link) == [] and 'href="https://www.ipa.go.jp/"' in clean_html(link)


def _display(data):
    return nbformat.v4.new_output("display_data", data=data)


def test_a_cell_output_loses_only_what_can_run_and_says_so():
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [_display({"text/html": PAYLOADS[0] + "<b>答え</b>", "application/javascript": "window.pwned=1",
                              "text/plain": "<IPython.core.display.HTML object>"})]
    removed = inert_cell(cell)
    assert "<img onerror>" in removed and "application/javascript" in removed
    data = cell.outputs[0]["data"]
    assert set(data) == {"text/html", "text/plain"} and "onerror" not in data["text/html"] and "答え" in data["text/html"]
    assert cell.outputs[-1]["name"] == "stdout" and "取り除きました" in cell.outputs[-1]["text"]
    assert cell.metadata["course"]["inert"] == removed


def test_unknown_and_script_only_outputs_keep_a_placeholder_never_vanish():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"application/javascript": "1"}, execution_count=1),
                    _display({"application/x-custom-renderer": "{}", "image/svg+xml": "<svg onload=1/>"})]
    assert inert_cell(cell) == ["application/javascript", "application/x-custom-renderer", "image/svg+xml"]
    assert [o.get("output_type") for o in cell.outputs[:2]] == ["execute_result", "display_data"]
    assert all(list(o["data"]) == ["text/plain"] for o in cell.outputs[:2])


def test_honest_outputs_widgets_and_markdown_are_untouched_and_unflagged():
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("df")
    code.outputs = [_display({"text/html": pd.DataFrame({"a": [1]})._repr_html_(), "text/plain": "   a\n0  1"}),
                    _display({"application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "Form"}),
                    _display({"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
                    nbformat.v4.new_output("stream", name="stdout", text="<script>は文字として表示</script>\n")]
    text = "# 見出し\n普通の **文章** と [リンク](https://example.com)、表:\n\n|a|b|\n|-|-|\n|1|2|\n"
    nb.cells = [nbformat.v4.new_markdown_cell(text), code]
    assert inert_notebook(nb) == {}
    assert nb.cells[0].source == text
    assert inert_flags(nb) == []
    assert list(code.outputs[1]["data"]) == ["text/plain"]  # the widget view needs a live kernel anyway
    assert code.outputs[3]["text"].startswith("<script>")  # stream text is shown escaped by every page


def test_markdown_cells_with_script_are_replaced_by_clean_html_and_flagged():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell("## 回答\n[押す](javascript:window.pwned=1) と <img src=x onerror=alert(1)> 日本語")
    cell.metadata["nbgrader"] = {"grade_id": "q_reason", "solution": True, "grade": True, "points": 2}
    nb.cells = [cell]
    assert inert_notebook(nb) == {0: ["<a href=javascript:>", "<img onerror>"]}
    assert "javascript" not in cell.source and "onerror" not in cell.source and "日本語" in cell.source
    assert inert_flags(nb) == [{"code": "script_removed", "cell": "q_reason",
                                "detail": "<a href=javascript:>, <img onerror>"}]


def test_attachments_are_made_inert():
    cell = nbformat.v4.new_markdown_cell("![図](attachment:a.svg) ![表](attachment:b.png)")
    cell["attachments"] = {"a.svg": {"image/svg+xml": "<svg onload=1/>"}, "b.png": {"image/png": "iVBORw0KGgo="}}
    assert inert_cell(cell)[0] == "image/svg+xml"
    assert "image/svg+xml" not in cell["attachments"]["a.svg"] and cell["attachments"]["b.png"] == {"image/png": "iVBORw0KGgo="}
