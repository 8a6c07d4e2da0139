"""Learned help where rules stop: which hybrids of rules and learning measurably help?

On the sample's sentence units, with a hand coding as the truth (``--reference``: ``reference`` or the exhaustive ``full_reference``), under leave-documents-out
cross-validation (GroupKFold by interview: a model never sees the interview it is scored on), per theme:

* rules alone (the codebook);
* text alone: the suggester's features (TF-IDF over lemmas and character n-grams), a logistic
  regression per theme;
* text + rule hits: the same with the themes and codes the rules find as features
  (``Suggester(rules=codebook)``);
* rules with a learned out-of-domain veto: a rule coding is kept only when a classifier of
  "the person coded any theme here" (text + rule hits) gives probability >= t;
* rules kept only where the text + rule-hit model agrees (probability >= t).

Then the same models trained on the whole sample are applied to the development set
(``data/dev_excerpts``), written apart and in five languages. A paired bootstrap over units
gives the interval of the micro-F1 difference between the best hybrid and rules alone.

    python benchmarks/hybrid_quality.py [--folds 4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import thematic as th  # noqa: E402
from thematic.evaluation import _marks, project_units  # noqa: E402
from thematic.excerpts import code_excerpts, labelled_codings, load_excerpts  # noqa: E402
from thematic.suggest import LemmaAnalyzer, RuleHits, with_languages  # noqa: E402

CORPUS = ROOT / "data" / "sample_transcripts"
CODEBOOK = ROOT / "codebooks" / "digitalisering.yaml"
EXCERPTS = ROOT / "data" / "dev_excerpts" / "excerpts.yaml"


def features(book, rules: bool):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    parts = [("lemmas", TfidfVectorizer(analyzer=LemmaAnalyzer("nb"), sublinear_tf=True)),
             ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2))]
    if rules:
        parts.append(("rules", RuleHits(book, "nb")))
    return FeatureUnion(parts)


def classifier():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(class_weight="balanced", max_iter=2000)


def scores(pred: np.ndarray, truth: np.ndarray) -> dict:
    tp, fp, fn = (pred & truth).sum(0), (pred & ~truth).sum(0), (~pred & truth).sum(0)
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    TP, FP, FN = tp.sum(), fp.sum(), fn.sum()
    return {"precision": tp / np.maximum(tp + fp, 1), "recall": tp / np.maximum(tp + fn, 1), "f1": f1,
            "macro_f1": float(f1.mean()), "micro_p": TP / max(TP + FP, 1), "micro_r": TP / max(TP + FN, 1),
            "micro_f1": 2 * TP / max(2 * TP + FP + FN, 1)}


def sample_units(book, reference: str = "reference"):
    with th.Project.open(":memory:") as project:
        project.add(th.ingest(CORPUS))
        project.autocode(book)
        project.add_codings(pd.read_csv(CORPUS / f"{reference}_codings.csv"), source="manual", coder="reference")
        codings = project.codings
        units = project_units(project, "sentence")
    codings = codings.assign(theme=codings["theme"].astype(str), code=codings["code"].astype(str))
    return units, codings[codings["source"] == "rule"], codings[codings["source"] == "manual"]


def fit_predict(book, themes, texts_train, y_train, texts_test, rules: bool) -> np.ndarray:
    f = features(book, rules).fit(texts_train)
    x_train, x_test = f.transform(texts_train), f.transform(texts_test)
    out = np.zeros((len(texts_test), y_train.shape[1]))
    for k in range(y_train.shape[1]):
        if 0 < y_train[:, k].sum() < len(y_train):
            out[:, k] = classifier().fit(x_train, y_train[:, k]).predict_proba(x_test)[:, 1]
    return out


def table(rows: dict, themes) -> pd.DataFrame:
    out = []
    for name, s in rows.items():
        out.append({"method": name, **{t: f"{p:.2f}/{r:.2f}" for t, p, r in zip(themes, s["precision"], s["recall"])},
                    "micro P/R": f"{s['micro_p']:.2f}/{s['micro_r']:.2f}", "micro F1": round(s["micro_f1"], 3),
                    "macro F1": round(s["macro_f1"], 3)})
    return pd.DataFrame(out)


def main(argv=None) -> int:
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--reference", default="reference", choices=["reference", "full_reference"],
                        help="the sample's hand coding taken as the truth: the quotes a researcher picked, or the "
                             "exhaustive coding of every sentence made blind to the rules")
    args = parser.parse_args(argv)
    book = th.Codebook.load(CODEBOOK)
    themes = [t.id for t in book.themes]
    units, rule, person = sample_units(book, args.reference)
    truth = _marks(person, units, "theme", themes)
    hits = _marks(rule, units, "theme", themes)
    languages = {d.doc_id: d.language for d in th.ingest(CORPUS)}
    texts = with_languages(units["text"], units["doc_id"].map(languages))  # lemmas and rules in each text's language
    proba = {"text": np.zeros(truth.shape), "text+rules": np.zeros(truth.shape)}
    domain = np.zeros(len(units))
    for train, test in GroupKFold(n_splits=args.folds).split(texts, groups=units["doc_id"]):
        tr, te = [texts[i] for i in train], [texts[i] for i in test]
        for name in proba:
            proba[name][test] = fit_predict(book, themes, tr, truth[train].astype(int), te, name == "text+rules")
        domain[test] = fit_predict(book, themes, tr, truth[train].any(1, keepdims=True).astype(int), te, True)[:, 0]
    rows = {"rules": scores(hits, truth), "text p>=0.5": scores(proba["text"] >= 0.5, truth),
            "text+rules p>=0.5": scores(proba["text+rules"] >= 0.5, truth)}
    for t in (0.3, 0.5):
        rows[f"rules, veto p<{t}"] = scores(hits & (domain[:, None] >= t), truth)
        rows[f"rules where text+rules p>={t}"] = scores(hits & (proba["text+rules"] >= t), truth)
    for t in (0.4, 0.5, 0.6):  # learned help where rules stop: rules, plus what the model finds beyond them
        rows[f"rules or text+rules p>={t}"] = scores(hits | (proba["text+rules"] >= t), truth)
    pd.set_option("display.width", 200)
    print(f"Sample, {len(units)} sentence units, truth {args.reference!r}, leave-documents-out ({args.folds} folds); per theme precision/recall\n")
    print(table(rows, themes).to_string(index=False))

    rng = np.random.default_rng(0)
    best = proba["text+rules"] >= 0.5
    diffs = []
    for _ in range(1000):
        i = rng.integers(0, len(units), len(units))
        diffs.append(scores(best[i], truth[i])["micro_f1"] - scores(hits[i], truth[i])["micro_f1"])
    low, high = np.quantile(diffs, [0.025, 0.975])
    print(f"\nmicro-F1, text+rules minus rules alone: {np.mean(diffs):+.3f} (paired bootstrap 95% [{low:+.3f}, "
          f"{high:+.3f}])")

    dev = load_excerpts(EXCERPTS, themes=themes)
    coded = code_excerpts(dev, book)
    dev_units = pd.DataFrame({"doc_id": dev["id"], "start": 0, "end": dev["text"].str.len()})
    coded = coded.assign(doc_id=coded["doc_id"].astype(str), start=0,
                         end=coded["doc_id"].astype(str).map(dict(zip(dev["id"], dev_units["end"]))))
    dev_truth = _marks(labelled_codings(dev), dev_units, "theme", themes)
    dev_hits = _marks(coded, dev_units, "theme", themes)
    dev_texts = with_languages(dev["text"], dev["lang"])
    p_dev = fit_predict(book, themes, texts, truth.astype(int), dev_texts, True)
    d_dev = fit_predict(book, themes, texts, truth.any(1, keepdims=True).astype(int), dev_texts, True)[:, 0]
    themed = dev["themes"].map(len).gt(0).to_numpy()
    outside = dev["kind"].isin(["everyday", "none"]).to_numpy()
    print(f"\nDevelopment set ({len(dev)} excerpts), models trained on the whole sample:")
    out = []
    for name, pred in {"rules": dev_hits, "text+rules p>=0.5": p_dev >= 0.5,
                       "rules, veto p<0.3": dev_hits & (d_dev[:, None] >= 0.3),
                       "rules, veto p<0.5": dev_hits & (d_dev[:, None] >= 0.5),
                       "rules where text+rules p>=0.3": dev_hits & (p_dev >= 0.3)}.items():
        s = scores(pred, dev_truth)
        out.append({"method": name, "macro F1": round(s["macro_f1"], 3),
                    "micro P/R": f"{s['micro_p']:.2f}/{s['micro_r']:.2f}",
                    "themed uncoded": round(float((~pred[themed].any(1)).mean()), 3),
                    "out-of-domain coded": round(float(pred[outside].any(1).mean()), 3)})
    print(pd.DataFrame(out).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
