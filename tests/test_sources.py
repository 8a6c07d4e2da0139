"""Documents are sources too: PDF, .odt, .html, .md and .txt policy documents in nb, nn, sv, da and en."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import thematic as th
from thematic.errors import IngestError
from thematic.transcripts.html import read_html
from thematic.transcripts.pdf import read_pdf

SOURCES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture(scope="module")
def sources():
    return th.ingest(SOURCES)


def body(doc):
    return [doc.text[s.start:s.end] for s in doc.segments if s.role == "document"]


@pytest.mark.parametrize("doc_id, fmt, language", [
    ("Fjellvik-strategi", "pdf", "nb"), ("Tindvik-evaluering", "txt", "nb"), ("Elvdal-plan", "md", "nn"),
    ("Norrby-handlingsplan", "html", "sv"), ("Skovby-handleplan", "odt", "da"), ("Lakeside-strategy", "txt", "en"),
])
def test_each_document_is_a_document_in_its_language(sources, doc_id, fmt, language):
    doc = sources[doc_id]
    assert (doc.format, doc.source_type, doc.language) == (fmt, "document", language)
    assert doc.attributes["language_source"] == "detected"
    assert {s.role for s in doc.segments} <= {"document", "unknown"}
    assert not doc.speakers and doc.informant_words() > 100  # the whole text is codable
    assert not [p for p in sources.problems if p.severity == "error"]


def test_pdf_paragraphs_pages_headings_and_clean_text(sources):
    doc = sources["Fjellvik-strategi"]
    text = "\n".join(body(doc))
    # running header and page numbers are gone; the title heading stays once
    assert "Digitaliseringsstrategi 2026–2029" not in doc.text
    assert all(line.strip() not in {"1", "2", "3"} for line in doc.text.split("\n"))
    # hyphenation undone where the joined word is a word, kept in IKT-avdelingen; words are not glued together
    for word in ("strategien", "kommunestyret", "opplæringen", "budsjettene", "informasjonssikkerhet",
                 "Kompetanseutviklingen", "profesjonsfellesskapet", "IKT-avdelingen"):
        assert word in text, word
    assert "Kommunen etablerer et nettverk for ressurspersoner" in text and "  " not in doc.text
    assert "strate-" not in text and "\u00ad" not in doc.text
    # each paragraph knows its page and heading path
    pages = {doc.text[s.start:s.end][:20]: s.page for s in doc.segments if s.role == "document"}
    assert pages["Fjellvik kommune har"] == 1 and pages["Kommunen etablerer e"] == 2
    assert pages["Alle digitale læremi"] == 3
    privacy = next(s for s in doc.segments if doc.text[s.start:s.end].startswith("Alle digitale"))
    assert privacy.heading == "5 Personvern og informasjonssikkerhet"
    frame = sources.segments
    assert frame.loc[frame["doc_id"] == "Fjellvik-strategi", "page"].dropna().astype(int).tolist()[-1] == 3


def test_scanned_pdf_without_text_asks_for_ocr(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(IngestError, match=r"T024.*no text layer \(2 page.*needs OCR"):
        read_pdf(buffer.getvalue(), "scan.pdf")
    (tmp_path / "scan.pdf").write_bytes(buffer.getvalue())
    (tmp_path / "ok.txt").write_text("Kommunen har en plan for digitalisering i skolen og barnehagen.", encoding="utf-8")
    corpus = th.ingest(tmp_path)
    assert [d.doc_id for d in corpus] == ["ok"]
    assert any("needs OCR" in p.message and p.severity == "error" for p in corpus.problems)


@pytest.mark.parametrize("data", [b"not a pdf at all", b"%PDF-1.4\n1 0 obj <<", b""])
def test_broken_pdf_is_a_clear_error(data):
    with pytest.raises(IngestError, match="T025|T001"):
        read_pdf(data, "broken.pdf")


def test_odt_headings_lists_tables_and_no_footnotes(sources):
    doc = sources["Skovby-handleplan"]
    text = body(doc)
    assert "Hver skole udpeger en digital vejleder, som støtter kollegerne i undervisningen." in text
    assert "Digitale vejledere | 2026" in text
    assert "Indsatserne finansieres inden for den eksisterende ramme. Der er ikke afsat nye midler." in text
    assert "budgetaftalen" not in doc.text  # the footnote body is not running text
    item = next(s for s in doc.segments if doc.text[s.start:s.end].startswith("Hver skole"))
    assert item.heading == "Handleplan for digitalisering i dagtilbud og skoler 2026–2028 > 3 Indsatser"


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"just text"])
def test_broken_odt_is_a_clear_error(tmp_path, data):
    (tmp_path / "x.odt").write_bytes(data)
    corpus = th.ingest(tmp_path / "x.odt") if False else None
    from thematic.transcripts.odt import read_odt

    with pytest.raises(IngestError, match="T025"):
        read_odt(data, "x.odt")
    assert corpus is None


def test_html_main_text_without_navigation_cookies_or_footer(sources):
    doc = sources["Norrby-handlingsplan"]
    assert doc.attributes["title"].startswith("Handlingsplan för digitalisering")
    for noise in ("kakor", "Omsorg", "Start >", "Box 100", "dataLayer", "font-family"):
        assert noise not in doc.text, noise
    assert "Egen dator årskurs 4–9 | IT-avdelningen | 2026" in body(doc)
    strong = next(t for t in body(doc) if t.startswith("Digitaliseringen påverkar"))
    assert "svårt för IT-avdelingen att stödja" in strong  # inline markup stays inside its paragraph


def test_html_legacy_encoding_from_meta_charset():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Blåbær og rødgrøt på skolen.</p></body></html>'
    raw = read_html(page.encode("cp1252"), "old.html")
    assert raw.text == "Blåbær og rødgrøt på skolen."


def test_markdown_headings_are_structure_not_text(sources):
    doc = sources["Elvdal-plan"]
    assert all(not t.startswith("#") for t in body(doc))
    headings = [doc.text[s.start:s.end] for s in doc.segments if s.role == "unknown"]
    assert headings[:2] == ["Plan for digital kompetanse i Elvdal kommune 2026–2028", "1 Bakgrunn"]


def test_plain_text_document_headings_and_fact_box(sources):
    doc = sources["Tindvik-evaluering"]
    assert doc.segments[0].role == "unknown"  # the title line is a heading
    fact_box = next(t for t in body(doc) if t.startswith("Fakta om satsingen"))
    assert "Budsjett: 4,2 millioner kroner" in fact_box  # lines with a colon are not speakers here
    assert not doc.speakers


def test_a_quote_in_another_language_keeps_the_main_language_and_shows_the_share(sources):
    doc = sources["Tindvik-evaluering"]
    assert doc.language == "nb"
    assert doc.attributes["language_detected"].startswith("nb ") and "sv " in doc.attributes["language_detected"]


def test_a_pdf_paragraph_continues_over_a_page_break_and_keeps_its_first_page():
    from thematic.transcripts.pdf import _Line, _paragraphs

    def line(text, top, page, x1=350.0):
        return _Line(text, top, top + 12, 68.0, x1, 12.0, False, page)

    pages = [[line("Kommunen skal evaluere planen hvert annet år, og resultatene", 500, 1),
              line("skal legges fram for hovedutvalget for oppvekst og", 515, 1)],
             [line("kultur før budsjettet vedtas.", 60, 2, x1=200.0),
              line("Neste avsnitt begynner her og handler om noe annet enn", 75, 2),
              line("evalueringen av planen.", 90, 2, x1=180.0)]]
    blocks = _paragraphs(pages)
    assert [(b.text[:20], b.page) for b in blocks] == [("Kommunen skal evalue", 1), ("Neste avsnitt begynn", 2)]
    assert "oppvekst og kultur før budsjettet vedtas." in blocks[0].text
