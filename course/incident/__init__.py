"""Ransomware incident handling: a generated scenario (company, logs, hidden truth), analysis helpers, answer sheets,
triage, a tabletop exercise and the after-action report. See ARCHITECTURE.md, section "Incident handling".

    from course.incident import generate, load_logs
    scenario = generate(seed=7)            # .logs (DataFrames), .truth (what really happened), .company

Importing this package inside a Jupyter kernel makes CourseError (bad seed, wrong log passed to a helper, ...) show
as a short Japanese message instead of a traceback; the cell still counts as failed.
"""

import sys

from ..errors import CourseError
from .logs import LOG_NAMES, SCHEMAS, LogsError, load_logs, write_logs
from .scenario import VARIANTS, Scenario, ScenarioError, Truth, generate

__all__ = ["generate", "Scenario", "Truth", "ScenarioError", "VARIANTS", "load_logs", "write_logs", "LogsError",
           "SCHEMAS", "LOG_NAMES"]


def _show_course_error(shell, etype, value, tb, tb_offset=None):
    print(f"⚠️ {value}", file=sys.stderr)
    return None


def _friendly_errors():
    """In IPython, show CourseError as its message only (learners see no traceback for bad input)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((CourseError,), _show_course_error)
    return True


_friendly_errors()
