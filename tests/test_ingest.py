"""Ingestion: formats, encodings, speaker labels, case metadata and bad input."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import IngestError
from thematic.transcripts import ingest_text

TRANSCRIPT = "Intervjuer: Hva er planen?\nK1: Vi har en digitaliseringsstrategi.\nDen er nyttig.\n\nMen målbildet er uklart.\n"


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n", bom: bytes = b"") -> Path:
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    return path


def speeches(doc):
    return [(s.speaker, s.role, doc.text[s.start:s.end]) for s in doc.segments]


# --- the sample corpus -------------------------------------------------------------------------

def test_sample_corpus_loads_eight_documents_with_cases_and_speakers(sample_dir):
    corpus = th.ingest(sample_dir)
    assert len(corpus) == 8
    assert not [p for p in corpus.problems if p.severity == "error"], corpus.problems
    assert sorted({d.case for d in corpus}) == ["Askerud", "Dalnett", "Fjordvik", "Granlia", "Kystnett",
                                                   "Myrstad", "Sjöberga"]
    assert {d.language for d in corpus} == {"nb", "sv"}
    assert {d.format for d in corpus} == {"docx", "txt", "md", "vtt", "srt"}
    granlia = corpus["Granlia-K3-K4"]
    assert granlia.speakers == ["Intervjuer", "Anne Lie", "Bjørn Aas"]
    assert {s.informant for s in granlia.segments if s.role == "informant"} == {"K3", "K4"}
    assert corpus["Myrstad-K5"].speakers == ["Intervjuer", "Siri Myrvold"]
    cases = corpus.cases.set_index("doc_id")
    assert cases.loc["Kystnett-K6", "case_type"] == "network"
    assert cases.loc["Fjordvik-K2", "case_name"] == "Fjordvik kommune"
    assert "Corpus(8 documents, 7 cases" in repr(corpus)


def test_sample_segments_slice_back_and_carry_lines(sample_dir):
    corpus = th.ingest(sample_dir)
    for doc in corpus:
        for seg in doc.segments:
            text = doc.text[seg.start:seg.end]
            assert text == text.strip() and text
            assert seg.line_start is not None and seg.line_start <= seg.line_end
    segs = corpus.segments
    row = segs[(segs.doc_id == "Fjordvik-K2") & segs.text.str.contains("vi har ingen målbilde")].iloc[0]
    original = (Path(corpus["Fjordvik-K2"].path).read_text(encoding="utf-8").split("\n"))
    assert "vi har ingen målbilde" in original[row.line_start - 1]


def test_vtt_turns_join_cues_and_keep_time(sample_dir):
    doc = th.ingest(sample_dir / "Myrstad-K5.vtt").documents[0]
    first_answer = next(s for s in doc.segments if s.role == "informant")
    assert first_answer.time_start == pytest.approx(7.9)
    assert first_answer.time_end > first_answer.time_start + 10  # several cues in one turn
    assert doc.text[first_answer.start:first_answer.end].startswith("Ja. Jeg er IKT-leder")


def test_front_matter_gives_metadata_and_lines_count_from_file(tmp_path):
    path = write(tmp_path / "A-K1.md", "---\ncase: Alfa\nlanguage: nn\n---\n\n**Intervjuer:** Hei.\n\n**K1:** Hallo.\n")
    doc = th.ingest(path).documents[0]
    assert (doc.case, doc.language) == ("Alfa", "nn")
    assert speeches(doc) == [("Intervjuer", "interviewer", "Hei."), ("K1", "informant", "Hallo.")]
    assert [s.line_start for s in doc.segments] == [6, 8]


# --- encodings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,bom,newline", [
    ("utf-8", b"", "\n"), ("utf-8", codecs.BOM_UTF8, "\r\n"), ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"), ("cp1252", b"", "\r\n"),
])
def test_encodings_and_line_ends_give_the_same_text(tmp_path, encoding, bom, newline):
    text = TRANSCRIPT + "K1: Blåbærsyltetøy og smörgåsbord på fjorden, ærlig talt.\n"
    doc = th.ingest(write(tmp_path / "x.txt", text, encoding, newline, bom)).documents[0]
    assert doc.text == text.rstrip("\n") + "\n" or doc.text == text
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert speeches(doc)[1] == ("K1", "informant", "Vi har en digitaliseringsstrategi.\nDen er nyttig.")


def test_text_is_stored_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "K1: Målbilde på skolen.\n")
    doc = th.ingest(write(tmp_path / "n.txt", decomposed)).documents[0]
    assert doc.text == unicodedata.normalize("NFC", decomposed)
    assert doc.text[doc.segments[0].start:doc.segments[0].end] == "Målbilde på skolen."


# --- speaker labels -----------------------------------------------------------------------------

@pytest.mark.parametrize("line,speaker,role,speech", [
    ("Intervjuer: Hei", "Intervjuer", "interviewer", "Hei"),
    ("Interviewer: Hi", "Interviewer", "interviewer", "Hi"),
    ("Intervjuare: Hej", "Intervjuare", "interviewer", "Hej"),
    ("I: Hei", "I", "interviewer", "Hei"),
    ("Q: Why?", "Q", "interviewer", "Why?"),
    ("R: Fordi", "R", "informant", "Fordi"),
    ("A: Because", "A", "informant", "Because"),
    ("Informant 2: Ja", "Informant 2", "informant", "Ja"),
    ("K7: Ja", "K7", "informant", "Ja"),
    ("**Kari Lunde:** Ja", "Kari Lunde", "informant", "Ja"),
    ("**Kari Lunde**: Ja", "Kari Lunde", "informant", "Ja"),
    ("[Kari] Ja", "Kari", "informant", "Ja"),
    ("Ola Nordmann (00:01:02): Ja", "Ola Nordmann", "informant", "Ja"),
    ("Bjørn Aas: Ja", "Bjørn Aas", "informant", "Ja"),
])
def test_speaker_labels(line, speaker, role, speech):
    doc = ingest_text(line)
    assert speeches(doc) == [(speaker, role, speech)]


def test_timestamp_in_label_is_kept():
    doc = ingest_text("Ola (00:01:02): Ja")
    assert doc.segments[0].time_start == 62.0


def test_unlabelled_paragraph_continues_the_turn_and_text_before_labels_is_unknown():
    doc = ingest_text("Forord uten taler.\n\nK1: Første.\n\nAndre avsnitt.\n\nIntervjuer: Ok.")
    assert [(s.speaker, s.role, s.turn) for s in doc.segments] == [
        ("", "unknown", 0), ("K1", "informant", 1), ("K1", "informant", 1), ("Intervjuer", "interviewer", 2)]


def test_custom_patterns_and_roles():
    doc = ingest_text("FORSKER> Hei\nDELTAKER> Hallo", speaker_patterns=[r"(?P<speaker>[A-Z]+)>\s*"],
                      roles={"FORSKER": "interviewer"})
    assert speeches(doc) == [("FORSKER", "interviewer", "Hei"), ("DELTAKER", "informant", "Hallo")]


# --- docx ---------------------------------------------------------------------------------------

def test_docx_paragraphs_headings_bold_labels_and_tables(tmp_path):
    d = docx.Document()
    d.add_heading("Intervju", level=1)
    p = d.add_paragraph()
    p.add_run("Intervjuer").bold = True
    p.add_run(" Hva gjør dere?")
    p = d.add_paragraph()
    p.add_run("K1:").bold = True
    p.add_run(" Vi har en plan.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Plan", "År"
    table.cell(1, 0).text, table.cell(1, 1).text = "Strategi", "2024"
    path = tmp_path / "w.docx"
    d.save(path)
    doc = th.ingest(path).documents[0]
    assert speeches(doc)[:3] == [("", "unknown", "Intervju"), ("Intervjuer", "interviewer", "Hva gjør dere?"),
                                 ("K1", "informant", "Vi har en plan.")]
    assert "Strategi | 2024" in doc.text
    assert [s.line_start for s in doc.segments] == [1, 2, 3, 4, 5]


# --- case metadata ------------------------------------------------------------------------------

def make_folder(tmp_path: Path, cases: str | None) -> Path:
    write(tmp_path / "A-K1.txt", "K1: Alfa snakker.\n")
    write(tmp_path / "B-K2.txt", "K2: Beta snakker.\n")
    if cases is not None:
        write(tmp_path / "cases.csv", cases)
    return tmp_path


def test_cases_csv_sets_case_language_and_attributes(tmp_path):
    folder = make_folder(tmp_path, "file,case,case_type,language,informants\nA-K1.txt,Alfa,network,sv,K1\n"
                                   "B-K2.txt,Beta,municipality,nb,K2\n")
    corpus = th.ingest(folder)
    assert (corpus["A-K1"].case, corpus["A-K1"].language) == ("Alfa", "sv")
    assert corpus.cases.set_index("doc_id").loc["A-K1", "case_type"] == "network"
    assert corpus["A-K1"].segments[0].informant == "K1"


def test_cases_row_for_missing_file_and_file_without_row_are_warnings_naming_them(tmp_path):
    folder = make_folder(tmp_path, "file,case\nA-K1.txt,Alfa\nC-K3.txt,Gamma\n")
    corpus = th.ingest(folder)
    assert len(corpus) == 2
    messages = [p.message for p in corpus.problems]
    assert any("cases.csv, line 3" in m and "C-K3.txt" in m for m in messages)
    assert any("B-K2.txt" in m and "no row" in m for m in messages)
    assert corpus["B-K2"].case == "B"
    with pytest.raises(IngestError):
        th.ingest(folder, strict=True)


def test_duplicate_doc_id_in_cases_is_an_error_naming_both_lines(tmp_path):
    folder = make_folder(tmp_path, "file,doc_id\nA-K1.txt,same\nB-K2.txt,same\n")
    with pytest.raises(IngestError, match=r"line 3.*'same'.*line 2"):
        th.ingest(folder)


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,content,expected", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"\n\n  \r\n", "empty"),
    ("garbage.txt", bytes(range(256)) * 20, "binary"),
    ("broken.docx", b"PK\x03\x04 this is not really a zip", "Word"),
    ("notzip.docx", b"plain text pretending", "Word"),
    ("bad.vtt", b"WEBVTT\n\n00:00:01.000 --> garbage\ntext\n", "line"),
    ("bad-utf16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "decode"),
])
def test_bad_files_are_reported_by_name_and_good_ones_still_load(tmp_path, name, content, expected):
    for i in range(9):
        write(tmp_path / f"good{i}.txt", f"K{i}: Tekst nummer {i}.\n")
    (tmp_path / name).write_bytes(content)
    corpus = th.ingest(tmp_path)
    assert len(corpus) == 9
    (problem,) = [p for p in corpus.problems if p.severity == "error"]
    assert name in problem.message and expected.lower() in problem.message.lower()
    with pytest.raises(IngestError, match=name.replace(".", r"\.")):
        th.ingest(tmp_path, strict=True)


def test_docx_with_a_corrupt_part_names_the_file(tmp_path):
    import zipfile

    good = tmp_path / "good.docx"
    docx.Document().save(good)
    bad = tmp_path / "corrupt.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml" else data)
    with pytest.raises(IngestError, match=r"corrupt\.docx.*Word"):
        th.ingest(bad, strict=True)


def test_unknown_extension_is_a_warning_in_a_folder_and_an_error_by_name(tmp_path):
    write(tmp_path / "a.txt", "K1: Hei.\n")
    write(tmp_path / "notes.pages", "not a transcript")  # (.pdf was the example here until PDFs became readable)
    corpus = th.ingest(tmp_path)
    assert len(corpus) == 1 and "notes.pages" in corpus.problems[0].message
    with pytest.raises(IngestError, match="unsupported file type"):
        th.ingest(tmp_path / "notes.pages")


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        th.ingest(tmp_path / "nope")
    with pytest.raises(IngestError, match="no transcripts found"):
        th.ingest(tmp_path)


def test_file_over_the_size_limit_is_refused(tmp_path):
    write(tmp_path / "big.txt", "K1: " + "ord " * 5000)
    corpus = th.ingest(tmp_path / "big.txt", max_bytes=1000)
    assert not corpus.documents and "larger than the limit" in corpus.problems[0].message


def test_malformed_front_matter_names_the_line(tmp_path):
    write(tmp_path / "fm.md", "---\ncase: [unclosed\n---\nK1: Hei\n")
    corpus = th.ingest(tmp_path)
    assert "fm.md, line" in corpus.problems[0].message


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_ingest_lists_documents_and_problems(sample_dir, tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(sample_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "8 documents" in result.output and "Fjordvik" in result.output and "Siri Myrvold" in result.output
    (tmp_path / "bad.txt").write_bytes(b"")
    write(tmp_path / "ok.txt", "K1: Hei.\n")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "bad.txt" in result.output
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--strict"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "bad.txt" in result.output


# --- property: offsets always slice back ----------------------------------------------------------

_words = st.text(alphabet=st.sampled_from("abcæøåé ÅÄÖ\u0301\u0308xyz.,!?"), min_size=1, max_size=30)
_labels = st.sampled_from(["Intervjuer: ", "K1: ", "**Kari:** ", "[Per] ", "Ola (00:01:02): ", "", "I: "])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(_labels, _words, st.sampled_from(["\n", "\n\n", "\r\n", "\n\n\n"])), min_size=1, max_size=12))
def test_every_segment_slices_back_to_its_text(parts):
    raw = "".join(label + words + end for label, words, end in parts)
    doc = ingest_text(raw)
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    for seg in doc.segments:
        piece = doc.text[seg.start:seg.end]
        assert piece and piece == piece.strip()
        assert 0 <= seg.start < seg.end <= len(doc.text)
        first, last = doc.lines_of(seg.start, seg.end)
        assert first <= last
    starts = [s.start for s in doc.segments]
    assert starts == sorted(starts)


def test_a_cases_file_elsewhere_is_read(tmp_path, sample_dir):
    """``cases=`` names a cases file outside the folder (it used to be ignored)."""
    import shutil

    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(sample_dir / "Fjordvik-K2.txt", folder)
    alone = th.ingest(folder)
    assert "case_type" not in alone.documents[0].attributes and not alone.problems
    corpus = th.ingest(folder, cases=sample_dir / "cases.csv")
    doc = corpus.documents[0]
    assert doc.case == "Fjordvik" and doc.attributes["case_type"] == "municipality"
    assert doc.attributes["interview_date"] == "2025-10-21"
    # the other rows of that cases file name files that are not here
    assert sum("[T010]" in p.message for p in corpus.problems) == 7


NORDIC_TEXTS = [
    "Intervjuer: Hva med målbildet?\nRektor: Vi har en strategi for skolen, og målbildet er tydelig.",
    "Vi må være ærlige: øya har få lærere, og blåbær-turen ble avlyst. Æ Ø Å",
    "Förskolan och skolan i Sjöberga har en målbild för år 2030. Lärarna är nöjda.",
    "Ja, selvfølgelig. Det er en udfordring for skolerne og børnehaverne i kommunen.",
    "Eg trur ikkje at målbiletet er kjent i barnehagane, for å vere ærleg.",
    "Rektor: «Vi må» – sa hun – «være 100 % ærlige.»",
]


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:  # the en dash is not in Latin-1 or the DOS code pages
        return False


@pytest.mark.parametrize("text, encoding", [(t, e) for t in NORDIC_TEXTS
                                            for e in ("latin-1", "cp1252", "iso8859_15", "mac_roman", "cp865", "cp850")
                                            if _encodable(t, e)])
def test_nordic_text_in_a_legacy_encoding_is_read_with_its_letters(text, encoding):
    # charset-normalizer alone reads these as Central European cp1250: "mĺlbildet", "řya", "ćrlige"
    from thematic.transcripts.decode import decode_bytes

    assert decode_bytes(text.encode(encoding), "legacy.txt") == text


@pytest.mark.parametrize("text, encoding", [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Řeřicha a šťovík.", "cp1250"),
    ("Zażółć gęślą jaźń, to jest szkoła.", "cp1250"),
    ("Привет, как дела? Это школа в городе.", "cp1251"),
    ("Ελληνικά σχολεία και δήμοι.", "cp1253"),
])
def test_other_languages_keep_the_detectors_reading(text, encoding):
    from thematic.transcripts.decode import decode_bytes

    assert decode_bytes(text.encode(encoding), "other.txt") == text


def test_a_latin1_transcript_is_ingested_and_coded_with_its_nordic_letters(tmp_path, codebook_dir):
    path = tmp_path / "Havnøy-K1.txt"
    path.write_bytes("Intervjuer: Har dere et målbilde?\n\nRektor: Ja, målbildet for skolen er tydelig.\n"
                     .encode("latin-1"))
    (document,) = th.ingest(path)
    assert "målbildet for skolen" in document.text and "ĺ" not in document.text
    coded = th.code_texts([document.text], th.Codebook.load(codebook_dir / "digitalisering.yaml"))
    assert "target_picture" in set(coded.theme)


def test_markdown_headings_indented_up_to_three_blanks_keep_their_whole_text(tmp_path):
    """``  ## Mål for året`` is a heading (markdown allows up to three blanks before ``#``): its text is the whole
    title, not the title less as many characters as it has blanks (the blanks were counted twice)."""
    from thematic.transcripts.readers import read_plain

    text = "# Plan\n\n  ## Mål for året\n\n   ### Tiltak\n\nK1: Vi har en plan.\n"
    raw = read_plain(text, markdown=True)
    assert [raw.text[p.start:p.end] for p in raw.paragraphs if p.heading] == ["Plan", "Mål for året", "Tiltak"]
    (tmp_path / "Fjellby-K1.md").write_text(text, encoding="utf-8")
    document = next(iter(th.ingest(tmp_path)))
    speech = [s for s in document.segments if s.role == "informant"]
    assert [document.text[s.start:s.end] for s in speech] == ["Vi har en plan."]
    assert speech[0].heading == "Plan > Mål for året > Tiltak"
