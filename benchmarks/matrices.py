"""Every case x theme matrix and the theme co-occurrence over 1M codings, cold, beside the baseline.

The matrices part of ``benchmarks/scale.py`` on its own, so it can be iterated on without the whole scale
run: each repeat is a fresh Python process that imports thematic (timed and shown apart), builds
``scale.million_codings()`` (not timed) and then calls, once each and in this order, ``analysis.matrix``
for every cell of ``analysis.CELLS`` by ``case`` and by ``case_type``, and
``analysis.cooccurrence(level="theme")`` -- the same calls as ``scale.matrices_time``. The first call
pays for what the table's later calls share (integer codes, sort order), as a user's first matrix does.

    python benchmarks/matrices.py [--codings 1000000] [--repeat 3] [--json]

Prints seconds per (rows, cell) and the total (the median of the repeats, each a new process) beside
the baseline measured before the numpy rewrite (issue 21); the target is a total under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.5

#: Seconds per call over 1M codings before the rewrite: commit ddb0e42, 2026-11-26, this script with
#: --repeat 3 (median per call of 3 new processes; totals 1.92, 2.44, 2.04 s) on the shared 2-core machine
#: at load average 3.4. CPU seconds (``cpu``) are from a later run of the same commit at load average 8.5
#: (wall 4.16 s there): on a machine this busy, CPU time is the steadier figure to compare.
BASELINE = {
    "commit": "ddb0e42", "date": "2026-11-26", "codings": 1_000_000, "imports_s": 1.130,
    "calls": {
        "case count": 0.4997,
        "case codings": 0.0278,
        "case coverage": 0.363,
        "case presence": 0.0195,
        "case informants": 0.2633,
        "case row_pct": 0.0204,
        "case col_pct": 0.0159,
        "case_type count": 0.2179,
        "case_type codings": 0.0148,
        "case_type coverage": 0.2012,
        "case_type presence": 0.0178,
        "case_type informants": 0.0292,
        "case_type row_pct": 0.0183,
        "case_type col_pct": 0.0144,
        "theme cooccurrence": 0.3486,
    },
    "cpu": {
        "case count": 0.3809,
        "case codings": 0.0177,
        "case coverage": 0.1794,
        "case presence": 0.0123,
        "case informants": 0.1658,
        "case row_pct": 0.0126,
        "case col_pct": 0.0128,
        "case_type count": 0.1398,
        "case_type codings": 0.0152,
        "case_type coverage": 0.1682,
        "case_type presence": 0.013,
        "case_type informants": 0.0208,
        "case_type row_pct": 0.0138,
        "case_type col_pct": 0.0133,
        "theme cooccurrence": 0.2193,
    },
}


def calls():
    """The (rows, cell) pairs timed, in order, then the co-occurrence."""
    from thematic import analysis

    return [(rows, cell) for rows in ("case", "case_type") for cell in analysis.CELLS] + [("theme", "cooccurrence")]


def child(n: int) -> dict:
    """In a new process: import, build the table, then time each call once (cold)."""
    started = time.perf_counter()
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy.sparse  # noqa: F401

    from thematic import analysis
    imports_s = time.perf_counter() - started
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    codings = scale.million_codings(n)
    seconds, cpu = {}, {}
    for rows, cell in calls():
        start, start_cpu = time.perf_counter(), time.process_time()
        if cell == "cooccurrence":
            analysis.cooccurrence(codings, level=rows)
        else:
            analysis.matrix(codings, rows=rows, cell=cell)
        seconds[f"{rows} {cell}"] = time.perf_counter() - start
        cpu[f"{rows} {cell}"] = time.process_time() - start_cpu
    return {"imports_s": imports_s, "calls": seconds, "cpu": cpu, "codings": len(codings)}


def measure(n: int, repeat: int) -> dict:
    """Median seconds per call over ``repeat`` new processes."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", "--codings", str(n)], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    keys = list(runs[0]["calls"])
    median = {k: statistics.median(r["calls"][k] for r in runs) for k in keys}
    cpu = {k: statistics.median(r["cpu"][k] for r in runs) for k in keys}
    totals = [sum(r["calls"].values()) for r in runs]
    return {"codings": n, "repeat": repeat, "imports_s": statistics.median(r["imports_s"] for r in runs),
            "calls": median, "cpu": cpu, "total_s": statistics.median(totals), "totals_s": totals,
            "cpu_total_s": statistics.median(sum(r["cpu"].values()) for r in runs), "load": _load()}


def _load() -> float | None:
    """The machine's 1-minute load average (the figures are wall-clock seconds on a shared machine)."""
    try:
        import os

        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def table(figures: dict) -> str:
    base = BASELINE["calls"] if figures["codings"] == BASELINE["codings"] else {}
    base_cpu = BASELINE["cpu"] if base else {}
    lines = [f"every matrix over {figures['codings']:,} codings, cold (median of {figures['repeat']} new processes)",
             f"baseline: commit {BASELINE['commit']}, {BASELINE['date']}", "",
             f"{'call':<26} {'now s':>8} {'(cpu s)':>8} {'baseline s':>11} {'(cpu s)':>8}"]
    for key, seconds in figures["calls"].items():
        before = f"{base[key]:.3f}" if key in base else "-"
        before_cpu = f"{base_cpu[key]:.3f}" if key in base_cpu else "-"
        lines.append(f"{key:<26} {seconds:>8.3f} {figures['cpu'][key]:>8.3f} {before:>11} {before_cpu:>8}")
    before_total = f"{sum(base.values()):.3f}" if base else "-"
    before_cpu_total = f"{sum(base_cpu.values()):.3f}" if base_cpu else "-"
    runs = ", ".join(f"{t:.2f}" for t in figures["totals_s"])
    lines += ["", f"{'total':<26} {figures['total_s']:>8.3f} {figures['cpu_total_s']:>8.3f} {before_total:>11}"
                  f" {before_cpu_total:>8}   target < {TARGET_S} s (each run: {runs}; load average {figures['load']})",
              f"{'imports (not counted)':<26} {figures['imports_s']:>8.3f} {'':>8} {BASELINE['imports_s']:>11.3f}"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="new processes to run (the median is shown)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.codings)))
        return 0
    figures = measure(args.codings, args.repeat)
    print(json.dumps(figures) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
