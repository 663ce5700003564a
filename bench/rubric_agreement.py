"""Does the self-check judge drafts the way a reviewer does? Scores the labelled corpus (tests/rubric/corpus/) and
prints, for the tuning split and the held-out split: the mean score per kind of draft, the pairwise ranking accuracy
(good > weak > hedged / vacuous, within each control), the share of rubric elements judged as the author labelled
them, and the issue's targets. The last line is `held-out: pairwise accuracy 0.xx, element accuracy 0.xx`.

Run: .venv/bin/python bench/rubric_agreement.py [--details] [--pin]
  --details lists the tuning split's disagreements (the held-out split is only ever reported in aggregate);
  --pin writes every corpus draft's score to tests/rubric/corpus_scores.json, which tests/rubric/test_corpus.py
  compares against, so that grades do not drift between installs (re-pin only when the engine changes on purpose).
"""

import json

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import yaml

from course.answers.draft import Draft
from course.rubric import score_draft

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "rubric" / "corpus"
PINNED = CORPUS.parent / "corpus_scores.json"
SPLITS = ("tuning", "heldout")
GOOD = ("model_good", "everyday_good", "adapted_good")
VACUOUS = ("hedged", "salad", "keyword_sentence", "negated")
# Rank of each kind in the pairwise test: a draft must score above every draft of a lower rank of the same control.
RANK = {**{k: 2 for k in GOOD}, "weak": 1, **{k: 0 for k in VACUOUS}}
KIND_ORDER = (*GOOD, "weak", *VACUOUS, "other_control", "english")
TARGETS = {"vacuous_max": 0.5, "gap_below_good": 0.3, "everyday_min": 0.7, "pairwise": 0.95, "elements": 0.90}


@dataclass
class Scored:
    id: str
    control: str
    kind: str
    score: float
    agree: int     # elements judged as labelled
    elements: int
    wrong: list    # (element id, label, judged)


def load(split):
    cases = []
    for path in sorted((CORPUS / split).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data.get("drafts") or []:
            cases.append((str(data["control"]), case))
    return cases


def score(control, case):
    draft = Draft.from_dict({**case["draft"], "control": control})
    feedback = score_draft(draft)
    covered = set(feedback.covered)
    labels = case.get("elements") or {}
    wrong = [(e, bool(v), e in covered) for e, v in labels.items() if bool(v) != (e in covered)]
    return Scored(case["id"], control, case["kind"], feedback.score, len(labels) - len(wrong), len(labels), wrong)


def pairwise(scored):
    """Share of ordered pairs (higher rank, lower rank) of one control whose scores are in that order (ties: half)."""
    right = total = 0.0
    by_control = defaultdict(list)
    for s in scored:
        if s.kind in RANK:
            by_control[s.control].append(s)
    for drafts in by_control.values():
        for a in drafts:
            for b in drafts:
                if RANK[a.kind] > RANK[b.kind]:
                    total += 1
                    right += 1 if a.score > b.score else 0.5 if a.score == b.score else 0
    return right / total if total else float("nan")


def targets(scored):
    """Lines on the issue's targets: vacuous drafts low and well below their control's good drafts; everyday good
    drafts high."""
    good = defaultdict(list)
    for s in scored:
        if s.kind in GOOD:
            good[s.control].append(s.score)
    vacuous = [s for s in scored if s.kind in VACUOUS]
    too_high = sum(1 for s in vacuous if s.score > TARGETS["vacuous_max"])
    too_close = sum(1 for s in vacuous if good[s.control] and s.score > mean(good[s.control]) - TARGETS["gap_below_good"])
    everyday = [s.score for s in scored if s.kind == "everyday_good"]
    low = sum(1 for x in everyday if x < TARGETS["everyday_min"])
    return [
        f"  hedged/vacuous drafts above {TARGETS['vacuous_max']}: {too_high} of {len(vacuous)}; less than "
        f"{TARGETS['gap_below_good']} below their control's good drafts: {too_close}",
        f"  everyday good drafts below {TARGETS['everyday_min']}: {low} of {len(everyday)}"
        + (f" (lowest {min(everyday):.2f})" if everyday else ""),
    ]


def report(split, details=False):
    cases = load(split)
    if not cases:
        print(f"{split}: no drafts yet")
        return None, None
    scored = [score(control, case) for control, case in cases]
    controls = sorted({s.control for s in scored}, key=lambda n: tuple(map(int, n.split("."))))
    print(f"== {split}: {len(scored)} drafts, {len(controls)} controls ({', '.join(controls)})")
    kinds = defaultdict(list)
    for s in scored:
        kinds[s.kind].append(s.score)
    for kind in sorted(kinds, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)):
        values = kinds[kind]
        print(f"  {kind:<17} n={len(values):<3} mean {mean(values):.2f}  min {min(values):.2f}  max {max(values):.2f}")
    pair = pairwise(scored)
    elements = sum(s.agree for s in scored) / max(1, sum(s.elements for s in scored))
    print(f"  pairwise accuracy {pair:.2f}, element accuracy {elements:.2f}")
    for line in targets(scored):
        print(line)
    if details and split == "tuning":
        for s in scored:
            if s.wrong:
                print(f"    {s.id} {s.score:.2f}: " + ", ".join(
                    f"{e} {'missed' if label else 'wrongly covered'}" for e, label, _ in s.wrong))
    return pair, elements


def pin():
    scores = {case["id"]: score(control, case).score for split in SPLITS for control, case in load(split)}
    PINNED.write_text(json.dumps(dict(sorted(scores.items())), indent=0) + "\n", encoding="utf-8")
    print(f"pinned {len(scores)} scores in {PINNED}")


def main(argv):
    if "--pin" in argv:
        pin()
    details = "--details" in argv
    results = {split: report(split, details) for split in SPLITS}
    pair, elements = results["heldout"]
    if pair is None:
        print("held-out: no drafts yet")
    else:
        print(f"held-out: pairwise accuracy {pair:.2f}, element accuracy {elements:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
