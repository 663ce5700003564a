"""How a graded test cell is split between the learner's kernel and the clean scoring process.

A graded cell's hidden-test region (`### BEGIN HIDDEN TESTS` … `### END HIDDEN TESTS`) may hold a line
`### SCORED BY THE GRADER`. What comes before it in the region runs in the learner's kernel (it calls the learner's
functions on the hidden data and keeps their results in variables); what comes after it, or the whole region when
there is no such line, is the scoring part. Stock nbgrader runs all of it in the kernel, as before (the marker is a
comment); `course grade` runs the visible part and the kernel part in the kernel and the scoring part in the scorer
(scorer.py), fed with the learner's answers as plain data: the names the scoring part uses and does not define itself
or import (it also gets the import statements of the notebook's locked cells).
"""

import ast
import builtins
from dataclasses import dataclass

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SCORE_MARK = "### SCORED BY THE GRADER"


@dataclass
class GradedSource:
    kernel: str     # the visible lines and the kernel part of the hidden region, in order
    score: str      # the scoring part ("" when the cell has no hidden region)


def split(source):
    kernel, score, where = [], [], "visible"
    for line in source.splitlines():
        if BEGIN in line:
            where = "hidden"
        elif END in line:
            where = "visible"
        elif SCORE_MARK in line and where == "hidden":
            where = "score"
        elif where == "score" or (where == "hidden" and SCORE_MARK not in source):
            score.append(line)
        else:
            kernel.append(line)
    return GradedSource("\n".join(kernel), "\n".join(score))


def _bound_and_loaded(tree):
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, loaded


def free_names(code, provided=()):
    """Names the code reads but neither defines nor imports, nor finds in `provided` or the builtins."""
    bound, loaded = _bound_and_loaded(ast.parse(code))
    return sorted(loaded - bound - set(provided) - set(dir(builtins)))


def locked_imports(cells):
    """The import statements of locked, ungraded code cells (instructor code; nbgrader restores their source)."""
    lines = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("locked") or meta.get("grade") or meta.get("solution"):
            continue
        try:
            tree = ast.parse(cell.get("source", ""))
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(lines)


def imported_names(preamble):
    return _bound_and_loaded(ast.parse(preamble))[0] if preamble else set()
