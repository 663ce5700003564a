"""The golden logs of the graded incident assignments: grading/source/<assignment>/logs/*.csv, written by the default
case that the assignment's hidden tests grade against without a course secret (`graded_case(<assignment>, seed=…,
employees=…, days=…, decoys=True)` in the source notebook; older notebooks: `cached_scenario(<seed>, …)`). The seed is
read from the notebook and never printed or stored anywhere else.
"""

from pathlib import Path

from .logs import write_logs
from .scenario import generate


def scenario_arguments(notebook):
    """The generate() arguments of the notebook's default graded case — its hidden tests'
    graded_case(<assignment>, seed=…, employees=…, days=…, **options) or cached_scenario(seed, …) calls — or None if
    it makes none. All calls must agree (else a CourseError). One reader for this and cases.graded_case."""
    from .cases import default_case_arguments

    return default_case_arguments(notebook)


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
