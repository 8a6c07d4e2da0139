"""The sample's second, exhaustive reference coding (data/sample_transcripts/full_reference_codings.csv)."""

from __future__ import annotations

import pandas as pd

import thematic as th
from thematic.evaluation import project_units


def test_every_informant_sentence_is_judged_once_and_every_coding_is_a_whole_sentence(sample_dir, codebook_dir):
    labels = pd.read_csv(sample_dir.parent / "tools" / "full_reference_labels.tsv", sep="\t", keep_default_na=False)
    codings = pd.read_csv(sample_dir / "full_reference_codings.csv")
    book = th.Codebook.load(codebook_dir / "digitalisering.yaml")
    with th.Project.open(":memory:") as project:
        project.add(th.ingest(sample_dir))
        units = project_units(project, "sentence")
        texts = {d.doc_id: d.text for d in project.documents_iter()}
    # one label line per informant sentence, at the sentence's offsets
    assert sorted(map(tuple, labels[["doc_id", "start", "end"]].to_numpy())) == sorted(
        map(tuple, units[["doc_id", "start", "end"]].to_numpy()))
    assert (labels["codes"] == "").sum() == 53 and len(labels) == 799
    # the CSV is what the labels say, with exact quotes and known codes
    known = {c.id for c in book.codes}
    assert set(codings["code"]) <= known and (codings["coder"] == "full_reference").all()
    assert all(texts[r.doc_id][r.start:r.end] == r.quote for r in codings.itertuples())
    per_label = labels["codes"].str.split(",").map(lambda c: len([x for x in c if x]))
    assert per_label.sum() == len(codings) == 978
    assert (codings["theme"] == codings["code"].str.split(".").str[0]).all()
