"""One writer at a time in the gradebook: a grading worker holds this lock except while the learner's code runs.

The workers of `course grade` all write to the one sqlite gradebook. Each worker takes an exclusive flock on
<course>/reports/.gradebook.lock for nbgrader's bookkeeping (creating the submission, overwriting cells, saving grades) and
lets it go while the kernel executes the notebook (GuardedExecute.preprocess), which is where the time goes.
"""

import fcntl
import os
import time
from contextlib import contextmanager

LOCK_NAME = os.path.join("reports", ".gradebook.lock")  # reports/ is git-ignored
_held = {"fd": None}
WAITED = [0.0]  # seconds this process spent waiting for the lock (grading metrics)


def _lock(fd):
    start = time.perf_counter()
    fcntl.flock(fd, fcntl.LOCK_EX)
    WAITED[0] += time.perf_counter() - start


@contextmanager
def hold(root):
    """Hold the gradebook lock of the course folder root for the duration of the block."""
    path = os.path.join(root, LOCK_NAME)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd)
        _held["fd"] = fd
        yield
    finally:
        _held["fd"] = None
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def released():
    """Let the lock go for the duration of the block if this process holds it (no-op otherwise)."""
    fd = _held["fd"]
    if fd is None:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
    try:
        yield
    finally:
        _lock(fd)
