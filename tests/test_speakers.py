"""Speakers a researcher can check: label styles, whole-document evidence, roles from cases.csv."""

from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
import pytest

import thematic as th
from thematic.transcripts import ingest_text
from thematic.transcripts.evidence import is_metadata

LABELS = Path(__file__).parent / "fixtures" / "labels"


@pytest.fixture(scope="module")
def labelled():
    return th.ingest(LABELS)


def turns(doc):
    return [(s.speaker, s.role) for s in doc.segments]


def test_sample_corpus_segments_are_exactly_as_before(sample_dir):
    """The segments the sample corpus had before whole-document evidence, byte for byte."""
    before = pd.read_csv(Path(__file__).parent / "data" / "sample_segments_v1.csv").fillna("").astype(str)
    now = th.ingest(sample_dir).segments[before.columns].fillna("").astype(str)
    pd.testing.assert_frame_equal(now.reset_index(drop=True), before)


@pytest.mark.parametrize("doc_id, interviewer, informant, language", [
    ("Fjellnett-affiliation", "Intervjuer", "Kari Nordmann", "nb"),    # Name (affiliation):
    ("Bergvik-caps", "INTERVJUAR", "OLA BRATTLI", "nn"),               # NAME:
    ("Norrby-codes", "I", "R", "sv"),                                  # I: / R:
    ("Havnby-bracket-time", "Intervjuer", "Siri Dahl", "nb"),          # [00:12:03] Name:
    ("Skovby-name-bracket-time", "Interviewer", "Mette Holm", "da"),   # Name [00:12:03]:
    ("Lakeside-name-time-line", "Interviewer", "Amy Clarke", "en"),    # Name 00:12:03 (speech below)
])
def test_each_label_style_gives_alternating_turns(labelled, doc_id, interviewer, informant, language):
    doc = labelled[doc_id]
    assert turns(doc) == [(interviewer, "interviewer"), (informant, "informant")] * 3
    assert doc.source_type == "interview"
    assert (doc.language, doc.attributes["language_source"]) == (language, "detected")
    for s in doc.segments:  # the label is never part of the speech, and a timestamp is never a speaker
        assert not doc.text[s.start:s.end].startswith((f"{interviewer} ", f"{interviewer}:", f"{informant} ",
                                                        f"{informant}:", "[", "0"))


def test_timestamps_become_the_turns_time(labelled):
    doc = labelled["Havnby-bracket-time"]
    assert [s.time_start for s in doc.segments] == [5.0, 12.0, 100.0, 107.0, 182.0, 189.0]
    assert labelled["Lakeside-name-time-line"].segments[1].time_start == 10.0


def test_metadata_header_lines_are_a_header_not_speech(labelled):
    doc = labelled["Tindvik-metadata-header"]
    header = doc.segments[0]
    assert (header.speaker, header.role) == ("", "unknown")
    assert doc.text[header.start:header.end].startswith("Dato: 14. mars 2026\nSted: Tindvik rådhus")
    assert {s.speaker for s in doc.segments} == {"", "Intervjuer", "K9"}
    # "Tilskudd: 2,5 millioner" inside K9's answer stays in K9's answer
    funding = next(s for s in doc.segments if "Tilskudd" in doc.text[s.start:s.end])
    assert funding.speaker == "K9" and "ansette en IKT-veileder" in doc.text[funding.start:funding.end]
    messages = [p.message for p in labelled.problems if "Tindvik-metadata-header" in p.path]
    assert any("'Sted' looks like metadata, not a speaker: treated as a header" in m for m in messages)
    assert any("'Tilskudd' looks like metadata" in m and "treated as text" in m for m in messages)


def test_a_third_speaker_in_a_one_informant_interview_is_kept_apart_and_warned(labelled):
    doc = labelled["Tindvik-third-speaker"]
    voices = {(s.speaker, s.informant) for s in doc.segments if s.role == "informant"}
    assert voices == {("K8", "K8"), ("Per Moe", "Per Moe")}
    assert any("a third speaker ('Per Moe') in a one-informant interview" in p.message for p in labelled.problems)


def test_a_label_used_once_in_a_long_document_is_not_a_speaker():
    paragraphs = [f"Avsnitt {i} handler om hvordan kommunen arbeider med skolene og barnehagene." for i in range(8)]
    paragraphs.insert(4, "Eksempelvis: Kommunen kjøpte inn nye maskiner til alle elever i fjor høst.")
    doc = ingest_text("\n\n".join(paragraphs), language=None)
    assert doc.source_type == "document"
    assert {s.role for s in doc.segments} == {"document"} and not doc.speakers
    assert any(doc.text[s.start:s.end].startswith("Eksempelvis:") for s in doc.segments)


def test_a_colon_line_inside_a_paragraph_stays_in_the_paragraph():
    text = ("Kommunen har satt av midler til utstyr og kompetanse i perioden.\n"
            "Ramme: 4 millioner kroner per år.\nPengene fordeles etter antall elever.\n\n"
            "Planen evalueres hvert annet år av hovedutvalget for oppvekst og kultur.")
    doc = ingest_text(text, language=None)
    assert len(doc.segments) == 2 and doc.segments[0].role == "document"
    assert "Ramme: 4 millioner" in doc.text[doc.segments[0].start:doc.segments[0].end]


def test_a_recurring_name_that_alternates_is_a_speaker_even_mid_block():
    text = "\n".join(["Intervjuer: Hva gjør dere?", "Kari Nordmann (Fjellnett): Vi samarbeider.",
                      "Intervjuer: Hvorfor?", "Kari Nordmann (Fjellnett): Fordi vi er små."] * 2)
    doc = ingest_text(text)
    assert turns(doc) == [("Intervjuer", "interviewer"), ("Kari Nordmann", "informant")] * 4


def test_speaker_roles_in_cases_csv_win(tmp_path):
    (tmp_path / "A-1.txt").write_text("Moderator: Velkommen.\n\nLeder: Takk.\n\nModerator: Fortell.\n\nLeder: Ja.\n",
                                      encoding="utf-8")
    (tmp_path / "cases.csv").write_text("file,speaker_roles\nA-1.txt,Moderator=informant;Leder=interviewer\n",
                                        encoding="utf-8")
    doc = th.ingest(tmp_path)["A-1"]
    assert turns(doc)[:2] == [("Moderator", "informant"), ("Leder", "interviewer")]


def test_source_type_from_cases_csv_and_unknown_values_warned(tmp_path):
    (tmp_path / "A-notat.txt").write_text("K1: Observasjon fra møtet.\n\nK1: Flere notater.\n", encoding="utf-8")
    (tmp_path / "B-1.txt").write_text("Intervjuer: Hei.\n\nK2: Hei.\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text("file,source_type\nA-notat.txt,field_notes\nB-1.txt,podcast\n",
                                        encoding="utf-8")
    corpus = th.ingest(tmp_path)
    notes = corpus["A-notat"]
    assert notes.source_type == "field_notes" and {s.role for s in notes.segments} == {"document"}
    assert corpus["B-1"].source_type == "interview"
    assert any("unknown source_type 'podcast'" in p.message for p in corpus.problems)


def test_an_interview_without_informant_speech_is_warned(tmp_path):
    (tmp_path / "C-1.txt").write_text("Bare tekst uten noen navn foran.\n\nOg enda et avsnitt.\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text("file,source_type\nC-1.txt,interview\n", encoding="utf-8")
    corpus = th.ingest(tmp_path)
    assert any("no informant speech found" in p.message for p in corpus.problems)


def test_bold_docx_labels_are_speakers(tmp_path):
    document = docx.Document()
    for speaker, speech in [("Intervjuer", "Hva er planen?"), ("Eva Lund", "Vi har en plan."),
                            ("Intervjuer", "Og målbildet?"), ("Eva Lund", "Det er uklart.")]:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker).bold = True
        paragraph.add_run(" " + speech)
    document.save(tmp_path / "D-1.docx")
    doc = th.ingest(tmp_path / "D-1.docx")["D-1"]
    assert turns(doc) == [("Intervjuer", "interviewer"), ("Eva Lund", "informant")] * 2


def test_teams_voice_tags_are_speakers(tmp_path):
    (tmp_path / "E-1.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Intervjuer>Hva er planen?</v>\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Eva Lund>Vi har en plan for digitalisering.</v>\n", encoding="utf-8")
    doc = th.ingest(tmp_path / "E-1.vtt")["E-1"]
    assert turns(doc) == [("Intervjuer", "interviewer"), ("Eva Lund", "informant")]


@pytest.mark.parametrize("word", ["Dato", "Sted", "Varighet", "Budsjett", "Kilde", "Merknad", "Kjelde", "Varigheit",
                                  "Datum", "Plats", "Källa", "Längd", "Varighed", "Bemærkning", "Date", "Duration",
                                  "Source", "Note", "Budget", "Transkribert av"])
def test_metadata_words_in_all_five_languages(word):
    assert is_metadata(word)
    assert is_metadata(word.upper())


def test_people_are_not_metadata():
    assert not any(is_metadata(n) for n in ("Kari Nordmann", "Intervjuer", "K7", "Per", "Lena Holm"))


def test_a_label_longer_than_a_name_is_text():
    text = "\n\n".join(["Kommunens nye strategi for oppvekst: den gjelder fra i år og skal evalueres.",
                        "Det vi egentlig prøver å si er dette: vi trenger mer tid."] * 3)
    doc = ingest_text(text, language=None)
    assert not doc.speakers and doc.source_type == "document"


def _find_one_pattern_at_a_time(patterns, n_user, text):
    """LabelFinder.find as first written: each pattern in turn, the first with a speaker wins."""
    from thematic.transcripts.speakers import _CODE_ONLY, _INTERVIEWER, parse_time

    for k, pattern in enumerate(patterns):
        m = pattern.match(text)
        if m and m.group("speaker").strip():
            groups = m.groupdict()
            time = groups.get("time")
            speaker = " ".join(m.group("speaker").split())
            kind = ("user" if k < n_user else "time" if time else
                    "code" if _CODE_ONLY.match(speaker) or _INTERVIEWER.match(speaker) else "name")
            return (speaker, m.end(), parse_time(time) if time else None, kind,
                    (groups.get("affiliation") or "").strip())
    return None


def test_the_one_alternation_finds_what_the_patterns_in_turn_find(sample_dir):
    """The default patterns run as one guarded alternation with labels made once; on every line and
    paragraph of the sample and label fixtures and on random lines of label characters (blank bold
    labels, times before and after names, brackets, a colon after digits), with and without user
    patterns, the label (speaker, end, time, kind, affiliation) is the one the patterns in turn give."""
    import random

    from thematic.transcripts.speakers import LabelFinder

    texts = ["** **: x", "**  :**", "**\n**: K1", "[ ] Kari:", "[  ]: hei", "**:** K1: hei", "Kari ( ): ja", "[00:01] :",
             "00:12:03 :", "", "Kari Lunde 12:30", "Kari 12:30 ja", "K1 (Fjordvik kommune): Ja", "Informant 2:  Ja",
             "Kari (00:01:02) Ja", "Kari [00:12:03]: ja", "#K1#12:00 hei", "Moderator - hei",
             "Kari Lunde Nordmann 12:30", "Kari Lunde Nordmann Hansen 12:30", "Kari Lunde Nordmann Hansen (00:01)",
             "Kari Lunde Nordmann Hansen Olsen (00:01)", "Kari Lunde Nordmann (Fjordvik): ja", "Kari 1.2:30",
             "Ola   Nordmann\t (Dalnett)  : ja", "Informant 2 12:03:04", "K1 [00:12:03] : ja", "Ja " * 300]
    for path in [*sorted(sample_dir.iterdir()), *sorted(LABELS.iterdir())]:
        if path.is_file() and path.suffix in (".txt", ".md", ".vtt", ".srt"):
            text = path.read_bytes().decode("utf-8", "replace")
            texts += text.split("\n") + text.split("\n\n")
    rng = random.Random(21)
    alphabet = "KIRQA*[]():0123456789 \t\n.,'’-ÆØÅæøå abcInformant#"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(5000)]
    for user in ((), (r"(?P<speaker>Moderator)\s*-\s*", r"#(?P<speaker>\w*)#(?P<time>\d\d:\d\d)?")):
        finder = LabelFinder(user)
        for text in texts:
            label = finder.find(text)
            got = None if label is None else (label.speaker, label.end, label.time, label.kind, label.affiliation)
            assert got == _find_one_pattern_at_a_time(finder.patterns, finder.n_user, text), repr(text)
