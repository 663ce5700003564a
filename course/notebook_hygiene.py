"""Notebooks are committed clean: no outputs, no execution counts; nbgrader metadata is kept."""

from pathlib import Path

import nbformat

TRANSIENT_METADATA = ("execution", "collapsed", "scrolled")


def find_notebooks(paths):
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb":
            yield path


def is_clean(nb):
    return all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells)


def strip(nb):
    """Remove outputs, execution counts and transient metadata in place; nbgrader metadata stays."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in TRANSIENT_METADATA:
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    return nb


def clean_files(paths):
    changed = []
    for path in find_notebooks(paths):
        nb = nbformat.read(path, as_version=4)
        if not is_clean(nb) or "widgets" in nb.metadata:
            nbformat.write(strip(nb), path)
            changed.append(path)
    return changed


def register(sub):
    p = sub.add_parser("clean-notebooks", help="出力を消す / strip outputs from notebooks")
    p.add_argument("paths", nargs="*", default=["notebooks", "grading/source"])
    p.set_defaults(func=lambda args: print("\n".join(f"cleaned {p}" for p in clean_files(args.paths)) or "clean"))
