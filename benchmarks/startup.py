"""Cold start of the command line: how long a fresh process takes before it answers (issue 21).

Each figure is the median of ``--runs`` fresh Python processes (new interpreter, nothing cached in it;
the operating system's file cache is warm after the first run), beside the baseline measured before the
lazy imports of issue 21. Wall time is what a person waits; CPU time (user + system of the child) is
less disturbed by other work on a busy machine. The commands run this checkout's code (``src/`` first
on ``PYTHONPATH``) and are what the ``thematic`` script runs:

* ``python -c pass``: the interpreter alone (the floor: site-packages, .pth files);
* ``import thematic``;
* ``thematic --help``;
* ``thematic status P``, P a project rule-coded from ``data/sample_transcripts`` with the
  ``digitalisering`` codebook (made once in a temporary folder unless ``--project`` names one);
* ``thematic show P DOC`` (its first document) for comparison: it draws the transcript from the store and
  needs neither spaCy nor a parse, yet ``thematic.coding.render`` loads the coding package, and with it
  spaCy and simplemma (``thematic/coding/__init__.py`` imports the coder eagerly).

It also lists which heavy libraries each command loaded (pandas, numpy, pyarrow, spaCy, simplemma, matplotlib,
python-docx).

    python benchmarks/startup.py [--runs 7] [--project work/study.thematic] [--no-show] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Measured before the change at commit ddb0e42 on 2026-11-26 (Python 3.11.7, 2 cores shared with other work,
#: load average about 3): the median of three runs of this script with ``--runs 9``. Seconds: (wall, cpu).
BASELINE = {
    "python -c pass": (0.07, 0.06),
    "import thematic": (0.07, 0.07),
    "thematic --help": (0.84, 0.43),
    "thematic status P": (2.03, 1.22),
    "thematic show P DOC": (5.90, 2.45),  # added later: ddb0e42's code, --runs 5, load average about 8
}
BASELINE_AT = "ddb0e42, 2026-11-26"
#: What the issue asks: "well under a second".
TARGET = 1.0

HEAVY = ("pandas", "numpy", "pyarrow", "spacy", "simplemma", "matplotlib", "docx")

#: Written to stderr by every measured process: which heavy libraries it had loaded when it finished.
_PROBE = ("\nimport sys as _sys\n"
          f"_sys.stderr.write('\\nHEAVY ' + ' '.join(m for m in {HEAVY!r} if m in _sys.modules) + '\\n')\n")
#: What the ``thematic`` console script runs (``thematic.cli:main``), with the arguments after ``-c``.
_CLI = ("import sys\nfrom thematic.cli import main\nsys.argv = ['thematic', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    if exc.code:\n        raise\n")


def commands(project: str, doc_id: str) -> dict[str, list[str]]:
    return {
        "python -c pass": [sys.executable, "-c", "pass" + _PROBE],
        "import thematic": [sys.executable, "-c", "import thematic" + _PROBE],
        "thematic --help": [sys.executable, "-c", _CLI + _PROBE, "--help"],
        "thematic status P": [sys.executable, "-c", _CLI + _PROBE, "status", project],
        "thematic show P DOC": [sys.executable, "-c", _CLI + _PROBE, "show", project, doc_id],
    }


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("COLUMNS", "100")
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, list[str]]:
    """(wall s, cpu s, heavy libraries loaded) of one fresh process; fails loudly if the command failed."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    heavy = [ln.split()[1:] for ln in done.stderr.splitlines() if ln.startswith("HEAVY")]
    if done.returncode != 0 or not heavy:
        raise SystemExit(f"{' '.join(argv[3:]) or argv[2]!r} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, heavy[-1]


def make_project(folder: Path) -> str:
    """The sample study, rule-coded, in a new project file (through the library, in a child process)."""
    path = folder / "startup.thematic"
    code = ("import thematic as th\n"
            f"p = th.Project.open({str(path)!r})\n"
            f"p.add(th.ingest({str(ROOT / 'data' / 'sample_transcripts')!r}))\n"
            f"p.autocode(th.Codebook.load({str(ROOT / 'codebooks' / 'digitalisering.yaml')!r}))\n"
            "p.close()\n")
    subprocess.run([sys.executable, "-c", code], env=environment(), check=True)
    return str(path)


def first_document(project: str) -> str:
    code = (f"import thematic as th\nwith th.Project.open({project!r}, create=False) as p:\n"
            "    print(next(p.documents_iter()).doc_id)\n")
    return subprocess.run([sys.executable, "-c", code], env=environment(), check=True, capture_output=True,
                          text=True).stdout.strip()


def measure(project: str, runs: int, show: bool = True) -> dict[str, dict]:
    env = environment()
    figures = {}
    for name, argv in commands(project, first_document(project) if show else "").items():
        if name.startswith("thematic show") and not show:
            continue
        run_once(argv, env)  # warm the file cache: every later run is a cold interpreter, not a cold disk
        times = [run_once(argv, env) for _ in range(runs)]
        figures[name] = {"wall_s": statistics.median(t[0] for t in times),
                         "cpu_s": statistics.median(t[1] for t in times), "heavy": times[-1][2]}
    return figures


def table(figures: dict[str, dict], runs: int) -> str:
    lines = [f"cold start, median of {runs} fresh processes (baseline: {BASELINE_AT}; target: well under "
             f"{TARGET:.0f} s)", "",
             f"{'command':<20} {'wall s':>7} {'cpu s':>7}   {'baseline wall':>13} {'cpu':>6}   "
             f"{'x faster wall':>13} {'cpu':>5}   heavy libraries loaded"]
    for name, f in figures.items():
        base_wall, base_cpu = BASELINE[name]
        lines.append(f"{name:<20} {f['wall_s']:>7.2f} {f['cpu_s']:>7.2f}   {base_wall:>13.2f} {base_cpu:>6.2f}   "
                     f"{base_wall / max(f['wall_s'], 1e-3):>13.1f} {base_cpu / max(f['cpu_s'], 1e-3):>5.1f}   "
                     f"{' '.join(f['heavy']) or '-'}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command (the median is shown)")
    parser.add_argument("--project", help="an existing project for `thematic status` (default: the sample study)")
    parser.add_argument("--no-show", action="store_true", help="leave out `thematic show` (seconds per run)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project or make_project(Path(tmp))
        figures = measure(project, max(1, args.runs), show=not args.no_show)
    print(table(figures, max(1, args.runs)))
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
