"""Issue 14: exporting our own project to .qdpx and importing it again keeps what people did."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.refi import import_into, load_qdpx, save_qdpx
from thematic.refi.native import MEMBER

NORDVIK = """---
title: Intervju med Nordvik kommune
date: 2025-10-02
---

Intervjuer: Hvordan jobber dere med digitalisering i skolen?

Kari Holm (Nordvik kommune): Vi har en plan, men vi har ingen felles målbilde ennå.
Det er rektorene som bestemmer mye selv.

Intervjuer: Hvem leder arbeidet?

Kari Holm (Nordvik kommune): Kommunalsjefen leder en gruppe som møtes hver måned.
"""

SKOGLI = """Intervjuer: Hva er viktigst for dere?

Per Dal (Skogli skole): Kompetanse hos lærerne er det viktigste for oss.
"""

CASES = """file,doc_id,case,case_name,case_type,informants,speaker_map,sector,interview_date
Nordvik-K1.txt,Nordvik-K1,Nordvik,Nordvik kommune,municipality,K1,Kari Holm=K1,kommune,2025-10-02
Skogli-K2.txt,Skogli-K2,Skogli,Skogli skole,school,K2,Per Dal=K2,skole,2025-10-09
"""

PROVENANCE = ["doc_id", "case", "speaker", "role", "segment_id", "start", "end", "line_start", "line_end", "code",
              "theme", "coder", "source", "rule", "matched", "text", "status", "reviewed_by", "reviewed_at"]


@pytest.fixture(scope="module")
def original(tmp_path_factory, codebook_dir):
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "Nordvik-K1.txt").write_text(NORDVIK, encoding="utf-8")
    (corpus / "Skogli-K2.txt").write_text(SKOGLI, encoding="utf-8")
    (corpus / "cases.csv").write_text(CASES, encoding="utf-8")
    project = th.Project.open(tmp_path_factory.mktemp("orig") / "study.thematic")
    project.add(th.ingest(corpus))
    project.add_codebook(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
    project.code("Nordvik-K1", quote="ingen felles målbilde", code="target_picture.unclear", coder="ingrid")
    doc = project.document("Nordvik-K1")
    plan = doc.text.index("Vi har en plan")
    leads = doc.text.index("Kommunalsjefen leder")
    skogli = project.document("Skogli-K2").text.index("Kompetanse")
    machine = pd.DataFrame([
        {"doc_id": "Nordvik-K1", "start": plan, "end": plan + 14, "code": "strategy.plans", "rule": "plan-rule",
         "matched": "plan"},
        {"doc_id": "Nordvik-K1", "start": leads, "end": leads + 20, "code": "leadership.engaging",
         "rule": "lead-rule", "matched": "leder"},
        {"doc_id": "Skogli-K2", "start": skogli, "end": skogli + 10, "code": "strategy.useful",
         "rule": "kompetanse", "matched": "Kompetanse"}])
    ids = project.add_codings(machine, source="rule", coder="rules@digitalisering:1.0.0")
    project.accept([ids[0]], coder="veileder")
    project.reject([ids[1]], coder="veileder")  # ids[2] stays pending
    project.memo("Uklart målbilde går igjen", coder="ingrid", code="target_picture.unclear")
    project.memo("Kari snakker fort", coder="ingrid", doc_id="Nordvik-K1")
    project.memo("Hele prosjektet", coder="veileder")
    yield project
    project.close()


def _codings(project):
    frame = project.codings_frame(statuses=("active", "pending", "rejected"), include_suggestions=True)
    return frame[PROVENANCE].astype(object).sort_values(["doc_id", "start", "code", "coder"]).reset_index(drop=True)


def _memos(project):
    memos = project.memos[["target_kind", "target_id", "text", "coder"]]
    return memos.sort_values("text").reset_index(drop=True)


def test_the_fixture_has_every_kind_of_coding(original):
    frame = _codings(original)
    assert set(zip(frame.source, frame.status)) == {("manual", "active"), ("rule", "active"),
                                                   ("rule", "rejected"), ("rule", "pending")}
    assert set(frame.reviewed_by) == {"", "veileder"}
    first = original.segments.iloc[0]
    assert first.line_start == 6  # after the front matter: the file's line 6 is the stored text's line 1
    informants = original.segments.query("role == 'informant'")
    assert set(informants.informant) == {"K1", "K2"}  # from the speaker_map


def test_export_then_import_gives_back_the_same_project(original, tmp_path):
    out = tmp_path / "study.qdpx"
    save_qdpx(original, out)
    copy = th.Project.open(tmp_path / "copy.thematic")
    counts = import_into(copy, out)  # a path, not only a loaded project
    assert counts["codings"] == len(_codings(original)) == 4 and counts["notes"] == 3
    pd.testing.assert_frame_equal(_codings(copy), _codings(original))
    pd.testing.assert_frame_equal(_memos(copy), _memos(original))
    segs = [p.segments.astype(object).reset_index(drop=True) for p in (copy, original)]  # speakers, roles, lines
    pd.testing.assert_frame_equal(*segs)
    cases = [p.cases.sort_values("doc_id").reset_index(drop=True) for p in (copy, original)]
    pd.testing.assert_frame_equal(cases[0][cases[1].columns], cases[1])
    assert cases[0].loc[0, "speaker_map"] == "Kari Holm=K1" and cases[0].loc[0, "sector"] == "kommune"
    assert set(copy.segments.query("role == 'informant'").informant) == {"K1", "K2"}
    assert [c.id for c in copy.codebook.codes] == [c.id for c in original.codebook.codes]
    # exporting the copy (named as the original) gives the same bytes: the round trip is a fixed point
    (tmp_path / "again").mkdir()
    copy2 = th.Project.open(tmp_path / "again" / "study.thematic")
    import_into(copy2, out)
    save_qdpx(copy2, tmp_path / "again.qdpx")
    assert (tmp_path / "again.qdpx").read_bytes() == out.read_bytes()
    copy.close()
    copy2.close()


def test_a_memo_on_a_coding_follows_its_coding(original, tmp_path):
    project = th.Project.open(tmp_path / "p.thematic")
    project.add(original.documents)
    coding = project.code("Skogli-K2", quote="Kompetanse hos lærerne", code="kompetanse", coder="per")
    project.code("Skogli-K2", quote="det viktigste", code="prioritet", coder="per")
    project.memo("Sentralt sitat", coder="per", coding_id=coding)
    save_qdpx(project, tmp_path / "p.qdpx")
    copy = th.Project.open(tmp_path / "copy.thematic")
    import_into(copy, tmp_path / "p.qdpx")
    memo = copy.memos.iloc[0]
    assert memo.target_kind == "coding"
    target = copy.codings.set_index("coding_id").loc[int(memo.target_id)]
    assert target.code == "kompetanse" and target.text == "Kompetanse hos lærerne"


def test_cli_round_trip_keeps_pending_rule_codings_pending(original, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.qdpx"
    assert runner.invoke(app, ["export", original.path, "--format", "qdpx", "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["import", str(out), "-p", str(tmp_path / "cli.thematic")])
    assert result.exit_code == 0, result.output
    with th.Project.open(tmp_path / "cli.thematic") as copy:
        pd.testing.assert_frame_equal(_codings(copy), _codings(original))


def _rewrite(src, dest, change):
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members = change(members)
    with zipfile.ZipFile(dest, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_without_the_member_the_standard_alone_is_read(original, tmp_path):
    out = tmp_path / "study.qdpx"
    save_qdpx(original, out)
    _rewrite(out, tmp_path / "plain.qdpx", lambda m: {n: d for n, d in m.items() if n != MEMBER})
    imported = load_qdpx(tmp_path / "plain.qdpx")
    assert not imported.native and set(imported.codings.source) == {"import"}
    # what the standard has room for still travels: case variables (custom columns too), coders, spans
    nordvik = next(d for d in imported.documents if d.doc_id == "Nordvik-K1")
    assert nordvik.attributes["sector"] == "kommune" and nordvik.attributes["case_type"] == "municipality"
    visible = original.codings  # the standard carries visible codings; a rejected one only in our member
    assert sorted(zip(imported.codings.start, imported.codings.coder)) == sorted(zip(visible.start, visible.coder))


def test_a_member_that_does_not_match_the_sources_is_ignored(original, tmp_path):
    out = tmp_path / "study.qdpx"
    save_qdpx(original, out)

    def edit(members):  # another tool changed a transcript but kept our member
        name = next(n for n in members if n.startswith("sources/"))
        members[name] = members[name].replace("Intervjuer".encode(), "Intervjuar".encode())
        return members

    _rewrite(out, tmp_path / "edited.qdpx", edit)
    imported = load_qdpx(tmp_path / "edited.qdpx")
    assert not imported.native and any(MEMBER in t and "does not match" in t for t in imported.tolerated)
    _rewrite(out, tmp_path / "broken.qdpx", lambda m: {**m, MEMBER: b"\xff{not json"})
    imported = load_qdpx(tmp_path / "broken.qdpx")
    assert not imported.native and any("unreadable" in t for t in imported.tolerated)
    with zipfile.ZipFile(out) as z:
        data = json.loads(z.read(MEMBER))
    assert data["format"] == "thematic-qdpx/1" and len(data["codings"]) == 4
