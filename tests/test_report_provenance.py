"""Reports show the analysis that was reviewed: an existing project is read as it is, and the
codings used (reviewed, all, machine) are a stated choice. Uses the project file made by 0.1.0."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.report import build_report

RELEASE = Path(__file__).parent / "data" / "release_0_1_0.thematic"


@pytest.fixture
def old_project(tmp_path):
    path = tmp_path / "old.thematic"
    shutil.copy(RELEASE, path)
    return path


def _method(out: Path) -> str:
    return "\n".join(p.text for p in docx.Document(out / "report.docx").paragraphs)


def test_report_on_a_release_project_reads_it_as_it_is(old_project, tmp_path, codebook_dir):
    # the researcher fixed a speaker's role by hand after coding
    with th.Project.open(old_project) as project:
        doc = project.document("Kystnett-K6")
        fixed = [dataclasses.replace(s, role="interviewer") if s.index == 1 else s for s in doc.segments]
        project.add([dataclasses.replace(doc, segments=tuple(fixed))], coder="ingrid")
        events_before = len(project.events)
        status_before = project.status
    out = tmp_path / "report"
    result = build_report(project_path=old_project, out_dir=out, lang="en")
    with th.Project.open(old_project) as project:
        assert len(project.events) == events_before  # neither re-ingested nor re-coded, nothing logged
        assert project.document("Kystnett-K6").segments[1].role == "interviewer"
        pd.testing.assert_frame_equal(project.status, status_before)
    # default: reviewed, since ingrid coded by hand; 13 manual codings and 3 accepted rule codings
    assert result.choice == "reviewed" and result.codings == 16
    codings = pd.read_csv(out / "csv" / "codings.csv", encoding="utf-8-sig")
    assert {"coder", "source", "status", "reviewed_by"} <= set(codings.columns)
    assert len(codings) == 16 and set(codings.source) == {"manual", "rule"}
    assert set(codings[codings.source == "rule"].reviewed_by) == {"veileder"}
    assert (codings.status == "active").all()
    text = _method(out)
    assert "Codings included: reviewed" in text and "16 of 273 codings" in text
    assert "Left out: 257 machine coding(s) nobody has reviewed yet." in text
    assert "ingrid (manual): 12" in text and "ingrid (manual, reviewed by veileder): 1" in text
    assert "rules@digitalisering:1.0.0 (rule, reviewed by veileder): 3" in text
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert wb.sheetnames[0] == "About"  # the workbook is in the report's language (en here)
    about = pd.read_excel(out / "report.xlsx", sheet_name="About").set_index("Item")["Value"]
    assert about["Codings included"] == "reviewed" and about["Codings used"] == 16
    assert about["Machine codings not reviewed"] == 257
    sheet = pd.read_excel(out / "report.xlsx", sheet_name="Codings")
    assert {"Coder", "Coding type", "Status", "Reviewed by"} <= set(sheet.columns)


@pytest.mark.parametrize("choice, sources, count", [("all", {"manual", "rule"}, 273), ("machine", {"rule"}, 260)])
def test_codings_choice_drives_every_table(old_project, tmp_path, choice, sources, count):
    out = tmp_path / choice
    result = build_report(project_path=old_project, out_dir=out, codings=choice, lang="en")
    assert result.choice == choice and result.codings == count
    codings = pd.read_csv(out / "csv" / "codings.csv", encoding="utf-8-sig")
    assert set(codings.source) == sources and len(codings) == count
    # saturation, coverage counts and quotes follow the same codings
    frequencies = pd.read_csv(out / "csv" / "frequencies_theme.csv", encoding="utf-8-sig")
    assert frequencies["codings"].sum() == count
    quotes = pd.read_excel(out / "report.xlsx", sheet_name="Quotes")
    assert len(quotes) and set(quotes["Coding type"]) <= sources
    saturation = pd.read_csv(out / "csv" / "saturation.csv", encoding="utf-8-sig")
    assert saturation["cumulative"].iloc[-1] == codings["code"].nunique()
    counts = pd.read_csv(out / "csv" / "matrix_case_theme_count.csv", encoding="utf-8-sig", index_col=0)
    chosen = codings.drop_duplicates(["doc_id", "start", "end", "theme"])
    assert counts.to_numpy().sum() == len(chosen)
    text = _method(out)
    assert f"Codings included: {choice}" in text
    if choice == "all":
        assert "257 are machine codings nobody has reviewed" in text


def test_default_is_all_when_nobody_coded_and_new_project_is_coded(tmp_path, sample_dir, codebook_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("Fjordvik-K2.txt", "Dalnett-K7.txt"):
        shutil.copy(sample_dir / name, corpus / name)
    cases = pd.read_csv(sample_dir / "cases.csv")
    cases[cases.file.isin(["Fjordvik-K2.txt", "Dalnett-K7.txt"])].to_csv(corpus / "cases.csv", index=False)
    result = build_report(corpus, codebook_dir / "digitalisering.yaml", tmp_path / "out", lang="en")
    assert result.choice == "all" and result.codings > 0
    assert "Left out" not in _method(tmp_path / "out")
    # asking for reviewed codings of an unreviewed project: an error that says what to do, nothing written
    with pytest.raises(th.errors.AnalysisError, match=r"no reviewed codings to report \(\d+ codings in the project, "
                                                      r"\d+ machine codings waiting for review\).*--codings all"):
        build_report(project_path=tmp_path / "out" / "project.thematic", out_dir=tmp_path / "r", codings="reviewed")
    assert not (tmp_path / "r" / "report.xlsx").exists()


def test_cli_report_on_an_existing_project_and_its_errors(old_project, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli"
    result = runner.invoke(app, ["report", "--project", str(old_project), "--out", str(out), "--codings", "all"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "273 codings (all)" in result.output
    bad = runner.invoke(app, ["report", "--project", str(old_project), "--out", str(out), "--codings", "mine"])
    assert bad.exit_code == 2 and "--codings" in bad.output and "reviewed, all, machine" in bad.output
    nothing = runner.invoke(app, ["report", "--out", str(out)])
    assert nothing.exit_code == 2 and "--codebook" in nothing.output and "--project" in nothing.output
    missing = runner.invoke(app, ["report", "--project", str(tmp_path / "none.thematic"), "--out", str(out)])
    assert missing.exit_code == 2 and "no project there yet" in missing.output
