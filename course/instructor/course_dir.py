"""The nbgrader course folder (grading/) and running nbgrader commands in it."""

import os
import subprocess
import sys
from pathlib import Path

from ..errors import CourseError
from ..i18n import t
from ..lab import project_root, tool_env


def grading_root(root=None):
    """grading/ of the project, or $COURSE_GRADING_ROOT."""
    if root:
        return Path(root)
    if os.environ.get("COURSE_GRADING_ROOT"):
        return Path(os.environ["COURSE_GRADING_ROOT"])
    return project_root() / "grading"


def assignments(root=None):
    """Assignment names: the folders of grading/source/."""
    source = grading_root(root) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")) if source.exists() else []


def check_assignment(name, root=None):
    """The assignment name, if grading/source/<name>/ exists; otherwise a Japanese message listing the ones there are."""
    known = assignments(root)
    if name not in known:
        raise CourseError(t("instructor.unknown_assignment", name=name, known="、".join(known) or "-"))
    return name


def nbgrader(*args, root=None, check=True, capture=True, timeout=None):
    """Run `nbgrader ARGS` with grading/ as the working directory (so nbgrader_config.py applies)."""
    cwd = grading_root(root)
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=capture, text=True,
                            timeout=timeout, env=tool_env())
    if check and result.returncode != 0:
        tail = (result.stderr or "")[-2000:]
        raise CourseError(f"nbgrader {' '.join(args)} が失敗しました / failed (exit {result.returncode}):\n{tail}")
    return result


def setup_grading(root=None):
    """Create the gradebook and generate every assignment's release version (what `make lab` prepares)."""
    names = assignments(root)
    for name in names:
        nbgrader("generate_assignment", name, "--create", "--force", root=root)
    return names


def register(sub):
    p = sub.add_parser("setup-grading", help="nbgrader の準備 / prepare the nbgrader course")
    p.add_argument("--root", help="nbgrader course folder (default: grading/)")
    p.set_defaults(func=cmd_setup_grading)


def cmd_setup_grading(args):
    names = setup_grading(args.root)
    print(f"nbgrader の準備ができました / nbgrader course ready: {', '.join(names) or '(no assignments)'}")


def course_config(root=None):
    """The traitlets config that nbgrader loads from the course folder's nbgrader_config.py."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(grading_root(root))).load_config()


def gradebook_url(root=None):
    return course_config(root).CourseDirectory.db_url


def exchange_root(root=None):
    return Path(course_config(root).Exchange.root)
