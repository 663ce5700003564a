"""The `course` command (also `python -m course`). Each part of the course registers its own sub-commands (see
COMMAND_MODULES). Exit codes: 0 done, 1 an error with a message (CourseError), 2 a usage error (argparse, UsageError)."""

import argparse
import importlib
import json
import sys

from course import __version__  # (absolute: tests/test_layers.py reads "from . import X" as a unit X)
from .errors import CourseError, UsageError
from .i18n import t

EXIT_ERROR = 1
EXIT_USAGE = 2

# Modules with a `register(subparsers)` function; add a line here for a new family of commands.
COMMAND_MODULES = [
    "course.cli",
    "course.lab",
    "course.notebook_hygiene",
    "course.drafting.commands",
    "course.instructor.course_dir",
    "course.instructor.commands",
    "course.incident.commands",
    "course.workshop.commands",
]


def register(sub):
    p = sub.add_parser("catalog", help="管理策カタログを表示 / show the control catalog")
    p.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    p.add_argument("--theme", choices=["organizational", "people"])
    p.set_defaults(func=cmd_catalog)


def cmd_catalog(args):
    from .catalog import controls

    items = controls(args.theme)
    if args.json:
        print(json.dumps([c.summary() for c in items], ensure_ascii=False, indent=1))
        return 0
    for c in items:
        mark = "" if c.verified else f"  [{t('catalog.unverified')}]"
        print(f"{c.number:>5}  {c.title_ja}{mark}  /  {c.title_en}")
    return 0


def build_parser(modules=COMMAND_MODULES):
    parser = argparse.ArgumentParser(prog="course", description="情報セキュリティ研修コース / security training course")
    parser.add_argument("--version", action="version", version=f"course {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    # `course lab` (every start of a learner) loads only its own module: the others import nbformat, pandas… (~3 s)
    modules = ["course.lab"] if argv[:1] == ["lab"] else COMMAND_MODULES
    try:
        args = build_parser(modules).parse_args(argv)
    except SystemExit as exc:  # argparse: --help / --version (0) or a usage error (2), already printed
        return exc.code
    try:
        return args.func(args) or 0
    except CourseError as exc:
        print(t("cli.error", message=exc), file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
