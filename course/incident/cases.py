"""A different graded incident case per learner (issue #15, point 7), and the helper lock of the graded incident
assignments (point 6).

Cases. Every learner of a class investigates their own company and incident. The case's scenario arguments come from

    digest = HMAC-SHA256(course secret, f"{assignment}:{student_id}")
    seed   = the digest's first 8 bytes (big-endian) & (2**63 - 1); employees, days: CASE_SIZE;
    options of the generator listed in scenario.CASE_OPTIONS ({parameter: choices}) are drawn from the next bytes

so neither the learner nor a classmate can turn a student id into the truth without the secret, and the instructor's
tools can rebuild any learner's case at any time (nothing per learner has to be stored). The secret is made once by
`course release` (`ensure_secret`) in <root>/.course/case_secret (mode 0600; <root> is the nbgrader course folder,
never released, ignored by git). `course release` of an assignment whose hidden tests call `graded_case` writes each
learner's logs to release/<A>/cases/<student>/<log>.csv.gz (or one zip per learner for an LMS, with plain CSV files)
and lists the learners in <root>/.course/cases/<A>.json (the manifest).

Notebook side:
    learner_id()              JUPYTERHUB_USER, else COURSE_LEARNER, else the OS user
    load_case(folder=".")     {log: DataFrame} like logs.load_logs: cases/<learner_id>/ when the folder has cases/
                              (the only case there when it holds one: an LMS zip), else logs/ (self-study). While
                              grading, cases/<student>/ of the learner being graded (COURSE_STUDENT or the
                              autograded/<student>/<A> folder); `course collect` puts each learner's own case there
                              (course/instructor/release.py place_cases), so a submission without its case files,
                              or with changed ones, still runs on the released logs. The notebook side never reads
                              the secret (a learner's code runs there).
Grading side (the scoring part of the hidden tests):
    _scenario = graded_case("ir1_detect_analyze", seed=..., employees=20, days=10)
        the learner being graded: COURSE_STUDENT (set by `course grade` in the scorer) or the cwd
        <root>/autograded/<student>/<assignment> (stock nbgrader); root: COURSE_ROOT or the cwd's course folder.
        With a secret and the learner in the manifest: their case. Otherwise the default case, the one written to
        grading/source/<A>/logs: given by the keyword arguments (they stay in the hidden tests, never released), else
        read from the source notebook's graded_case / cached_scenario call.

Helper lock. The graded incident assignments measure analysis with pandas, so the step helpers of
course.incident.analysis raise HelperLocked (a CourseError with a Japanese message saying what to do instead) when
called from a learner's code while an assignment notebook is open (its locked import cell calls
`assignment_mode(True)`) or while grading (COURSE_GRADING=1, set by `course grade` for the learners' kernels). The
course's own modules may still call them, and instructor code can with `with helpers_allowed(): ...`.
"""

import contextlib
import functools
import getpass
import gzip
import hashlib
import hmac
import io
import json
import os
import secrets
import sys
import types
from functools import lru_cache
from pathlib import Path

from ..errors import CourseError
from ..i18n import both, t

CASE_SIZE = {"employees": 20, "days": 10}
SECRET_FILE = (".course", "case_secret")
MANIFEST_DIR = (".course", "cases")
CASES_FOLDER = "cases"
GRADED_CALL = "graded_case("


class CaseError(CourseError):
    """A case that cannot be found or made (the message says what to do)."""


class HelperLocked(CourseError, RuntimeError):
    """A course analysis helper called in a graded incident assignment."""


# -- the course secret and a learner's case arguments ---------------------------------------------------------------

def secret_path(root):
    return Path(root).joinpath(*SECRET_FILE)


def read_secret(root):
    """The course secret (bytes) or None when the course folder has none."""
    if root is None:
        return None
    try:
        text = secret_path(root).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text.encode("ascii") if text else None


def ensure_secret(root):
    """The course secret, made once (32 random bytes as hex, file mode 0600) if the course folder has none."""
    existing = read_secret(root)
    if existing:
        return existing
    path = secret_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another release
        return read_secret(root)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return read_secret(root)


def case_options():
    """{generator parameter: choices} drawn per learner: scenario.CASE_OPTIONS, limited to what generate() accepts."""
    import inspect

    from . import scenario

    accepted = inspect.signature(scenario.generate).parameters
    options = getattr(scenario, "CASE_OPTIONS", None) or {}
    return {name: tuple(choices) for name, choices in options.items() if name in accepted and len(choices)}


def case_arguments(secret, assignment, student):
    """The generate() arguments of one learner's case: {"seed", "employees", "days", **options}."""
    from .scenario import MAX_SEED

    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    digest = hmac.new(secret, f"{assignment}:{student}".encode("utf-8"), hashlib.sha256).digest()
    arguments = {"seed": int.from_bytes(digest[:8], "big") & MAX_SEED, **CASE_SIZE}
    for i, (name, choices) in enumerate(sorted(case_options().items())):
        arguments[name] = choices[int.from_bytes(digest[8 + 2 * i:10 + 2 * i], "big") % len(choices)]
    return arguments


@lru_cache(maxsize=4)
def _generate(frozen):
    from .scenario import generate

    return generate(**dict(frozen))


def scenario_for(arguments):
    """generate(**arguments), once per process for the same arguments."""
    return _generate(tuple(sorted(arguments.items())))


# -- the course folder, the manifest and the learner being graded --------------------------------------------------

def _is_course_root(folder):
    return (folder / "nbgrader_config.py").is_file()


def course_root(cwd=None):
    """The nbgrader course folder: $COURSE_ROOT, else the nearest folder at or above cwd with nbgrader_config.py."""
    if os.environ.get("COURSE_ROOT"):
        return Path(os.environ["COURSE_ROOT"])
    here = Path(cwd or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if _is_course_root(folder):
            return folder
    return None


def _autograded_student(cwd):
    """<student> of a cwd <root>/autograded/<student>/<assignment> (stock nbgrader's autograde), else None."""
    try:
        here = Path(cwd or os.getcwd()).resolve()
    except OSError:  # the working folder was removed
        return None
    if len(here.parents) >= 2 and here.parents[1].name == "autograded" and _is_course_root(here.parents[2]):
        return here.parent.name
    return None


def graded_student(cwd=None):
    """The nbgrader student id being graded ($COURSE_STUDENT, else from the autograded folder), or None."""
    return os.environ.get("COURSE_STUDENT") or _autograded_student(cwd)


def manifest_path(root, assignment):
    return Path(root).joinpath(*MANIFEST_DIR, f"{assignment}.json")


def read_manifest(root, assignment):
    """The learners whose cases were released for the assignment (a set; empty without a manifest)."""
    try:
        data = json.loads(manifest_path(root, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return set(data.get("students", [])) if isinstance(data, dict) else set()


def write_manifest(root, assignment, students):
    """Add learners to the assignment's manifest (a learner released before keeps their case). Returns the set."""
    known = read_manifest(root, assignment) | set(students)
    path = manifest_path(root, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"assignment": assignment, "students": sorted(known)}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    tmp.replace(path)
    return known


def learner_case_arguments(root, assignment, student):
    """The learner's own case arguments when the course has a secret and released the learner a case, else None."""
    if not (root and student):
        return None
    secret = read_secret(root)
    if not secret or student not in read_manifest(root, assignment):
        return None
    return case_arguments(secret, assignment, student)


def default_case_arguments(notebook):
    """The default case of a source notebook: the arguments of its graded_case(..., seed=...) or
    cached_scenario(seed, ...) calls (all must agree), or None."""
    import ast

    found = set()
    for cell in json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code" or ("graded_case" not in source and "cached_scenario" not in source):
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if not isinstance(node, ast.Call) or name not in ("graded_case", "cached_scenario"):
                continue
            try:
                keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                positional = [ast.literal_eval(a) for a in node.args]
            except ValueError:
                continue
            if name == "cached_scenario" and positional:
                keywords.setdefault("seed", positional[0])
                for key, value in zip(("employees", "days"), positional[1:]):
                    keywords.setdefault(key, value)
            keywords.pop("default", None)
            if "seed" not in keywords:
                continue
            arguments = {**({"employees": 30, "days": 14} if name == "cached_scenario" else CASE_SIZE), **keywords}
            found.add(tuple(sorted(arguments.items())))
    if len(found) > 1:
        raise CaseError(t("cases.default_disagrees", notebook=notebook))
    return dict(found.pop()) if found else None


def _default_from_source(root, assignment):
    if not root:
        return None
    for notebook in sorted((Path(root) / "source" / assignment).glob("*.ipynb")):
        arguments = default_case_arguments(notebook)
        if arguments:
            return arguments
    return None


def graded_case(assignment, seed=None, employees=None, days=None, default=None, **options):
    """The Scenario of the learner being graded (see the module's docstring). seed/employees/days/options, or default
    (a Scenario), name the default case: the one in grading/source/<A>/logs, graded without a secret or a learner."""
    root = course_root()
    arguments = learner_case_arguments(root, assignment, graded_student())
    if arguments:
        return scenario_for(arguments)
    if default is not None:
        return default
    if seed is not None:
        return scenario_for({"seed": seed, "employees": employees or CASE_SIZE["employees"],
                             "days": days or CASE_SIZE["days"], **options})
    arguments = _default_from_source(root, assignment)
    if not arguments:
        raise CaseError(t("cases.no_default", assignment=assignment))
    return scenario_for(arguments)


def uses_cases(notebook_paths):
    """True when a source notebook's hidden tests grade per-learner cases (they call graded_case)."""
    for path in notebook_paths:
        for cell in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "code" and GRADED_CALL in source:
                return True
    return False


# -- the notebook side -----------------------------------------------------------------------------------------------

def learner_id():
    """Who runs the notebook: $JUPYTERHUB_USER (the classroom hub's account = nbgrader student id), else
    $COURSE_LEARNER, else the operating system's user name."""
    for name in ("JUPYTERHUB_USER", "COURSE_LEARNER"):
        if os.environ.get(name, "").strip():
            return os.environ[name].strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _case_files(folder):
    from .logs import LOG_NAMES

    return {name: next((p for p in (folder / f"{name}.csv", folder / f"{name}.csv.gz") if p.exists()),
                       folder / f"{name}.csv") for name in LOG_NAMES}


def read_case(folder):
    """{log: DataFrame} of a case folder holding <log>.csv or <log>.csv.gz files."""
    from .logs import read_log

    return {name: read_log(path, name) for name, path in _case_files(Path(folder)).items()}


def case_folder(folder=".", who=None, exact=False):
    """The folder load_case reads: cases/<who>/ (or the only case there, unless exact: while grading), else logs/."""
    folder = Path(folder)
    cases = folder / CASES_FOLDER
    if not cases.is_dir():
        return folder / "logs"
    who = who if who is not None else learner_id()
    names = sorted(p.name for p in cases.iterdir() if p.is_dir() and not p.name.startswith("."))
    if who in names:
        return cases / who
    if len(names) == 1 and not exact:  # an LMS zip carries only its learner's case
        return cases / names[0]
    raise CaseError(both("cases.not_yours", me=who or "?", folder=cases))


def load_case(folder="."):
    """This learner's logs, {log: DataFrame} as course.incident.logs.load_logs gives them."""
    from .logs import load_logs

    folder = Path(folder).resolve()
    student = graded_student(folder)
    path = case_folder(folder, who=student, exact=bool(student))
    if path.parent.name == CASES_FOLDER:
        return read_case(path)
    return load_logs(path)


# -- writing cases (course release) ----------------------------------------------------------------------------------

def case_csv_bytes(logs):
    """{file name: bytes} of a case as the CSV files write_logs makes."""
    from .logs import LOG_NAMES, csv_bytes

    return {f"{name}.csv": csv_bytes(logs[name], name) for name in LOG_NAMES}


def write_case(logs, folder, compress=True):
    """Write a case to folder as <log>.csv.gz (compress) or <log>.csv. Returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in case_csv_bytes(logs).items():
        path = folder / (name + ".gz" if compress else name)
        if compress:
            buffer = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as z:
                z.write(data)
            data = buffer.getvalue()
        path.write_bytes(data)
        paths.append(path)
    return paths


def case_key(truth):
    """What tells two cases apart for a learner: the first host, the entry time and the ransom extension."""
    return (truth.first_host, str(truth.entry_time), truth.ransom_extension)


# -- the helper lock -------------------------------------------------------------------------------------------------

_MODE = {"assignment": False, "allowed": 0}
_WRAPPED = {}


def assignment_mode(on=True):
    """Called by the locked import cell of a graded incident assignment: the analysis helpers are locked in this
    kernel from now on (on=False unlocks them again)."""
    _MODE["assignment"] = bool(on)


def helpers_locked():
    """True while an assignment notebook is open (assignment_mode) or while grading: COURSE_GRADING=1 (course grade),
    or a working folder <root>/autograded/<student>/<A> (stock nbgrader, also after a learner's assignment_mode(False))."""
    if _MODE["allowed"]:
        return False
    return _MODE["assignment"] or os.environ.get("COURSE_GRADING", "") == "1" or _autograded_student(None) is not None


@contextlib.contextmanager
def helpers_allowed():
    """Instructor code (hidden tests) may call the helpers inside this block."""
    _MODE["allowed"] += 1
    try:
        yield
    finally:
        _MODE["allowed"] -= 1


def _locked(func):
    wrapper = _WRAPPED.get(func)
    if wrapper is None:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if helpers_locked() and not caller.startswith("course."):
                raise HelperLocked(t("cases.helper_locked", name=f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"))
            return func(*args, **kwargs)
        _WRAPPED[func] = wrapper
    return wrapper


def guard_module(name):
    """Lock the public functions of module `name` (see helpers_locked): attribute access from outside the module gives
    a wrapper that raises HelperLocked when called while locked; the module's own calls are not affected."""
    module = sys.modules[name]

    class Guarded(types.ModuleType):
        def __getattribute__(self, attr):
            value = super().__getattribute__(attr)
            if (attr.startswith("_") or not isinstance(value, types.FunctionType)
                    or value.__module__ != name):
                return value
            return _locked(value)

    module.__class__ = Guarded
    return module
