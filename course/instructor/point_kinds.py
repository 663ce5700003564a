"""What each graded question's points require: copy, adapt, analyse or explain (issue #15).

Every graded cell of an assignment's source notebook carries `metadata.course.points_by`, e.g.
{"copy": 1.2, "adapt": 2.8}, summing to the cell's nbgrader points:

- copy: points a learner earns by copying text the course displays (a model draft, a pre-filled proposal, a lesson
  cell or summary) or by calling a course helper;
- adapt: fitting rules to the learner's own company (roles, systems, calendar), writing a rule the course never
  shows, or correcting a flawed draft in the learner's own words;
- analyse: working out an answer from data the learner has not seen solved (functions run on hidden data, the
  learner's own incident logs, evidence rows);
- explain: the learner's reasons in their own words, graded by the instructor.

The assignment gate tests hold each "copied" and "helper calls" fixture to at most the copy points; this module reads
the declarations and renders the table in ARCHITECTURE.md.
"""

import json
from pathlib import Path

KINDS = ("copy", "adapt", "analyse", "explain")
MAX_COPY_SHARE = 0.20


def graded_cells(nb):
    """(grade_id, points, points_by) of every graded cell, in notebook order."""
    rows = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        nbgrader = meta.get("nbgrader", {})
        if nbgrader.get("grade"):
            rows.append((nbgrader["grade_id"], float(nbgrader.get("points", 0)),
                         dict(meta.get("course", {}).get("points_by", {}))))
    return rows


def read(path):
    return graded_cells(json.loads(Path(path).read_text(encoding="utf-8")))


def totals(rows):
    """{kind: points} over all rows, and the assignment's points."""
    sums = {kind: sum(by.get(kind, 0.0) for _, _, by in rows) for kind in KINDS}
    return sums, sum(points for _, points, _ in rows)


def _number(value):
    return f"{value:g}" if value else "–"


def markdown_table(name, rows):
    """The ARCHITECTURE.md table of one assignment."""
    lines = [f"**{name}**", "", "| question | points | " + " | ".join(KINDS) + " |",
             "|---|---:|" + "---:|" * len(KINDS)]
    for grade_id, points, by in rows:
        lines.append(f"| {grade_id} | {points:g} | " + " | ".join(_number(by.get(k, 0.0)) for k in KINDS) + " |")
    sums, total = totals(rows)
    lines.append(f"| **total** | **{total:g}** | " + " | ".join(_number(round(sums[k], 2)) for k in KINDS) + " |")
    share = sums["copy"] / total if total else 0.0
    lines += ["", f"copy share {share:.0%} (limit {MAX_COPY_SHARE:.0%})"]
    return "\n".join(lines)


START, END = "<!-- point-kinds:start -->", "<!-- point-kinds:end -->"


def all_tables(source_dir):
    return "\n\n".join(markdown_table(path.parent.name, read(path))
                       for path in sorted(Path(source_dir).glob("*/*.ipynb")))


def main(argv=None):
    """`python -m course.instructor.point_kinds [--write ARCHITECTURE.md]`: print (or write between the markers) the
    tables of grading/source."""
    import sys

    from ..lab import project_root

    argv = sys.argv[1:] if argv is None else argv
    tables = all_tables(project_root() / "grading" / "source")
    if argv[:1] == ["--write"]:
        path = Path(argv[1])
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        path.write_text(f"{head}{START}\n{tables}\n{END}{tail}", encoding="utf-8")
    else:
        print(tables)


if __name__ == "__main__":
    main()
