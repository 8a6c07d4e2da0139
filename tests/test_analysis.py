"""Analysis on small hand-computed fixtures, plus figures, exports and the report."""

from __future__ import annotations

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic import analysis, plots
from thematic.cli import app
from thematic.errors import AnalysisError
from thematic.export import ReportContent, latex_table, to_csv, to_excel, to_word
from thematic.types import CODING_COLUMNS


def coding(doc, seg, start, end, code, text, coder="ida", source="manual", speaker="K1", role="informant",
           matched=""):
    case = doc.split("-")[0]
    return {"doc_id": doc, "case": case, "speaker": speaker, "role": role, "segment_id": f"{doc}:{seg}",
            "start": start, "end": end, "line_start": seg + 1, "line_end": seg + 1, "code": code,
            "theme": code.split(".")[0], "coder": coder, "source": source, "rule": "", "matched": matched,
            "text": text}


@pytest.fixture
def fixture():
    """Two cases. A-K1: segments 0..2 (10 informant words each); B-K2: segments 0..1 (20 words each).

    Codings (start, end, words):
      A-K1 seg0 [0,10)  strategy.useful   4 words   | A-K1 seg0 [0,10) leadership   4 words (same passage)
      A-K1 seg1 [20,30) strategy.plans    5 words   | A-K1 seg2 [40,50) strategy    5 words (rule)
      B-K2 seg0 [0,20)  leadership        10 words  | B-K2 seg0 [5,15) leadership   5 words (nested, by ola)
    """
    rows = [
        coding("A-K1", 0, 0, 10, "strategy.useful", "en to tre fire"),
        coding("A-K1", 0, 0, 10, "leadership", "en to tre fire"),
        coding("A-K1", 1, 20, 30, "strategy.plans", "en to tre fire fem"),
        coding("A-K1", 2, 40, 50, "strategy", "en to tre fire fem", coder="rules@x:1", source="rule",
               matched="strategi; planen"),
        coding("B-K2", 0, 0, 20, "leadership", "a b c d e f g h i j", speaker="Kari Lunde"),
        coding("B-K2", 0, 5, 15, "leadership", "a b c d e", coder="ola", speaker="Kari Lunde"),
    ]
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    segments = pd.DataFrame([
        {"doc_id": "A-K1", "segment_id": "A-K1:0", "index": 0, "case": "A", "speaker": "K1", "role": "informant",
         "informant": "K1", "start": 0, "end": 10, "words": 10},
        {"doc_id": "A-K1", "segment_id": "A-K1:1", "index": 1, "case": "A", "speaker": "K1", "role": "informant",
         "informant": "K1", "start": 20, "end": 30, "words": 10},
        {"doc_id": "A-K1", "segment_id": "A-K1:2", "index": 2, "case": "A", "speaker": "K1", "role": "informant",
         "informant": "K1", "start": 40, "end": 50, "words": 10},
        {"doc_id": "B-K2", "segment_id": "B-K2:0", "index": 0, "case": "B", "speaker": "Kari Lunde",
         "role": "informant", "informant": "K2", "start": 0, "end": 20, "words": 20},
        {"doc_id": "B-K2", "segment_id": "B-K2:1", "index": 1, "case": "B", "speaker": "Kari Lunde",
         "role": "informant", "informant": "K2", "start": 20, "end": 40, "words": 20},
        {"doc_id": "C-K3", "segment_id": "C-K3:0", "index": 0, "case": "C", "speaker": "K3", "role": "informant",
         "informant": "K3", "start": 0, "end": 9, "words": 9},
    ])
    cases = pd.DataFrame({"doc_id": ["A-K1", "B-K2", "C-K3"], "case": ["A", "B", "C"],
                          "case_name": ["Alfa kommune", "Beta nettverk", "Gamma kommune"],
                          "case_type": ["municipality", "network", "municipality"],
                          "interview_date": ["2025-02-01", "2025-01-01", "2025-03-01"]})
    codings.attrs["segments"], codings.attrs["cases"] = segments, cases
    return codings, segments, cases


def test_matrix_counts_by_hand(fixture):
    codings, _, _ = fixture
    m = analysis.matrix(codings, rows="case", cell="count")
    # A: strategy passages [0,10),[20,30),[40,50) = 3; leadership [0,10) = 1.
    # B: leadership passages [0,20),[5,15) = 2. C has no codings but is a known case: zeros.
    assert m.loc["A", "strategy"] == 3 and m.loc["A", "leadership"] == 1
    assert m.loc["B", "leadership"] == 2 and m.loc["B", "strategy"] == 0
    assert m.loc["C"].sum() == 0
    assert analysis.matrix(codings, rows="case", cell="codings").loc["B", "leadership"] == 2
    assert analysis.matrix(codings, rows="case", cell="presence").loc["A"].tolist() == [1, 1]


def test_matrix_coverage_by_hand(fixture):
    codings, _, _ = fixture
    m = analysis.matrix(codings, rows="case", cell="coverage")
    # A strategy: 4 + 5 + 5 = 14 of 30 informant words = 46.67 %; A leadership: 4/30 = 13.33 %
    # B leadership: union of [0,20) and nested [5,15) = 10 words of 40 = 25 %
    assert m.loc["A", "strategy"] == pytest.approx(46.67)
    assert m.loc["A", "leadership"] == pytest.approx(13.33)
    assert m.loc["B", "leadership"] == pytest.approx(25.0)
    assert m.loc["C", "leadership"] == 0


def test_matrix_rows_percentages_filters_and_attributes(fixture):
    codings, _, _ = fixture
    row = analysis.matrix(codings, rows="case", cell="row_pct")
    assert row.loc["A", "strategy"] == pytest.approx(75.0)  # 3 of 4 passages
    col = analysis.matrix(codings, rows="case", cell="col_pct")
    assert col.loc["B", "leadership"] == pytest.approx(66.67)  # 2 of 3 leadership passages
    by_type = analysis.matrix(codings, rows="case_type", cell="count")
    assert by_type.loc["municipality", "strategy"] == 3 and by_type.loc["network", "leadership"] == 2
    informants = analysis.matrix(codings, rows="informant", cell="informants")
    assert informants.loc["K2", "leadership"] == 1 and "Kari Lunde" not in informants.index
    only_people = analysis.matrix(codings, rows="case", cell="count", source=["manual", "accepted"])
    assert only_people.loc["A", "strategy"] == 2
    assert analysis.matrix(codings, rows="case", cell="count", coder="ola").loc["B", "leadership"] == 1
    by_code = analysis.matrix(codings, rows="doc_id", cols="code", cell="count")
    assert by_code.loc["A-K1", "strategy.plans"] == 1
    with pytest.raises(AnalysisError, match="row kind 'county'"):
        analysis.matrix(codings, rows="county")
    with pytest.raises(AnalysisError, match="cell"):
        analysis.matrix(codings, cell="mean")


def test_coverage_without_segments_says_what_to_pass(fixture):
    codings, _, _ = fixture
    bare = codings.copy()
    bare.attrs = {}
    with pytest.raises(AnalysisError, match="segments=project.segments"):
        analysis.matrix(bare, cell="coverage")


def test_frequencies_roll_codes_up_to_themes(fixture):
    codings, _, _ = fixture
    f = analysis.frequencies(codings, level="theme").set_index("theme")
    # strategy: 3 codings, 3 passages, 3 segments, 1 document, 1 case, 1 informant, 14 words of 79 = 17.72 %
    assert f.loc["strategy"].tolist()[:6] == [3, 3, 3, 1, 1, 1]
    assert f.loc["strategy", "words"] == 14 and f.loc["strategy", "coverage"] == pytest.approx(17.72)
    # leadership: A [0,10) 4 words + B union 10 words = 14 words
    assert f.loc["leadership", "words"] == 14 and f.loc["leadership", "cases"] == 2
    codes = analysis.frequencies(codings, level="code").set_index("code")
    assert codes.loc["strategy.useful", "codings"] == 1


def test_cooccurrence_by_hand():
    # Segment X holds a and b; segment Y holds a; segment Z (next to Y) holds b and b again.
    rows = [coding("D-K1", 0, 0, 5, "a", "x"), coding("D-K1", 0, 0, 5, "b", "x"),
            coding("D-K1", 1, 6, 9, "a", "y"), coding("D-K1", 2, 10, 12, "b", "z"),
            coding("D-K1", 2, 12, 14, "b", "z2")]
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    count = analysis.cooccurrence(codings, level="code")
    assert count.loc["a", "b"] == 1 and count.loc["a", "a"] == 2 and count.loc["b", "b"] == 2
    # Jaccard on segments: 1 / (2 + 2 - 1) = 0.3333
    assert analysis.cooccurrence(codings, measure="jaccard").loc["a", "b"] == pytest.approx(0.3333)
    # c: n_a = 2 codings, n_b = 3 codings, n12 = 1 -> 1 / (2 + 3 - 1) = 0.25
    assert analysis.cooccurrence(codings, measure="c").loc["a", "b"] == pytest.approx(0.25)
    # window 1: windows {X,Y}: a,b; {Y,Z}: a,b; {Z}: b -> n12 = 2, n_a = 2, n_b = 3
    windowed = analysis.cooccurrence(codings, window=1)
    assert windowed.loc["a", "b"] == 2 and windowed.loc["b", "b"] == 3


def test_saturation_and_positions(fixture):
    codings, segments, _ = fixture
    sat = analysis.saturation(codings)
    # ordered by interview date: B-K2 (2025-01-01) first, then A-K1
    assert sat.doc_id.tolist() == ["B-K2", "A-K1"]
    assert sat.new_codes.tolist() == [1, 3] and sat.cumulative.tolist() == [1, 4]
    positions = analysis.theme_positions(codings, segments)
    assert positions.position.between(0, 1).all()
    assert positions.loc[positions.doc_id == "A-K1", "position"].max() == pytest.approx(0.8)


def test_framework_quotes_and_references(fixture):
    codings, _, _ = fixture
    frame = analysis.framework(codings, per_cell=1)
    assert frame.loc["A", "strategy"].startswith("«")
    assert "(Alfa kommune, K1, line " in frame.loc["A", "strategy"]
    quotes = analysis.quotes(codings)
    first = quotes[(quotes.row == "A") & (quotes.col == "strategy")].iloc[0]
    assert first.source == "manual"  # people's choices come before rule codings
    named = analysis.quotes(codings)
    assert named[named.row == "B"].reference.str.contains("K2").all()
    anonymous = analysis.quotes(codings, anonymous=True)
    assert not anonymous.reference.str.contains("Kari").any()


def test_analysis_runs_fast_on_many_codings():
    rng = np.random.default_rng(1)
    n = 200_000
    docs = rng.integers(0, 300, n)
    codings = pd.DataFrame({
        "doc_id": [f"d{d}" for d in docs], "case": [f"c{d % 20}" for d in docs], "speaker": "K1",
        "role": "informant", "segment_id": [f"d{d}:{s}" for d, s in zip(docs, rng.integers(0, 100, n))],
        "start": rng.integers(0, 10_000, n), "code": rng.choice(["a.x", "a.y", "b.z", "c.w"], n)})
    codings["end"] = codings["start"] + 50
    codings["theme"] = codings["code"].str.split(".").str[0]
    codings["text"] = "ord ord ord ord ord"
    for c in ("line_start", "line_end", "coder", "source", "rule", "matched"):
        codings[c] = "x" if c in ("coder", "source") else 0
    m = analysis.matrix(codings, rows="case", cell="count")
    assert m.to_numpy().sum() > 0 and m.shape == (20, 3)


# --- figures and exports ----------------------------------------------------------------------

def test_figures_are_written_and_not_blank(fixture, tmp_path):
    codings, _, _ = fixture
    m = analysis.matrix(codings, rows="case", cell="coverage")
    paths = [plots.save(plots.heatmap(m, title="Dekning – æøå"), tmp_path / "h.png"),
             plots.save(plots.prevalence_bars(m, title="Bars"), tmp_path / "b.svg"),
             plots.save(plots.cooccurrence_heatmap(analysis.cooccurrence(codings, measure="c")), tmp_path / "c.pdf"),
             plots.save(plots.saturation_curve(analysis.saturation(codings)), tmp_path / "s.png")]
    for path in paths:
        assert path.stat().st_size > 2000
    import matplotlib.image as mpimg

    pixels = mpimg.imread(tmp_path / "h.png")
    assert pixels.std() > 0.05  # an image, not an empty canvas
    assert "æøå" in (tmp_path / "b.svg").read_text() or "Bars" in (tmp_path / "b.svg").read_text()


def test_long_labels_are_wrapped_so_the_cells_and_the_legend_keep_their_room(fixture):
    """A label flattened from five languages (a 0.1.0 project's) once collapsed the heatmap's cells to a
    sliver and pushed the bar chart's legend and axis label off the figure."""
    import io
    import warnings

    import matplotlib.pyplot as plt

    codings, _, _ = fixture
    m = analysis.matrix(codings, rows="case", cell="coverage")
    m.columns = [f"{c}, nn: {c} lang, sv: {c} lang, da: {c} lang" for c in m.columns]
    for draw in (plots.heatmap, plots.prevalence_bars):
        fig = draw(m)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        assert not [w for w in caught if "constrained_layout" in str(w.message)], draw.__name__
        ax = fig.axes[0]
        box = ax.get_position()
        assert box.height > 0.3, (draw.__name__, box)  # the cells or bars keep most of the figure
        if draw is plots.prevalence_bars:
            legend = ax.get_legend().get_window_extent()
            assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width and legend.y0 >= 0  # the whole legend is drawn
            assert max(len(line) for t in ax.get_legend().get_texts() for line in t.get_text().split("\n")) <= 28
        else:
            assert all(len(line) <= 18 for t in ax.get_xticklabels() for line in t.get_text().split("\n"))
        plt.close(fig)


def test_excel_csv_latex_and_word_read_back(fixture, tmp_path):
    codings, _, _ = fixture
    m = analysis.matrix(codings, rows="case", cell="coverage")
    q = analysis.quotes(codings)
    to_excel({"coverage": m, "quotes": q, "a/b:c*?": m}, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["coverage", "quotes", "a_b_c__"]
    assert wb["coverage"].freeze_panes == "B2" and wb["coverage"]["A1"].font.bold
    assert any("en to tre" in str(c.value) for row in wb["quotes"].iter_rows() for c in row)
    paths = to_csv({"coverage": m}, tmp_path / "csv")
    assert pd.read_csv(paths[0], index_col=0).loc["A", "strategy"] == pytest.approx(46.67)
    tex = latex_table(m, caption="Dekning & 50%", label="tab:x")
    assert "\\toprule" in tex and "Dekning \\& 50\\%" in tex
    to_word(ReportContent(title="Funn", method=["Metode."], tables=[("Dekning", m)],
                          quotes=q.rename(columns={"col": "theme", "row": "case"})), tmp_path / "r.docx")
    document = docx.Document(tmp_path / "r.docx")
    assert len(document.tables) == 1 and document.tables[0].cell(1, 0).text == "A"
    assert any("en to tre" in p.text for p in document.paragraphs)


def test_report_on_the_sample_corpus_writes_everything(sample_dir, codebook_dir, tmp_path):
    runner = CliRunner()
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", str(sample_dir), "--codebook", str(codebook_dir / "digitalisering.yaml"),
                                 "--out", str(out), "--lang", "en"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in ("report.xlsx", "report.docx", "csv/codings.csv", "latex/matrix_case_theme_coverage.tex",
                 "figures/coverage_heatmap.png", "figures/saturation_curve.pdf", "project.thematic"):
        assert (out / name).stat().st_size > 500, name
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert {"Coverage per case", "Quotes", "Codebook", "Framework matrix"} <= set(wb.sheetnames)
    document = docx.Document(out / "report.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Method" in text and "Quotes per theme" in text and "Fjordvik kommune, K2" in text
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"Askerud", "Dalnett", "Sjöberga", "municipality", "network"} <= cells
    assert len(document.inline_shapes) == 6
    assert not (out / ".staging").exists()
