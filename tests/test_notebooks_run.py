"""Every learner notebook runs top to bottom on a fresh kernel (as a learner would with Run All)."""

import pytest

from fixtures import NOTEBOOKS, execute_notebook

ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_notebook_runs_top_to_bottom(name, notebook_copy):
    nb = execute_notebook(notebook_copy / name, notebook_copy)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors


def test_there_are_notebooks():
    assert "00_start.ipynb" in ALL
