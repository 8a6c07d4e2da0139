"""pypdf against pdfplumber on our Nordic PDF fixture: why thematic reads PDFs with pdfplumber.

tests/fixtures/sources/Fjellvik-strategi.pdf is a fictional Bokmål strategy set by pdflatex
(data/tools/build_pdf_fixture.py): justified lines, hyphenation, ligatures, æ/ø/å, running header and
page numbers. For each extractor, counts over all lines of text:

* glued: lines with a "word" of 30+ letters (justification gaps not read as spaces),
* nordic: whether "færre", "følges", "læremidler", "oppfølging" come out intact (letters and ligatures),
* header lines: how often the running header appears in the raw text (a reader must drop it itself).

    python benchmarks/pdf_readers.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PDF = ROOT / "tests" / "fixtures" / "sources" / "Fjellvik-strategi.pdf"
WORDS = ("færre", "følges", "læremidler", "oppfølging", "Kommunen etablerer et nettverk")


def extractors():
    import pdfplumber
    import pypdf

    reader = pypdf.PdfReader(PDF)
    yield "pypdf extract_text()", [p.extract_text() for p in reader.pages]
    yield "pypdf layout mode", [p.extract_text(extraction_mode="layout") for p in reader.pages]
    with pdfplumber.open(PDF) as pdf:
        yield "pdfplumber (x_tolerance=3, default)", [p.extract_text() for p in pdf.pages]
        yield "pdfplumber (x_tolerance=1.5, thematic)", [p.extract_text(x_tolerance=1.5) for p in pdf.pages]


def main(argv=None) -> int:
    from thematic.transcripts.pdf import read_pdf

    print(f"{'extractor':42} {'lines':>5} {'glued':>5} {'intact words':>12} {'header lines':>12}")
    for name, pages in extractors():
        lines = [line.strip() for page in pages for line in page.split("\n") if line.strip()]
        glued = sum(1 for line in lines if re.search(r"[^\W\d_]{30,}", line))
        text = "\n".join(lines)
        intact = sum(w in text for w in WORDS)
        header = text.count("Digitaliseringsstrategi 2026")
        print(f"{name:42} {len(lines):5d} {glued:5d} {intact:>7d} of {len(WORDS)} {header:12d}")
    raw = read_pdf(PDF.read_bytes(), PDF)
    glued = len(re.findall(r"[^\W\d_]{30,}", raw.text))
    print(f"\nthematic's reader: {len(raw.paragraphs)} paragraphs/headings, {glued} glued words, running header "
          f"{raw.text.count('Digitaliseringsstrategi 2026')} times, soft hyphens left: {raw.text.count(chr(173))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
