"""The labelled evaluation corpus (tests/rubric/corpus/, read by bench/rubric_agreement.py): well formed, judged as
the issue's targets require on both splits, and every draft's score pinned so that grades do not drift."""

import importlib.util
import json

import pytest

from course.catalog import catalog
from fixtures import ROOT

_spec = importlib.util.spec_from_file_location("rubric_agreement", ROOT / "bench" / "rubric_agreement.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SPLIT_PREFIX = {"tuning": "t-", "heldout": "h-"}


@pytest.fixture(scope="module")
def scored():
    return {split: [bench.score(control, case) for control, case in bench.load(split)] for split in bench.SPLITS}


@pytest.mark.parametrize("split", bench.SPLITS)
def test_corpus_is_well_formed(split):
    cases = bench.load(split)
    assert cases, f"no drafts in {split}"
    ids = [case["id"] for _, case in cases]
    assert len(ids) == len(set(ids))
    for control, case in cases:
        assert case["id"].startswith(SPLIT_PREFIX[split]) and case["kind"] in bench.KIND_ORDER, case["id"]
        assert set(case["elements"]) == {e.id for e in catalog()[control].rubric}, case["id"]


@pytest.mark.parametrize("split", bench.SPLITS)
def test_agreement_meets_the_targets(scored, split):
    drafts = scored[split]
    assert bench.pairwise(drafts) >= bench.TARGETS["pairwise"]
    elements = sum(s.agree for s in drafts) / sum(s.elements for s in drafts)
    assert elements >= bench.TARGETS["elements"]
    kinds = {}
    for s in drafts:
        kinds.setdefault(s.kind, []).append(s.score)
    mean = {k: sum(v) / len(v) for k, v in kinds.items()}
    assert all(mean[k] <= bench.TARGETS["vacuous_max"] for k in bench.VACUOUS if k in mean)
    assert mean["everyday_good"] >= bench.TARGETS["everyday_min"]
    assert max(kinds["english"]) == 0.0


def test_scores_are_pinned(scored):
    pinned = json.loads(bench.PINNED.read_text(encoding="utf-8"))
    now = {s.id: s.score for split in scored.values() for s in split}
    assert set(now) == set(pinned), "corpus changed: re-pin with `python bench/rubric_agreement.py --pin`"
    drifted = sorted(i for i in now if now[i] != pinned[i])
    assert not drifted, f"{len(drifted)} scores drifted (dictionary or engine changed?)"
