"""`course workshop demo`: five (or N) invented teams go through the workshop end to end — worksheet, decisions,
peer ratings, the instructor's comments — written as real AnswerStore records, then every output is built from
those records exactly as for a real class:

    OUT/teams/<T>/answers/…            the records (as gathered from the team workspaces)
    OUT/teams/instructor/answers/…     the instructor's comments
    OUT/team_<T>/presentation.pptx, presentation.html, feedback.html
    OUT/comparison.html, OUT/comparison.pptx
"""

import string
from pathlib import Path

import numpy as np

from ..answers.store import AnswerStore
from ..errors import CourseError
from ..i18n import t
from ..yamlio import read_yaml
from . import content, feedback, folders, worksheet
from .comparison import compare
from .pages import comparison_page, feedback_page, team_page, write_page
from .slides import comparison_presentation, team_presentation

MAX_TEAMS = len(string.ascii_uppercase)


def demo_content():
    return read_yaml(content.WORKSHOP_DIR / "demo.yaml")


def simulate_worksheet(name, members, skill, rng):
    """A worksheet as a team of this skill (share of model answers and decisions) might write it."""
    demo = demo_content()
    sheet = worksheet.empty()
    sheet["team"], sheet["members"] = name, "、".join(members)
    sheet["roles"] = dict(zip(worksheet.ROLE_IDS, members[:3] + [members[0]] * (3 - len(members[:3]))))
    for inj in content.injects():
        model = [o["id"] for o in inj["options"] if o.get("model")]
        others = [o["id"] for o in inj["options"] if not o.get("model")]
        if inj["kind"] == "multi":
            chosen = [o for o in model if rng.random() < skill] + [o for o in others if rng.random() < (1 - skill) / 3]
            sheet["decisions"][inj["id"]] = [o["id"] for o in inj["options"] if o["id"] in chosen]
        else:
            sheet["decisions"][inj["id"]] = model[0] if rng.random() < skill else str(rng.choice(others))
    for phase in content.phases():  # a phase is thought through (the model) or typical; some fields stay empty
        answers = phase["model"] if rng.random() < skill else demo["typical"][phase["id"]]
        for q in content.question_ids():
            sheet["phases"][phase["id"]][q] = answers[q] if rng.random() >= (1 - skill) * 0.3 else ""
    sheet["lessons"] = "\n".join(rng.choice(demo["lessons"], size=2, replace=False))
    return sheet


def simulate_ratings(name, names, rng):
    demo = demo_content()
    scale = content.format_content()["feedback"]["scale"]
    return {"from": name, "ratings": {
        other: {**{c["id"]: int(rng.choice(scale[1:])) for c in content.criteria()},
                "comment": str(rng.choice(demo["comments"])), "improve": str(rng.choice(demo["improvements"]))}
        for other in names if other != name}}


def run_demo(out, teams=5, seed=17):
    """Simulate the teams and write every output; returns the list of files written (the records not included)."""
    if not 1 <= teams <= MAX_TEAMS:
        raise CourseError(t("workshop.bad_team_count", most=MAX_TEAMS, n=teams))
    out = Path(out)
    demo = demo_content()
    rng = np.random.default_rng(seed)
    names = list(string.ascii_uppercase[:teams])
    people = list(demo["members"])
    rng.shuffle(people)
    size = 4
    root = out / "teams"
    for i, name in enumerate(names):
        members = [people[(i * size + k) % len(people)] for k in range(size)]
        skill = demo["skills"][i % len(demo["skills"])]
        store = AnswerStore(root / name / "answers")
        store.save(worksheet.KEY, worksheet.KIND, simulate_worksheet(name, members, skill, rng))
        store.save(feedback.KEY, feedback.KIND, simulate_ratings(name, names, rng))
    comments = {name: str(demo["instructor"][i % len(demo["instructor"])]) for i, name in enumerate(names)}
    AnswerStore(root / folders.INSTRUCTOR / "answers").save(feedback.INSTRUCTOR_KEY, feedback.INSTRUCTOR_KIND,
                                                            {"comments": comments})
    return write_outputs(root, out)


def write_outputs(root, out):
    """From the gathered records in root (one folder per team, instructor/): every team's presentation (.pptx and
    .html) and feedback page, and the comparison (.html and .pptx). Returns the paths written."""
    out = Path(out)
    sheets = folders.load_teams(root)
    team_dirs = folders.team_folders(root)
    instructor = Path(root) / folders.INSTRUCTOR
    collected = feedback.collect(team_dirs, instructor if instructor.is_dir() else None)
    written = []
    for name, sheet in sheets.items():
        folder = out / f"team_{name}"
        folder.mkdir(parents=True, exist_ok=True)
        written.append(team_presentation(sheet, folder / "presentation.pptx"))
        written.append(write_page(folder / "presentation.html", team_page(sheet)))
        written.append(write_page(folder / "feedback.html", feedback_page(name, collected.get(name, {}))))
    result = compare(sheets)
    written.append(write_page(out / "comparison.html", comparison_page(result)))
    written.append(comparison_presentation(result, out / "comparison.pptx"))
    return written
