"""Build data/sample_transcripts/full_reference_codings.csv from data/tools/full_reference_labels.tsv.

The second reference coding of the sample (coder ``full_reference``), made for issue 20 by a coder who saw
only the codebook's definitions (exported without patterns), the transcripts and the list of informant
sentences, never the rules, their output or the first reference coding. Unlike ``reference`` (about one
representative sentence per point, as a researcher picks quotes), it is exhaustive: every informant
sentence got every code whose definition covers it, read in the context of its interview; 53 of 799
sentences got none. A bare theme id means "this theme, no sub-code fits".

The labels file holds one line per sentence: doc_id, start, end (code points into the ingested NFC text),
codes (comma-separated, empty for none), the coder's note and the sentence. The build checks that every
sentence is found at its offsets, so a change in ingest or sentence cutting stops it with a message.

    python data/tools/build_full_reference.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import thematic as th

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "sample_transcripts"
CODER = "full_reference"


def main() -> None:
    corpus = th.ingest(CORPUS)
    book = th.Codebook.load(HERE.parent.parent / "codebooks" / "digitalisering.yaml")
    known = {t.id for t in book.themes} | {c.id for c in book.codes}
    rows, problems = [], []
    with open(HERE / "full_reference_labels.tsv", encoding="utf-8", newline="") as handle:
        for number, rec in enumerate(csv.DictReader(handle, delimiter="\t"), 2):
            text = corpus[rec["doc_id"]].text
            start, end = int(rec["start"]), int(rec["end"])
            if " ".join(text[start:end].split()) != " ".join(rec["text"].split()):
                problems.append(f"line {number}: {rec['doc_id']} {start}-{end} is not the sentence {rec['text'][:60]!r}")
                continue
            for code in filter(None, (c.strip() for c in rec["codes"].split(","))):
                if code not in known:
                    problems.append(f"line {number}: unknown code {code!r}")
                    continue
                rows.append({"doc_id": rec["doc_id"], "start": start, "end": end, "code": code,
                             "theme": code.split(".")[0], "coder": CODER, "quote": text[start:end],
                             "note": rec["note"]})
    if problems:
        raise SystemExit("full_reference_labels.tsv:\n  " + "\n  ".join(problems))
    out = CORPUS / "full_reference_codings.csv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc_id", "start", "end", "code", "theme", "coder", "quote", "note"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {out} ({len(rows)} codings)")


if __name__ == "__main__":
    main()
