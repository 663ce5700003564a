"""`course lab`: JupyterLab for learners (default) or instructors (`--instructor`); prints the address once it answers.

Learner mode (what `make lab` runs) serves notebooks/ only, with the classroom's student configuration
(deploy/jupyterhub/jupyter/student: no formgrader, no nbgrader authoring tools) and does no instructor work.
Instructor mode (`make instructor`) serves the project root with the formgrader and first regenerates the release
version of each assignment whose grading/source/<name>/ changed since the last run (a progress bar per assignment).
Both select JupyterLab's Japanese language pack unless COURSE_LANG=en.
"""

import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .errors import CourseError
from .i18n import current_lang

START_NOTEBOOK = "notebooks/00_start.ipynb"
LEARNER_CONFIG = "deploy/jupyterhub/jupyter/student"
# JupyterLab settings defaults (overrides.json) that choose the Japanese menus; a learner may still change the language
# in Settings → Language, which is saved in their own user settings.
LAB_SETTINGS_JA = Path(__file__).parent / "content" / "lab_settings" / "ja"
START_TIMEOUT = 120  # seconds for a new server to answer


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
    """The environment for Jupyter and nbgrader subprocesses: this Python's scripts folder first on PATH
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


def lab_settings_dir(lang=None):
    """JupyterLab's settings defaults for the course language: the Japanese menus, or None for JupyterLab's own."""
    return None if (lang or current_lang()) == "en" else LAB_SETTINGS_JA


def language_args(lang=None):
    folder = lab_settings_dir(lang)
    return [f"--LabApp.app_settings_dir={folder}"] if folder else []


def learner_env(root):
    """The student configuration of the classroom hub, also for one learner on their own computer."""
    env = tool_env()
    paths = [str(root / LEARNER_CONFIG), env.get("JUPYTER_CONFIG_PATH", "")]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in paths if p)
    return env


def start_path(instructor):
    return START_NOTEBOOK if instructor else Path(START_NOTEBOOK).name


def start_url(port, token, instructor=False):
    return f"http://127.0.0.1:{port}/lab/tree/{start_path(instructor)}?token={token}"


# -- instructor: release versions only for changed sources --------------------------------------------------------------

def source_digest(folder):
    """A hash of every file under folder (names and bytes), to tell whether an assignment's source changed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stale_assignments(grading):
    """Assignments whose source changed since their release was generated, or that have no release yet."""
    stamps = _read_stamps(grading)
    source = grading / "source"
    names = sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")) if source.exists() else []
    return [n for n in names
            if stamps.get(n) != source_digest(source / n) or not (grading / "release" / n).exists()]


def _stamp_file(grading):
    return grading / "release" / ".sources.json"


def _read_stamps(grading):
    try:
        return json.loads(_stamp_file(grading).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def prepare_releases(grading, names=None):
    """Regenerate the release of each stale assignment with nbgrader (tqdm bar); returns the names done."""
    from tqdm import tqdm

    names = stale_assignments(grading) if names is None else names
    stamps = _read_stamps(grading)
    for name in tqdm(names, desc="配布版を作成 / generating releases", unit="課題", disable=not names):
        # nbgrader from grading/, so that its nbgrader_config.py applies (as course/instructor/course_dir.py runs it)
        done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", name, "--create", "--force"],
                              cwd=grading, env=tool_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise CourseError(f"配布版を作れませんでした / nbgrader generate_assignment {name} failed:\n"
                              + done.stderr[-2000:])
        stamps[name] = source_digest(grading / "source" / name)
        _stamp_file(grading).parent.mkdir(parents=True, exist_ok=True)
        _stamp_file(grading).write_text(json.dumps(stamps, indent=1), encoding="utf-8")
    return names


# -- running ------------------------------------------------------------------------------------------------------------

def wait_until_serving(proc, port, token, timeout=START_TIMEOUT):
    """True once /api/status answers; False if the server exited or did not answer in time."""
    deadline = time.monotonic() + timeout
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(req, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def register(sub):
    p = sub.add_parser("lab", help="JupyterLab を起動 / start JupyterLab on the first notebook")
    p.add_argument("--port", type=int, default=int(os.environ.get("COURSE_PORT", 8888)))
    p.add_argument("--token", default=os.environ.get("COURSE_TOKEN"))
    p.add_argument("--instructor", action="store_true",
                   help="講師用：Formgrader つき、プロジェクト全体 / for instructors: formgrader, whole project")
    p.set_defaults(func=cmd_lab)


def cmd_lab(args):
    root = project_root()
    token = args.token or secrets.token_hex(16)
    if args.instructor:
        prepare_releases(Path(os.environ.get("COURSE_GRADING_ROOT") or root / "grading"))
        # From the project root nbgrader's formgrader finds nbgrader_config.py (which points to grading/).
        cwd, env = root, tool_env()
    else:
        # From notebooks/ no nbgrader_config.py of the project applies; the student configuration does.
        cwd, env = root / "notebooks", learner_env(root)
    # (the student configuration chooses the language itself; instructors get it on the command line)
    cmd = lab_command(cwd, args.port, token) + (language_args() if args.instructor else [])
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    try:
        if not wait_until_serving(proc, args.port, token):
            proc.terminate()
            proc.wait(10)
            raise CourseError(f"JupyterLab が起動しませんでした（ポート {args.port} が使用中かもしれません。--port で変更できます）"
                              f" / JupyterLab did not start (port {args.port} may be in use: try --port)")
        print("\n  ブラウザでこのアドレスを開いてください / Open this address in your browser:\n"
              f"  {start_url(args.port, token, args.instructor)}\n"
              "  終了するには Ctrl+C を押します / Press Ctrl+C to stop.\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()  # JupyterLab got the Ctrl+C too (same console); make sure it ends
        proc.wait(30)
        return 130
