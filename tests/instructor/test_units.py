"""Fast checks of the instructor toolkit's parts, without nbgrader runs: submission inspection, hidden-test stripping,
flag texts, fingerprints, and the kernel guard in a plain Python process."""

import copy
import json
import subprocess
import sys
import textwrap

from nbformat.v4 import new_code_cell, new_notebook

from fixtures import ROOT
from course.instructor.flags import reason
from course.instructor.hide_keys import strip_hidden
from course.instructor.integrity import inspect_notebook
from course.instructor.parallel_grade import fingerprint, merge_guard_events


def cell(source, grade_id, grade=False, solution=False, locked=False):
    return new_code_cell(source, metadata={"nbgrader": {"grade_id": grade_id, "grade": grade, "solution": solution,
                                                        "locked": locked, "schema_version": 3}})


def release():
    return new_notebook(cells=[
        cell("import x", "imports", locked=True),
        cell("# answer", "answer", solution=True),
        cell("assert answer == 1", "check", grade=True, locked=True),
    ])


def codes(flags):
    return sorted((f["code"], f["cell"]) for f in flags)


def test_an_untouched_submission_has_no_flags():
    assert inspect_notebook(release(), release()) == []


def test_the_instructors_copy_with_hidden_tests_is_not_an_edit():
    source = release()
    source.cells[2].source += "\n### BEGIN HIDDEN TESTS\nassert secret\n### END HIDDEN TESTS"
    assert inspect_notebook(release(), source) == []


def test_edited_deleted_and_duplicated_cells_are_found():
    edited = release()
    edited.cells[2].source = "pass"
    edited.cells[0].source = "import y"
    assert codes(inspect_notebook(release(), edited)) == [("locked_edited", "check"), ("locked_edited", "imports")]
    deleted = release()
    del deleted.cells[2]
    assert codes(inspect_notebook(release(), deleted)) == [("graded_cell_deleted", "check")]
    doubled = release()
    doubled.cells.insert(1, copy.deepcopy(doubled.cells[1]))
    assert inspect_notebook(release(), doubled) == [{"code": "graded_cell_duplicated", "cell": "answer", "detail": "2"}]


def test_strip_hidden_removes_only_the_hidden_region():
    source = "print('a')\n### BEGIN HIDDEN TESTS\nassert key == 42\n### END HIDDEN TESTS\nprint('b')"
    assert strip_hidden(source) == ("print('a')\nprint('b')", True)
    assert strip_hidden("print(1)") == ("print(1)", False)


def test_flag_reason_is_japanese_then_english():
    text = reason([{"code": "kernel_died", "cell": "q2_answer", "detail": ""}])
    assert text.startswith("セル q2_answer の実行中にカーネルが終了") and "(the kernel died in cell q2_answer" in \
        text.replace("（", "(")


def test_guard_events_are_merged_per_code():
    events = [{"code": "guard_restored", "cell": "", "detail": f"f{i}"} for i in range(8)]
    events.append({"code": "kernel_died", "cell": "q1", "detail": ""})
    merged = merge_guard_events(events)
    assert [e["code"] for e in merged] == ["guard_restored", "kernel_died"]
    assert merged[0]["detail"] == "f0, f1, f2, f3, f4, f5 … (+2)"


def test_fingerprint_changes_with_any_submitted_file(tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "answers" / "r.json").write_text("{}")
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    (tmp_path / "answers" / "r.json").write_text('{"x": 1}')
    assert fingerprint(tmp_path) != before


GUARD_SCRIPT = textwrap.dedent("""
    import builtins, json, os, sys
    from pathlib import Path
    root, own, log = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    import course, course.profile
    src = (Path(course.__file__).parent / "instructor" / "kernel_guard.py").read_text()
    ns = {"__name__": "_course_guard"}
    exec(src, ns)
    os.chdir(own)
    ns["install"]([str(root)], str(own), [str(own / "answers" / "r.json")], log, str(Path(course.__file__).parent))
    results = {}
    def attempt(name, action):
        try:
            action()
            results[name] = "allowed"
        except PermissionError:
            results[name] = "refused"
    attempt("read own", lambda: open("answers/r.json").read())
    attempt("read outside", lambda: open(root / "secret.txt").read())
    attempt("list outside", lambda: os.listdir(root))
    attempt("write record", lambda: open("answers/r.json", "w"))
    attempt("replace record", lambda: os.replace("answers/new.json", "answers/r.json"))
    attempt("write other", lambda: open("answers/new.json", "w").close())
    attempt("subprocess", lambda: __import__("subprocess").run(["true"]))
    from course.profile import load_profile
    sys.audit("course.guard", "locked", "n0")  # as after a locked cell: remembers load_profile
    fake = lambda store=None: "fake"
    course.profile.load_profile = fake
    load_profile = fake
    builtins.len = lambda x: 99
    sys.audit("course.guard", "restore", "n1")
    results["module restored"] = course.profile.load_profile is not fake
    results["name restored"] = load_profile is not fake
    results["builtin restored"] = len("ab") == 2
    print(json.dumps(results))
""")


def test_kernel_guard_refuses_and_restores(tmp_path):
    root = tmp_path / "grading"
    own = root / "autograded" / "s" / "a"
    (own / "answers").mkdir(parents=True)
    (own / "answers" / "r.json").write_text("{}")
    (own / "answers" / "new.json").write_text("{}")
    (root / "secret.txt").write_text("key")
    log = tmp_path / "guard.log"
    script = tmp_path / "guard_check.py"
    script.write_text(GUARD_SCRIPT)
    result = subprocess.run([sys.executable, str(script), str(root), str(own), str(log)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout.strip().splitlines()[-1])
    assert results == {"read own": "allowed", "read outside": "refused", "list outside": "refused",
                       "write record": "refused", "replace record": "refused", "write other": "allowed",
                       "subprocess": "refused", "module restored": True, "name restored": True,
                       "builtin restored": True}
    kinds = [line.split("\t")[0] for line in log.read_text().splitlines()]
    assert {"installed", "outside-read", "record-write", "command", "restored", "confirm"} <= set(kinds)


def test_unknown_assignment_is_a_japanese_message_listing_the_known_ones(tmp_path):
    import subprocess
    import sys

    (tmp_path / "source" / "a1").mkdir(parents=True)
    for verb in ("release", "collect", "grade", "feedback", "report"):
        result = subprocess.run([sys.executable, "-m", "course.cli", verb, "nosuch", "--root", str(tmp_path)],
                                capture_output=True, text=True)
        assert result.returncode == 2, verb
        assert "課題「nosuch」は grading/source にありません" in result.stderr and "a1" in result.stderr
        assert "Traceback" not in result.stderr
