"""Stock `nbgrader autograde` against `course grade --jobs N` on the same simulated class, side by side.

Run: .venv/bin/python bench/grading.py [--students 30] [--jobs 2]
Builds one class with the demo builder (course/instructor/demo.py), copies it twice, grades one copy with stock
nbgrader (sequential) and the other with `course grade`, then prints both wall times, the speed-up and whether every
learner's score is identical. Aim: at least 1.8x on 2 cores. Other work on the machine lowers the figure.
"""

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.instructor.course_dir import nbgrader
from course.instructor.demo import ASSIGNMENT, build_class
from course.lab import tool_env


def stock_scores(root):
    nbgrader("export", "--to", str(root / "stock.csv"), root=root)
    with open(root / "stock.csv", encoding="utf-8") as f:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}


def timed(cmd, cwd):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=tool_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        tmp = Path(tmp)
        print(f"building a class of {args.students} learners ...", flush=True)
        base = build_class(tmp / "class", args.students, exchange=False, progress=False)
        stock_root, course_root = tmp / "stock" / "grading", tmp / "course" / "grading"
        shutil.copytree(base, stock_root)
        shutil.copytree(base, course_root)

        stock = timed([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], stock_root)
        ours = timed([sys.executable, "-m", "course.cli", "grade", ASSIGNMENT, "--root", str(course_root),
                      "--jobs", str(args.jobs), "--force"], course_root)

        from course.instructor.export import grade_rows

        a = stock_scores(stock_root)
        b = {row["student"]: row["score"] for row in grade_rows(course_root, ASSIGNMENT)}
        same = a == b
        print(f"students            {args.students}")
        print(f"nbgrader autograde  {stock:7.1f} s  ({stock / args.students:.2f} s per submission)")
        print(f"course grade -j {args.jobs}   {ours:7.1f} s  ({ours / args.students:.2f} s per submission)")
        print(f"speed-up            {stock / ours:7.2f}x")
        print(f"identical scores    {'yes' if same else 'NO'}  (total {sum(a.values()):.1f} / {sum(b.values()):.1f})")
        if not same:
            for student in sorted(set(a) | set(b)):
                if a.get(student) != b.get(student):
                    print(f"  {student}: nbgrader {a.get(student)}  course {b.get(student)}")
            sys.exit(1)


if __name__ == "__main__":
    main()
