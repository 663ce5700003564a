"""Notebooks are committed without outputs or execution counts, and cleaning keeps nbgrader metadata."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from fixtures import GRADING, NOTEBOOKS
from course.notebook_hygiene import clean_files, find_notebooks, is_clean

COMMITTED = sorted(find_notebooks([NOTEBOOKS, GRADING / "source"]))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_committed_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert is_clean(nb), f"{path} has outputs or execution counts: run `make clean-notebooks`"
    nbformat.validate(nb)


def test_clean_strips_outputs_and_keeps_nbgrader_metadata(tmp_path):
    nb = new_notebook()
    cell = new_code_cell("x = 1\nx", execution_count=3, outputs=[new_output("execute_result", {"text/plain": "1"},
                                                                             execution_count=3)])
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1", "points": 2, "solution": False, "locked": True,
                                 "schema_version": 3}
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)

    assert clean_files([tmp_path]) == [path]
    cleaned = nbformat.read(path, as_version=4)
    assert is_clean(cleaned)
    assert cleaned.cells[0].metadata["nbgrader"]["grade_id"] == "q1"
    assert cleaned.cells[0].source == "x = 1\nx"
    assert "widgets" not in cleaned.metadata
    assert clean_files([tmp_path]) == []
