"""Regenerate the integrity fixture submissions (tests/files/integrity/*.ipynb) from the 00_orientation release.

    .venv/bin/python tests/files/make_integrity_fixtures.py

Each fixture is the learner version of 00_orientation with one attempt to break or fool grading. The honest score
each must get is asserted in tests/instructor/test_grading.py (EXPECTED there), with the answer records submitted
beside it. Outputs are never stored (nbgrader clears them anyway).

The fixtures of issue #13 (SHELL_TRICKS) leave every answer blank and are handed in with an empty profile record
(honest score 0 of 4); from an answer cell they change the notebook's environment with ordinary IPython and Python
features. Each of them earns points from stock `nbgrader autograde` (the test shows it), none from `course grade`.
"""

import copy
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "integrity"

CORRECT = ("table = pd.DataFrame([c.summary() for c in controls()])\n"
           "mask = (table['theme'] == 'organizational') & ~table['verified']\n"
           "unverified_numbers = list(table.loc[mask, 'number'])\n")

# The learner's cells. Each fixture replaces the source of some cells (by grade_id) and may add or remove cells.
MONKEYPATCH = """
# 採点用の関数を「いつも満点」に書き換える試み / try to make the checkers always pass
import builtins
import course.profile
from course.profile import CompanyProfile

FULL = CompanyProfile(company="偽物株式会社", industry="偽装業", employees=99, sites="どこか")
course.profile.load_profile = lambda store=None: FULL
load_profile = lambda store=None: FULL
builtins.sum = lambda values, start=0: 4
try:
    CompanyProfile.from_dict = classmethod(lambda cls, data: FULL)
except PermissionError as exc:
    print("refused:", exc)
"""

REWRITE_RECORD = """form = ProfileForm()
# 採点中に回答記録を満点の内容へ書き換え続ける試み / keep rewriting the answer record while the tests run
import json, os, threading, time
FULL = {"schema": "course.answer/1", "key": "company_profile", "kind": "profile", "revision": 99,
        "saved_at": "2026-11-29T10:00:00+09:00",
        "data": {"company": "偽物株式会社", "industry": "偽装業", "employees": 99, "sites": "どこか"}}

def rewrite():
    for _ in range(50):
        for how in ("replace", "open"):
            try:
                if how == "replace":
                    with open("answers/tmp.json", "w", encoding="utf-8") as f:
                        json.dump(FULL, f, ensure_ascii=False)
                    os.replace("answers/tmp.json", "answers/company_profile.json")
                else:
                    with open("answers/company_profile.json", "w", encoding="utf-8") as f:
                        json.dump(FULL, f, ensure_ascii=False)
            except OSError:
                pass
        time.sleep(0.05)

rewrite()
threading.Thread(target=rewrite, daemon=True).start()
form
"""

READ_KEYS = """
# 採点フォルダの外から模範解答と隠しテストを探す試み / look for the model answer and hidden tests outside its folder
import glob, json, subprocess
from pathlib import Path
import course

candidates = [Path.cwd().parents[i] for i in range(min(4, len(Path.cwd().parents)))]
candidates.append(Path(course.__file__).resolve().parents[1] / "grading")
found = []
for base in candidates:
    try:
        found += glob.glob(str(base / "source" / "*" / "*.ipynb"))
    except OSError:
        pass
for path in found:
    try:
        cells = json.load(open(path, encoding="utf-8"))["cells"]
    except (OSError, ValueError):
        continue
    for cell in cells:
        text = "".join(cell["source"])
        if "BEGIN SOLUTION" in text and "unverified_numbers" in text:
            exec(text.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
try:
    subprocess.run(["cat", str(candidates[-1] / "source" / "00_orientation" / "00_orientation.ipynb")])
except OSError:
    pass
"""

# Issue #13: blank answers, an empty profile record, and one change to the environment (in the form cell of q1,
# before both graded cells).
SHELL_TRICKS = {
    # how results are displayed: every number the graded cells display reads as full marks
    "display-formatter": """
plain = get_ipython().display_formatter.formatters["text/plain"]
plain.for_type(float, lambda value, p, cycle: p.text("2.0"))
plain.for_type(int, lambda value, p, cycle: p.text("2"))
""",
    "display-hook": """
hook = get_ipython().displayhook
computed = hook.compute_format_data

def full_marks(result):
    data, metadata = computed(result)
    if isinstance(result, (int, float)):
        data = dict(data, **{"text/plain": "2.0"})
    return data, metadata

hook.compute_format_data = full_marks
""",
    # whether the last expression is displayed: no output and no error is full marks for nbgrader
    "no-auto-display": """
get_ipython().ast_node_interactivity = "none"
""",
    # rewriting cells before they run
    "input-transformer": """
def skip_checks(lines):
    text = "".join(lines)
    return ["pass"] if "採点用" in text or "確認用" in text else lines

get_ipython().input_transformers_post.append(skip_checks)
""",
    "ast-transformer": """
import ast

class FullMarks(ast.NodeTransformer):
    def visit_Module(self, node):
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if "award" in names or "unverified_numbers" in names:
            node.body = [ast.Expr(ast.Constant(2.0))]
        return node

get_ipython().ast_transformers.append(FullMarks())
""",
    # an answer object that compares equal to anything
    "equal-anything": """
class Anything(list):
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
    def __len__(self):
        return 16
    def __getitem__(self, index):
        return Anything()
    def __iter__(self):
        return iter([])

unverified_numbers = Anything()
""",
    # custom exception handlers (with an event callback that forgets the error)
    "exception-handler": """
ip = get_ipython()
ip.set_custom_exc((Exception,), lambda shell, etype, value, tb, tb_offset=None: None)

def forget_error(result):
    result.error_in_exec = None

ip.events.register("post_run_cell", forget_error)
""",
    # event callbacks: replace the record reader again just before each cell runs (after any restoring)
    "event-callback": """
import course.profile
from course.profile import CompanyProfile

FULL = CompanyProfile(company="偽物株式会社", industry="偽装業", employees=99, sites="どこか")

def fake_reader(info):
    course.profile.load_profile = lambda store=None: FULL
    get_ipython().user_ns["load_profile"] = course.profile.load_profile

get_ipython().events.register("pre_run_cell", fake_reader)
""",
    # trace hooks: change the graded cell's variables while it runs
    "trace-hook": """
import sys
from course.profile import CompanyProfile

FULL = CompanyProfile(company="偽物株式会社", industry="偽装業", employees=99, sites="どこか")

def tracer(frame, event, arg):
    if "award" not in frame.f_code.co_names:
        return None
    def line(frame, event, arg):
        if isinstance(frame.f_globals.get("record"), CompanyProfile):
            frame.f_globals["record"] = FULL
        return line
    return line

sys.settrace(tracer)
""",
}

FIXTURES = {
    # name: {grade_id: new source}, plus special changes below
    "edits-locked-cell": {"q2_answer": "unverified_numbers = []\n",
                          "q2_check": "# テストを消して満点を狙う試み / the learner replaced the test\nunverified_numbers = ['5.20']\n",
                          "q1_profile_record": "2\n"},
    "monkeypatch-checker": {"q1_form": "form = ProfileForm()\n" + MONKEYPATCH + "form\n", "q2_answer": CORRECT},
    "rewrites-record": {"q1_form": REWRITE_RECORD, "q2_answer": CORRECT},
    "reads-keys-outside": {"q2_answer": READ_KEYS},
    "prints-10mb": {"q2_answer": CORRECT + "print('x' * 10_000_000)\n"},
    "os-exit": {"q1_form": "form = ProfileForm()\nimport os\nos._exit(0)\nform\n", "q2_answer": CORRECT},
    "infinite-loop": {"q2_answer": CORRECT + "while True:\n    pass\n"},
    "swallows-interrupt": {"q2_answer": CORRECT + "import time\nwhile True:\n    try:\n        time.sleep(1)\n"
                                                  "    except KeyboardInterrupt:\n        pass\n"},
    "deleted-graded-cell": {"q2_answer": CORRECT},
    "duplicated-graded-cell": {"q2_answer": CORRECT},
    "missing-record": {"q2_answer": CORRECT},
    "slow-notebook": {"q2_answer": CORRECT},
    **{name: {"q1_form": "form = ProfileForm()\n" + source + "form\n"} for name, source in SHELL_TRICKS.items()},
}


def cell_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def make(release_nb):
    made = {}
    for name, sources in FIXTURES.items():
        nb = copy.deepcopy(release_nb)
        for grade_id, source in sources.items():
            nb.cells[cell_index(nb, grade_id)].source = source
        if name == "deleted-graded-cell":
            del nb.cells[cell_index(nb, "q2_check")]
        if name == "duplicated-graded-cell":
            i = cell_index(nb, "q1_profile_record")
            twin = copy.deepcopy(nb.cells[i])
            twin.id = twin.id + "-twin"
            nb.cells.insert(i, twin)
        if name == "slow-notebook":
            # learner cells that each stay under the cell limit but together pass the notebook limit
            i = cell_index(nb, "q2_answer")
            for n in range(8):
                extra = nbformat.v4.new_code_cell(f"import time\ntime.sleep(4)  # 計算に時間がかかるセル {n + 1}")
                extra.id = f"slow-{n + 1}"  # stable ids: regenerating leaves the file as it was
                nb.cells.insert(i, extra)
        made[name] = nb
    return made


def main():
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures.nbgrader import make_course, release_notebook

    with tempfile.TemporaryDirectory() as tmp:
        course = make_course(tmp, "00_orientation")
        release_nb = release_notebook(course, "00_orientation")
    OUT.mkdir(exist_ok=True)
    for name, nb in make(release_nb).items():
        nbformat.write(nb, OUT / f"{name}.ipynb")
        print(OUT / f"{name}.ipynb")
    subprocess.run([sys.executable, "-m", "course.cli", "clean-notebooks", str(OUT)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
