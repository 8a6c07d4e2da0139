"""Codebooks: loading, strict validation with lines, lint, exports and REFI-QDA .qdc exchange."""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.codebook import Codebook, Pattern
from thematic.codebook.export import write_codebook
from thematic.codebook.qdc import codebook_xml, code_guid, load_qdc, save_qdc
from thematic.errors import CodebookError

SHIPPED = ("digitalisering", "styrkedja", "framgangsfaktorer")
THEMES = ["strategy", "target_picture", "leadership", "learning", "organisation"]


def yaml_text(body: str) -> str:
    return textwrap.dedent(body).lstrip("\n")


GOOD = yaml_text("""
    codebook: {id: demo, name: Demo, version: "2", languages: [nb, en]}
    themes:
      - id: strategy
        label: {en: Strategy, nb: Strategi}
        definition: {en: Plans.}
        examples: ["Vi har en strategi."]
        patterns: {nb: ["*strategi", "felles retning", "re:\\\\bplan(er)?\\\\b"]}
        not_patterns: {nb: ["strategisk plass"]}
        codes:
          - id: useful
            label: {en: Useful}
            definition: {en: Useful plans.}
            examples: ["Nyttig."]
    """)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_codebooks_load_and_lint_clean(codebook_dir, name):
    book = Codebook.load(codebook_dir / f"{name}.yaml")
    assert book.lint() == []
    assert len(book.themes) >= 5
    assert all(c.definition and c.examples for c in book.codes)


def test_study_codebook_has_the_five_themes_and_their_subcodes(codebook_dir):
    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    assert [t.id for t in book.themes] == THEMES
    for theme in THEMES:
        assert 3 <= len(book.children(theme)) <= 6
    assert book.get("target_picture.unclear").theme == "target_picture"
    for code in book.codes:
        assert {"en", "nb"} <= set(code.definition)
    langs = {p.lang for c in book.codes for p in c.patterns}
    assert langs == {"nb", "nn", "sv", "da", "en"}
    assert book.coder_name == "rules@digitalisering:1.0.0"
    false_friends = {p.source for c in book.codes for p in c.not_patterns}
    assert {"strategisk plass", "bildet på skjermen", "nettverkskabel", "lære å sykle"} <= false_friends


def test_pattern_syntax():
    assert Pattern.parse("*strategi", "nb") == Pattern("nb", "strategi", "word", head=True)
    assert Pattern.parse("strategi*", "nb").first
    assert Pattern.parse("Felles  Målbilde", "nb") == Pattern("nb", "felles målbilde", "phrase")
    assert Pattern.parse(r"re:\bplan\b", "nb").kind == "regex"


def test_api_get_to_frame_and_yaml_round_trip():
    book = Codebook.loads(GOOD, path="demo.yaml")
    assert book.get("strategy.useful").label_in("nb") == "Useful"
    with pytest.raises(CodebookError, match="strategy.usefull|Close|start with"):
        book.get("strategy.usefull")
    frame = book.to_frame()
    assert list(frame.id) == ["strategy", "strategy.useful"]
    assert frame.loc[0, "patterns_nb"] == r"*strategi; felles retning; re:\bplan(er)?\b"
    again = Codebook.loads(book.to_yaml())
    assert [c.patterns for c in again.codes] == [c.patterns for c in book.codes]
    assert book.fingerprint != again.fingerprint or book.source_text == again.source_text


@pytest.mark.parametrize("body,line,message", [
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         label: A
       - id: a
         label: B
     """, 5, "duplicate id 'a'"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         defintion: typo
     """, 4, "did you mean 'definition'"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         label: {nb: ""}
     """, 4, "empty label"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         patterns: {nb: ["re:(unclosed"]}
     """, 4, "invalid regular expression"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         patterns: {sv: ["strategi"]}
     """, 4, "does not declare"),
    ("""
     codebook: {id: x, languages: [nb]}
     codes:
       - {id: a, parent: b}
       - {id: b, parent: a}
     """, 3, "cycle in parents"),
    ("""
     codebook: {id: x, languages: [nb]}
     codes:
       - {id: a, parent: nowhere}
     """, 3, "unknown parent 'nowhere'"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: Bad Id
     """, 3, "lower-case"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         colour: red
     """, 4, "colour 'red'"),
    ("""
     codebook: {id: x, languages: [nb]}
     themes:
       - id: a
         label: [broken
     """, 5, "YAML syntax error"),
])
def test_broken_codebooks_name_the_line(tmp_path, body, line, message):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml_text(body), encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        Codebook.load(path)
    text = str(info.value)
    assert message in text
    assert f"broken.yaml, line {line}" in text


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(yaml_text("""
        codebook: {id: x, languages: [nb]}
        themes:
          - id: a
            defintion: typo
            patterns: {en: [x]}
          - id: a
        """), encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        Codebook.load(path)
    assert len(info.value.problems) == 3


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("codebook: {id: æøå}".encode("latin-1"))
    with pytest.raises(CodebookError, match="not UTF-8"):
        Codebook.load(path)
    with pytest.raises(CodebookError, match="file not found"):
        Codebook.load(tmp_path / "missing.yaml")


def test_lint_warns_about_missing_definitions_examples_and_shared_patterns():
    book = Codebook.loads(yaml_text("""
        codebook: {id: x, languages: [nb]}
        themes:
          - id: a
            patterns: {nb: [plan]}
          - id: b
            definition: B
            examples: [b]
            patterns: {nb: [plan]}
        """), path="x.yaml")
    warnings = book.lint()
    assert any("'a' has no definition" in w for w in warnings)
    assert any("'a' has no examples" in w for w in warnings)
    assert any("'plan' (nb) is shared by a, b" in w for w in warnings)


# --- exports ----------------------------------------------------------------------------------

def test_word_appendix_contains_every_code_in_tables(codebook_dir, tmp_path):
    book = Codebook.load(codebook_dir / "digitalisering.yaml")
    path = write_codebook(book, tmp_path / "appendix.docx", lang="en")
    document = docx.Document(path)
    assert len(document.tables) == len(book.themes)
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for code in book.codes:
        assert f"({code.id})" in cells
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "version 1.0.0" in headings[0] and "Target picture" in headings


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "tex", "qdc"])
def test_other_exports_contain_the_codes(codebook_dir, tmp_path, fmt):
    book = Codebook.load(codebook_dir / "styrkedja.yaml")
    path = write_codebook(book, tmp_path / f"cb.{fmt}")
    if fmt == "xlsx":
        text = " ".join(str(c.value) for row in openpyxl.load_workbook(path).active.iter_rows() for c in row)
    else:
        text = path.read_text(encoding="utf-8")
    for code in book.codes:
        assert code.label_in("en") in text or code.label_in("sv") in text


def test_latex_is_escaped(tmp_path):
    book = Codebook.loads(yaml_text("""
        codebook: {id: x, languages: [en]}
        themes:
          - id: a
            label: "R&D 50% #1"
        """))
    text = write_codebook(book, tmp_path / "a.tex").read_text()
    assert r"R\&D 50\% \#1" in text


# --- REFI-QDA .qdc ----------------------------------------------------------------------------

def test_qdc_export_is_schema_valid_with_stable_guids(codebook_dir, shared_dir):
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "refi-qda/schema/Codebook.xsd")))
    book = Codebook.load(codebook_dir / "digitalisering.yaml")
    xml, report = codebook_xml(book)
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    assert xml == codebook_xml(Codebook.load(codebook_dir / "digitalisering.yaml"))[0]
    assert code_guid("digitalisering", "strategy") in xml.decode()
    assert any("rule pattern" in n for n in report.not_carried)
    assert "When to use:" in xml.decode()


def test_qdc_round_trip_is_identical_and_keeps_non_ascii(tmp_path):
    book = Codebook.loads(yaml_text("""
        codebook: {id: nordisk, languages: [nb, sv]}
        themes:
          - id: malbilde
            label: {nb: Målbilde – æøå, sv: Målbild åäö}
            definition: {nb: Ønsket fremtid.}
            colour: "#ff7f0e"
            codes:
              - id: uklart
                label: {nb: Uklart målbilde}
        """))
    first = tmp_path / "a.qdc"
    save_qdc(book, first)
    imported, _ = load_qdc(first, lang="nb")
    assert [c.label_in("nb") for c in imported.codes] == ["Målbilde – æøå", "Uklart målbilde"]
    assert imported.codes[0].colour == "#FF7F0E" and imported.codes[1].parent == imported.codes[0].id
    second = tmp_path / "b.qdc"
    save_qdc(imported, second)
    assert first.read_bytes() == second.read_bytes()
    assert Codebook.loads(imported.source_text).to_yaml() == imported.source_text


def _count_codes_in_xml(path: Path) -> tuple[int, int]:
    from thematic.codebook.qdc import read_xml_bytes

    root = etree.fromstring(read_xml_bytes(path))
    codes = root.xpath("//*[local-name()='CodeBook']//*[local-name()='Code']")
    depth = max((len(c.xpath("ancestor::*[local-name()='Code']")) for c in codes), default=0)
    return len(codes), depth


@pytest.mark.parametrize("sample", [
    "taguette141_codebook.qdc", "maxqda24_icls_themes_project.qde", "atlasti8mac_refi_standard_project.qde",
    "atlasti23win_target_project.qdpx", "nvivo12win_oltas_hu.qdpx", "nvivo15mac_qc_project.qdpx", "qc132_demo.qdpx",
])
def test_sample_code_trees_import_completely(shared_dir, sample):
    path = shared_dir / "refi-qda" / "samples" / sample
    count, depth = _count_codes_in_xml(path)
    book, report = load_qdc(path)
    assert len(book) == count == report.codes
    assert max(c.depth for c in book.codes) == depth
    root = etree.fromstring(__import__("thematic.codebook.qdc", fromlist=["x"]).read_xml_bytes(path))
    colours = root.xpath("//*[local-name()='Code']/@color")
    assert sum(1 for c in book.codes if c.colour) == len(colours)
    descriptions = root.xpath("//*[local-name()='Code']/*[local-name()='Description']")
    assert sum(1 for c in book.codes if c.definition) == len([d for d in descriptions if (d.text or "").strip()])
    assert all(c.guid for c in book.codes)


def test_taguette_empty_sets_is_tolerated_and_said(shared_dir):
    book, report = load_qdc(shared_dir / "refi-qda/samples/taguette141_codebook.qdc")
    assert len(book) == 3
    assert any("empty <Sets/>" in t for t in report.tolerated)


def test_maxqda_long_descriptions_survive(shared_dir):
    book, _ = load_qdc(shared_dir / "refi-qda/samples/maxqda24_icls_themes_project.qde")
    assert len(book) == 307
    assert max(len(c.text_in("definition")) for c in book.codes) > 500


@pytest.mark.parametrize("content,message", [
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>", "DOCTYPE"),
    (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", "malformed XML"),
    (b"<Other xmlns='urn:something'/>", "unexpected namespace"),
    (b"PK\x03\x04broken", "zip"),
])
def test_bad_qdc_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.qdc"
    path.write_bytes(content)
    with pytest.raises(CodebookError, match=message):
        load_qdc(path)


# --- CLI --------------------------------------------------------------------------------------

def test_cli_codebook_commands(codebook_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["codebook", "lint", str(codebook_dir / "digitalisering.yaml")])
    assert result.exit_code == 0 and "no errors" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("codebook: {id: x}\nthemes:\n  - id: a\n    defintion: x\n", encoding="utf-8")
    result = runner.invoke(app, ["codebook", "lint", str(bad)])
    assert result.exit_code == 1 and "line 4" in result.output
    out = tmp_path / "cb.docx"
    result = runner.invoke(app, ["codebook", "export", str(codebook_dir / "digitalisering.yaml"), "-o", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 5000
    result = runner.invoke(app, ["codebook", "show", str(codebook_dir / "styrkedja.yaml")], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "styrning.vision_priorities" in result.output
    result = runner.invoke(app, ["codebook", "export", str(bad), "-o", str(out)])
    assert result.exit_code == 2 and "line 4" in result.output
