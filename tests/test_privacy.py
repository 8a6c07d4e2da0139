"""Pseudonymisation, candidates, leak checks and anonymous reports."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import PrivacyError
from thematic.privacy import (Key, candidates, check_no_leak, extract_text, find_leaks, pseudonymise_corpus,
                              pseudonymise_text)
from thematic.transcripts import ingest_text

ROWS = [("Kari Lunde", "Rektor A", "person"), ("Kari", "Rektor A", "person"), ("Per", "Lærer B", "person"),
        ("Fjordvik", "Kommune B", "municipality"), ("Bakketun skole", "Skole 1", "school")]


@pytest.fixture
def key():
    return Key.from_rows(ROWS)


@pytest.fixture(scope="module")
def sample_key(sample_dir):
    return Key.load(sample_dir.parent / "pseudonym_key.csv")


@pytest.mark.parametrize("text,expected", [
    ("Kari sa det.", "Rektor A sa det."),
    ("Det var Karis idé.", "Det var Rektor As idé."),
    ("It was Kari's idea.", "It was Rektor A's idea."),
    ("KARI LUNDE kom.", "Rektor A kom."),
    ("rektor Kari\nLunde kom.", "rektor Rektor A\n kom."),  # across a line break, line count kept
    ("Per har en periode.", "Lærer B har en periode."),
    ("Det koster 10 kr per elev.", "Det koster 10 kr per elev."),  # lower-case 'per' is not the name
    ("Persson og Karianne kom.", "Persson og Karianne kom."),
    ("Fjordviks plan og Fjordvik-K2.", "Kommune Bs plan og Kommune B-K2."),
    ("Elevene på Bakketun skolen.", "Elevene på Skole 1."),
])
def test_replacement_catches_what_find_and_replace_misses(key, text, expected):
    assert pseudonymise_text(text, key)[0] == expected


def test_longest_term_wins_and_report_has_lines(key):
    new, reps = pseudonymise_text("Linje en.\nKari Lunde og Kari.", key)
    assert new == "Linje en.\nRektor A og Rektor A."
    assert [(r.term, r.line) for r in reps] == [("Kari Lunde", 2), ("Kari", 2)]


@pytest.mark.parametrize("content,message", [
    ("term,pseudonym,kind\nKari,Rektor A,person\nkari,Rektor B,person\n", "two pseudonyms"),
    ("term,pseudonym,kind\n,Rektor A,person\n", "line 2: the term is empty"),
    ("term,pseudonym,kind\nKari,,person\n", "empty pseudonym"),
    ("term,pseudonym,kind\nKari,Rektor A,alien\n", "unknown kind 'alien'"),
    ("name,alias\nKari,Rektor A\n", "header must be"),
    ("term,pseudonym,kind\nKari,Rektor A\n", "expected 3 columns"),
])
def test_bad_keys_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "key.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PrivacyError, match=message):
        Key.load(path)


def test_non_utf8_key_names_the_line(tmp_path):
    path = tmp_path / "key.csv"
    path.write_bytes("term,pseudonym,kind\nBjørn,Informant 4,person\n".encode("cp1252"))
    with pytest.raises(PrivacyError, match=r"key.csv, line 2: .*not UTF-8"):
        Key.load(path)


def test_sample_corpus_pseudonymised_leaves_no_name_anywhere(sample_dir, sample_key, tmp_path):
    out = tmp_path / "pseudo"
    report = pseudonymise_corpus(sample_dir, sample_key, out)
    assert report["count"].sum() > 100
    files = sorted(p.name for p in out.iterdir())
    assert "Kommune B-K2.txt" in files and "Kommune C-K3-K4.docx" in files
    assert not any("pseudonym_key" in name for name in files)
    for path in out.iterdir():  # every output file, docx included
        text = path.name + extract_text(path)
        for term in ("Kari", "Lunde", "Siri Myrvold", "Anne Lie", "Bjørn Aas", "Lena Holm", "Fjordvik", "Sjöberga",
                     "Marit", "Eide", "Per Olav"):
            assert term not in text, (term, path.name)
    assert find_leaks(out, sample_key) == []
    public = (out / "pseudonymisation_report.csv").read_text(encoding="utf-8")
    assert "Rektor A" in public and "Kari" not in public
    corpus = th.ingest(out)  # the copies are still a corpus thematic reads
    assert len(corpus) == 8 and not [p for p in corpus.problems if p.severity == "error"]
    granlia = corpus["Kommune C-K3-K4"]
    assert granlia.speakers == ["Intervjuer", "Informant K3", "Informant K4"]
    document = docx.Document(out / "Kommune A-K1.docx")
    bold = [r for p in document.paragraphs for r in p.runs if r.bold]
    assert bold and bold[0].text.startswith("Intervjuer")  # formatting kept


def test_output_folder_rules(sample_dir, sample_key, tmp_path):
    with pytest.raises(PrivacyError, match="outside the corpus"):
        pseudonymise_corpus(sample_dir, sample_key, sample_dir / "pseudo")
    out = tmp_path / "o"
    out.mkdir()
    (out / "x.txt").write_text("x")
    with pytest.raises(PrivacyError, match="not empty"):
        pseudonymise_corpus(sample_dir, sample_key, out)


def test_candidates_list_names_left_out_of_the_key(sample_dir, sample_key):
    corpus = th.ingest(sample_dir)
    partial = Key.from_rows([(e.term, e.pseudonym, e.kind) for e in sample_key.entries
                             if e.term not in ("Marit Eide", "Kari Lunde", "Kari", "Lena Holm", "Bakketun skole")])
    found = candidates(corpus, partial).set_index("candidate")
    assert {"Marit Eide", "Kari Lunde", "Lena Holm", "Bakketun"} <= set(found.index)
    assert found.loc["Lena Holm", "kind"] == "person" and "line" in found.loc["Marit Eide", "first_seen"]
    covered = set(candidates(corpus, sample_key).candidate)
    assert not covered & {"Marit Eide", "Kari Lunde", "Anne Lie", "Siri Myrvold", "Fjordvik"}
    doc = ingest_text("K1: Vi møtte ordfører Ola Berg og rektor Kari fra Lia skole. Det var bra.")
    assert {"Ola Berg", "Lia"} <= set(candidates([doc], key=Key.from_rows([("Kari", "R", "person")])).candidate)


def test_anonymous_report_refuses_real_names_and_passes_when_clean(sample_dir, sample_key, codebook_dir, tmp_path):
    from thematic.report import build_report

    book = codebook_dir / "digitalisering.yaml"
    with pytest.raises(PrivacyError, match="real term"):
        build_report(sample_dir, book, tmp_path / "leaky", anonymous=True, key=sample_key)
    assert not (tmp_path / "leaky" / "report.docx").exists()
    clean = tmp_path / "pseudo"
    pseudonymise_corpus(sample_dir, sample_key, clean)
    result = build_report(clean, book, tmp_path / "report", anonymous=True, key=sample_key)
    check_no_leak([p for p in result.files if p.suffix != ".thematic"], sample_key)
    document = docx.Document(tmp_path / "report" / "report.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kommune B kommune, K2" in text or "Kommune B, K2" in text
    assert "Informant K3," not in text  # quotes cite informant ids, not the speaker label


def test_leak_check_names_term_and_file(tmp_path, key):
    (tmp_path / "a.csv").write_text("quote\nKari sa noe\n", encoding="utf-8")
    with pytest.raises(PrivacyError, match="'Kari'.*|a.csv"):
        check_no_leak(tmp_path, key)


def test_cli_pseudonymise_candidates_and_check(sample_dir, sample_key, tmp_path):
    runner = CliRunner()
    key_path = tmp_path / "keys" / "pseudonym_key.csv"  # a copy: the mapping is written beside the key
    key_path.parent.mkdir()
    key_path.write_bytes((sample_dir.parent / "pseudonym_key.csv").read_bytes())
    out = tmp_path / "p"
    result = runner.invoke(app, ["pseudonymise", str(sample_dir), "--key", str(key_path), "--out", str(out)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Kommune B-K2.txt" in result.output
    assert runner.invoke(app, ["check-leaks", str(out), "--key", str(key_path)]).exit_code == 0
    assert runner.invoke(app, ["check-leaks", str(sample_dir), "--key", str(key_path)]).exit_code == 1
    result = runner.invoke(app, ["candidates", str(sample_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "Marit Eide" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("term,pseudonym,kind\nKari,,person\n", encoding="utf-8")
    result = runner.invoke(app, ["pseudonymise", str(sample_dir), "--key", str(bad), "--out", str(tmp_path / "q")])
    assert result.exit_code == 2 and "line 2" in result.output


def test_sources_without_a_pseudonymised_copy_are_named_never_skipped_silently(tmp_path, key):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Fjordvik-K2.txt").write_text("K2: Kari sa det.\n", encoding="utf-8")
    pdf = next((Path(__file__).parent / "fixtures" / "sources").glob("*.pdf"))
    (corpus / "strategi.pdf").write_bytes(pdf.read_bytes())  # ingest reads it; no pseudonymised copy is made
    with pytest.warns(th.errors.ThematicWarning, match=r"\[W001\].*strategi\.pdf: not copied"):
        report = pseudonymise_corpus(corpus, key, tmp_path / "out")
    assert report.attrs["not_copied"] == ["strategi.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["Kommune B-K2.txt", "pseudonymisation_report.csv"]
