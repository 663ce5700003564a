"""Stock `nbgrader autograde` against `course grade --jobs N` on the same simulated class, side by side.

Run: .venv/bin/python bench/grading.py [--assignment 00_orientation] [--students 30] [--jobs 2]
00_orientation: the class of the demo builder (course/instructor/demo.py: varied profiles and code, some missing
records). Any other assignment (e.g. ch14_organizational): a mix of model submissions (the source notebook), blank
ones (the release) and partial ones (the release with the model's answer cells for every other question).
The class is copied twice; one copy is graded with stock nbgrader (sequential), the other with `course grade`.
Printed: both wall times, the speed-up, CPU seconds per submission for both (all processes: nbgrader, workers,
kernels, the scorer), the kernel guard's and the scorer's share (from the workers' metrics files), the load average,
peak memory, and whether every learner's score is identical. Aim: 1.9x or more on 2 cores. Other work on the machine
lowers it. --skip-stock grades only with `course grade` (a large class: wall time and peak memory).
"""

import argparse
import copy
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from course.answers.store import AnswerStore
from course.instructor.course_dir import nbgrader
from course.instructor.demo import ASSIGNMENT, build_class
from course.lab import project_root, tool_env


def stock_scores(root, assignment):
    nbgrader("export", "--to", str(root / "stock.csv"), root=root)
    with open(root / "stock.csv", encoding="utf-8") as f:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(f) if row["assignment"] == assignment}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd, cwd):
    """(wall seconds, CPU seconds of the command and every process it started and waited for, peak memory in MB: the
    largest sum of the proportional set sizes (PSS: pages shared by forked kernels counted once) of the command's
    process tree, sampled every 0.2 s)."""
    import psutil

    cpu, start = children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=tool_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            try:
                family = [psutil.Process(proc.pid)] + psutil.Process(proc.pid).children(recursive=True)
                peak[0] = max(peak[0], sum(p.memory_full_info().pss for p in family if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return elapsed, children_cpu() - cpu, peak[0] / 1e6


def mixed_class(out, assignment, students):
    """A course folder with `students` submissions of assignment: model, blank and partial in turn."""
    root = Path(out) / "grading"
    (root / "source").mkdir(parents=True)
    shutil.copy(project_root() / "grading" / "nbgrader_config.py", root)
    shutil.copytree(project_root() / "grading" / "source" / assignment, root / "source" / assignment)
    nbgrader("generate_assignment", assignment, "--create", "--force", root=root)
    for release_path in sorted((root / "release" / assignment).glob("*.ipynb")):
        release = nbformat.read(release_path, as_version=4)
        source = nbformat.read(root / "source" / assignment / release_path.name, as_version=4)
        model = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
        for i in range(students):
            kind = ("model", "blank", "partial")[i % 3]
            nb = source if kind == "model" else copy.deepcopy(release)
            if kind == "partial":
                answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in model]
                for cell in answer_cells[::2]:
                    cell.source = model[cell.metadata["nbgrader"]["grade_id"]]
            folder = root / "submitted" / f"learner{i:03d}-{kind}" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / release_path.name)
            (folder / "timestamp.txt").write_text("2026-11-29 10:00:00.000000 UTC")
            AnswerStore(folder / "answers")  # the folder a learner's forms write to
    return root


def worker_metrics(root, assignment):
    """Sum of the workers' per-submission metrics (grade_worker.py writes them to reports/<A>/logs/)."""
    totals = {}
    for path in (root / "reports" / assignment / "logs").glob("metrics-*.jsonl"):
        for line in path.read_text().splitlines():
            for key, value in json.loads(line).items():
                if isinstance(value, (int, float)):
                    totals[key] = totals.get(key, 0) + value
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default=ASSIGNMENT)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-stock", action="store_true", help="only `course grade` (a large class)")
    args = parser.parse_args()
    a, n = args.assignment, args.students

    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        tmp = Path(tmp)
        print(f"building a class of {n} learners ({a}) ...", flush=True)
        if a == ASSIGNMENT:
            base = build_class(tmp / "class", n, exchange=False, progress=False)
        else:
            base = mixed_class(tmp / "class", a, n)
        stock_root, course_root = tmp / "stock" / "grading", tmp / "course" / "grading"
        shutil.copytree(base, stock_root)
        shutil.copytree(base, course_root)
        # the model notebook's records are worked out once per source (cached): not part of the comparison
        from course.instructor.integrity import expected_records

        expected_records(course_root, a)

        load_before = os.getloadavg()
        if args.skip_stock:
            stock = stock_cpu = stock_peak = 0.0
        else:
            stock, stock_cpu, stock_peak = timed([sys.executable, "-m", "nbgrader", "autograde", a, "--force"],
                                                 stock_root)
        ours, ours_cpu, ours_peak = timed([sys.executable, "-m", "course.cli", "grade", a, "--root", str(course_root),
                                           "--jobs", str(args.jobs), "--force"], course_root)
        load_after = os.getloadavg()

        from course.instructor.export import grade_rows

        if args.skip_stock:
            print(f"assignment {a}, {n} learners, course grade -j {args.jobs}: {ours:.1f} s wall "
                  f"({ours / n:.2f} s per submission, CPU {ours_cpu / n:.2f} s), peak memory {ours_peak:.0f} MB, "
                  f"load {load_before[0]:.2f} before, {load_after[0]:.2f} after")
            return
        s = stock_scores(stock_root, a)
        b = {row["student"]: row["score"] for row in grade_rows(course_root, a)}
        metrics = worker_metrics(course_root, a)
        same = s == b
        print(f"assignment          {a}")
        print(f"students            {n}")
        print(f"load average        {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min; 2 cores)")
        print(f"nbgrader autograde  {stock:7.1f} s  ({stock / n:.2f} s per submission, CPU {stock_cpu / n:.2f} s, "
              f"peak memory {stock_peak:.0f} MB)")
        print(f"course grade -j {args.jobs}   {ours:7.1f} s  ({ours / n:.2f} s per submission, CPU {ours_cpu / n:.2f} s, "
              f"peak memory {ours_peak:.0f} MB)")
        print(f"speed-up            {stock / ours:7.2f}x")
        phases = ", ".join(f"{k} {v / n:.2f} s" for k, v in sorted(metrics.items()) if k not in ("guard_cpu",))
        print(f"per submission      {phases}")
        guard = metrics.get("guard_cpu", 0) / n
        print(f"kernel guard        {guard:.3f} s CPU per submission = {100 * guard / (stock_cpu / n):.1f}% of stock's")
        print(f"scorer              {metrics.get('scorer_cpu', 0) / n:.3f} s CPU per submission")
        print(f"identical scores    {'yes' if same else 'NO'}  (total {sum(s.values()):.1f} / {sum(b.values()):.1f})")
        if not same:
            for student in sorted(set(s) | set(b)):
                if s.get(student) != b.get(student):
                    print(f"  {student}: nbgrader {s.get(student)}  course {b.get(student)}")
            sys.exit(1)


if __name__ == "__main__":
    main()
