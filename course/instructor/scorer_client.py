"""The grading worker's side of the clean scoring process (scorer.py): one long-lived scorer per worker.

SCORER.score(request, timeout) sends one request and returns the reply, or None if the scorer did not answer in
time or died (it is then killed and a new one is started for the next request). The scorer is a child of the worker,
started before any learner kernel of the run and never reachable from one: its pipes are not inherited by kernels.
"""

import atexit
import json
import os
import secrets
import selectors
import subprocess
import sys
import tempfile
import time

from ..lab import tool_env

START_TIMEOUT = 120


class ScorerClient:
    def __init__(self):
        self.proc = None
        self.buffer = b""
        self.ready = False

    def launch(self):
        """Start the scorer without waiting for it (it imports the course while the worker gets ready)."""
        self.proc = subprocess.Popen([sys.executable, "-m", "course.instructor.scorer"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=tool_env(), cwd=tempfile.gettempdir())
        self.buffer = b""
        self.ready = False

    def start(self):
        if self.proc is None or self.proc.poll() is not None:
            self.launch()
        if self.ready:
            return
        ready = self._line(time.monotonic() + START_TIMEOUT)
        self.ready = True
        if not ready or not json.loads(ready).get("ready"):
            self.stop()
            raise RuntimeError("the scorer did not start")

    def close(self):
        """End the scorer and wait for it (its CPU time then counts as the worker's children's)."""
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.stop()

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
            self.proc = None

    def _line(self, deadline):
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def score(self, request, timeout):
        nonce = secrets.token_hex(8)
        try:
            self.start()
            self.proc.stdin.write(json.dumps(dict(request, nonce=nonce)).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            line = self._line(time.monotonic() + timeout)
            reply = json.loads(line) if line else None
        except (OSError, ValueError, RuntimeError):
            reply = None
        if not reply or reply.get("nonce") != nonce:
            self.stop()
            return None
        return reply


SCORER = ScorerClient()
atexit.register(SCORER.close)
