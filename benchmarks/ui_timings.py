"""How fast the notebook views are with a long interview: a 20,000-word transcript, rule-coded.

Prints, beside the targets of issue 16 (open in under a second, scroll smoothly):

* kernel side: building a ``CodingView`` (document, codings, codebook, rows) and coding one passage
  (``view.code_selection``: the Project call, the log entry, and the view's refresh);
* browser side (when Chromium and playwright are installed): rendering the view's module in Chromium with
  the same data, and scrolling the transcript from top to bottom (longest frame, frames over 50 ms).

    python benchmarks/ui_timings.py            # 20,000 words
    python benchmarks/ui_timings.py --words 5000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.transcripts import ingest_text  # noqa: E402

TARGET_OPEN = 1.0  # seconds, issue 16


def long_transcript(words: int) -> str:
    """A fictional interview of about ``words`` words, made from the sample study's Fjordvik turns."""
    source = th.ingest(ROOT / "data" / "sample_transcripts" / "Fjordvik-K2.txt")["Fjordvik-K2"]
    turns = [(s.speaker, source.text[s.start:s.end]) for s in source.segments]
    out, count, round_ = [], 0, 0
    while count < words:
        round_ += 1
        for speaker, text in turns:
            out.append(f"{speaker}: {text} (runde {round_})")
            count += len(text.split()) + 2
            if count >= words:
                break
    return "\n\n".join(out) + "\n"


def kernel_side(project, doc_id: str) -> tuple[dict, object]:
    figures = {}
    t = time.perf_counter()
    import thematic.ui  # noqa: F401  (once per kernel: anywidget and ipywidgets)

    figures["import thematic.ui (once per kernel)"] = time.perf_counter() - t
    t = time.perf_counter()
    view = th.ui.CodingView(project, doc_id, coder="bench")
    figures["open CodingView (kernel, first view: codebook parsed)"] = time.perf_counter() - t
    t = time.perf_counter()
    th.ui.CodingView(project, doc_id, coder="bench")
    figures["open CodingView (kernel, next views)"] = time.perf_counter() - t
    doc = view.document
    informant = [s for s in doc.segments if s.role == "informant"][len(doc.segments) // 4]
    start = informant.start + 3
    t = time.perf_counter()
    view.code_selection(start, start + 40, "strategy.useful")
    figures["code a passage (Project.code + log + refresh)"] = time.perf_counter() - t
    t = time.perf_counter()
    view.undo()
    figures["undo it"] = time.perf_counter() - t
    return figures, view


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head>
<body style="margin:0; width: 1200px"><div id="root"></div></body></html>"""

SCRIPT = """
const data = JSON.parse(document.getElementById("data").textContent);
const handlers = {};
const model = { get: (k) => data[k], on: (e, f) => { handlers[e] = f; }, send: () => {} };
const mod = await import(URL.createObjectURL(new Blob([window.__esm], {type: "text/javascript"})));
const t0 = performance.now();
mod.default.render({ model, el: document.getElementById("root") });
const rendered = performance.now() - t0;
await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const painted = performance.now() - t0;
const pane = document.querySelector('[data-thematic="transcript"]');
const frames = []; let last = performance.now();
while (pane.scrollTop + pane.clientHeight < pane.scrollHeight - 2) {
  pane.scrollTop += 600;
  await new Promise((r) => requestAnimationFrame(r));
  const now = performance.now(); frames.push(now - last); last = now;
}
window.__result = { rendered, painted, frames, nodes: pane.getElementsByTagName("*").length,
                    marks: pane.querySelectorAll("mark").length };
"""


def browser_side(view) -> dict | None:
    """Time the view in Chromium; run in a thread of its own.

    Playwright's sync API refuses a thread whose asyncio loop is running (a Jupyter kernel, or a test
    process where an earlier library left one running); a fresh thread has no loop.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_browser_side, view).result()


def _browser_side(view) -> dict | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    static = Path(th.ui.__file__).parent / "static"
    data = {"kind": "coding", "doc": view.doc, "codings": view.codings, "codes": view.codes, "coder": view.coder,
            "memos": view.memos, "focus": {}, "message": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.set_content(PAGE.format(css=(static / "views.css").read_text(encoding="utf-8")))
        page.evaluate("(s) => { window.__esm = s; }", (static / "views.js").read_text(encoding="utf-8"))
        page.add_script_tag(content=json.dumps(data).replace("</", "<\\/"), type="application/json")
        page.evaluate("() => { const s = document.querySelector('script[type=\"application/json\"]'); s.id = 'data'; }")
        page.add_script_tag(content=SCRIPT, type="module")
        page.wait_for_function("() => window.__result", timeout=120000)
        result = page.evaluate("() => window.__result")
        browser.close()
    frames = sorted(result["frames"])
    return {"render the view (browser, one pass)": result["rendered"] / 1000,
            "render + first paint (browser)": result["painted"] / 1000,
            "scroll top to bottom: frames": len(frames),
            "scroll: longest frame (ms)": frames[-1] if frames else 0.0,
            "scroll: median frame (ms)": frames[len(frames) // 2] if frames else 0.0,
            "scroll: frames over 50 ms": sum(f > 50 for f in frames),
            "DOM elements in the transcript": result["nodes"], "highlights (mark elements)": result["marks"]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = th.Project.open(Path(tmp) / "long.thematic")
        doc = ingest_text(long_transcript(args.words), doc_id="Fjordvik-long", case="Fjordvik")
        project.add([doc])
        project.autocode(th.Codebook.load(ROOT / "codebooks" / "digitalisering.yaml"))
        project = th.Project.open(Path(tmp) / "long.thematic")  # a fresh kernel's view of the file
        words = len(doc.text.split())
        codings = len(project.codings)
        print(f"transcript: {words} words, {len(doc.segments)} turns, {codings} rule codings; "
              f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        figures, view = kernel_side(project, doc.doc_id)
        browser = browser_side(view)
        project.close()
    width = max(len(k) for k in figures) + 2
    print(f"{'measure':<{width}} {'value':>10}  target")
    for name, value in figures.items():
        target = f"< {TARGET_OPEN:.1f} s" if name.startswith("open") else ""
        print(f"{name:<{width}} {value:>9.3f}s  {target}")
    if browser is None:
        print("browser side: skipped (install chromium and playwright: apt-get install chromium; pip install -e '.[dev]')")
    else:
        for name, value in browser.items():
            unit = "s" if isinstance(value, float) and "ms" not in name else ""
            shown = f"{value:.3f}{unit}" if isinstance(value, float) else str(value)
            target = f"< {TARGET_OPEN:.1f} s with the kernel side" if name.startswith("render +") else ""
            target = "smooth: none" if name.endswith("over 50 ms") else target
            print(f"{name:<{width}} {shown:>10}  {target}")
        total = figures["open CodingView (kernel, next views)"] + browser["render + first paint (browser)"]
        print(f"{'open, kernel + browser (next views)':<{width}} {total:>9.3f}s  < {TARGET_OPEN:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
