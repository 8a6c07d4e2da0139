"""Silently wrong places: undo after a transcript was edited and ingested again."""

from __future__ import annotations

import pytest

import thematic as th
from thematic.transcripts import ingest_text

pytestmark = pytest.mark.timeout(60)

TEXT = "Intervjuer: Hva med planen?\n\nK1: Vi har ingen målbilde for skolene.\n\nK1: Planen ble vedtatt i fjor.\n"


def _project(tmp_path, text):
    project = th.Project.open(tmp_path / "p.thematic")
    project.add([ingest_text(text, doc_id="K1")])
    return project


def _visible(project):
    frame = project.codings
    return list(zip(frame["code"], frame["start"], frame["end"], frame["text"]))


def test_undo_of_an_uncode_after_reingest_restores_the_coding_where_the_text_now_is(tmp_path):
    project = _project(tmp_path, TEXT)
    coding = project.code("K1", quote="ingen målbilde", code="a", coder="ida")
    project.uncode(coding, coder="ida")
    edited = TEXT.replace("Intervjuer: Hva med planen?", "Intervjuer: Kan du fortelle hva dere gjør med planen?")
    project.add([ingest_text(edited, doc_id="K1")])
    project.undo(coder="ida")
    [(code, start, end, text)] = _visible(project)
    assert text == "ingen målbilde" and edited[start:end] == "ingen målbilde"


def test_undo_of_an_uncode_whose_quote_was_deleted_lists_it_as_unplaced(tmp_path):
    project = _project(tmp_path, TEXT)
    coding = project.code("K1", quote="ingen målbilde", code="a", coder="ida")
    project.uncode(coding, coder="ida")
    edited = TEXT.replace("Vi har ingen målbilde for skolene.", "Det vet jeg ikke.")
    project.add([ingest_text(edited, doc_id="K1")])
    project.undo(coder="ida")
    assert _visible(project) == []
    assert project.unplaced["text"].tolist() == ["ingen målbilde"]


def test_blind_import_places_codings_by_their_words_when_the_transcripts_differ(tmp_path):
    from thematic.reliability import export_blind, import_coder

    project = _project(tmp_path, TEXT)
    package = export_blind(project, tmp_path / "blind", "ola")
    with th.Project.open(package["project"]) as theirs:
        theirs.code("K1", quote="Planen ble vedtatt", code="a", coder="ola")
        theirs.code("K1", quote="ingen målbilde", code="a", coder="ola")
    # Meanwhile the first coder corrected the transcript: everything after the question moved.
    edited = TEXT.replace("Hva med planen?", "Hva med planen dere har?").replace("for skolene", "")
    project.add([ingest_text(edited, doc_id="K1")])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every coding placed: nothing to warn about
        ids = import_coder(project, package["project"], "ola")
    placed = [t for c, s, e, t in _visible(project)]
    assert len(ids) == 2 and sorted(placed) == ["Planen ble vedtatt", "ingen målbilde"]
    frame = project.codings
    assert all(edited[s:e] == t for s, e, t in zip(frame["start"], frame["end"], frame["text"]))


def test_blind_import_lists_codings_whose_words_are_gone(tmp_path):
    from thematic.reliability import export_blind, import_coder

    project = _project(tmp_path, TEXT)
    package = export_blind(project, tmp_path / "blind", "ola")
    with th.Project.open(package["project"]) as theirs:
        theirs.code("K1", quote="ingen målbilde", code="a", coder="ola")
        theirs.code("K1", quote="Planen ble vedtatt", code="a", coder="ola")
    project.add([ingest_text(TEXT.replace("Vi har ingen målbilde for skolene.", "Det vet jeg ikke."), doc_id="K1")])
    with pytest.warns(UserWarning, match=r"1 coding\(s\) could not be placed.*ingen målbilde"):
        ids = import_coder(project, package["project"], "ola")
    assert len(ids) == 1
