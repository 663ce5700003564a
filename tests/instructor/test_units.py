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
        assert result.returncode == 1, verb  # an error with a message (usage errors exit 2)
        assert "課題「nosuch」は grading/source にありません" in result.stderr and "a1" in result.stderr
        assert "Traceback" not in result.stderr


# -- issue #13: scoring outside the kernel ------------------------------------------------------------------------------

def test_graded_cell_is_split_into_kernel_and_scoring_parts():
    from course.instructor.graded_cells import free_names, locked_imports, split

    source = ("print(check(f, data))\n### BEGIN HIDDEN TESTS\nanswer = f(hidden)\n### SCORED BY THE GRADER\n"
              "from m import award\ntotal = award(3, answer)\ntotal\n### END HIDDEN TESTS")
    parts = split(source)
    assert parts.kernel == "print(check(f, data))\nanswer = f(hidden)"
    assert parts.score == "from m import award\ntotal = award(3, answer)\ntotal"
    assert split("x\n### BEGIN HIDDEN TESTS\ny = 1\ny\n### END HIDDEN TESTS").score == "y = 1\ny"
    assert free_names("r = [n for n in answer if ok(n)]\nlen(r) + sorted(r, key=lambda k: k)[0]", {"ok"}) == ["answer"]
    imports = locked_imports([cell("import pandas as pd\nfrom a.b import c\nx = 1", "imports", locked=True),
                              cell("import os", "answer", solution=True)])
    assert imports == "import pandas as pd\nfrom a.b import c"


def test_answers_cross_as_plain_data_only():
    import numpy as np
    import pandas as pd

    from course.answers.plain import NotPlain, dumps_plain, loads_plain

    class Anything(list):
        def __eq__(self, other):
            return True

        def __len__(self):
            return 16
    Anything.__module__ = "__main__"  # as a class defined in a notebook cell

    class Loud(str):
        def __eq__(self, other):
            return True

    frame = pd.DataFrame({"ID": ["a", "b"], "n": [1, 2], "ok": [True, False]}, index=pd.Index([3, 4], name="row"))
    value = {"ids": ("x", np.str_("y")), "set": {1, 2}, "frame": frame, "f": np.float64(0.5), "when": pd.Timestamp(0),
             "series": pd.Series([0.5], index=pd.MultiIndex.from_tuples([("a", "b")], names=["r", "c"])),
             "loud": Loud("5.20")}
    back = loads_plain(dumps_plain(value))
    assert back["ids"] == ("x", "y") and back["set"] == {1, 2} and type(back["f"]) is float
    pd.testing.assert_frame_equal(back["frame"], frame)
    pd.testing.assert_series_equal(back["series"], value["series"])
    assert back["when"] == pd.Timestamp(0)
    assert type(back["loud"]) is str and back["loud"] != "anything"
    for bad in (Anything(), print, object()):
        try:
            dumps_plain([bad])
        except NotPlain:
            continue
        raise AssertionError(bad)


def test_scorer_runs_the_scoring_part_on_plain_inputs_in_a_private_folder(tmp_path):
    from course.instructor.scorer import run

    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "note.json").write_text('"hello"')
    code = ("import json\nfrom pathlib import Path\nfrom course.rubric.lines import award\n"
            "saved = json.loads(Path('answers/note.json').read_text())\n"
            "award(2, [{'id': 'a', 'label': 'A', 'covered': answer == ['5.20']}, "
            "{'id': 'b', 'label': 'B', 'covered': saved == 'hello'}])")
    out, err, value, error = run(code, "import os", {"answer": ["5.20"]}, str(tmp_path))
    assert (value, error, err) == (2.0, None, "")
    assert out.splitlines() == ["RUBRIC a covered A", "RUBRIC b covered B"]
    _, _, value, error = run("undefined_answer[0]", "", {}, str(tmp_path))
    assert value is None and error["ename"] == "NameError"
    _, _, value, error = run("'2.0'", "", {}, str(tmp_path))
    assert value is None and error is None  # only a number is points; the executor gives none for this


SHELL_SCRIPT = textwrap.dedent("""
    import json, sys
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.lib import pretty
    shell = InteractiveShell.instance()
    source = open(sys.argv[2], encoding="utf-8").read()
    exec(source + "\\ninstall([], '.', [], sys.argv[1], 'course')", {"__name__": "_course_guard", "sys": sys})
    float_printer = shell.display_formatter.formatters["text/plain"].type_printers.get(float)
    learner = '''
    ip = get_ipython()
    ip.ast_node_interactivity = "none"
    ip.input_transformers_post.append(lambda lines: ["pass"])
    ip.display_formatter.formatters["text/plain"].for_type(float, lambda v, p, c: p.text("2.0"))
    ip.events.register("post_run_cell", lambda result: None)
    sys.settrace(lambda *a: None)
    class Library: pass
    ip.display_formatter.formatters["text/plain"].for_type(Library, pretty._repr_pprint)  # library code: kept
    '''
    exec(learner.replace("\\n    ", "\\n"), {"get_ipython": InteractiveShell.instance, "sys": sys, "pretty": pretty})
    sys.audit("course.guard", "restore", "n1")
    formatter = shell.display_formatter.formatters["text/plain"]
    print(json.dumps({"interactivity": shell.ast_node_interactivity, "transformers": len(shell.input_transformers_post),
                      "float printer": formatter.type_printers.get(float) is float_printer, "callbacks":
                      len(shell.events.callbacks["post_run_cell"]), "trace": sys.gettrace() is None,
                      "library kept": pretty._repr_pprint in formatter.type_printers.values()}))
""")


def test_kernel_guard_puts_the_ipython_shell_back_and_logs_it(tmp_path):
    from course.instructor.guarded_execute import GUARD_SOURCE

    (tmp_path / "guard.py").write_text(GUARD_SOURCE, encoding="utf-8")
    (tmp_path / "shell_check.py").write_text(SHELL_SCRIPT, encoding="utf-8")
    log = tmp_path / "guard.log"
    result = subprocess.run([sys.executable, str(tmp_path / "shell_check.py"), str(log), str(tmp_path / "guard.py")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "interactivity": "last_expr", "transformers": 0, "float printer": True, "callbacks": 0, "trace": True,
        "library kept": True}
    undone = {line.split("\t")[1] for line in log.read_text().splitlines() if line.startswith("shell\t")}
    assert {"InteractiveShell.ast_node_interactivity", "input_transformers_post", "text/plain.type_printers",
            "events.post_run_cell", "sys.settrace"} <= undone


def test_every_graded_test_cell_of_the_course_is_scored_by_the_grader():
    """Each graded test cell in grading/source has hidden tests whose scoring part ends with award(...): `course
    grade` scores it outside the kernel (a cell without hidden tests would be scored by its kernel output)."""
    import ast

    import nbformat

    from course.instructor.graded_cells import BEGIN, split

    cells = 0
    for path in sorted((ROOT / "grading" / "source").glob("*/*.ipynb")):
        for c in nbformat.read(path, as_version=4).cells:
            meta = c.metadata.get("nbgrader", {})
            if c.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            cells += 1
            assert BEGIN in c.source, (path.name, meta["grade_id"])
            last = ast.parse(split(c.source).score).body[-1]
            assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), (path.name, meta["grade_id"])
            name = last.value.func.id if isinstance(last.value.func, ast.Name) else ""
            # grade() and grade_with_evidence(): the incident checks, which end in award()
            assert name in ("award", "grade", "grade_with_evidence"), (path.name, meta["grade_id"])
    assert cells == 2 + 10 + 8 + 7 + 7
