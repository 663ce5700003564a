"""`course lab`: start JupyterLab on notebooks/00_start.ipynb and print the address to open."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from .errors import CourseError

START_NOTEBOOK = "notebooks/00_start.ipynb"


def project_root(start=None):
    """The folder holding notebooks/00_start.ipynb: the working directory or one above it, else the source checkout."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / START_NOTEBOOK).exists():
            return folder
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / START_NOTEBOOK).exists():
        return checkout
    raise CourseError("教材フォルダ（notebooks/00_start.ipynb）が見つかりません。コースのフォルダで実行してください。"
                      " / Cannot find notebooks/00_start.ipynb: run this in the course folder.")


def tool_env():
    """The environment for Jupyter and nbgrader subprocesses: this Python's bin folder first on PATH
    (nbgrader runs `alembic` by name, and a learner's terminal should find `course`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def lab_command(root, port, token):
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def start_url(port, token):
    return f"http://127.0.0.1:{port}/lab/tree/{START_NOTEBOOK}?token={token}"


def register(sub):
    p = sub.add_parser("lab", help="JupyterLab を起動 / start JupyterLab on the first notebook")
    p.add_argument("--port", type=int, default=int(os.environ.get("COURSE_PORT", 8888)))
    p.add_argument("--token", default=os.environ.get("COURSE_TOKEN"))
    p.set_defaults(func=cmd_lab)


def cmd_lab(args):
    root = project_root()
    token = args.token or secrets.token_hex(16)
    print("\n  ブラウザでこのアドレスを開いてください / Open this address in your browser:\n"
          f"  {start_url(args.port, token)}\n  終了するには Ctrl+C を 2 回押します / Press Ctrl+C twice to stop.\n",
          flush=True)
    # Run from the project root so that nbgrader's formgrader finds nbgrader_config.py (which points to grading/).
    return subprocess.call(lab_command(root, args.port, token), cwd=root, env=tool_env())
