"""`course grade`: autograde every submission of an assignment with a pool of workers, resumably, with no silent zeros.

Each worker (grade_worker.py) is a long-lived process that loaded nbgrader once and grades one submission at a time
with nbgrader's own Autograde converter; the gradebook is written under a lock (gradebook_lock.py). This process
hands out students, enforces a hard wall-clock limit per submission (the worker and its kernel are killed and the
submission is flagged), records each finished student in reports/<assignment>/grading_state.json (with a fingerprint
of the submitted files, so a re-collected submission is graded again) and the flags in flags.json.
"""

import hashlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..errors import CourseError
from ..i18n import t
from ..lab import tool_env
from . import exchange, inert_outputs, integrity
from .course_dir import exchange_root, grading_root, gradebook_url, nbgrader
from .flags import describe, load_flags, read_json, reports_dir, save_flags, unique, write_json

STATE_FILE = "grading_state.json"
DEFAULT_NOTEBOOK_TIMEOUT = int(os.environ.get("COURSE_NOTEBOOK_TIMEOUT", "300"))
HARD_LIMIT_MARGIN = 60  # seconds beyond the notebook limit before a worker is killed


@dataclass
class GradeRun:
    assignment: str
    graded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    flags: dict = field(default_factory=dict)  # student -> [flag] for every student of the assignment
    interrupted: bool = False


def submitted_students(root, assignment):
    base = Path(root) / "submitted"
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir()) if base.exists() else []


def fingerprint(folder):
    """A hash of every submitted file (names and contents): a changed submission is graded again."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def protected_paths(root):
    """Folders the learner's code may not read while it is graded (its own folder excepted)."""
    from ..lab import project_root

    paths = [Path(root)]
    try:
        project = project_root()
        paths += [project / "grading", project / ".git"]
    except CourseError:
        pass
    try:
        paths.append(exchange_root(root))
    except Exception:  # an unreadable config is reported by nbgrader itself
        pass
    return [str(p.resolve()) for p in paths]


class WorkerPool:
    """jobs worker processes; grade(students) yields (student, result) as they finish."""

    def __init__(self, root, assignment, jobs, notebook_timeout, hard_limit):
        self.root, self.assignment, self.jobs = Path(root), assignment, max(1, jobs)
        self.notebook_timeout, self.hard_limit = notebook_timeout, hard_limit
        self.log_dir = reports_dir(root, assignment) / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.selector = selectors.DefaultSelector()
        self.workers = []
        self.protected = json.dumps(protected_paths(root))

    def _start(self, number):
        log = open(self.log_dir / f"worker-{number}.log", "ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "course.instructor.grade_worker", str(self.root), self.assignment,
             str(self.notebook_timeout), self.protected],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=self.root, env=tool_env(),
            start_new_session=True)
        log.close()
        worker = {"number": number, "proc": proc, "ready": False, "student": None, "deadline": None, "buffer": b""}
        self.selector.register(proc.stdout, selectors.EVENT_READ, worker)
        return worker

    def _kill(self, worker):
        """Kill the worker, its process group and the kernels it started (they run in sessions of their own)."""
        proc = worker["proc"]
        try:
            import psutil

            family = psutil.Process(proc.pid).children(recursive=True)
        except Exception:
            family = []
        for child in family:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    child.kill()
                except Exception:
                    pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.selector.unregister(proc.stdout)
        except (KeyError, ValueError):
            pass
        proc.wait()

    def _send(self, worker, student):
        worker.update(student=student, deadline=time.monotonic() + self.hard_limit)
        worker["proc"].stdin.write(student.encode("utf-8") + b"\n")
        worker["proc"].stdin.flush()

    def grade(self, students):
        queue = list(students)
        self.workers = [self._start(n) for n in range(min(self.jobs, len(queue)))]
        try:
            while queue or any(w["student"] for w in self.workers):
                for worker in list(self.workers):
                    if worker["ready"] and not worker["student"] and queue:
                        self._send(worker, queue.pop(0))
                for key, _ in self.selector.select(timeout=0.5):
                    yield from self._read(key.data, queue)
                now = time.monotonic()
                for worker in list(self.workers):
                    if worker["student"] and now > worker["deadline"]:
                        student = worker["student"]
                        self._replace(worker)
                        yield student, {"ok": False, "events": [{"code": "hard_timeout", "cell": "", "detail": ""}]}
        finally:
            self.close()

    def _read(self, worker, queue):
        proc = worker["proc"]
        chunk = os.read(proc.stdout.fileno(), 65536)
        if chunk:
            worker["buffer"] += chunk
        else:
            if not worker["ready"]:  # it could not even start: the same would happen again
                log = (self.log_dir / f"worker-{worker['number']}.log").read_text(errors="replace")[-2000:]
                raise CourseError(t("instructor.grade.worker_failed", log=log))
            # the worker died (e.g. killed from outside): flag its student, start another worker
            student = worker["student"]
            self._replace(worker)
            if student:
                yield student, {"ok": False, "events": [{"code": "grading_failed", "cell": "", "detail": "worker"}]}
            return
        while b"\n" in worker["buffer"]:
            line, worker["buffer"] = worker["buffer"].split(b"\n", 1)
            message = json.loads(line.decode("utf-8"))
            if message.get("ready"):
                worker["ready"] = True
            elif message.get("student"):
                worker.update(student=None, deadline=None)
                if queue:  # keep the worker busy while this process records the result
                    self._send(worker, queue.pop(0))
                yield message["student"], message

    def _replace(self, worker):
        self._kill(worker)
        index = self.workers.index(worker)
        self.workers[index] = self._start(worker["number"])

    def close(self):
        """Idle workers finish; busy ones (an interrupted run) are killed with their kernels."""
        for worker in self.workers:
            if worker["student"]:
                self._kill(worker)
            elif worker["proc"].poll() is None:
                try:
                    worker["proc"].stdin.close()
                except OSError:
                    pass
        deadline = time.monotonic() + 10
        for worker in self.workers:
            try:
                worker["proc"].wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._kill(worker)
        self.workers = []


def merge_guard_events(events, most=6):
    """One flag per guard code, its details joined (a patching learner may trigger dozens)."""
    merged, out = {}, []
    for event in events:
        if event["code"].startswith("guard_") and event["code"] != "guard_off":
            if event["code"] not in merged:
                merged[event["code"]] = dict(event, detail=[])
                out.append(merged[event["code"]])
            if event["detail"] not in merged[event["code"]]["detail"]:
                merged[event["code"]]["detail"].append(event["detail"])
        else:
            out.append(event)
    for flag in merged.values():
        details = flag["detail"]
        flag["detail"] = ", ".join(details[:most]) + (f" … (+{len(details) - most})" if len(details) > most else "")
    return out


def result_flags(result):
    flags = merge_guard_events(result.get("events", []))
    if not result.get("ok", True) and not any(f["code"] in ("hard_timeout", "grading_failed") for f in flags):
        flags.append({"code": "grading_failed", "cell": "", "detail": (result.get("error") or "").strip()[-200:]})
    return flags


def ensure_generated(root, assignment):
    """The assignment must be in the gradebook (generate_assignment --create) before autograde."""
    from nbgrader.api import Gradebook, MissingEntry

    known = False
    if (Path(root) / "release" / assignment).is_dir():
        with Gradebook(gradebook_url(root)) as gb:
            try:
                known = bool(gb.find_assignment(assignment).notebooks)
            except MissingEntry:
                pass
    if not known:
        nbgrader("generate_assignment", assignment, "--create", "--force", root=root)


def grade_assignment(assignment, root=None, jobs=2, force=False, notebook_timeout=None, progress=True, out=sys.stdout):
    """Grade every submission of assignment; returns a GradeRun. Flags never stop the run."""
    root = grading_root(root)
    if not (root / "source" / assignment).is_dir():
        raise CourseError(t("instructor.grade.generate_first", assignment=assignment))
    ensure_generated(root, assignment)
    notebook_timeout = notebook_timeout or DEFAULT_NOTEBOOK_TIMEOUT
    run = GradeRun(assignment)
    students = submitted_students(root, assignment)
    if not students:
        print(t("instructor.grade.nothing", assignment=assignment), file=out)
        return run

    state_path = reports_dir(root, assignment) / STATE_FILE
    state = read_json(state_path, {"students": {}})
    all_flags = load_flags(root, assignment)
    prints = {s: fingerprint(root / "submitted" / s / assignment) for s in students}
    todo = [s for s in students if force or state["students"].get(s, {}).get("fingerprint") != prints[s]]
    run.skipped = [s for s in students if s not in todo]
    if run.skipped:
        print(t("instructor.grade.skipping", n=len(run.skipped)), file=out)
    try:
        expected = integrity.expected_records(root, assignment)
    except Exception as exc:  # the model notebook itself is broken: grade anyway, say so
        print(t("instructor.grade.expected_failed", error=exc), file=out)
        expected = []

    notebooks = max(1, len(list((root / "release" / assignment).glob("*.ipynb"))))
    pool = WorkerPool(root, assignment, jobs, notebook_timeout, notebooks * notebook_timeout + HARD_LIMIT_MARGIN)
    bar = tqdm(total=len(todo), desc=t("instructor.grade.progress"), unit="人", disable=not progress or not todo,
               file=sys.stderr)
    try:
        for student, result in pool.grade(todo):
            flags = unique(integrity.inspect_submission(root, assignment, student, expected) + result_flags(result)
                           + inert_outputs.submission_flags(root, assignment, student)
                           + exchange.refusal_flags(root, assignment, student))
            all_flags[student] = flags
            state["students"][student] = {"fingerprint": prints[student], "finished": time.strftime("%Y-%m-%d %H:%M:%S")}
            save_flags(root, assignment, all_flags)
            write_json(state_path, state)
            run.graded.append(student)
            bar.update(1)
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        bar.close()
    run.flags = {s: all_flags.get(s, []) for s in students}
    print_summary(run, root, jobs, out)
    return run


def print_summary(run, root, jobs, out=sys.stdout):
    if run.interrupted:
        print(t("instructor.grade.interrupted", n=len(run.graded)), file=out)
    else:
        print(t("instructor.grade.done", assignment=run.assignment, n=len(run.graded), jobs=jobs), file=out)
    flagged = {s: f for s, f in run.flags.items() if f}
    if not flagged:
        print(t("instructor.grade.no_flags"), file=out)
        return
    path = reports_dir(root, run.assignment) / "flags.json"
    print(t("instructor.grade.flagged", n=len(flagged), path=path), file=out)
    for student, flags in flagged.items():
        print(f"  {student}: " + "; ".join(describe(f) for f in flags), file=out)
