"""The instructor's `course` sub-commands: release, collect, grade, feedback, report, export-grades, demo."""

from pathlib import Path

from ..i18n import t
from .course_dir import check_assignment


def register(sub):
    def command(name, help_text, func):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--root", help="nbgrader course folder (default: grading/)")
        p.set_defaults(func=func)
        return p

    p = command("release", "課題を配布 / generate and release an assignment", cmd_release)
    p.add_argument("assignment")
    p.add_argument("--zip", metavar="PATH", help="exchange ではなく LMS 用の zip を書き出す（受講者ごとの事例がある課題では、"
                   "1 人 1 つの zip を入れるフォルダ） / write a zip for an LMS (a folder of one zip per learner for "
                   "assignments with per-learner cases)")
    p.add_argument("--roster", metavar="CSV", help="受講者名簿 CSV（student_id 列）。受講者ごとの事例を書く相手（既定: 成績簿の"
                   "受講者） / roster CSV: the learners to write cases for (default: the gradebook's students)")
    cases = p.add_mutually_exclusive_group()
    cases.add_argument("--cases", dest="cases", action="store_true", default=None,
                       help="受講者ごとの事例を必ず書く（隠しテストが graded_case を使う課題では自動） / require "
                            "per-learner cases (automatic when the hidden tests call graded_case)")
    cases.add_argument("--no-cases", dest="cases", action="store_false",
                       help="全員に同じ既定のログを配る / give everyone the default logs")

    p = command("case", "受講者の事例で実際に起きたこと（教員用） / what happened in a learner's incident case", cmd_case)
    p.add_argument("assignment")
    p.add_argument("students", nargs="*", help="受講者 ID（既定: 事例を配布した全員） / learner ids (default: all)")

    p = command("collect", "提出物を回収 / collect submissions", cmd_collect)
    p.add_argument("assignment")
    p.add_argument("--lms", metavar="PATH",
                   help="LMS からダウンロードした zip かフォルダ / the LMS download (a zip or a folder)")
    p.add_argument("--layout", choices=["plain", "moodle", "canvas"], default="plain",
                   help="LMS の形式（plain: <student>.zip） / the download's layout (README: LMS)")
    p.add_argument("--roster", metavar="CSV", help="受講者名簿 CSV（moodle では必須） / roster CSV (needed for moodle)")

    p = command("grade", "並列で自動採点 / autograde in parallel", cmd_grade)
    p.add_argument("assignment")
    p.add_argument("--jobs", type=int, default=2, help="並列数 / workers (default 2)")
    p.add_argument("--force", action="store_true", help="採点済みもやり直す / regrade finished submissions")
    p.add_argument("--notebook-timeout", type=int, help="1 冊の制限時間（秒） / wall-clock seconds per notebook")

    p = command("feedback", "フィードバックを返却 / generate and return feedback", cmd_feedback)
    p.add_argument("assignment")
    p.add_argument("--reveal", action="store_true", help="模範解答も見せる（締切後） / show model answers (after the deadline)")
    p.add_argument("--force", action="store_true",
                   help="手動採点待ちの回答があっても返却する / return even while answers wait to be graded by hand")

    p = command("report", "クラスレポート / class report (CSV + HTML)", cmd_report)
    p.add_argument("assignment")

    p = command("export-grades", "成績を CSV に書き出す / export grades with 要確認 flags", cmd_export)
    p.add_argument("--to", help="CSV の保存先 / output file (default: grading/reports/grades[_FORMAT].csv)")
    p.add_argument("--assignment")
    p.add_argument("--format", choices=["long", "wide", "moodle", "canvas"], default="long",
                   help="long: 1 行 = 受講者×課題、wide: 1 行 = 受講者、moodle / canvas: 各 LMS の取り込み形式 / layout")
    p.add_argument("--roster", metavar="CSV", help="受講者名簿 CSV（LMS の ID・氏名） / roster CSV (LMS ids and names)")

    p = sub.add_parser("demo", help="模擬クラスで一通り実行 / run everything on a simulated class")
    p.add_argument("--out", default="demo", help="出力フォルダ / output folder (default ./demo)")
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--jobs", type=int, default=2)
    p.set_defaults(func=cmd_demo)


def cmd_release(args):
    check_assignment(args.assignment, args.root)
    from .release import release

    kind, path, cases = release(args.assignment, args.root, zip_path=args.zip, roster=args.roster, cases=args.cases,
                                progress=True)
    if kind == "zips":
        print(t("instructor.release.zips", n=cases["students"], path=path))
        return
    if cases:
        print(t("instructor.release.cases", n=cases["students"], size=f"{cases['bytes'] / 1e6:.1f} MB"))
    print(t("instructor.release.zip" if kind == "zip" else "instructor.release.exchange", path=path))


def cmd_case(args):
    check_assignment(args.assignment, args.root)
    from .release import case_facts

    for student, rows in case_facts(args.root, args.assignment, args.students):
        if rows is None:
            print(t("cases.show.not_released", student=student, assignment=args.assignment))
            continue
        print(t("cases.show.heading", student=student, assignment=args.assignment))
        for label, value in rows:
            print(f"  {label}: {value}")
        print()


def cmd_collect(args):
    check_assignment(args.assignment, args.root)
    from .release import collect, collect_lms

    if args.lms:
        n = collect_lms(args.assignment, args.lms, args.root, layout=args.layout, roster=args.roster)
        print(t("instructor.collect.lms", n=n, path=args.lms))
    else:
        print(t("instructor.collect.exchange", n=collect(args.assignment, args.root)))
        from .course_dir import grading_root
        from .exchange import load_refused

        for r in load_refused(grading_root(args.root), args.assignment):
            print(t("instructor.collect.refused", student=r["student"], owner=r["owner"], entry=r["entry"]))


def cmd_grade(args):
    check_assignment(args.assignment, args.root)
    from .parallel_grade import grade_assignment

    run = grade_assignment(args.assignment, root=args.root, jobs=args.jobs, force=args.force,
                           notebook_timeout=args.notebook_timeout, progress=True)
    from .feedback import pending_manual

    pending = pending_manual(args.root, args.assignment)
    if pending:
        print(t("instructor.grade.manual_pending", n=sum(pending.values()), learners=len(pending)))
    return 130 if run.interrupted else 0


def cmd_feedback(args):
    check_assignment(args.assignment, args.root)
    from .feedback import generate_feedback

    files = generate_feedback(args.assignment, args.root, reveal=args.reveal, force=args.force)
    print(t("instructor.feedback.done", n=len({p.parent.parent.name for p in files}),
            path=Path(files[0]).parents[2] if files else "-"))


def cmd_report(args):
    check_assignment(args.assignment, args.root)
    from .report import write_report

    print(t("instructor.report.written", path=write_report(args.assignment, args.root)))


def cmd_export(args):
    from .export import export_grades

    path, rows = export_grades(args.to, args.root, args.assignment, fmt=args.format, roster=args.roster)
    print(t("instructor.export.written", n=len(rows), path=path))


def cmd_demo(args):
    from .demo import run_demo

    run_demo(args.out, students=args.students, jobs=args.jobs)
