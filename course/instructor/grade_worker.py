"""One grading worker: `python -m course.instructor.grade_worker ROOT ASSIGNMENT NOTEBOOK_TIMEOUT`.

Started by parallel_grade.py in its own process group. It loads nbgrader's configuration once (as `nbgrader autograde`
does, from ROOT/nbgrader_config.py), then reads one student id per line on stdin and autogrades that submission with
nbgrader's own Autograde converter, with two preprocessors swapped (GuardedExecute, DeduplicateIdsKeepingSchema).
For each student it writes one JSON line on the original stdout: {"student", "ok", "error", "events"}.
Anything else printed goes to stderr (the worker's log).
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path


def _protocol_stream():
    """The original stdout for results; everything else printed from now on goes to stderr."""
    stream = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return stream


def _warm_font_cache():
    """Build matplotlib's font cache here, before any learner kernel (where external commands are refused)."""
    try:
        import matplotlib.font_manager  # noqa: F401  (builds the cache)
    except ImportError:
        pass


def make_app(root, assignment, notebook_timeout, protected):
    from nbgrader.apps import AutogradeApp
    from nbgrader.preprocessors import DeduplicateIds, Execute

    from .deduplicate_ids import DeduplicateIdsKeepingSchema
    from .guarded_execute import GuardedExecute

    os.chdir(root)
    os.environ["COURSE_GRADING"] = "1"  # inherited by the learners' kernels: course helpers a graded answer may not call
    kernel_name = None
    if os.environ.get("COURSE_WARM_KERNELS", "1") != "0":  # forked from a template that did the imports once
        from . import warm_kernel

        kernel_name = warm_kernel.start(sorted(Path(root, "source", assignment).glob("*.ipynb")))
    app = AutogradeApp()
    app.initialize([assignment, "--force"])
    from nbgrader.converters import Autograde

    configured = Autograde(coursedir=app.coursedir, parent=app)
    sanitize, grade = list(configured.sanitize_preprocessors), list(configured.autograde_preprocessors)
    autograde = app.config.Autograde
    autograde.sanitize_preprocessors = [DeduplicateIdsKeepingSchema if p is DeduplicateIds else p for p in sanitize]
    autograde.autograde_preprocessors = [GuardedExecute if p is Execute else p for p in grade]
    if kernel_name:
        app.config.GuardedExecute.kernel_name = kernel_name
    app.config.GuardedExecute.shutdown_kernel = "immediate"  # every reply is in: no need to wait for a clean exit
    app.config.GuardedExecute.notebook_timeout = notebook_timeout
    app.config.GuardedExecute.protected_paths = protected
    url = app.coursedir.db_url
    if url.startswith("sqlite:") and "?" not in url:
        app.coursedir.db_url = url + "?timeout=120"  # a generous busy timeout besides the lock
    return app


def grade_one(app, assignment, student):
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    from . import gradebook_lock, guarded_execute

    guarded_execute.reset_events()
    gradebook_lock.WAITED[0] = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    app.coursedir.assignment_id = assignment
    app.coursedir.student_id = student
    result = {"student": student, "ok": True, "error": ""}
    try:
        with gradebook_lock.hold(app.coursedir.root):
            Autograde(coursedir=app.coursedir, parent=app).start()
    except NbGraderException as exc:
        result.update(ok=False, error=str(exc)[-500:])
    except Exception as exc:  # one broken submission must not stop the worker
        traceback.print_exc()
        result.update(ok=False, error=f"{type(exc).__name__}: {exc}"[-500:])
    result["events"] = list(guarded_execute.EVENTS)
    metrics = dict(guarded_execute.METRICS, student=student, total=time.perf_counter() - started,
                   worker_cpu=time.process_time() - cpu, lock_wait=gradebook_lock.WAITED[0])
    _write_metrics(app.coursedir.root, assignment, metrics)
    return result


def _write_metrics(root, assignment, metrics):
    """One JSON line per submission in reports/<assignment>/logs/metrics-<pid>.jsonl (bench/grading.py sums them)."""
    folder = os.path.join(root, "reports", assignment, "logs")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"metrics-{os.getpid()}.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(metrics) + "\n")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root, assignment, notebook_timeout = argv[0], argv[1], int(argv[2])
    protected = json.loads(argv[3]) if len(argv) > 3 else []
    out = _protocol_stream()
    from .scorer_client import SCORER

    SCORER.launch()  # imports in parallel with this worker's own start (as does the warm kernel template)
    _warm_font_cache()
    app = make_app(root, assignment, notebook_timeout, protected)
    out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        student = line.strip()
        if student:
            out.write(json.dumps(grade_one(app, assignment, student), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
