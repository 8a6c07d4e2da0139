"""A second coder for the sample corpus: the reference coding with deliberate, documented differences.

Differences (deterministic, so agreement figures are reproducible):
  * every 6th reference coding is left out (the second coder missed it);
  * every 5th is given a sibling code of the same theme (same theme, different sub-code);
  * every 9th target_picture coding is coded as strategy instead (a theme-level disagreement);
  * three extra codings the reference does not have.

    python data/tools/build_second_coder.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import thematic as th

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "sample_transcripts"
EXTRA = [("Fjordvik-K2", "Det bekymrer meg litt.", "learning.organisation_learning"),
         ("Kystnett-K6", "Det har tatt oss ti år å komme dit vi er nå", "organisation.networks"),
         ("Dalnett-K7", "Liv Berg i styret har vært veldig viktig for meg.", "leadership.mandate")]


def main() -> None:
    book = th.Codebook.load(HERE.parents[1] / "codebooks" / "digitalisering.yaml")
    reference = pd.read_csv(CORPUS / "reference_codings.csv")
    rows = []
    tp_seen = 0
    for i, r in reference.iterrows():
        if i % 6 == 5:
            continue
        code = r.code
        if i % 5 == 4:
            siblings = [c.id for c in book.children(r.theme) if c.id != r.code]
            code = siblings[i % len(siblings)]
        if r.theme == "target_picture":
            tp_seen += 1
            if tp_seen % 9 == 0:
                code = "strategy.plans"
        rows.append({**r.to_dict(), "code": code, "theme": code.split(".")[0], "coder": "ola",
                     "note": "" if code == r.code else f"reference: {r.code}"})
    corpus = th.ingest(CORPUS)
    for doc_id, quote, code in EXTRA:
        start = corpus[doc_id].text.index(quote)
        rows.append({"doc_id": doc_id, "start": start, "end": start + len(quote), "code": code,
                     "theme": code.split(".")[0], "coder": "ola", "quote": quote, "note": "extra"})
    pd.DataFrame(rows).to_csv(CORPUS / "second_coder_codings.csv", index=False)
    print(f"wrote {len(rows)} codings by the second coder")


if __name__ == "__main__":
    main()
