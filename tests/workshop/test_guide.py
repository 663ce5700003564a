"""The facilitator guide (docs/facilitator_guide.md) is complete: it holds the timings, the roles, every inject with
its release time, every phase and every debrief question as the workshop content has them, and the commands."""

import re

from fixtures import ROOT

from course.workshop import content

GUIDE = (ROOT / "docs" / "facilitator_guide.md").read_text(encoding="utf-8")


def test_timings_and_roles():
    for stage in content.stages():
        assert re.search(rf"\| {stage['ja']} \| {stage['minutes']} 分 \| {re.escape(content.text(stage['what']))} \|", GUIDE)
    for role in content.roles():
        assert f"| {role['ja']} | {content.text(role['duty'])} |" in GUIDE


def test_every_inject_with_its_release_time_and_question():
    rows = {}
    for line in GUIDE.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].endswith(" 分") and cells[0][:-2].isdigit():
            rows[cells[1]] = (int(cells[0][:-2]), cells[3], cells[4])
    for inj in content.injects():
        phases = "、".join(p["ja"] for p in content.phases() if inj["id"] in p["injects"])
        question = content.text(inj["question"]).split("（")[0]
        assert rows.get(inj["time"]) == (inj["release"], question, phases), inj["id"]


def test_phases_debrief_and_commands():
    for phase in content.phases():
        assert f"| {phase['ja']} |" in GUIDE
    for i, question in enumerate(content.debrief_questions(), 1):
        assert f"{i}. {content.text(question)}" in GUIDE
    for command in ("course workshop demo", "course workshop compare", "course workshop feedback",
                    "course workshop summary"):
        assert command in GUIDE
    for heading in ("教室サーバ（JupyterHub）で行う", "1 チーム 1 台の PC で行う", "1 人で学ぶ"):
        assert heading in GUIDE
