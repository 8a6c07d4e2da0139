"""Build data/sample_transcripts/reference_codings.csv from data/tools/reference_quotes.txt.

Each quote is located in the ingested (NFC) text of its document; a quote that is missing or
occurs more than once stops the build with a message, so offsets are always exact.

    python data/tools/build_reference.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import thematic as th

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "sample_transcripts"


def main() -> None:
    corpus = th.ingest(CORPUS)
    rows, problems = [], []
    for number, line in enumerate((HERE / "reference_quotes.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        doc_id, code, quote, note = (parts + [""])[:4]
        text = corpus[doc_id].text
        start = text.find(quote)
        if start < 0 or text.find(quote, start + 1) >= 0:
            problems.append(f"line {number}: quote {'not found' if start < 0 else 'ambiguous'} in {doc_id}: {quote}")
            continue
        rows.append({"doc_id": doc_id, "start": start, "end": start + len(quote), "code": code,
                     "theme": code.split(".")[0], "coder": "reference", "quote": quote, "note": note})
    if problems:
        raise SystemExit("\n".join(problems))
    with open(CORPUS / "reference_codings.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} reference codings")


if __name__ == "__main__":
    main()
