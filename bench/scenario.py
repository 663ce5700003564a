"""Benchmark of the scenario generator: rows per second and peak memory, from 30 employees / 14 days to 300 / 90.

    python bench/scenario.py            # prints a table; each size runs in its own process (clean peak memory)

Peak memory is the child's maximum resident set size (resource.getrusage), so it includes Python and the libraries.
The last column compares the time per row with the smallest size: near 1 means the generator scales linearly.
"""

import json
import subprocess
import sys

SIZES = [(30, 14), (60, 30), (150, 60), (300, 90)]
SEED = 2026

CHILD = """
import json, resource, sys, time
from course.incident.scenario import generate
employees, days, seed = (int(x) for x in sys.argv[1:4])
start = time.perf_counter()
scenario = generate(seed, employees=employees, days=days)
seconds = time.perf_counter() - start
rows = sum(len(df) for df in scenario.logs.values())
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def measure(employees, days, seed=SEED):
    out = subprocess.run([sys.executable, "-c", CHILD, str(employees), str(days), str(seed)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    print(f"{'employees':>9} {'days':>5} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} {'s/row ratio':>11}")
    base = None
    for employees, days in SIZES:
        m = measure(employees, days)
        per_row = m["seconds"] / m["rows"]
        base = base or per_row
        print(f"{employees:>9} {days:>5} {m['rows']:>10,} {m['seconds']:>8.2f} {m['rows'] / m['seconds']:>10,.0f} "
              f"{m['peak_mb']:>8.0f} {per_row / base:>11.2f}")


if __name__ == "__main__":
    main()
