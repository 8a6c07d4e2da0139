"""``thematic show`` and the coded-document HTML: line numbers, speakers, the interviewer set apart."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.coding import CodedDocument, render_html
from thematic.transcripts import ingest_text

TEXT = ("Intervjuer: Har dere et <målbilde> for skolene?\n"
        "K2: Nei, vi har ingen målbilde. Strategien er nyttig for oss på Ærøy.\n\n"
        "Vi deler erfaringer i nettverket.\n")


@pytest.fixture
def project_file(tmp_path, codebook_dir):
    path = tmp_path / "study.thematic"
    with th.Project.open(path) as p:
        p.add([ingest_text(TEXT, doc_id="Fjordvik-K2", case="Fjordvik")])
        p.autocode(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        p.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
    return path


def test_html_rows_have_line_numbers_speakers_and_the_interviewer_ends_before_the_next_label():
    doc = ingest_text(TEXT, doc_id="d")
    html = render_html(doc, _one(doc, "ingen målbilde"))
    rows = re.findall(r'<div class="row ([a-z ]+)"><span class="ln">(\d*)</span><span class="spk">([^<]*)</span>'
                      r'<span class="txt">(.*?)</span><span class="codes">', html)
    assert [(r[0].split()[0], r[1], r[2]) for r in rows] == [
        ("interviewer", "1", "Intervjuer"), ("informant", "2", "K2"), ("informant", "4", "")]
    interviewer = rows[0][3]
    assert "K2" not in interviewer and interviewer.endswith("skolene?")  # the styling stops with the question
    assert "&lt;målbilde&gt;" in interviewer
    assert 'title="target_picture.unclear — manual: ida"' in html
    assert "<!DOCTYPE" not in html and "<style>" in html  # a fragment for notebooks, with its styles


def _one(doc, phrase):
    import pandas as pd

    i = doc.text.index(phrase)
    return pd.DataFrame([{"doc_id": doc.doc_id, "start": i, "end": i + len(phrase), "code": "target_picture.unclear",
                          "coder": "ida", "source": "manual", "rule": "", "status": "active"}])


def test_coded_document_shows_line_numbers_in_a_notebook():
    doc = ingest_text(TEXT, doc_id="d")
    shown = CodedDocument(doc, _one(doc, "ingen målbilde"))._repr_html_()
    assert '<span class="ln">2</span>' in shown


def test_show_html_writes_a_self_contained_page(project_file, tmp_path):
    out = tmp_path / "for supervisor" / "fjordvik.html"
    result = CliRunner().invoke(app, ["show", str(project_file), "Fjordvik-K2", "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<script" not in page and "http" not in page  # nothing to fetch: opens offline
    assert "Ærøy" in page and "target_picture.unclear" in page and "manual: ida" in page
    assert re.search(r'class="code pending"[^>]*>strategy', page)  # pending rule codings marked apart
    assert not list(out.parent.glob("*.part"))


def test_show_prints_the_transcript_with_lines_speakers_and_codes(project_file):
    result = CliRunner().invoke(app, ["show", str(project_file), "Fjordvik-K2"], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.match(r"\s*1 Intervjuer\s+Har dere et <målbilde>", lines[0])
    assert any(re.match(r"\s*2 K2\s+Nei, vi har ingen målbilde", line) for line in lines)
    assert "target_picture.unclear\n" in result.output.replace(" ", "") and "strategy?" in result.output
    reviewed = CliRunner().invoke(app, ["show", str(project_file), "Fjordvik-K2", "--codings", "reviewed"],
                                  env={"COLUMNS": "140"})
    assert "strategy?" not in reviewed.output and "1 codings (reviewed)" in reviewed.output


@pytest.mark.parametrize("args, message", [
    (["Fjordvik-K9"], "[S003]"),
    (["Fjordvik-K2", "--codings", "some"], "[A001]"),
])
def test_show_bad_input_is_a_clear_error(project_file, args, message):
    result = CliRunner().invoke(app, ["show", str(project_file), *args])
    assert result.exit_code == 2 and message in result.output


def test_show_a_missing_project(tmp_path):
    result = CliRunner().invoke(app, ["show", str(tmp_path / "none.thematic"), "d"])
    assert result.exit_code == 2 and "[S001]" in result.output and not (tmp_path / "none.thematic").exists()
