"""Issue #15: every graded question declares what its points require (course/instructor/point_kinds.py), at most 20 %
of an assignment can be earned by copying, and ARCHITECTURE.md shows the same table. The assignment gate tests hold
the "copied" and "helper calls" fixtures to the declared copy points."""

import pytest

from course.instructor.point_kinds import KINDS, MAX_COPY_SHARE, markdown_table, read, totals
from fixtures import GRADING, ROOT

SOURCES = sorted((GRADING / "source").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_every_graded_cell_declares_its_points_by_kind(path):
    rows = read(path)
    assert rows
    for grade_id, points, by in rows:
        assert by, f"{grade_id}: metadata.course.points_by is missing"
        assert set(by) <= set(KINDS), f"{grade_id}: unknown kinds {set(by) - set(KINDS)}"
        assert all(v > 0 for v in by.values()), grade_id
        assert sum(by.values()) == pytest.approx(points), f"{grade_id}: {by} does not add up to {points}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_copying_earns_at_most_a_fifth_of_the_assignment(path):
    sums, total = totals(read(path))
    assert sums["copy"] <= MAX_COPY_SHARE * total + 1e-9, f"{path.parent.name}: {sums['copy']} of {total} by copying"


def test_architecture_shows_each_assignments_table():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for path in SOURCES:
        assert markdown_table(path.parent.name, read(path)) in text, f"regenerate the table of {path.parent.name}"


def test_the_copy_limit_check_can_fail():
    rows = [("q1", 4.0, {"copy": 1.2, "adapt": 2.8}), ("q2", 1.0, {"copy": 1.0})]
    sums, total = totals(rows)
    assert sums["copy"] == pytest.approx(2.2) and total == 5.0 and sums["copy"] > MAX_COPY_SHARE * total
    assert "| q1 | 4 | 1.2 | 2.8 | – | – |" in markdown_table("x", rows)
