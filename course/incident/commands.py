"""`course scenario`: write a scenario's logs as CSV files (never its truth).

    course scenario --seed 20250614 --out data/incident [--employees 30] [--days 14]

For graded work the instructor picks a large random seed, writes the logs with this command and hands out only the
CSV folder; the seed stays in the hidden tests (a small seed could be found by trying seeds one by one).
"""

from pathlib import Path

from ..i18n import t


def register(sub):
    p = sub.add_parser("scenario", help="ランサムウェア演習のログを CSV で書き出す / write the ransomware scenario logs as CSV")
    p.add_argument("--seed", required=True, help="シード（0 以上の整数）/ seed (a whole number, 0 or more)")
    p.add_argument("--out", required=True, help="書き出し先のフォルダ / output folder")
    p.add_argument("--employees", default=30, help="従業員数 10–500 / employees (default 30)")
    p.add_argument("--days", default=14, help="日数 10–120 / days of logs (default 14)")
    p.set_defaults(func=cmd_scenario)


def cmd_scenario(args):
    from .logs import write_logs
    from .scenario import generate

    scenario = generate(args.seed, employees=args.employees, days=args.days)
    paths = write_logs(scenario.logs, Path(args.out))
    rows = sum(len(df) for df in scenario.logs.values())
    print(t("incident.cli.written", count=len(paths), rows=rows, folder=Path(args.out), company=scenario.company.name,
            start=f"{scenario.start:%Y-%m-%d}", end=f"{scenario.end:%Y-%m-%d %H:%M}"))
    return 0
