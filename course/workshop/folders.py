"""Where the workshop's records are when the instructor gathers them: one folder per team, each with the team's
answers/ (downloaded from the team workspaces, or the demo's), and optionally instructor/answers/:

    teams/A/answers/workshop_worksheet.json, teams/A/answers/workshop_feedback.json, …, teams/instructor/answers/…
"""

from pathlib import Path

from ..answers.store import AnswerStore
from ..errors import CourseError
from ..i18n import t
from .worksheet import KEY, KIND, normalize

INSTRUCTOR = "instructor"


def answers_dir(folder):
    """folder/answers when it exists, else folder itself (a path to an answers folder is accepted too)."""
    folder = Path(folder)
    return folder / "answers" if (folder / "answers").is_dir() else folder


def read_worksheet(answers):
    """The worksheet in an answers folder; CourseError (Japanese) when there is none."""
    record = AnswerStore(answers).load(KEY, KIND).record
    if record is None:
        raise CourseError(t("workshop.no_worksheet", path=answers))
    try:
        return normalize(record.data)
    except ValueError:
        raise CourseError(t("workshop.no_worksheet", path=answers)) from None


def team_folders(root):
    """{team name: folder} for every sub-folder of root with a worksheet (instructor/ left out), sorted by name."""
    root = Path(root)
    found = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if folder.name != INSTRUCTOR and (answers_dir(folder) / f"{KEY}.json").exists():
            found[folder.name] = folder
    if not found:
        raise CourseError(t("workshop.no_teams", path=root))
    return found


def load_teams(root):
    """{team name: worksheet}: the name is the one the team wrote on its worksheet, else its folder's name."""
    sheets = {}
    for name, folder in team_folders(root).items():
        sheet = read_worksheet(answers_dir(folder))
        sheets[sheet["team"].strip() or name] = sheet
    return sheets
