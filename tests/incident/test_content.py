"""The incident content files: every text in Japanese and English, complete sentences, every UI key defined."""

import re
from pathlib import Path

import pytest

from course.i18n import strings
from course.incident import checks as C
from course.incident import content
from course.incident import tabletop as TT
from course.incident.triage import triage_content

FILES = sorted(p.stem for p in content.INCIDENT_DIR.glob("*.yaml"))
PACKAGE = Path(content.__file__).parent


def texts(node, path=""):
    """Every {ja, en} pair in a YAML tree."""
    if isinstance(node, dict):
        if "ja" in node and "en" in node and isinstance(node["ja"], str):
            yield path, node["ja"], node["en"]
        for k, v in node.items():
            yield from texts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from texts(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", FILES)
def test_texts_are_complete_in_both_languages(name):
    for path, ja, en in texts(content.load(name)):
        assert ja.strip() and en.strip(), path
        assert ja.count("（") == ja.count("）") and ja.count("「") == ja.count("」"), (path, ja)
        assert en.count("(") == en.count(")"), (path, en)
        assert not re.search(r"(CISA|IPA|NIST)\s*$", ja), (path, ja)   # a '#' cut a sentence short


def test_forms_decisions_triage_and_tabletop_load():
    assert set(C.forms()) >= {"ir_detect", "ir_analyze", "ir_contain", "ir_recover", "ir_post"}
    for decision in C.decisions().values():
        assert any(o["correct"] for o in decision["options"]) and any(not o["correct"] for o in decision["options"])
    assert 6 <= len(triage_content()[2]) <= 8
    assert TT.model_decisions()


def test_every_ui_key_used_by_the_incident_code_exists():
    table = strings()
    used = set()
    for path in PACKAGE.glob("*.py"):
        used |= set(re.findall(r"""t\(\s*f?["'](incident\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    used = {u for u in used if not u.endswith(".")}
    missing = sorted(u for u in used if u not in table)
    assert not missing, missing
    for key in ("incident.param.seed", "incident.check.order_depends", "incident.check.order_downtime",
                "incident.plot.backup_clean", "incident.plot.backup_dirty", "incident.plot.backup_failed"):
        assert key in table


def test_triage_treats_the_exploited_vpn_flaw_as_part_of_the_live_incident():
    by_id = {r.id: r for r in triage_content()[2]}
    assert by_id["R5"].level == by_id["R1"].level == 1
    assert "R1" in by_id["R5"].why and "侵入口" in by_id["R5"].why
