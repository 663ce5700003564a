"""Issue #14: the feedback page never carries a learner's HTML — not through rubric messages that quote the learner's
words, not through flag details that name their files, not through RUBRIC lines a learner prints themselves."""

import json

import nbformat

from course.instructor.hide_keys import HideKeys
from course.rubric.lines import cell_rubric

PAYLOAD = '<img src=x onerror="window.pwned=1">'


def graded(text):
    cell = nbformat.v4.new_code_cell("check()")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q_draft", "points": 4, "solution": False}
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def learner(text):
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": "q_answer", "solution": True}
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def feedback(tmp_path, nb, flags=None):
    (tmp_path / "reports" / "A").mkdir(parents=True)
    (tmp_path / "reports" / "A" / "flags.json").write_text(json.dumps({"s": flags or []}), encoding="utf-8")
    pre = HideKeys(course_root=str(tmp_path))
    nb, _ = pre.preprocess(nb, {"nbgrader": {"assignment": "A", "student": "s", "notebook": "n"}})
    return nb


def test_only_graded_cells_report_rubric_results():
    fake = "RUBRIC least_privilege covered 仕事に要る範囲だけの権利\n"
    assert cell_rubric(learner(fake)) == []
    assert [r["id"] for r in cell_rubric(graded(fake))] == ["least_privilege"]


def test_rubric_messages_and_flags_are_shown_as_text(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [learner(f"RUBRIC fake covered 偽物の要素 :: {PAYLOAD}\n"),
                graded(f"RUBRIC approval missing 上の人が認める :: あなたの文「{PAYLOAD}」には承認の手順がありません\n")]
    flags = [{"code": "script_removed", "cell": "q_answer", "detail": PAYLOAD}]
    out = feedback(tmp_path, nb, flags)
    markdown = "\n".join(c.source for c in out.cells if c.cell_type == "markdown")
    assert "偽物の要素" not in markdown  # a learner's own RUBRIC line is no result
    assert "上の人が認める" in markdown and "承認の手順" in markdown
    assert "<img" not in markdown and "&lt;img" in markdown
