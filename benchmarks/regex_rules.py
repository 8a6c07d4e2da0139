"""The regex-rule stage of coding, three ways, on the scale benchmark's corpus (same hits every way).

  1. ignorecase: every ``re:`` pattern with ``regex.IGNORECASE`` on the original text (the old path);
  2. lower-case: patterns rewritten for lower-cased text, run without IGNORECASE (thematic.coding.regexes);
  3. hyperscan: as 2, after a Hyperscan prefilter that says which rules can match in a document
     (the ``fast`` extra; "not installed" without it).

The corpus is ``benchmarks/scale.py``'s (shuffled, recombined Norwegian turns of the sample transcripts,
about 5,000 words a file) and the rules are the Norwegian regexes of ``codebooks/digitalisering.yaml``.
Each document is walled into its turns as coding does (``unit="turn"``: sentence units would need the
spaCy parse, which is not this stage). Figures are CPU seconds (``time.process_time``) for matching
every document, the best of ``--repeat`` runs, plus the one-off compile time; the script checks that the
three paths found exactly the same hits.

    python benchmarks/regex_rules.py --words 1000000 [--json] [--distinct]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import thematic as th  # noqa: E402
from thematic.coding import regexes  # noqa: E402
from thematic.coding.engine import coding_units  # noqa: E402
from thematic.coding.rules import RuleCoder, _walled  # noqa: E402

CODEBOOK = ROOT / "codebooks" / "digitalisering.yaml"
PATHS = {"ignorecase": {"lower": False, "fast": False}, "lower-case": {"lower": True, "fast": False},
         "hyperscan": {"lower": True, "fast": True}}


def masked_documents(words: int, distinct: bool = False) -> list[str]:
    """The benchmark corpus as coding sees it: each document's text with its turns walled off."""
    import scale

    tmp = Path(tempfile.mkdtemp(prefix="thematic-regex-"))
    try:
        scale.build_corpus(words, tmp / "corpus", distinct=distinct)
        out = []
        for document in th.ingest(tmp / "corpus"):
            units = coding_units(document, None, "turn")
            out.append(_walled(document.text, [(u.start, u.end) for u in units]))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def regex_rules(lang: str = "nb") -> list:
    book = th.Codebook.load(CODEBOOK)
    return [r for r in RuleCoder._all_rules(book) if r.pattern.kind == "regex" and r.pattern.lang == lang]


def measure(texts: list[str], rules: list, lower: bool, fast: bool, repeat: int) -> dict:
    regexes._DATABASES.clear()
    start = time.process_time()
    compiled = regexes.RegexRules(rules, lower=lower, fast=fast)
    compile_s = time.process_time() - start
    best, hits = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        found = [compiled.matches(t) for t in texts]
        best = min(best, time.process_time() - start)
        hits = [[(r.rank, a, b) for r, a, b in doc] for doc in found]
    return {"seconds": best, "compile_s": compile_s, "hits": hits,
            "lowered": sum(c.lowered for c in compiled.compiled), "prefiltered": compiled.prefiltered}


def run(words: int, repeat: int = 3, distinct: bool = False) -> dict:
    texts = masked_documents(words, distinct)
    rules = regex_rules()
    figures: dict = {"words": sum(len(t.split()) for t in texts), "documents": len(texts), "rules": len(rules)}
    reference = None
    for name, options in PATHS.items():
        if options["fast"] and regexes._hyperscan() is None:
            figures[name] = None
            continue
        m = measure(texts, rules, repeat=repeat, **options)
        if reference is None:
            reference = m["hits"]
        figures[name] = {"seconds": m["seconds"], "compile_s": m["compile_s"], "lowered": m["lowered"],
                         "prefiltered": m["prefiltered"], "same_hits": m["hits"] == reference,
                         "hits": sum(len(h) for h in m["hits"])}
    return figures


def table(f: dict) -> str:
    base = f["ignorecase"]["seconds"]
    lines = [f"regex rules: {f['rules']} Norwegian patterns of {CODEBOOK.name} over {f['words']:,} words in "
             f"{f['documents']} documents (CPU seconds, best run)", ""]
    for name in PATHS:
        m = f[name]
        if m is None:
            lines.append(f"{name:<11}  not installed (pip install thematic[fast])")
            continue
        lines.append(f"{name:<11}  {m['seconds']:7.3f} s  {base / m['seconds']:5.1f}x  compile {m['compile_s']:.3f} s  "
                     f"{m['hits']:,} hits, same as ignorecase: {'yes' if m['same_hits'] else 'NO'}  "
                     f"(lower-cased: {m['lowered']}, prefiltered: {m['prefiltered']})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--distinct", action="store_true", help="scale.py's corpus with 100k+ distinct word forms")
    args = parser.parse_args(argv)
    figures = run(args.words, args.repeat, args.distinct)
    print(json.dumps(figures) if args.json else table(figures))
    return 0 if all(m is None or m["same_hits"] for m in (figures[n] for n in PATHS)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
