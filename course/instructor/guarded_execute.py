"""nbgrader's Execute preprocessor, made safe for a whole class: no submission can stop the run or hide its problems.

Same as stock nbgrader for an ordinary submission (same cells, same timeouts, same outputs, so the same scores). It
differs only where stock nbgrader gives up or can be fooled:

- a wall-clock limit for the whole notebook (`notebook_timeout`) besides the per-cell timeout: cells left when the
  time is up get an error output "not run" (a graded cell with no output would otherwise get full marks);
- a kernel that dies (os._exit) or does not stop when interrupted (a loop that swallows KeyboardInterrupt) is
  restarted, the cells before the bad one are run again without recording their output, and grading goes on;
- the kernel guard (kernel_guard.py) is installed in every kernel; before each graded cell the course's functions,
  the names bound by locked cells and the builtins are restored, and the answer records that the learner submitted
  are read-only;
- very long text outputs are cut (LimitOutput only counts lines; one 10 MB line would stay).

Everything unusual is appended to EVENTS, which the grading worker turns into 要確認 flags.
"""

import copy
import hashlib
import os
import secrets
import tempfile
from pathlib import Path
from time import monotonic

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from ..i18n import both
from . import gradebook_lock

GUARD_SOURCE = (Path(__file__).with_name("kernel_guard.py")).read_text(encoding="utf-8")
EVENTS = []
NOT_RUN = "CourseNotRun"


def reset_events():
    EVENTS.clear()


def error_output(ename, text):
    return NotebookNode(output_type="error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


class GuardedExecute(Execute):
    notebook_timeout = Integer(0, help="Wall-clock seconds for the whole notebook (0: no limit)").tag(config=True)
    max_output_chars = Integer(100_000, help="Longest text kept per output").tag(config=True)
    guard = Bool(True, help="Install the kernel guard").tag(config=True)
    protected_paths = List(Unicode(), help="Folders the learner's code may not read (except its own)").tag(config=True)

    def preprocess(self, nb, resources, km=None):
        self._deadline = monotonic() + self.notebook_timeout if self.notebook_timeout else None
        self._own_dir = resources.get("metadata", {}).get("path") or os.getcwd()
        self._frozen = self._submitted_records(self._own_dir)
        self._frozen_hashes = {p: _digest(p) for p in self._frozen}
        self._guard_ready = False
        self._broken = False
        self._good_cells = []
        log = tempfile.NamedTemporaryFile(prefix="course-guard-", suffix=".log", delete=False)
        log.close()
        self._log_path, self._log_seen = log.name, 0
        try:
            with gradebook_lock.released():
                return super().preprocess(nb, resources, km)
        finally:
            self._read_log()
            self._check_records()
            os.unlink(self._log_path)

    # -- timeouts -------------------------------------------------------------------------------------------------
    def _time_left(self):
        return float("inf") if self._deadline is None else self._deadline - monotonic()

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        left = self._time_left()
        if left == float("inf"):
            return timeout
        return max(1, min(timeout or int(left) + 1, int(left) + 1))

    # -- one cell -------------------------------------------------------------------------------------------------
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        cell_id = _cell_name(cell, cell_index)
        if self._broken or self._time_left() <= 0:
            reason = "kernel_lost" if self._broken else "notebook_timeout"
            cell.outputs = [error_output(NOT_RUN, both(f'instructor.notrun.{reason}'))]
            if not self._broken and not any(e["code"] == reason for e in EVENTS):
                EVENTS.append({"code": reason, "cell": cell_id, "detail": str(self.notebook_timeout)})
            return cell
        await self._ensure_guard()
        trusted = await self._guard_call("restore") if utils.is_grade(cell) else True
        timeout = self._get_timeout(cell)
        try:
            await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            EVENTS.append({"code": "kernel_died", "cell": cell_id, "detail": ""})
            cell.outputs.append(error_output("DeadKernelError", both("instructor.notrun.kernel_died")))
            await self._recover(cell_index)
            return cell
        except CellTimeoutError:
            EVENTS.append({"code": "unresponsive", "cell": cell_id, "detail": ""})
            cell.outputs.append(error_output("CellTimeoutError", both("instructor.notrun.unresponsive")))
            await self._recover(cell_index)
            return cell
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            EVENTS.append({"code": "cell_timeout", "cell": cell_id, "detail": str(timeout)})
        if not trusted:
            EVENTS.append({"code": "guard_off", "cell": cell_id, "detail": ""})
            cell.outputs = [error_output("CourseGuardError", both("instructor.notrun.guard_off"))]
        self._cap_outputs(cell, cell_id)
        self._good_cells.append(cell_index)
        if utils.is_locked(cell) and not utils.is_grade(cell) and not utils.is_solution(cell):
            await self._guard_call("locked")
        return cell

    execute_cell = run_sync(async_execute_cell)

    def _cap_outputs(self, cell, cell_id):
        for output in cell.outputs:
            if output.get("output_type") == "stream" and len(output.get("text", "")) > self.max_output_chars:
                cut = len(output.text) - self.max_output_chars
                output.text = output.text[:self.max_output_chars] + f"\n... {both('instructor.notrun.cut', n=cut)}\n"
                EVENTS.append({"code": "output_cut", "cell": cell_id, "detail": str(cut)})

    # -- recovery -------------------------------------------------------------------------------------------------
    async def _recover(self, bad_index):
        """Restart the kernel and run the good cells before bad_index again (their outputs are not kept)."""
        try:
            await ensure_async(self.km.restart_kernel(now=True))
            await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
            self._guard_ready = False
            good = [i for i in self._good_cells if i < bad_index]
            self._good_cells = []
            for index in good:
                if self._time_left() <= 0:
                    break
                replay = copy.deepcopy(self.nb.cells[index])
                await self._ensure_guard()
                if utils.is_grade(replay):
                    await self._guard_call("restore")
                await NotebookClient.async_execute_cell(self, replay, index, store_history=False)
                if utils.is_locked(replay) and not utils.is_grade(replay) and not utils.is_solution(replay):
                    await self._guard_call("locked")
            self._good_cells = good
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError):
            self._broken = True

    # -- guard ----------------------------------------------------------------------------------------------------
    async def _run_hidden(self, code):
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                                    stop_on_error=False))
        return await self.async_wait_for_reply(msg_id)

    async def _ensure_guard(self):
        if self._guard_ready or not self.guard:
            return
        self._guard_ready = True
        import course

        args = (list(self.protected_paths), self._own_dir, sorted(self._frozen), self._log_path,
                os.path.dirname(os.path.abspath(course.__file__)))
        source = GUARD_SOURCE + f"\ninstall(*{args!r})\n"
        await self._run_hidden(f"exec({source!r}, {{'__name__': '_course_guard'}})")
        if not any(kind == "installed" for kind, _ in self._read_log()):
            EVENTS.append({"code": "guard_off", "cell": "", "detail": "install"})

    async def _guard_call(self, action):
        if not self.guard:
            return True
        nonce = secrets.token_hex(8)
        await self._run_hidden(f"__import__('sys').audit('course.guard', {action!r}, {nonce!r})")
        return any(kind == "confirm" and detail == nonce for kind, detail in self._read_log())

    def _read_log(self):
        """New lines of the guard log as (kind, detail); refusals and restorations become events."""
        try:
            with open(self._log_path, encoding="utf-8", errors="replace") as f:
                f.seek(self._log_seen)
                text = f.read()
                self._log_seen = f.tell()
        except OSError:
            return []
        lines = [tuple((line.split("\t", 1) + [""])[:2]) for line in text.splitlines() if line]
        for kind, detail in lines:
            if kind in ("outside-read", "record-write", "command", "patch", "restored", "restore-failed"):
                event = {"code": "guard_" + kind.replace("-", "_"), "cell": "", "detail": detail}
                if event not in EVENTS:
                    EVENTS.append(event)
        return lines

    # -- answer records -------------------------------------------------------------------------------------------
    @staticmethod
    def _submitted_records(folder):
        answers = Path(folder) / "answers"
        return [str(p) for p in answers.glob("*.json")] if answers.is_dir() else []

    def _check_records(self):
        for path, digest in self._frozen_hashes.items():
            if _digest(path) != digest:
                EVENTS.append({"code": "record_changed", "cell": "", "detail": os.path.basename(path)})


def _digest(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _cell_name(cell, index):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
