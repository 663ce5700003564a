"""The golden logs of the graded incident assignments: grading/source/<assignment>/logs/*.csv, written by the scenario
that the assignment's hidden tests grade against (`cached_scenario(<seed>, employees=…, days=…)` in the source
notebook). The seed is read from the notebook and never printed or stored anywhere else.
"""

import ast
import inspect
import json
from pathlib import Path

from ..errors import CourseError
from .logs import write_logs
from .practice import cached_scenario
from .scenario import generate


def scenario_arguments(notebook):
    """{"seed", "employees", "days"} of the cached_scenario calls in a notebook, or None if it makes none. All calls
    must agree."""
    found = set()
    signature = inspect.signature(cached_scenario)
    for cell in json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code" or "cached_scenario" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cached_scenario":
                bound = signature.bind(*(ast.literal_eval(a) for a in node.args),
                                       **{k.arg: ast.literal_eval(k.value) for k in node.keywords})
                bound.apply_defaults()
                found.add(tuple(sorted(bound.arguments.items())))
    if len(found) > 1:
        raise CourseError(f"{notebook}: cached_scenario が異なる引数で呼ばれています / calls disagree")
    return dict(found.pop()) if found else None


def golden_assignments(source):
    """{assignment: scenario arguments} for every assignment folder under `source` whose notebook grades a scenario."""
    out = {}
    for folder in sorted(p for p in Path(source).iterdir() if p.is_dir()):
        for notebook in sorted(folder.glob("*.ipynb")):
            arguments = scenario_arguments(notebook)
            if arguments:
                out[folder.name] = arguments
    return out


def write_golden_logs(source, out=None):
    """Write each graded scenario's logs to <source>/<assignment>/logs (or <out>/<assignment>/logs).
    Returns {assignment: (scenario, folder, paths)}."""
    written = {}
    for name, arguments in golden_assignments(source).items():
        scenario = generate(**arguments)
        folder = Path(out or source) / name / "logs"
        written[name] = (scenario, folder, write_logs(scenario.logs, folder))
    return written
