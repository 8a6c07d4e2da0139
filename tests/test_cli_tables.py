"""CLI tables never cut text; every table command speaks --format csv|json; thematic ingest shows what was read."""

from __future__ import annotations

import inspect
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from thematic.cli import app
from thematic.cli._app import frame_table

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()
LONG = "Kommunedirektørens-digitaliseringsstrategi-for-oppvekstsektoren-2026-2029-endelig-versjon.pdf"


def test_a_table_in_a_narrow_terminal_wraps_and_never_cuts():
    for frame in (pd.DataFrame({"file": [LONG]}),
                  pd.DataFrame({"file": [LONG], "speakers": ["Kari Nordmann (informant, 1,204 words)"]})):
        buffer = io.StringIO()
        Console(file=buffer, width=40, force_terminal=True, color_system=None).print(frame_table(frame, "t"))
        out = buffer.getvalue()
        assert "…" not in out and max(len(line) for line in out.splitlines()) <= 40
    letters = "".join(ch for ch in out if ch.isalnum())  # one column: the folded name reads on in order
    out_one = io.StringIO()
    Console(file=out_one, width=40, force_terminal=True, color_system=None).print(
        frame_table(pd.DataFrame({"file": [LONG]}), "t"))
    letters = "".join(ch for ch in out_one.getvalue() if ch.isalnum())
    assert "".join(ch for ch in LONG if ch.isalnum()) in letters


def test_a_table_into_a_pipe_is_printed_at_full_width(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / LONG.replace(".pdf", ".txt")).write_text(
        "Kommunen har en strategi for digitalisering i barnehagene og skolene, vedtatt i kommunestyret.",
        encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder)], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert LONG.replace(".pdf", ".txt") in result.output and "…" not in result.output


def test_ingest_shows_type_language_how_speakers_roles_words_and_warnings():
    result = runner.invoke(app, ["ingest", str(FIXTURES / "labels")])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Skovby-name-bracket-time.txt", "interview", "da (detected: da 100%)",
                 "Kari Nordmann (informant, 64 words)", "Intervjuer (interviewer, 26 words)",
                 "'Sted' looks like metadata, not a speaker: treated as a header",
                 "a third speaker ('Per Moe') in a one-informant interview"):
        assert text in out, text
    documents = runner.invoke(app, ["ingest", str(FIXTURES / "sources")]).output
    assert "Fjellvik-strategi.pdf" in documents and "document" in documents
    assert "nb (detected: nb 85%, sv 15%)" in documents


def test_ingest_json_and_csv():
    result = runner.invoke(app, ["ingest", str(FIXTURES / "labels"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    third = next(d for d in data["documents"] if d["doc_id"] == "Tindvik-third-speaker")
    assert {(s["speaker"], s["role"]) for s in third["speakers"]} == {
        ("Intervjuer", "interviewer"), ("K8", "informant"), ("Per Moe", "informant")}
    assert any("third speaker" in w for w in third["warnings"])
    assert all(d["language_source"] == "detected" for d in data["documents"])
    table = pd.read_csv(io.StringIO(runner.invoke(app, ["ingest", str(FIXTURES / "sources"), "--format",
                                                        "csv"]).stdout))
    assert dict(zip(table["doc_id"], table["language"]))["Elvdal-plan"] == "nn"
    assert set(table["source_type"]) == {"document"}


def test_codebook_show_gives_full_definitions_in_every_format(codebook_dir):
    book = str(codebook_dir / "digitalisering.yaml")
    csv = pd.read_csv(io.StringIO(runner.invoke(app, ["codebook", "show", book, "--format", "csv"]).stdout))
    assert csv["definition"].str.len().max() > 80  # no longer cut at 80 characters
    records = json.loads(runner.invoke(app, ["codebook", "show", book, "--format", "json"]).stdout)
    assert records[0]["id"] == "strategy" and records[0]["depth"] == 0
    bad = runner.invoke(app, ["codebook", "show", book, "--format", "xml"])
    assert bad.exit_code == 2 and "--format" in bad.output


def _commands():
    for info in app.registered_commands:
        yield info.callback
    for group in app.registered_groups:
        for info in group.typer_instance.registered_commands:
            yield info.callback


def test_every_command_that_prints_a_table_has_format():
    missing = []
    for callback in _commands():
        source = inspect.getsource(inspect.unwrap(callback))
        body = re.sub(r"def \w+\(", "", source)  # the command's own name (thematic show) is not a call
        prints_table = bool(re.search(r"\b(show|show_frame|frame_table|print_table)\(", body))
        if prints_table and "format" not in inspect.signature(inspect.unwrap(callback)).parameters:
            missing.append(callback.__name__)
    assert not missing, f"table commands without --format: {missing}"


def test_code_and_status_tables_as_json_and_csv(tmp_path, codebook_dir):
    project = tmp_path / "p.thematic"
    result = runner.invoke(app, ["code", str(FIXTURES / "sources"), "-c", str(codebook_dir / "digitalisering.yaml"),
                                 "-p", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)  # stdout is only the JSON; the summary line went to stderr
    assert rows and {"coder", "source", "status"} <= set(rows[0])
    status = pd.read_csv(io.StringIO(runner.invoke(app, ["status", str(project), "--format", "csv"]).stdout))
    assert status["codings"].sum() == sum(r["codings"] for r in rows) > 0
