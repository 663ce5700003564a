"""No import goes from a lower layer of the package up (ARCHITECTURE.md, "Layers"). Imports inside functions count.

A unit is a top-level module or package of course/. Command modules (`*/commands.py`, cli.py, __main__.py) are entry
points: they sit above everything and may import anything.
"""

import ast
import sys
from pathlib import Path

import pytest

import course

PACKAGE = Path(course.__file__).parent
LAYERS = [
    {"__init__", "errors", "fileio", "yamlio", "i18n", "word", "plotting", "sanitize", "notebook_errors", "lab", "theme"},
    {"answers"},
    {"catalog", "profile", "course_map"},
    {"rubric"},
    {"drafting"},
    {"soa", "catalog_browser", "progress"},
    {"exercises", "incident"},
    {"instructor", "workshop", "hub", "notebook_hygiene"},
]
ENTRY_POINTS = "entry points"


def layer_of(unit):
    if unit in (ENTRY_POINTS, "cli"):
        return len(LAYERS)
    for number, units in enumerate(LAYERS):
        if unit in units:
            return number
    raise AssertionError(f"course/{unit} is in no layer: add it to LAYERS in tests/test_layers.py and ARCHITECTURE.md")


def unit_of(path):
    parts = path.relative_to(PACKAGE).parts
    if path.name == "commands.py" or parts in (("cli.py",), ("__main__.py",)):
        return ENTRY_POINTS
    return parts[0] if len(parts) > 1 else path.stem


def imported_units(path):
    """The units of course/ that a module imports, anywhere in the file."""
    package = list(path.relative_to(PACKAGE).parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names if a.name.startswith("course.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names = [node.module.split(".")[1]] if (node.module or "").startswith("course.") else []
            else:
                base = package[:len(package) - (node.level - 1)]
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [a.name for a in node.names]
        found |= set(names)
    return found


def upward_imports():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = unit_of(path)
        for target in imported_units(path) - {unit}:
            if layer_of(target) > layer_of(unit):
                wrong.append(f"{path.relative_to(PACKAGE.parent)} ({unit}) imports {target}")
    return wrong


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "course"
    (fake / "rubric").mkdir(parents=True)
    (fake / "rubric" / "score.py").write_text("def f():\n    from ..drafting.widgets import Workbench\n")
    (fake / "drafting").mkdir()
    (fake / "drafting" / "widgets.py").write_text("from ..rubric.score import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert upward_imports() == ["course/rubric/score.py (rubric) imports drafting"]


def test_every_unit_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(unit_of(path))


@pytest.mark.parametrize("unit", ["answers", "rubric"])
def test_lower_layers_import_nothing_above_them(unit):
    assert [w for w in upward_imports() if f"({unit})" in w] == []


def test_no_import_goes_up():
    assert upward_imports() == []
