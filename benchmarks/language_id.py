"""Language identification (nb, nn, sv, da, en): accuracy per document and per paragraph.

Truth: the sample corpus's cases.csv, and the language each fixture was written in
(tests/fixtures/labels, tests/fixtures/sources); paragraphs inherit their document's
language, except the one Swedish quote in Tindvik-evaluering. Paragraphs shorter than
the detector's minimum (``MIN_PARAGRAPH_WORDS``) are not counted: no guess is made
for them. Prints accuracy and the confusion table (nb vs nn is the hard pair).

    python benchmarks/language_id.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.transcripts.language import MIN_PARAGRAPH_WORDS, identify  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
TRUTH = {
    "Bergvik-caps": "nn", "Fjellnett-affiliation": "nb", "Havnby-bracket-time": "nb",
    "Lakeside-name-time-line": "en", "Norrby-codes": "sv", "Skovby-name-bracket-time": "da",
    "Tindvik-metadata-header": "nb", "Tindvik-third-speaker": "nb",
    "Elvdal-plan": "nn", "Fjellvik-strategi": "pdf-nb", "Lakeside-strategy": "en", "Norrby-handlingsplan": "sv",
    "Skovby-handleplan": "da", "Tindvik-evaluering": "nb",
}
FOREIGN = ("«Det viktigaste vi har lärt oss", "sv")  # a quoted paragraph in another language


def rows():
    docs, paras = [], []
    sample = th.ingest(ROOT / "data" / "sample_transcripts")
    corpora = [(sample, {d.doc_id: d.attributes.get("language") or d.language for d in sample}),
               (th.ingest(FIXTURES / "labels"), TRUTH), (th.ingest(FIXTURES / "sources"), TRUTH)]
    for corpus, truth in corpora:
        for doc in corpus:
            expected = truth[doc.doc_id].replace("pdf-", "")
            if corpus is sample:
                expected = {"Sjöberga-S1": "sv", "Sjöberga-S2": "sv"}.get(doc.doc_id, "nb")
            coded = [doc.text[s.start:s.end] for s in doc.segments if s.role in ("informant", "document")]
            guess = identify("\n".join(coded), coded)
            docs.append({"doc_id": doc.doc_id, "truth": expected, "detected": guess.language,
                         "shares": guess.describe()})
            for text in coded:
                if len(text.split()) < MIN_PARAGRAPH_WORDS:
                    continue
                truth_here = FOREIGN[1] if text.startswith(FOREIGN[0]) else expected
                paras.append({"doc_id": doc.doc_id, "truth": truth_here, "detected": identify(text).language,
                              "words": len(text.split())})
    return pd.DataFrame(docs), pd.DataFrame(paras)


def main(argv=None) -> int:
    started = time.perf_counter()
    docs, paras = rows()
    elapsed = time.perf_counter() - started
    doc_acc = (docs["truth"] == docs["detected"]).mean()
    para_acc = (paras["truth"] == paras["detected"]).mean()
    print(f"documents:  {len(docs)}, accuracy {doc_acc:.1%}")
    print(f"paragraphs: {len(paras)} (>= {MIN_PARAGRAPH_WORDS} words), accuracy {para_acc:.1%}")
    for lang, group in paras.groupby("truth"):
        print(f"  {lang}: {len(group):4d} paragraphs, accuracy {(group['truth'] == group['detected']).mean():.1%}")
    print("\nconfusion (rows: truth, columns: detected):")
    print(pd.crosstab(paras["truth"], paras["detected"].fillna("none")).to_string())
    wrong = docs[docs["truth"] != docs["detected"]]
    if len(wrong):
        print("\nwrong documents:\n" + wrong.to_string(index=False))
    missed = paras[paras["truth"] != paras["detected"]]
    if len(missed):
        print("\nwrong paragraphs (shortest first):")
        print(missed.sort_values("words").head(10).to_string(index=False))
    print(f"\n{elapsed:.1f} s including ingest (dictionaries load once per process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
