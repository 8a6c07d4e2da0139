"""Agreement coefficients against published values, project agreement, blind workflow, suggestions."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic import reliability as rel
from thematic.cli import app
from thematic.errors import NotFittedError, ReliabilityError
from thematic.suggest import Suggester, suggest

N = None
# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
# University of Pennsylvania. Section A: two observers, binary data; section C: four observers, nominal
# data with missing values (values reported: nominal .743, ordinal .815, interval .849, ratio .797).
KRIPP_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
KRIPP_C = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
           [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
# Cohen's kappa textbook example (also Wikipedia "Cohen's kappa"): 50 grant proposals, both "yes" 20,
# A yes/B no 5, A no/B yes 10, both "no" 15: p_o = 0.70, p_e = 0.50, kappa = 0.40.
COHEN = [["yes"] * 25 + ["no"] * 25, ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15]
# Fleiss, J. L. (1971), worked example as given on Wikipedia "Fleiss' kappa": 10 subjects, 14 raters,
# 5 categories; P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
FLEISS_COUNTS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                 [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def fleiss_matrix() -> list[list[int]]:
    columns = [[k for k, c in enumerate(row) for _ in range(c)] for row in FLEISS_COUNTS]
    return [[columns[j][i] for j in range(10)] for i in range(14)]


def test_krippendorff_published_values():
    assert rel.krippendorff_alpha(KRIPP_A) == pytest.approx(0.095, abs=0.0005)
    for level, value in (("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)):
        assert rel.krippendorff_alpha(KRIPP_C, level=level) == pytest.approx(value, abs=0.0005)


def test_cohen_scott_gwet_and_percent_agreement_on_the_textbook_table():
    assert rel.percent_agreement(COHEN) == pytest.approx(0.70)
    assert rel.cohen_kappa(COHEN) == pytest.approx(0.40)
    # Scott: pooled p(yes) = 55/100 -> p_e = .55^2 + .45^2 = .505; pi = (.70 - .505) / .495
    assert rel.scott_pi(COHEN) == pytest.approx(0.195 / 0.495)
    # Gwet (2008), eq. for AC1: pi_yes = (25/50 + 30/50) / 2 = .55; p_e = 2 * .55 * .45 = .495
    assert rel.gwet_ac1(COHEN) == pytest.approx((0.70 - 0.495) / (1 - 0.495))


def test_fleiss_published_value():
    assert rel.fleiss_kappa(fleiss_matrix()) == pytest.approx(0.210, abs=0.0005)


def test_inputs_in_every_form_and_any_hashable_values():
    as_list = [["a", "b", None], ["a", "b", "b"]]
    as_array = np.array(as_list, dtype=object)
    as_frame = pd.DataFrame(as_list, index=["ida", "ola"])
    assert rel.percent_agreement(as_list) == rel.percent_agreement(as_array) == rel.percent_agreement(as_frame) == 1.0
    assert rel.krippendorff_alpha([[("x", 1), ("y", 2), np.nan], [("x", 1), ("x", 1), ("y", 2)]]) < 1


@pytest.mark.parametrize("call,message", [
    (lambda: rel.cohen_kappa([[1, 2]]), "at least two coders"),
    (lambda: rel.cohen_kappa(KRIPP_C), "two coders"),
    (lambda: rel.percent_agreement([[1, None], [None, 2]]), "no unit was coded by two"),
    (lambda: rel.krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval"), "numeric"),
    (lambda: rel.krippendorff_alpha(KRIPP_A, level="fuzzy"), "level must be"),
    (lambda: rel.percent_agreement([[1, 2], [1]]), "same length"),
])
def test_bad_reliability_input(call, message):
    with pytest.raises(ReliabilityError, match=message):
        call()


def test_bootstrap_interval_brackets_the_estimate():
    estimate, low, high = rel.bootstrap_ci(rel.krippendorff_alpha, KRIPP_C, n=300, seed=1)
    assert estimate == pytest.approx(0.743, abs=0.001)
    assert low < estimate < high <= 1


# --- project level ----------------------------------------------------------------------------

def tiny_codings() -> pd.DataFrame:
    """Four segments; ida and ola agree on s0 (a) and s3 (nothing), differ on s1 (a vs b) and s2 (b vs -)."""
    def c(seg, code, coder):
        return {"doc_id": "D-K1", "case": "D", "speaker": "K1", "role": "informant", "segment_id": f"D-K1:{seg}",
                "start": seg * 10, "end": seg * 10 + 8, "line_start": seg + 1, "line_end": seg + 1, "code": code,
                "theme": code.split(".")[0], "coder": coder, "source": "manual", "rule": "", "matched": "",
                "text": f"segment {seg}"}
    rows = [c(0, "a", "ida"), c(0, "a", "ola"), c(1, "a", "ida"), c(1, "b", "ola"), c(2, "b", "ida")]
    codings = pd.DataFrame(rows)
    codings.attrs["segments"] = pd.DataFrame({
        "doc_id": "D-K1", "segment_id": [f"D-K1:{i}" for i in range(4)], "role": "informant",
        "start": [0, 10, 20, 30], "end": [8, 18, 28, 38], "text": [f"segment {i}" for i in range(4)]})
    return codings


def test_project_agreement_by_hand():
    table = rel.agreement(tiny_codings(), ["ida", "ola"]).set_index("code")
    # code a over 4 segments: ida [1,1,0,0], ola [1,0,0,0] -> 3 of 4 agree
    assert table.loc["a", "percent_agreement"] == pytest.approx(0.75)
    assert table.loc["a", "cohen_kappa"] == pytest.approx(0.5)
    # code b: ida [0,0,1,0], ola [0,1,0,0] -> 2 of 4 agree, kappa = (0.5 - 0.625) / 0.375
    assert table.loc["b", "percent_agreement"] == pytest.approx(0.5)
    assert table.loc["b", "cohen_kappa"] == pytest.approx(-1 / 3)
    assert table.loc["(overall)", "units"] == 8
    chars = rel.agreement(tiny_codings(), ["ida", "ola"], unit="character")
    a = chars[chars.code == "a"].iloc[0]
    # 38 characters; ida marks [0,8) and [10,18), ola [0,8): disagree on 8 characters
    assert a.agreement == pytest.approx(30 / 38, abs=1e-4)


def test_disagreement_table_and_resolution(tmp_path, codebook_dir, sample_dir):
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(th.ingest(sample_dir))
        project.add_codebook(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        project.add_codings(pd.read_csv(sample_dir / "reference_codings.csv"), source="manual", coder="ida")
        project.add_codings(pd.read_csv(sample_dir / "second_coder_codings.csv"), source="manual", coder="ola")
        table = rel.disagreements(project.codings, ["ida", "ola"])
        assert len(table) > 10 and set(table.columns) >= {"segment_id", "text", "codes_ida", "codes_ola", "resolution"}
        assert table.text.str.len().gt(0).all()
        table.loc[0, "resolution"] = "keep:ida"
        table.loc[1, "resolution"] = "strategy.useful; leadership.mandate"
        ids = rel.resolve(project, table, coder="veileder")
        resolved = project.codings.set_index("coding_id").loc[ids]
        assert set(resolved.source) == {"resolved"} and set(resolved.coder) == {"veileder"}
        assert "resolved disagreement between ida, ola" in resolved.rule.iloc[0]
        table.loc[2, "resolution"] = "no.such.code"
        with pytest.raises(ReliabilityError, match="unknown code 'no.such.code'"):
            rel.resolve(project, table.iloc[2:3], coder="veileder")
        theme = rel.agreement(project.codings, ["ida", "ola"], level="theme").set_index("theme")
        assert 0.5 < theme.loc["(overall)", "krippendorff_alpha"] < 1


def test_blind_export_and_import_round_trip(tmp_path, codebook_dir, sample_dir):
    with th.Project.open(tmp_path / "main.thematic") as project:
        project.add(th.ingest(sample_dir))
        project.add_codebook(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        project.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ida")
        paths = rel.export_blind(project, tmp_path / "blind", "ola")
        with th.Project.open(paths["project"]) as copy:
            assert copy.codings.empty and len(copy.documents) == 8  # blind: no first-coder codings
            copy.code("Fjordvik-K2", quote="vi har ingen målbilde", code="target_picture.unclear", coder="ola")
            copy.code("Dalnett-K7", quote="Begrepet er litt flytende.", code="target_picture.unclear", coder="ola")
        assert len(rel.import_coder(project, paths["project"], "ola")) == 2
        wb = openpyxl.load_workbook(paths["sheet"])
        ws = wb["segments"]
        header = [c.value for c in ws[1]]
        assert header == ["doc_id", "segment_id", "speaker", "text", "codes"]
        assert "codebook" in wb.sheetnames
        ws.cell(row=2, column=5, value="strategy.plans; learning.sharing")
        wb.save(paths["sheet"])
        assert len(rel.import_coder(project, paths["sheet"], "per")) == 2
        ws.cell(row=3, column=5, value="strategy.planz")
        wb.save(paths["sheet"])
        with pytest.raises(ReliabilityError, match="row 3: unknown code 'strategy.planz'"):
            rel.import_coder(project, paths["sheet"], "per")
        assert set(project.codings.coder) >= {"ida", "ola", "per"}


# --- suggestions --------------------------------------------------------------------------------

def synthetic(n: int = 40):
    rng = np.random.default_rng(0)
    segments, codings = [], []
    for i in range(n):
        topic = "strategy" if i % 2 == 0 else "learning"
        words = (["strategien", "planen", "handlingsplan", "prioritering"] if topic == "strategy"
                 else ["kurs", "deler", "erfaringer", "kompetanse"])
        text = " ".join(rng.choice(words, 6)) + " og litt annet prat"
        segments.append({"segment_id": f"d:{i}", "text": text, "role": "informant"})
        if i < n - 6:
            codings.append({"segment_id": f"d:{i}", "code": topic, "theme": topic, "source": "manual"})
    codings.append({"segment_id": "d:0", "code": "rare", "theme": "rare", "source": "manual"})
    return pd.DataFrame(segments), pd.DataFrame(codings)


def test_suggester_learns_predicts_explains_and_reports_quality():
    segments, codings = synthetic()
    model = Suggester(min_examples=5)
    with pytest.raises(NotFittedError, match="not fitted"):
        model.predict(segments)
    assert model.fit(segments, codings) is model
    assert model.labels_ == ["learning", "strategy"] and model.too_few_ == {"rare": 1}
    unseen = segments.tail(6)
    predicted = model.predict(unseen)
    truth = {f"d:{i}": ("strategy" if i % 2 == 0 else "learning") for i in range(34, 40)}
    assert {(r.segment_id, r.code) for r in predicted.itertuples()} == set(truth.items())
    assert predicted.words.str.len().gt(0).all() and predicted.probability.between(0.5, 1).all()
    quality = model.evaluate(cv=5).set_index("code")
    assert quality.loc["strategy", "precision"] > 0.8 and quality.loc["learning", "recall"] > 0.8
    assert "too few examples" in quality.loc["rare", "note"]


def test_suggester_refuses_to_guess_from_too_little():
    segments, codings = synthetic(6)
    with pytest.raises(ReliabilityError, match="too few coded segments"):
        Suggester(min_examples=5).fit(segments, codings)


def test_suggestions_enter_the_review_queue_and_rejections_stick(tmp_path, sample_dir):
    with th.Project.open(tmp_path / "s.thematic") as project:
        project.add(th.ingest(sample_dir))
        project.add_codings(pd.read_csv(sample_dir / "reference_codings.csv"), source="manual", coder="ida")
        suggestions, model = suggest(project, level="theme", threshold=0.5)
        queue = project.review_queue(source="suggestion")
        assert len(queue) == len(suggestions) > 0
        assert queue.rule.str.startswith("p=").all()
        assert not project.codings.source.eq("suggestion").any()  # unreviewed suggestions stay out of analysis
        project.reject(queue.coding_id.iloc[:2], coder="ida")
        project.accept(queue.coding_id.iloc[2:3], coder="ida")
        suggest(project, level="theme", threshold=0.5)
        rejected = set(map(tuple, queue.iloc[:2][["doc_id", "start", "end", "code"]].to_numpy().tolist()))
        again = project.review_queue(source="suggestion")
        assert not rejected & set(map(tuple, again[["doc_id", "start", "end", "code"]].to_numpy().tolist()))


def test_cli_agreement_blind_and_disagreements(tmp_path, sample_dir, codebook_dir):
    path = tmp_path / "cli.thematic"
    with th.Project.open(path) as project:
        project.add(th.ingest(sample_dir))
        project.add_codebook(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        project.add_codings(pd.read_csv(sample_dir / "reference_codings.csv"), source="manual", coder="ida")
        project.add_codings(pd.read_csv(sample_dir / "second_coder_codings.csv"), source="manual", coder="ola")
    runner = CliRunner()
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ida,ola", "--level", "theme"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "(overall)" in result.output and "krippendorff" in result.output
    out = tmp_path / "dis.xlsx"
    assert runner.invoke(app, ["disagreements", str(path), "--coders", "ida,ola", "-o", str(out)]).exit_code == 0
    assert openpyxl.load_workbook(out)["disagreements"].max_row > 10
    result = runner.invoke(app, ["blind-export", str(path), "--coder", "per", "-o", str(tmp_path / "b")])
    assert result.exit_code == 0 and (tmp_path / "b" / "per.thematic").is_file()
    result = runner.invoke(app, ["agreement", str(path), "--coders", "ida,nobody"])
    assert result.exit_code == 2 and "no codings by nobody" in result.output
