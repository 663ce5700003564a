"""How fast are the self-check and the workbench? Prints the first self-check in a fresh kernel (the Japanese
analyser's dictionary and the concept lexicon loaded on the way), the median of later checks of a normal draft, drafts
scored per second for several draft sizes, and the time to build a Workbench, against the budgets of issue #12
(first check 300 ms, then 20 ms) and the 100 ms in which a response feels instant.

Run: .venv/bin/python bench/rubric.py
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

from course.catalog import catalog
from course.drafting import fit
from course.drafting.drafts import save_draft
from course.answers.store import AnswerStore
from course.drafting.widgets import Workbench
from course.i18n import strings
from course.rubric import score_draft
from course.rubric.text import normalize

CONTROL = "6.7"
INSTANT_MS = 100  # a response within about 0.1 s feels instantaneous
FIRST_CHECK_MS = 300
CHECK_MS = 20
# A fresh kernel has imported the course and loaded the catalog and the UI strings before the learner's first check.
FRESH_KERNEL = """
import time
from course.catalog import catalog
from course.drafting.fit import model_draft
from course.i18n import strings
catalog(); strings(); draft = model_draft("{control}")
from course.rubric import score_draft
start, cpu = time.perf_counter(), time.process_time()
score_draft(draft)
print((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)
"""


def model_draft(number, copies=1):
    """The control's model answer as a Draft, its statements and steps repeated `copies` times."""
    draft = fit.model_draft(number)
    draft.statements, draft.steps = draft.statements * copies, draft.steps * copies
    return draft


def one_megabyte_draft(number):
    """A draft whose single statement field holds about 1 MB of text (a pasted document)."""
    draft = model_draft(number)
    sentence = draft.statements[0]
    repeat = 1_000_000 // len(sentence.encode("utf-8")) + 1
    draft.statements = [sentence * repeat] + draft.statements[1:]
    return draft


def rate(draft, min_seconds=1.0):
    """Scores per second, measured over at least min_seconds (at least 3 runs)."""
    runs, start = 0, time.perf_counter()
    while True:
        score_draft(draft)
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and runs >= 3:
            return runs / elapsed


def timed_ms(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def first_check_in_a_fresh_kernel(runs=5):
    """Medians over fresh processes of the first self-check (dictionary, lexicon and rubric loaded on the way):
    (wall ms, CPU ms). CPU time is what the check costs when the machine is not shared."""
    runs = [subprocess.run([sys.executable, "-c", FRESH_KERNEL.format(control=CONTROL)], check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(runs)]
    return statistics.median(float(r[0]) for r in runs), statistics.median(float(r[1]) for r in runs)


def later_checks(draft, runs=50):
    """Medians (wall ms, CPU ms) of checks after the first; each check is of a draft the learner has just edited
    (caches of sentences emptied, as a changed text would miss them)."""
    from course.rubric import analyser, sentence
    wall, cpu = [], []
    for _ in range(runs):
        analyser.tokens.cache_clear()
        sentence.analyse.cache_clear()
        start = time.process_time()
        wall.append(timed_ms(lambda: score_draft(draft)))
        cpu.append((time.process_time() - start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main():
    print(f"once per kernel: catalog load {timed_ms(catalog):.0f} ms, UI strings load {timed_ms(strings):.0f} ms")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times do not)")
    first_ms, first_cpu = first_check_in_a_fresh_kernel()
    print(f"first self-check in a fresh kernel, control {CONTROL} model draft: {first_ms:.0f} ms wall, "
          f"{first_cpu:.0f} ms CPU (budget {FIRST_CHECK_MS} ms: {first_cpu / FIRST_CHECK_MS:.2f} of it in CPU)")
    normal = model_draft(CONTROL)
    score_draft(normal)
    warm_ms, warm_cpu = later_checks(normal)
    print(f"later self-checks, median of 50 (sentences re-analysed each time): {warm_ms:.1f} ms wall, "
          f"{warm_cpu:.1f} ms CPU (budget {CHECK_MS} ms: {warm_cpu / CHECK_MS:.2f} of it in CPU)")
    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(folder)
        empty_ms = min(timed_ms(lambda: Workbench(CONTROL, store=store)) for _ in range(3))
        print(f"Workbench build, empty: {empty_ms:.0f} ms ({empty_ms / INSTANT_MS:.2f} of the instant budget)")
        for copies in (1, 10):
            save_draft(model_draft(CONTROL, copies), store)
            ms = min(timed_ms(lambda: Workbench(CONTROL, store=store)) for _ in range(3))
            print(f"Workbench build, restoring the model draft x{copies}: {ms:.0f} ms ({ms / INSTANT_MS:.2f})")

    cases = [
        ("model draft", normal),
        ("model x10", model_draft(CONTROL, 10)),
        ("model x100", model_draft(CONTROL, 100)),
        ("1 MB statement", one_megabyte_draft(CONTROL)),
    ]
    print(f"{'draft':<16}{'characters':>12}{'drafts/s':>12}{'ms/draft':>12}")
    for name, draft in cases:
        chars = sum(map(len, draft.statements)) + sum(len(s.what) for s in draft.steps)
        per_second = rate(draft)
        print(f"{name:<16}{chars:>12,}{per_second:>12.1f}{1000 / per_second:>12.2f}")

    text = one_megabyte_draft(CONTROL).statements[0]
    print(f"normalize() of {len(text.encode('utf-8')) / 1e6:.1f} MB: {timed_ms(lambda: normalize(text)):.0f} ms")


if __name__ == "__main__":
    main()
