"""Exports that are safe to open: no live formulas in xlsx, OWASP-neutralised CSV, no control characters."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

import thematic as th
from thematic.codebook.export import write_codebook
from thematic.export import to_csv, to_excel, to_word

pytestmark = pytest.mark.timeout(120)

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klikk\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "vanlig tekst"]


def test_xlsx_text_cells_are_never_formulas(tmp_path):
    frame = pd.DataFrame({"quote": HOSTILE, "n": range(len(HOSTILE))},
                         index=pd.Index(["=1+1", "b", "c", "d", "e", "f"], name="=case"))
    to_excel({"quotes": frame}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["quotes"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [ws.cell(row=i + 2, column=2).value for i in range(len(HOSTILE))] == HOSTILE
    assert ws["A1"].value == "=case" and ws["A2"].value == "=1+1"


def test_csv_fields_are_neutralised_and_the_guard_can_be_turned_off(tmp_path):
    frame = pd.DataFrame({"quote": HOSTILE, "n": [-1, 2, 3, 4, 5, 6]})
    [path] = to_csv({"q": frame}, tmp_path / "safe")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [r["quote"] for r in rows] == ["'" + v for v in HOSTILE[:5]] + ["vanlig tekst"]
    assert rows[0]["n"] == "-1"  # numbers stay numbers
    [raw] = to_csv({"q": frame}, tmp_path / "raw", formula_guard=False)
    assert [r["quote"] for r in csv.DictReader(raw.open(encoding="utf-8-sig"))] == HOSTILE


def test_codebook_export_to_xlsx_and_csv_keeps_formula_text_as_text(tmp_path):
    book = th.Codebook.loads("""
codebook: {id: cb, version: 1.0.0}
themes:
  - id: t
    label: {en: "=HYPERLINK(\\"http://evil.example\\")"}
    definition: {en: "@SUM(1)"}
""")
    write_codebook(book, tmp_path / "cb.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "cb.xlsx").active
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert any(c.value == "@SUM(1)" for row in ws.iter_rows() for c in row)
    write_codebook(book, tmp_path / "cb.csv")
    assert "'@SUM(1)" in (tmp_path / "cb.csv").read_text(encoding="utf-8")


def test_control_characters_never_reach_xlsx_or_docx(tmp_path):
    frame = pd.DataFrame({"quote": ["side\x0cskift", "nul\x00byte", "ok"]})
    to_excel({"q": frame}, tmp_path / "c.xlsx")
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "c.xlsx")["q"].iter_rows() for c in row]
    assert values == ["quote", "sideskift", "nulbyte", "ok"]
    content = th.export.ReportContent(title="t", tables=[("tab", frame)],
                                      quotes=pd.DataFrame({"theme": ["x"], "case": ["c"], "reference": ["r"],
                                                           "quote": ["a\x0cb"]}), lang="nb")
    to_word(content, tmp_path / "c.docx")
    import docx

    text = "\n".join(p.text for p in docx.Document(tmp_path / "c.docx").paragraphs)
    assert "«[…] ab […]»" in text and "\x0c" not in text  # nb quotation marks; a lower-case start marks a partial quote


def test_form_feed_and_nul_in_a_transcript_are_stripped_at_ingest(tmp_path):
    (tmp_path / "a.txt").write_text("Intervjuer: Hei.\n\nK1: Side én\x0cside to, med\x07 bjelle.\n",
                                    encoding="utf-8")
    [doc] = th.ingest(tmp_path).documents
    assert "Side én side to, med bjelle." in doc.text
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in doc.text)


@pytest.mark.timeout(300)  # the whole report pipeline; slow on a loaded CI machine
def test_report_with_formula_case_names_and_form_feeds_opens_safely(tmp_path, sample_dir, codebook_dir):
    from thematic.report import build_report

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (sample_dir / "Fjordvik-K2.txt").read_text(encoding="utf-8").replace("digitalisering", "digi\x0csering", 3)
    (corpus / "Fjordvik-K2.txt").write_text(text, encoding="utf-8")
    (corpus / "cases.csv").write_text(
        "file,case,case_name,case_type,informants,language\n"
        'Fjordvik-K2.txt,"=HYPERLINK(""http://evil.example"")","=1+1",municipality,K2,nb\n', encoding="utf-8")
    result = build_report(corpus, codebook_dir / "digitalisering.yaml", tmp_path / "out")
    workbook = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    formulas = [(ws.title, c.coordinate) for ws in workbook for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    assert any(c.value == '=HYPERLINK("http://evil.example")' for ws in workbook for row in ws.iter_rows()
               for c in row)
    for path in result.files:
        if path.suffix == ".csv":
            for row in csv.reader(path.open(encoding="utf-8-sig")):
                assert not any(v.startswith(("=", "+", "@")) for v in row), (path.name, row)
