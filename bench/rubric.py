"""How fast are the self-check and the workbench? Prints drafts scored per second for several draft sizes, one
self-check in ms, and the time to build a Workbench, each as a ratio of the 100 ms in which a response feels instant.

Run: .venv/bin/python bench/rubric.py
"""

import tempfile
import time

from course.catalog import catalog
from course.drafting import fit
from course.drafting.drafts import save_draft
from course.answers.store import AnswerStore
from course.drafting.widgets import Workbench
from course.i18n import strings
from course.rubric import score_draft
from course.rubric.score import _rubric
from course.rubric.text import normalize

CONTROL = "6.7"
INSTANT_MS = 100  # a response within about 0.1 s feels instantaneous


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


def main():
    # A notebook has loaded the catalog and the UI strings long before its first self-check.
    print(f"once per kernel: catalog load {timed_ms(catalog):.0f} ms, UI strings load {timed_ms(strings):.0f} ms")
    normal = model_draft(CONTROL)
    _rubric.cache_clear()
    first_ms = timed_ms(lambda: score_draft(normal))  # compiles the rubric's terms
    warm_ms = timed_ms(lambda: score_draft(normal))
    print(f"one self-check, control {CONTROL} model draft: first {first_ms:.1f} ms, then {warm_ms:.2f} ms"
          f"  ({first_ms / INSTANT_MS:.2f} and {warm_ms / INSTANT_MS:.3f} of the {INSTANT_MS} ms instant budget)")
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
