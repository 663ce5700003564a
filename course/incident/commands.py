"""`course scenario`: write a scenario's logs as CSV files (never its truth); `course scenario-golden`: rewrite the
logs of the graded incident assignments.

    course scenario --seed 20250614 --out data/incident [--employees 30] [--days 14] [--wipe-nas]
    course scenario-golden [--root grading] [--out DIR]

For graded work the instructor picks a large random seed, writes it into the hidden tests of the source notebook and
runs `course scenario-golden`, which writes the logs beside the notebook; the release hands out only the CSV folder.
The seed is never printed (a small seed could be found by trying seeds one by one).
"""

from pathlib import Path

from ..i18n import t


def register(sub):
    p = sub.add_parser("scenario", help="ランサムウェア演習のログを CSV で書き出す / write the ransomware scenario logs as CSV")
    p.add_argument("--seed", required=True, help="シード（0 以上の整数）/ seed (a whole number, 0 or more)")
    p.add_argument("--out", required=True, help="書き出し先のフォルダ / output folder")
    p.add_argument("--employees", default=30, help="従業員数 10–500 / employees (default 30)")
    p.add_argument("--days", default=14, help="日数 10–120 / days of logs (default 14)")
    p.add_argument("--wipe-nas", action="store_true",
                   help="攻撃者がバックアップ用の NAS も暗号化する / the attacker also encrypts the backup NAS")
    p.set_defaults(func=cmd_scenario)
    p = sub.add_parser("scenario-golden", help="採点課題のログ CSV を書き直す / rewrite the graded assignments' log CSVs")
    p.add_argument("--root", help="nbgrader の課題フォルダ（既定: grading/）/ nbgrader course folder (default: grading/)")
    p.add_argument("--out", help="書き出し先（既定: 各課題の logs/）/ write <out>/<assignment>/logs instead")
    p.set_defaults(func=cmd_scenario_golden)


def cmd_scenario(args):
    from ..errors import CourseError, UsageError
    from .logs import write_logs
    from .scenario import check_arguments, generate

    try:
        check_arguments(args.seed, args.employees, args.days)
    except CourseError as exc:
        raise UsageError(str(exc)) from None
    scenario = generate(args.seed, employees=args.employees, days=args.days, wipe_nas=args.wipe_nas)
    _report(scenario, Path(args.out), write_logs(scenario.logs, Path(args.out)))
    return 0


def cmd_scenario_golden(args):
    from ..instructor.course_dir import grading_root
    from .golden import write_golden_logs

    for scenario, folder, paths in write_golden_logs(grading_root(args.root) / "source", args.out).values():
        _report(scenario, folder, paths)
    return 0


def _report(scenario, folder, paths):
    rows = sum(len(df) for df in scenario.logs.values())
    print(t("incident.cli.written", count=len(paths), rows=rows, folder=folder, company=scenario.company.name,
            start=f"{scenario.start:%Y-%m-%d}", end=f"{scenario.end:%Y-%m-%d %H:%M}"))
