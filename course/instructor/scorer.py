"""The clean scoring process: `python -m course.instructor.scorer`, started by each grading worker.

No learner code ever runs here. For each graded cell the worker (guarded_execute.py) sends one JSON line:

    {"nonce", "cwd", "preamble", "code", "inputs", "student", "root"}

cwd is a private copy of the submission's answer records (answers/*.json, taken by the grader), preamble the import
statements of the notebook's locked cells (instructor code), code the scoring part of the cell's hidden tests, and
inputs the learner's answers as plain data (course/answers/plain.py: JSON of plain values, rebuilt here as built-in
types), student the nbgrader id of the learner being graded and root the course folder: the code sees them as the
environment variables COURSE_STUDENT and COURSE_ROOT (course/incident/cases.py finds the learner's own case with them). The code runs in a fresh namespace; the reply is one JSON line

    {"nonce", "stdout", "stderr", "value", "error", "cpu"}

value is the last expression's value when it is a number (the cell's points), error {ename, evalue} if it raised.
The pipe is private to the worker (the learner's kernel holds no handle to it); the nonce pairs each reply with its
request.
"""

import ast
import builtins
import contextlib
import io
import json
import os
import sys
import time
import traceback
import warnings

GRADING = "COURSE_GRADING"  # set for the learners' kernels by the grading worker
START_FILTERS = list(warnings.filters)  # Python's defaults, as in a fresh kernel (DeprecationWarning only for __main__)


def run(code, preamble, inputs, cwd, student="", root=""):
    """(stdout, stderr, value, error) of the scoring code in a fresh namespace."""
    from ..answers.plain import from_plain

    out, err = io.StringIO(), io.StringIO()
    value, error = None, None
    namespace = {"__name__": "__main__", "__builtins__": builtins}  # as the hidden tests run in a kernel
    previous = os.getcwd()
    os.environ["COURSE_STUDENT"], os.environ["COURSE_ROOT"] = student or "", root or ""
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.filters[:] = START_FILTERS  # and catch_warnings shows a warning again in each cell
            exec(compile(preamble, "<locked imports>", "exec"), namespace)
            namespace.update({name: from_plain(data) for name, data in inputs.items()})
            tree = ast.parse(code, "<hidden tests>")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<hidden tests>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<hidden tests>", "eval"), namespace)
    except BaseException as exc:  # the instructor's checks on a learner's answer: report, never stop
        error = {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}
        if not isinstance(exc, Exception):
            traceback.print_exc()
    finally:
        os.chdir(previous)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        value = None
    return out.getvalue(), err.getvalue(), (float(value) if value is not None else None), error


def main():
    os.environ.pop(GRADING, None)  # the scorer runs instructor code only: the learner-facing helper lock is off
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything else printed goes to the worker's log
    import course  # noqa: F401  (imports the course once; each request only reads records and checks)

    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        cpu = time.process_time()
        stdout, stderr, value, error = run(request["code"], request.get("preamble", ""), request.get("inputs", {}),
                                           request["cwd"], request.get("student", ""), request.get("root", ""))
        replies.write(json.dumps({"nonce": request["nonce"], "stdout": stdout, "stderr": stderr, "value": value,
                                  "error": error, "cpu": time.process_time() - cpu}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
