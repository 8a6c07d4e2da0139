"""Hostile inputs end fast and small: seconds and peak memory for each probe of issue 15.

Each probe builds its input in a temporary folder, runs it as a user would (library calls the CLI
makes) and prints the outcome (the coded error or the result), the wall time and the peak memory
Python allocated (tracemalloc), beside the figures the issue reported before the fixes.

    python benchmarks/hostile_inputs.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.errors import ThematicError  # noqa: E402

#: What the issue measured before the fixes.
BEFORE = {
    "docx inflating to 300 MB": "ingest hung",
    "qdpx expanding to 3 GiB, check-leaks": "6.4 GB of memory",
    "YAML alias bomb (1.5 KB)": "lint ran for minutes",
    "regex (\\w+\\s?)*$ in a codebook": "193 s on a 22-word sentence",
    "100,000-deep [ in a codebook": "RecursionError",
}


def _docx_bomb(folder: Path) -> Path:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("K1: Vi har en plan.")
    document.save(buffer)
    path = folder / "bomb" / "bomb.docx"
    path.parent.mkdir()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("word/media/zeros.bin", b"\0" * 300_000_000)
    return path.parent


def _qdpx_bomb(folder: Path) -> Path:
    path = folder / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>')
        for i in range(3):
            z.writestr(f"sources/{i}.txt", b"Kari " * 200_000_000)  # 1 GB each, a few MB compressed
    return path


def _alias_bomb() -> str:
    lines = ["codebook: {id: cb, version: 1.0.0, languages: [nb]}\n", 'a: &a {id: x, label: "x"}\n']
    previous = "a"
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n")
        previous = level
    return "".join(lines) + "themes: [*i, *i, *i]\n"


def _first_problem(corpus) -> str:
    """Ingest reports a bad file as a problem (the other files are still read): raise it to show its code."""
    raise ThematicError(corpus.problems[0].message)


def probe(name: str, fn) -> tuple[str, str, float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = f"result: {fn()}"
    except ThematicError as exc:
        outcome = str(exc).split(" ", 1)[0]
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return name, outcome, seconds, peak


def main(argv=None) -> int:
    key = th.privacy.Key.from_rows([("Kari", "Rektor A", "person")])
    head = "codebook: {id: cb, version: 1.0.0, languages: [nb]}\n"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("building inputs (a 300 MB zero-filled docx member, three 1 GB qdpx members)...", flush=True)
        docx_folder, qdpx = _docx_bomb(folder), _qdpx_bomb(folder)
        rows = [
            probe("docx inflating to 300 MB", lambda: _first_problem(th.ingest(docx_folder))),
            probe("qdpx expanding to 3 GiB, check-leaks", lambda: th.privacy.find_leaks(qdpx, key)),
            probe("YAML alias bomb (1.5 KB)", lambda: th.Codebook.loads(_alias_bomb())),
            probe("regex (\\w+\\s?)*$ in a codebook", lambda: th.Codebook.loads(
                head + "themes:\n  - id: t\n    label: t\n    patterns: {nb: ['re:(\\w+\\s?)*$']}\n")),
            probe("100,000-deep [ in a codebook", lambda: th.Codebook.loads(head + "themes: " + "[" * 100_000)),
        ]
    print(f"{'probe':40} {'outcome':10} {'seconds':>8} {'peak MB':>8}  before (issue 15)")
    for name, outcome, seconds, peak in rows:
        print(f"{name:40} {outcome:10} {seconds:8.2f} {peak:8.1f}  {BEFORE[name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
