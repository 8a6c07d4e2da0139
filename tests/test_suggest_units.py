"""``thematic suggest --unit sentence``: learn from whole documents people coded, suggest for the others."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import thematic as th
from thematic.cli import app
from thematic.errors import ReliabilityError
from thematic.evaluation import project_units
from thematic.suggest import Suggester, suggest


@pytest.fixture(scope="module")
def coded_six(sample_dir, codebook_dir, tmp_path_factory):
    """Four interviews of the sample, rule-coded, three with their exhaustive hand coding as coder ida (four,
    not eight: the command line's cross-validated report refits the model five times)."""
    path = tmp_path_factory.mktemp("units") / "p.thematic"
    person = pd.read_csv(sample_dir / "full_reference_codings.csv")
    docs = sorted(set(person["doc_id"]))[:4]
    person = person[person["doc_id"].isin(docs)]
    held_out = docs[1:2]
    with th.Project.open(path) as project:
        project.add([d for d in th.ingest(sample_dir) if d.doc_id in docs])
        project.autocode(th.Codebook.load(codebook_dir / "digitalisering.yaml"))
        project.add_codings(person[~person["doc_id"].isin(held_out)], source="manual", coder="ida")
    return path, held_out


def test_sentence_suggestions_go_to_the_uncoded_interviews_as_sentence_units(coded_six, tmp_path):
    path, held_out = coded_six
    copy = tmp_path / "p.thematic"
    copy.write_bytes(path.read_bytes())
    with th.Project.open(copy) as project:
        suggestions, model = suggest(project, unit="sentence", level="theme")
        units = project_units(project, "sentence")
        queued = project.review_queue(source="suggestion")
        themes = {t.id for t in project.codebook.themes}
    assert model.complete and len(suggestions) == len(queued) > 20
    # learned from every sentence of the six coded interviews, coded or not
    assert len(model.train_ids_) == int((~units["doc_id"].isin(held_out)).sum())
    assert model.Y_.sum(axis=1).min() == 0  # uncoded sentences are examples of no theme
    assert set(queued["doc_id"]) <= set(held_out)  # nothing suggested where ida coded
    spans = set(zip(units["doc_id"], units["start"], units["end"]))
    assert all((d, s, e) in spans for d, s, e in zip(queued["doc_id"], queued["start"], queued["end"]))
    assert set(queued["code"]) <= themes
    assert queued["rule"].str.fullmatch(r"p=0\.\d\d|p=1\.00").all() and queued["coder"].eq("suggest@theme").all()


def test_segments_stay_the_default_and_a_wrong_unit_is_a_coded_error(coded_six, tmp_path):
    path, _ = coded_six
    copy = tmp_path / "p.thematic"
    copy.write_bytes(path.read_bytes())
    with th.Project.open(copy) as project:
        with pytest.raises(ReliabilityError, match="unit must be segment, sentence or turn, got 'page'"):
            suggest(project, unit="page")
        _, model = suggest(project, level="theme")
    assert not model.complete and model.Y_.sum(axis=1).min() >= 1  # only coded segments are learned from
    assert Suggester().complete is False


def test_cli_suggests_by_sentence(coded_six, tmp_path):
    path, held_out = coded_six
    copy = tmp_path / "p.thematic"
    copy.write_bytes(path.read_bytes())
    result = CliRunner().invoke(app, ["suggest", str(copy), "--unit", "sentence", "--level", "theme"])
    assert result.exit_code == 0, result.output
    assert "suggestions added to the review queue" in result.output
    with th.Project.open(copy) as project:
        queued = project.review_queue(source="suggestion")
    assert len(queued) > 20 and set(queued["doc_id"]) <= set(held_out)


def test_rule_hits_are_coded_once_per_text_and_equal_a_fresh_coding(codebook_dir, monkeypatch):
    from thematic import coding, suggest as suggest_module
    from thematic.suggest import RuleHits, Text

    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    texts = [Text("Strategien for skolen er ny.", "nb"), Text("Vi har ingen målbilde for skolen.", "nb"),
             Text("Strategien for skolen er ny.", "nb"), Text("Lite å si.", "nb")]
    suggest_module._RULE_HITS.clear()
    first = RuleHits(book).fit(texts).transform(texts)
    coded = coding.code_texts(pd.Series([str(t) for t in texts]), book, "nb", unit="turn")
    want = {(int(d), label) for d, c, t in zip(coded["doc_id"], coded["code"], coded["theme"]) for label in (c, t)}
    labels = RuleHits(book).fit(texts).labels_
    got = {(int(i), labels[j]) for i, j in zip(*first.nonzero())}
    assert got == want and {i for i, _ in got} == {0, 1, 2} and first.max() == 1.0

    def no_coding(*args, **kwargs):
        raise AssertionError("a text was coded again")

    monkeypatch.setattr(coding, "code_texts", no_coding)
    assert (RuleHits(book).fit(texts).transform(texts[::-1]) != first[::-1]).nnz == 0  # from the cache
