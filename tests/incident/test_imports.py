"""No import cycle between the modules of course/incident (imports inside functions count too)."""

import ast
from pathlib import Path

import course.incident

PACKAGE = Path(course.incident.__file__).parent


def imports_within_package(path):
    """The sibling modules a module imports (`from .x import …`, `from . import x`), anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return found


def graph():
    return {p.stem: imports_within_package(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def find_cycle(edges):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path + [node, nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [node])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_in_course_incident():
    edges = graph()
    assert {"logs", "scenario", "attack", "background", "tables", "clock"} <= set(edges)
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges))

