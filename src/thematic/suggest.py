"""Code suggestions learned from people's own coding, with honest cross-validated quality.

A scikit-learn pipeline (TF-IDF over lemmas plus character n-grams, a linear
one-vs-rest classifier) is trained on the segments people coded. It proposes
codes for segments nobody coded, each with a probability and the words that
drove it. Codes with too few examples are reported, never guessed. Suggestions
go into the project's review queue (accept/reject, remembered).

Follows scikit-learn's contract: ``__init__`` only stores its keyword-only
arguments, ``fit`` validates and returns ``self``, fitted attributes end in ``_``.

Example:
    >>> s = Suggester(min_examples=5).fit(project.segments, project.codings)  # doctest: +SKIP
    >>> s.evaluate()                                                         # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import Errors, NotFittedError, ReliabilityError
from .types import reviewed_mask

PEOPLE = ("manual", "accepted", "resolved", "import")  # kept for old callers; see types.reviewed_mask


class LemmaAnalyzer:
    """Lower-cased lemmas of the alphabetic words of a text (picklable, for cross-validation)."""

    def __init__(self, lang: str = "nb"):
        self.lang = lang

    def __call__(self, text: str) -> list[str]:
        from .nlp import lemma, pipeline

        tokenizer = pipeline(self.lang).tokenizer
        return [lemma(t.lower_, self.lang) for t in tokenizer(text) if t.is_alpha and len(t) > 1]


class Suggester:
    """Learns codes from segments people coded and suggests them for uncoded segments.

    Parameters
    ----------
    level : {"code", "theme"}, default="code"
    min_examples : int, default=5
        Codes with fewer positive segments are listed in ``too_few_`` and never suggested.
    threshold : float, default=0.5
        Minimum probability for :meth:`predict` to return a suggestion.
    lang : str, default="nb"
        Language of the lemmatizer.
    C : float, default=1.0
        Inverse regularisation strength of the logistic regressions.
    random_state : int, default=0
    """

    def __init__(self, *, level: str = "code", min_examples: int = 5, threshold: float = 0.5, lang: str = "nb",
                 C: float = 1.0, random_state: int = 0):
        self.level = level
        self.min_examples = min_examples
        self.threshold = threshold
        self.lang = lang
        self.C = C
        self.random_state = random_state

    def _pipeline(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import FeatureUnion, Pipeline

        features = FeatureUnion([
            ("lemmas", TfidfVectorizer(analyzer=LemmaAnalyzer(self.lang), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
        ])
        model = OneVsRestClassifier(LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                                       random_state=self.random_state))
        return Pipeline([("features", features), ("model", model)])

    def fit(self, segments: pd.DataFrame, codings: pd.DataFrame) -> "Suggester":
        """Train on the segments (``segment_id``, ``text``) and people's codings of them."""
        if self.level not in ("code", "theme"):
            raise ReliabilityError(Errors.R001.format(detail=f"level must be code or theme, got '{self.level}'"))
        if not 0 < self.threshold < 1:
            raise ReliabilityError(Errors.R001.format(detail="threshold must be between 0 and 1"))
        people = codings[reviewed_mask(codings) & (codings["segment_id"].fillna("") != "")]
        coded = people.groupby("segment_id")[self.level].agg(lambda s: sorted(set(s)))
        pool = segments[segments["role"] == "informant"] if "role" in segments else segments
        train = pool[pool["segment_id"].isin(coded.index)]
        counts = people.drop_duplicates(["segment_id", self.level])[self.level].value_counts()
        self.too_few_ = {c: int(n) for c, n in counts.items() if n < self.min_examples}
        self.labels_ = sorted(c for c, n in counts.items() if n >= self.min_examples)
        if len(self.labels_) < 1 or len(train) < 2 * self.min_examples:
            raise ReliabilityError(Errors.R001.format(
                detail=f"too few coded segments to learn from ({len(train)} segments; codes with at least "
                       f"{self.min_examples} examples: {len(self.labels_)}). Code more by hand first."))
        self.train_texts_ = train["text"].fillna("").tolist()
        self.train_ids_ = train["segment_id"].tolist()
        self.Y_ = np.array([[int(label in coded[sid]) for label in self.labels_] for sid in self.train_ids_])
        if self.Y_.shape[1] == 1:  # a single label still needs negatives to learn from
            self.Y_ = np.hstack([self.Y_, 1 - self.Y_])
            self._single = True
        else:
            self._single = False
        self.pipeline_ = self._pipeline().fit(self.train_texts_, self.Y_)
        return self

    def _check(self) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError("This Suggester instance is not fitted yet. Call 'fit' with the project's "
                                 "segments and codings first.")

    def predict(self, segments: pd.DataFrame, top_words: int = 5) -> pd.DataFrame:
        """Suggestions for ``segments``: segment_id, code, probability and the words that drove it."""
        self._check()
        texts = segments["text"].fillna("").tolist()
        if not texts:
            return pd.DataFrame(columns=["segment_id", "code", "probability", "words"])
        proba = self.pipeline_.predict_proba(texts)
        features = self.pipeline_.named_steps["features"]
        X = features.transform(texts)
        names = features.get_feature_names_out()
        estimators = self.pipeline_.named_steps["model"].estimators_
        rows = []
        for k, label in enumerate(self.labels_):
            coef = estimators[k].coef_.ravel()
            for i in np.flatnonzero(proba[:, k] >= self.threshold):
                row = X[i].toarray().ravel() * coef
                ranked = [j for j in np.argsort(row)[::-1] if row[j] > 0 and names[j].startswith("lemmas__")]
                words = [names[j].split("__", 1)[1] for j in ranked[:top_words]]  # words, not character n-grams
                rows.append({"segment_id": segments["segment_id"].iloc[i], "code": label,
                             "probability": round(float(proba[i, k]), 3), "words": ", ".join(words)})
        return pd.DataFrame(rows, columns=["segment_id", "code", "probability", "words"])

    def evaluate(self, cv: int = 5) -> pd.DataFrame:
        """Cross-validated precision, recall and F1 per code, plus the codes with too few examples."""
        from sklearn.metrics import precision_recall_fscore_support
        from sklearn.model_selection import KFold, cross_val_predict

        self._check()
        folds = min(cv, len(self.train_texts_))
        predicted = cross_val_predict(self._pipeline(), self.train_texts_, self.Y_,
                                      cv=KFold(folds, shuffle=True, random_state=self.random_state),
                                      method="predict_proba")
        predicted = (predicted >= self.threshold).astype(int)
        p, r, f, support = precision_recall_fscore_support(self.Y_, predicted, zero_division=0)
        rows = [{self.level: label, "precision": round(float(p[k]), 3), "recall": round(float(r[k]), 3),
                 "f1": round(float(f[k]), 3), "examples": int(support[k]), "note": ""}
                for k, label in enumerate(self.labels_)]
        rows += [{self.level: label, "precision": np.nan, "recall": np.nan, "f1": np.nan, "examples": n,
                  "note": f"too few examples (< {self.min_examples}); not suggested"}
                 for label, n in sorted(self.too_few_.items())]
        return pd.DataFrame(rows)


def suggest(project, *, threshold: float = 0.5, level: str = "code", min_examples: int = 5,
            lang: str | None = None) -> tuple[pd.DataFrame, Suggester]:
    """Learn from people's codings in ``project`` and queue suggestions for segments nobody coded.

    Returns the suggestions (also added to the review queue as pending) and the fitted suggester.
    """
    codings = project.codings
    segments = project.segments
    langs = project.cases["language"]
    lang = lang or (langs.mode().iloc[0] if len(langs) else "nb")
    model = Suggester(level=level, threshold=threshold, min_examples=min_examples, lang=lang).fit(segments, codings)
    people = codings[reviewed_mask(codings)]
    uncoded = segments[(segments["role"] == "informant") & ~segments["segment_id"].isin(people["segment_id"])]
    suggestions = model.predict(uncoded)
    if len(suggestions):
        spans = segments.set_index("segment_id").loc[suggestions["segment_id"], ["doc_id", "start", "end"]]
        frame = pd.DataFrame({"doc_id": spans["doc_id"].to_numpy(), "start": spans["start"].to_numpy(),
                              "end": spans["end"].to_numpy(), "code": suggestions["code"].to_numpy(),
                              "rule": [f"p={p:.2f}" for p in suggestions["probability"]],
                              "matched": suggestions["words"].to_numpy()})
        project.add_codings(frame, source="suggestion", coder=f"suggest@{level}")
    return suggestions, model
