"""`course workshop …`: demo, summary (a team's presentation), compare (the instructor's comparison), feedback."""

from pathlib import Path

from ..errors import CourseError
from ..i18n import t


def register(sub):
    p = sub.add_parser("workshop", help="グループ演習（チーム・発表・講評・比較） / group workshop")
    commands = p.add_subparsers(dest="workshop_command", required=True)

    d = commands.add_parser("demo", help="チームを模擬して、すべての出力を作る / simulate teams end to end")
    d.add_argument("--teams", type=int, default=5)
    d.add_argument("--out", default="workshop_demo")
    d.add_argument("--seed", type=int, default=17)
    d.set_defaults(func=cmd_demo)

    s = commands.add_parser("summary", help="チームの発表資料 (.pptx / .html) / a team's presentation")
    s.add_argument("--team", required=True, help="チーム名 / team name (as on the worksheet)")
    s.add_argument("--out", required=True, help="FILE.pptx or FILE.html")
    s.add_argument("--answers", default=None, help="answers フォルダ（既定 ./answers、なければ ./notebooks/answers）")
    s.set_defaults(func=cmd_summary)

    c = commands.add_parser("compare", help="チームの比較 (.html / .pptx) / the instructor's comparison")
    c.add_argument("--from", dest="root", required=True, help="チームごとのフォルダを置いたフォルダ / one folder per team")
    c.add_argument("--out", required=True, help="FILE.html or FILE.pptx")
    c.set_defaults(func=cmd_compare)

    f = commands.add_parser("feedback", help="講評のページ (.html) / feedback pages")
    f.add_argument("--from", dest="root", required=True)
    f.add_argument("--out", required=True, help="フォルダ / folder: feedback_<team>.html")
    f.set_defaults(func=cmd_feedback)


def _kind(path):
    suffix = Path(path).suffix.lower()
    if suffix not in (".pptx", ".html"):
        raise CourseError(t("workshop.summary_format", path=path))
    return suffix


def _default_answers():
    here = Path("answers")
    return here if here.is_dir() or not Path("notebooks/answers").is_dir() else Path("notebooks/answers")


def _done(paths):
    print(t("workshop.written"))
    for path in paths:
        print(f"  {path}")
    return 0


def cmd_demo(args):
    from .demo import run_demo

    return _done(run_demo(args.out, teams=args.teams, seed=args.seed))


def cmd_summary(args):
    from .folders import answers_dir, read_worksheet
    from .pages import team_page, write_page
    from .slides import team_presentation

    kind = _kind(args.out)
    sheet = read_worksheet(answers_dir(args.answers or _default_answers()))
    found = sheet["team"].strip()
    if found and found != args.team:
        raise CourseError(t("workshop.team_mismatch", found=found, team=args.team))
    sheet["team"] = args.team
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = team_presentation(sheet, out) if kind == ".pptx" else write_page(out, team_page(sheet))
    return _done([written])


def cmd_compare(args):
    from .comparison import compare
    from .folders import load_teams
    from .pages import comparison_page, write_page
    from .slides import comparison_presentation

    kind = _kind(args.out)
    result = compare(load_teams(args.root))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return _done([comparison_presentation(result, out) if kind == ".pptx" else write_page(out, comparison_page(result))])


def cmd_feedback(args):
    from .feedback import collect
    from .folders import INSTRUCTOR, load_teams, team_folders
    from .pages import feedback_page, write_page

    root = Path(args.root)
    names = list(load_teams(root))
    instructor = root / INSTRUCTOR
    collected = collect(team_folders(root), instructor if instructor.is_dir() else None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return _done([write_page(out / f"feedback_{name}.html", feedback_page(name, collected.get(name, {})))
                  for name in names])
