"""In a kernel, bad input a learner can fix shows a Japanese message (stderr) instead of a traceback."""

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook


@pytest.mark.slow
def test_course_error_is_a_message_and_still_fails_the_cell(tmp_path):
    nb = new_notebook(cells=[new_code_cell("import course.incident\ncourse.incident.generate(seed=-1)"),
                             new_code_cell("print('next cell')")])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not any(o.output_type == "error" for o in outputs)
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert stderr.startswith("⚠️") and "Traceback" not in stderr
    assert any("\u3040" <= ch <= "\u30ff" for ch in stderr)  # Japanese kana in the message
