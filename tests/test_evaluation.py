"""thematic evaluate: machine coding against one person's coding, checked on hand-computed examples."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import AnalysisError
from thematic.evaluation import compare, error_table, f1_interval, score_table, unit_pairs, wilson
from thematic.transcripts import ingest_text

UNITS = pd.DataFrame({"doc_id": ["d"] * 4, "start": [0, 10, 20, 30], "end": [9, 19, 29, 39],
                      "line_start": [1, 2, 3, 4], "line_end": [1, 2, 3, 4],
                      "text": ["unit zero", "unit one.", "unit two.", "unit 3..."]})


def codings(rows, source, coder):
    frame = pd.DataFrame(rows, columns=["doc_id", "start", "end", "code", "rule", "matched"])
    return frame.assign(theme=frame["code"].str.split(".").str[0], source=source, coder=coder)


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_overlap_marks_every_unit_a_span_touches_by_a_character_and_no_other():
    spans = pd.DataFrame({"doc_id": ["d", "d", "d", "x"], "start": [5, 9, 25, 0], "end": [15, 10, 35, 5]})
    rows, hits = unit_pairs(spans, UNITS)
    # [5,15) -> units 0 and 1; [9,10) lies between units 0 and 1 -> none; [25,35) -> units 2 and 3; doc x -> none
    assert list(zip(rows.tolist(), hits.tolist())) == [(0, 0), (0, 1), (2, 2), (2, 3)]


def test_scores_per_theme_by_hand():
    machine = codings([("d", 0, 9, "a.x", "r1", "w1"), ("d", 10, 19, "a.y", "r2", "w2"),
                       ("d", 30, 39, "b", "r3", "w3")], "rule", "rules@book")
    person = codings([("d", 10, 29, "a.x", "", "")], "manual", "ida")  # spans units 1 and 2
    table = score_table(machine, person, UNITS, level="theme").set_index("theme")
    # theme a: machine units {0, 1}, person units {1, 2}: tp 1, fp 1, fn 1, tn 1
    a = table.loc["a"]
    assert (a.tp, a.fp, a.fn, a.units) == (1, 1, 1, 4)
    assert a.precision == 0.5 and a.recall == 0.5 and a.f1 == 0.5
    assert a.kappa == pytest.approx(0.0)  # p_o = 0.5, p_e = 0.5
    assert a.agreement == 0.5
    assert (a.precision_low, a.precision_high) == pytest.approx(wilson_by_hand(1, 2))
    # theme b: machine unit 3 only, the person never coded b: precision 0, recall undefined
    b = table.loc["b"]
    assert (b.tp, b.fp, b.fn) == (0, 1, 0) and b.precision == 0 and math.isnan(b.recall) and b.f1 == 0
    pooled = table.loc["(all)"]  # 4 units x 2 themes: machine a0 a1 b3, person a1 a2
    assert (pooled.tp, pooled.fp, pooled.fn) == (1, 2, 1)
    assert pooled.precision == pytest.approx(1 / 3) and pooled.recall == 0.5 and pooled.f1 == pytest.approx(0.4)
    codes = score_table(machine, person, UNITS, level="code").set_index("code")
    assert (codes.loc["a.x", "tp"], codes.loc["a.x", "fp"], codes.loc["a.x", "fn"]) == (0, 1, 2)
    assert (codes.loc["a.y", "tp"], codes.loc["a.y", "fp"], codes.loc["a.y", "fn"]) == (0, 1, 0)


def test_wilson_and_bootstrap_intervals():
    assert wilson(8, 10) == pytest.approx(wilson_by_hand(8, 10))
    assert wilson(0, 5)[0] == 0 and wilson(5, 5)[1] == pytest.approx(1)
    assert all(math.isnan(v) for v in wilson(0, 0))
    low, high = f1_interval(40, 10, 20, 930)
    point = 2 * 40 / (2 * 40 + 10 + 20)
    assert 0 < low < point < high < 1 and high - low < 0.3
    assert f1_interval(40, 10, 20, 930) == (low, high)  # fixed seed: repeatable
    assert f1_interval(400, 100, 200, 9300)[1] - f1_interval(400, 100, 200, 9300)[0] < high - low  # narrows with n


def test_errors_name_the_rule_for_false_positives_and_what_the_machine_did_for_misses():
    machine = codings([("d", 0, 9, "a.x", "styre", "styrer"), ("d", 10, 19, "a.y", "r2", "w2")], "rule", "rules")
    person = codings([("d", 10, 19, "a.x", "", ""), ("d", 0, 9, "b", "", "")], "manual", "ida")
    errors = error_table(machine, person, UNITS).set_index(["code", "kind"])
    fp = errors.loc[("a.x", "false positive")]
    assert (fp.quote, fp.rule, fp.matched, fp.person_codes, fp.line_start) == ("unit zero", "styre", "styrer", "b", 1)
    miss = errors.loc[("a.x", "miss")]
    assert (miss.quote, miss.rule, miss.machine_codes) == ("unit one.", "", "a.y")
    assert set(errors.index) == {("a.x", "false positive"), ("a.x", "miss"), ("a.y", "false positive"),
                                 ("b", "miss")}


def test_compare_checks_its_arguments_and_keeps_to_the_documents_the_person_coded():
    machine = codings([("d", 0, 9, "a", "r", "w"), ("e", 0, 5, "a", "r", "w")], "rule", "rules")
    person = codings([("d", 0, 9, "a", "", "")], "manual", "ida")
    units = pd.concat([UNITS, pd.DataFrame({"doc_id": ["e"], "start": [0], "end": [5], "text": ["other"]})])
    result = compare(pd.concat([machine, person]), units, against="ida")
    assert result.documents == 1 and result.units == 4  # document e was not coded by ida: not counted against rules
    assert result.overall()["precision"] == 1 and result.overall()["recall"] == 1
    with pytest.raises(AnalysisError, match=r"\[A001\].*'olga'.*ida"):
        compare(pd.concat([machine, person]), units, against="olga")
    with pytest.raises(AnalysisError, match=r"\[A001\].*robots"):
        compare(pd.concat([machine, person]), units, against="ida", codes="robots")
    with pytest.raises(AnalysisError, match=r"no suggestions"):
        compare(pd.concat([machine, person]), units, against="ida", codes="suggestions")


TEXT = ("Intervjuer: Hva gjør dere?\n"
        "K1: Vi har en strategi for digitalisering. Vi spiller fotball på lørdag. Rektor går foran.\n")


@pytest.fixture()
def project(tmp_path):
    path = tmp_path / "p.thematic"
    with th.Project.open(path) as p:
        doc = ingest_text(TEXT, doc_id="Fjordvik-K1", case="Fjordvik")
        p.add([doc])
        s1, s2, s3 = (TEXT.index(s) for s in ("Vi har", "Vi spiller", "Rektor"))
        p.add_codings(pd.DataFrame({"doc_id": ["Fjordvik-K1"] * 3, "start": [s1, s2, s3],
                                    "end": [s1 + 10, s2 + 10, s3 + 10],
                                    "code": ["strategy.plans", "strategy.plans", "leadership.engaging"],
                                    "rule": ["*strategi", "spille", "gå foran"]}), source="rule", coder="rules@t")
        p.add_codings(pd.DataFrame({"doc_id": ["Fjordvik-K1"] * 2, "start": [s1, s3], "end": [s2 - 1, len(TEXT) - 1],
                                    "code": ["strategy.plans", "learning.sharing"]}), source="manual", coder="ida")
    return path


def test_evaluate_a_project_on_sentence_and_turn_units(project):
    with th.Project.open(project) as p:
        by_sentence = th.evaluate(p, "ida")
        by_turn = th.evaluate(p, "ida", unit="turn")
    assert by_sentence.units == 3 and by_turn.units == 1  # interviewer speech is never a unit
    themes = by_sentence.themes.set_index("theme")
    assert (themes.loc["strategy", "tp"], themes.loc["strategy", "fp"], themes.loc["strategy", "fn"]) == (1, 1, 0)
    assert (themes.loc["leadership", "fp"], themes.loc["learning", "fn"]) == (1, 1)
    fp = by_sentence.errors.query("kind == 'false positive' and code == 'strategy.plans'").iloc[0]
    assert fp.quote == "Vi spiller fotball på lørdag." and fp.rule == "spille" and fp.line_start == 2
    turn = by_turn.themes.set_index("theme")  # one turn: strategy agrees; leadership fp, learning fn
    assert (turn.loc["strategy", "tp"], turn.loc["leadership", "fp"], turn.loc["learning", "fn"]) == (1, 1, 1)


def test_cli_evaluate_prints_tables_and_writes_csv(project, tmp_path):
    out = tmp_path / "eval"
    result = CliRunner().invoke(app, ["evaluate", str(project), "--against", "ida", "-o", str(out)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "per theme" in result.output and "0.50 [" in result.output and "Vi spiller fotball" in result.output
    themes = pd.read_csv(out / "evaluation_themes.csv").set_index("theme")
    assert themes.loc["strategy", "precision"] == 0.5 and themes.loc["(all)", "tp"] == 1
    assert set(pd.read_csv(out / "evaluation_errors.csv")["kind"]) == {"false positive", "miss"}
    bad = CliRunner().invoke(app, ["evaluate", str(project), "--against", "ida", "--unit", "word"])
    assert bad.exit_code == 2 and "[A001]" in bad.output and "sentence, turn" in bad.output


def test_report_shows_rule_coding_against_the_hand_coding_when_a_person_coded(tmp_path, sample_dir, codebook_dir):
    from docx import Document as Docx

    from thematic.report import build_report

    project = tmp_path / "study.thematic"
    with th.Project.open(project) as p:
        p.add(th.ingest(sample_dir))
        p.autocode(th.Codebook.load(codebook_dir / "digitalisering.yaml"))  # an existing project is reported as is
        p.add_codings(pd.read_csv(sample_dir / "reference_codings.csv"), source="manual", coder="reference")
    result = build_report(sample_dir, codebook_dir / "digitalisering.yaml", tmp_path / "out", project_path=project,
                          lang="en")
    themes = pd.read_csv(tmp_path / "out" / "csv" / "evaluation_themes.csv").set_index("theme")
    assert themes.loc["(all)", "person"] > 150 and 0 < themes.loc["(all)", "precision"] < 1
    captions = [p.text for p in Docx(tmp_path / "out" / "report.docx").paragraphs]
    assert any(re.match(r"Table \d+: Rule coding against reference's coding \(sentence units, 8 documents\)", c)
               for c in captions)
    assert any(re.search(r"reference coded 194 \(unit, theme\) pairs, the rules \d+: if reference coded the telling "
                         r"passages rather than every passage a definition covers, precision is understated", c)
               for c in captions)
    assert tmp_path / "out" / "csv" / "evaluation_errors.csv" in result.files


def test_accepted_machine_codings_are_the_persons_reading_and_rejected_ones_still_count_as_proposed(project):
    with th.Project.open(project) as p:
        rules = p.codings.query("source == 'rule'").set_index("code")
        p.accept([int(rules.loc["leadership.engaging", "coding_id"])], coder="ida")
        football = p.codings.query("source == 'rule' and rule == 'spille'")["coding_id"]
        p.reject([int(football.iloc[0])], coder="ida")
        result = th.evaluate(p, "ida")
    themes = result.themes.set_index("theme")
    assert (themes.loc["leadership", "tp"], themes.loc["leadership", "fp"]) == (1, 0)  # ida accepted it
    assert themes.loc["strategy", "fp"] == 1  # rejected, but the rules proposed it: still a false positive


def test_quotes_that_look_like_formulas_are_neutralised_in_the_csv(tmp_path):
    text = "K1: =HYPERLINK(\"http://x\") er strategien vår.\n"
    path = tmp_path / "h.thematic"
    with th.Project.open(path) as p:
        p.add([ingest_text(text, doc_id="Fjordvik-K9", case="Fjordvik")])
        start = text.index("=")
        p.add_codings(pd.DataFrame({"doc_id": ["Fjordvik-K9"], "start": [start], "end": [len(text) - 1],
                                    "code": ["strategy"], "rule": ["*strategi"]}), source="rule", coder="rules@t")
        p.add_codings(pd.DataFrame({"doc_id": ["Fjordvik-K9"], "start": [start], "end": [len(text) - 1],
                                    "code": ["learning"]}), source="manual", coder="ida")
    out = tmp_path / "eval"
    result = CliRunner().invoke(app, ["evaluate", str(path), "--against", "ida", "-o", str(out)])
    assert result.exit_code == 0, result.output
    errors = pd.read_csv(out / "evaluation_errors.csv")
    assert errors["quote"].str.startswith("'=HYPERLINK").all() and len(errors) == 2


def test_cli_evaluate_refuses_a_missing_project_without_creating_one(tmp_path):
    missing = tmp_path / "nothere.thematic"
    result = CliRunner().invoke(app, ["evaluate", str(missing), "--against", "ida"])
    assert result.exit_code == 2 and "no such project file" in result.output and not missing.exists()


def test_rules_are_the_projects_codebook_applied_afresh_so_a_persons_identical_coding_cannot_hide_agreement(tmp_path):
    from test_suggest_rules import TINY

    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    book = th.Codebook.load(tmp_path / "tiny.yaml")
    text = "K1: Vi har en handlingsplan. Vi tok et kurs. Vi spiller fotball.\n"
    sentence = "Vi har en handlingsplan."
    with th.Project.open(tmp_path / "p.thematic") as p:
        p.add([ingest_text(text, doc_id="Fjordvik-K3", case="Fjordvik")])
        p.add_codings(pd.DataFrame({"doc_id": ["Fjordvik-K3"], "start": [text.index(sentence)],
                                    "end": [text.index(sentence) + len(sentence)], "code": ["strategy.plans"]}),
                      source="manual", coder="ida")
        p.autocode(book)  # the store skips the rule coding ida's identical coding already covers
        assert "strategy.plans" not in set(p.codings.query("source == 'rule'")["code"])
        result = th.evaluate(p, "ida")
    codes = result.codes.set_index("code")
    assert (codes.loc["strategy.plans", "tp"], codes.loc["strategy.plans", "fp"]) == (1, 0)
    assert codes.loc["learning", "fp"] == 1 and result.units == 3


def test_cli_evaluates_a_draft_codebook_instead_of_the_stored_rule_codings(project, tmp_path):
    from test_suggest_rules import TINY

    draft = tmp_path / "draft.yaml"
    draft.write_text(TINY, encoding="utf-8")
    out = tmp_path / "eval"
    result = CliRunner().invoke(app, ["evaluate", str(project), "--against", "ida", "--codebook", str(draft),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    themes = pd.read_csv(out / "evaluation_themes.csv").set_index("theme")
    # the draft's '*strategi' finds the first sentence only; the stored 'spille' coding is not the draft's
    assert (themes.loc["strategy", "tp"], themes.loc["strategy", "fp"]) == (1, 0)
    assert "leadership" not in themes.index or themes.loc["leadership", "machine"] == 0


def test_a_person_who_coded_far_less_than_the_machine_gets_a_warning_about_precision():
    from thematic.evaluation import Evaluation

    def result(machine: int, person: int) -> Evaluation:
        themes = pd.DataFrame({"theme": ["a", "(all)"], "machine": [machine, machine], "person": [person, person]})
        return Evaluation("ida", "rules", "sentence", 1, 10, themes, themes.rename(columns={"theme": "code"}),
                          pd.DataFrame())

    assert result(machine=19, person=10).sparse_reference() is None
    assert result(machine=5, person=0).sparse_reference() is None  # nothing coded: nothing to compare
    assert result(machine=20, person=10).sparse_counts() == (10, 20) and result(19, 10).sparse_counts() is None
    warning = result(machine=20, person=10).sparse_reference()
    assert warning.startswith("ida coded 10 (unit, theme) pairs, the machine 20.") and "precision is understated" in warning


def test_cli_evaluate_warns_against_the_sparse_sample_reference_not_the_exhaustive_one(tmp_path, sample_dir, codebook_dir):
    project = tmp_path / "study.thematic"
    with th.Project.open(project) as p:
        p.add(th.ingest(sample_dir))
        p.autocode(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        p.add_codings(pd.read_csv(sample_dir / "reference_codings.csv"), source="manual", coder="picked")
        p.add_codings(pd.read_csv(sample_dir / "full_reference_codings.csv"), source="manual", coder="every")
    picked = CliRunner().invoke(app, ["evaluate", str(project), "--against", "picked"], env={"COLUMNS": "200"})
    every = CliRunner().invoke(app, ["evaluate", str(project), "--against", "every"], env={"COLUMNS": "200"})
    assert picked.exit_code == every.exit_code == 0
    assert "picked coded 194 (unit, theme) pairs" in picked.output and "precision is understated" in picked.output
    assert "precision is understated" not in every.output
