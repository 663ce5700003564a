"""In a Jupyter kernel, a CourseError (bad input a learner can fix) shows as its Japanese message, not a traceback.

The message goes to stderr, so the cell still counts as failed, and nbgrader gives a graded cell that prints to stderr
no credit: a friendly message never turns into a free point.
"""

import sys

from .errors import CourseError


def _show_course_error(shell, etype, value, tb, tb_offset=None):
    print(f"⚠️ {value}", file=sys.stderr)


def install():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((CourseError,), _show_course_error)
    return True
