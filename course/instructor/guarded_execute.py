"""nbgrader's Execute preprocessor, made safe for a whole class: no submission can stop the run, hide its problems or
choose its own score.

Same scores as stock nbgrader for an ordinary submission (same cells, same timeouts). It differs where stock nbgrader
gives up or can be fooled:

- the grader, not the learner's kernel, scores each graded test cell (graded_cells.py): the kernel runs the cell's
  visible part and the kernel part of its hidden tests; the scoring part runs in the clean scoring process
  (scorer.py) on the learner's answers as plain data and a private copy of the submitted answer records. The cell's
  outputs are then the kernel's printed text and errors (an error still gives no credit, as in stock nbgrader: the
  learner's code can only lower its own score) followed by the scorer's printed text and the points as the one
  execute_result, marked with an HMAC under a per-run secret; after the run every execute_result of such a cell
  without a valid mark is removed and flagged, and a cell with no points from the scorer gets an error (no marks),
  never nbgrader's "no output, full marks";

- a wall-clock limit for the whole notebook (`notebook_timeout`) besides the per-cell timeout: cells left when the
  time is up get an error output "not run" (a graded cell with no output would otherwise get full marks);
- a kernel that dies (os._exit) or does not stop when interrupted (a loop that swallows KeyboardInterrupt) is
  restarted, the cells before the bad one are run again without recording their output, and grading goes on;
- the kernel guard (kernel_guard.py) is installed in every kernel; before each graded and each locked cell the
  course's functions, the names bound by locked cells, the builtins and the IPython shell (display, input
  transformers, exception handlers, event callbacks, trace hooks) are restored, and the answer records that the
  learner submitted are read-only;
- very long text outputs are cut (LimitOutput only counts lines; one 10 MB line would stay).

Everything unusual is appended to EVENTS, which the grading worker turns into 要確認 flags.
"""

import copy
import hashlib
import hmac
import json
import math
import os
import secrets
import stat
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
from ..rubric.lines import split_reviews
from . import gradebook_lock, graded_cells, warm_kernel
from .scorer_client import SCORER

GUARD_SOURCE = (Path(__file__).with_name("kernel_guard.py")).read_text(encoding="utf-8")
EVENTS = []
METRICS = {}  # per submission: wall seconds of the phases, CPU seconds of the guard (in the kernel) and the scorer
NOT_RUN = "CourseNotRun"
NO_SCORE = "CourseNoScore"
MAX_RECORD_BYTES = 5_000_000
MAX_RECORDS = 500  # answer records copied for the scorer (an assignment has a handful)


def reset_events():
    EVENTS.clear()
    METRICS.clear()


def _add(key, value):
    METRICS[key] = METRICS.get(key, 0.0) + value


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
        self._student = resources.get("nbgrader", {}).get("student") or ""
        self._frozen = self._submitted_records(self._own_dir)
        self._frozen_hashes = {p: _digest(p) for p in self._frozen}
        self._records = _read_records(self._own_dir)  # the submitted records, as handed in (before any code ran)
        self._secret = secrets.token_bytes(32)
        self._preamble = graded_cells.locked_imports(nb.cells)
        self._preamble_names = graded_cells.imported_names(self._preamble)
        self._guard_ready = False
        self._broken = False
        self._good_cells = []
        log = tempfile.NamedTemporaryFile(prefix="course-guard-", suffix=".log", delete=False)
        log.close()
        self._log_path, self._log_seen = log.name, 0
        try:
            start = monotonic()
            with gradebook_lock.released():
                nb, resources = super().preprocess(nb, resources, km)
            _add("execute", monotonic() - start)
            self._verify_scores(nb)
            return nb, resources
        finally:
            self._read_log()
            self._check_records()
            os.unlink(self._log_path)

    # -- metrics --------------------------------------------------------------------------------------------------
    async def async_start_new_kernel(self, **kwargs):
        warm_kernel.wait_ready()
        start = monotonic()
        try:
            return await super().async_start_new_kernel(**kwargs)
        finally:
            _add("kernel_start", monotonic() - start)

    async def async_start_new_kernel_client(self):
        start = monotonic()
        try:
            return await super().async_start_new_kernel_client()
        finally:
            _add("kernel_start", monotonic() - start)

    start_new_kernel = run_sync(async_start_new_kernel)
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell, resources, index):
        result = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1 and self._guard_ready and not self._broken:
            try:  # after the last cell, while the kernel is still up: the guard's CPU seconds (for the bench)
                run_sync(self._guard_call)("stats")
            except Exception:  # a metric only
                pass
        return result

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
        trusted = await self._guard_call("restore") if utils.is_grade(cell) or utils.is_locked(cell) else True
        timeout = self._get_timeout(cell)
        parts = _parts(cell)
        started = monotonic()
        try:
            if parts is not None:
                source, cell.source = cell.source, parts.kernel
                try:
                    await super().async_execute_cell(cell, cell_index, execution_count, store_history)
                finally:
                    cell.source = source
            else:
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
        _add("cells", monotonic() - started)
        if "first_cell" not in METRICS:
            METRICS["first_cell"] = monotonic() - started
        if parts is not None:
            started = monotonic()
            await self._score(cell, cell_id, parts)
            _add("scoring", monotonic() - started)
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
            warm_kernel.kill_kernels()  # a forked kernel must be gone before its ports are used again
            await ensure_async(self.km.restart_kernel(now=True))
            await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
            self._guard_ready = False
            good = [i for i in self._good_cells if i < bad_index]
            self._good_cells = []
            for index in good:
                if self._time_left() <= 0:
                    break
                replay = copy.deepcopy(self.nb.cells[index])
                parts = _parts(replay)
                if parts is not None:
                    replay.source = parts.kernel
                await self._ensure_guard()
                if utils.is_grade(replay) or utils.is_locked(replay):
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

    async def _guard_call(self, action, *args):
        """Ask the guard for action; True when it confirmed with this call's nonce (with the lines it logged)."""
        ok, _, _ = await self._guard_ask(action, *args)
        return ok if self.guard else True

    async def _guard_ask(self, action, *args):
        if not self.guard:
            return False, [], ""
        nonce = secrets.token_hex(8)
        extra = "".join(f", {a!r}" for a in args)
        await self._run_hidden(f"__import__('sys').audit('course.guard', {action!r}, {nonce!r}{extra})")
        lines = self._read_log()
        return any(kind == "confirm" and detail == nonce for kind, detail in lines), lines, nonce

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
            if kind == "stats":
                _add("guard_cpu", float(detail or 0))
            if kind in ("outside-read", "record-write", "command", "patch", "restored", "restore-failed", "shell"):
                event = {"code": "guard_" + kind.replace("-", "_"), "cell": "", "detail": detail}
                if event not in EVENTS:
                    EVENTS.append(event)
        return lines

    # -- scoring outside the kernel -------------------------------------------------------------------------------
    async def _score(self, cell, cell_id, parts):
        """Replace the graded cell's kernel outputs with: the kernel's text and errors, then the scorer's result."""
        kernel_outputs = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
        if any(o.get("output_type") == "error" for o in kernel_outputs):
            cell.outputs = kernel_outputs  # no credit, as in stock nbgrader (the scoring part is not run)
            return
        names = graded_cells.free_names(parts.score, self._preamble_names)
        inputs, missing = {}, {}
        if names:
            ok, lines, nonce = await self._guard_ask("export", names)
            answers = _exported(lines, nonce)
            if not ok or answers is None:
                EVENTS.append({"code": "no_answers", "cell": cell_id, "detail": ""})
                answers = {}
            for name in names:
                entry = answers.get(name, {"missing": "undefined"})
                if "plain" in entry:
                    inputs[name] = entry["plain"]
                else:
                    missing[name] = entry
        for name, entry in missing.items():
            if entry.get("missing") == "not_plain":
                EVENTS.append({"code": "answer_not_plain", "cell": cell_id, "detail": f"{name}: {entry.get('type', '')}"})
        with tempfile.TemporaryDirectory(prefix="course-score-", dir=self._scoring_dir()) as work:
            self._copy_records(work)
            reply = SCORER.score({"cwd": work, "preamble": self._preamble, "code": parts.score, "inputs": inputs,
                                  "student": self._student, "root": self._course_root()},
                                 timeout=max(10, self._get_timeout(cell) or 60))
        points = float(cell.metadata["nbgrader"].get("points", 0))
        outputs = list(kernel_outputs)
        if reply is None:
            EVENTS.append({"code": "score_failed", "cell": cell_id, "detail": "scorer"})
            outputs.append(error_output(NO_SCORE, both("instructor.notrun.no_score")))
            cell.outputs = outputs
            return
        _add("scorer_cpu", reply.get("cpu", 0.0))
        stdout, reviews = split_reviews(reply["stdout"])
        for code, detail in reviews:
            EVENTS.append({"code": code, "cell": cell_id, "detail": detail})
        if stdout:
            outputs.append(NotebookNode(output_type="stream", name="stdout", text=stdout))
        if reply["stderr"]:
            outputs.append(NotebookNode(output_type="stream", name="stderr", text=reply["stderr"]))
        value = reply["value"]
        if reply["error"]:
            error = reply["error"]
            outputs.append(NotebookNode(output_type="error", ename=error["ename"], evalue=error["evalue"],
                                        traceback=[f"{error['ename']}: {error['evalue']}"]))
        elif value is None or not math.isfinite(value) or not 0 <= value <= points:
            EVENTS.append({"code": "score_failed", "cell": cell_id, "detail": repr(value)})
            outputs.append(error_output(NO_SCORE, both("instructor.notrun.no_score")))
        else:
            outputs.append(NotebookNode(output_type="execute_result", execution_count=cell.get("execution_count"),
                                        data={"text/plain": repr(value)},
                                        metadata={"course_score": self._mark(cell_id, repr(value))}))
        cell.outputs = outputs

    def _course_root(self):
        return self.protected_paths[0] if self.protected_paths else ""

    def _scoring_dir(self):
        """Where the scorer's record copies go: inside the course folder, which the learner's code cannot list or
        write (the guard), so a thread left running in the kernel cannot swap them while the scorer reads."""
        if not self.protected_paths:
            return None
        folder = Path(self.protected_paths[0]) / "reports" / ".scoring"
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)

    def _mark(self, cell_id, text):
        return hmac.new(self._secret, f"{cell_id}\0{text}".encode(), hashlib.sha256).hexdigest()

    def _verify_scores(self, nb):
        """Every execute_result of a cell scored by the grader must carry the grader's mark; others are removed."""
        for index, cell in enumerate(nb.cells):
            if _parts(cell) is None:
                continue
            cell_id = _cell_name(cell, index)
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    mark = output.get("metadata", {}).get("course_score", "")
                    text = output.get("data", {}).get("text/plain", "")
                    if not hmac.compare_digest(str(mark), self._mark(cell_id, str(text))):
                        EVENTS.append({"code": "score_unverified", "cell": cell_id, "detail": str(text)[:40]})
                        continue
                    output["metadata"] = {}
                kept.append(output)
            cell.outputs = kept

    def _copy_records(self, work):
        """The answer records the scorer reads: the submitted ones as handed in, plus records the learner's code wrote
        during the run that were not submitted (the learner could have handed those in just as well)."""
        answers = Path(work) / "answers"
        answers.mkdir()
        current = _read_records(self._own_dir)
        for name, data in {**current, **self._records}.items():
            (answers / name).write_bytes(data)

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


def _read_records(folder):
    """{file name: bytes} of answers/*.json in folder: regular files only (no links), none over MAX_RECORD_BYTES, the
    first MAX_RECORDS by name."""
    answers, records = Path(folder) / "answers", {}
    if not answers.is_dir() or answers.is_symlink():
        return records
    for path in sorted(answers.glob("*.json"))[:MAX_RECORDS]:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            data = f.read(MAX_RECORD_BYTES + 1)
        if len(data) <= MAX_RECORD_BYTES:
            records[path.name] = data
    return records


def _parts(cell):
    """The kernel and scoring parts of a graded test cell with hidden tests, else None (run as stock nbgrader does)."""
    if cell.get("cell_type") != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
        return None
    if graded_cells.BEGIN not in cell.source:
        return None
    return graded_cells.split(cell.source)


def _exported(lines, nonce):
    for kind, detail in lines:
        if kind == "export" and detail.startswith(nonce + "\t"):
            try:
                return json.loads(detail.split("\t", 1)[1])
            except (IndexError, ValueError):
                return None
    return None


def _cell_name(cell, index):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
