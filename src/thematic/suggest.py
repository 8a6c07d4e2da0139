"""Code suggestions learned from people's own coding, with honest cross-validated quality.

A scikit-learn pipeline (TF-IDF over lemmas plus character n-grams, a linear
one-vs-rest classifier) is trained on the segments people coded. Given a codebook
(``rules=``), the themes and codes its rules find in a segment are features too
(:class:`RuleHits`): a hybrid of rules and learning. It proposes
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


class Text(str):
    """A text that knows its language: features are computed in ``text.lang`` (else the model's)."""

    lang: str | None = None

    def __new__(cls, text: str, lang: str | None = None) -> "Text":
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self):  # picklable for cross-validation in worker processes
        return (Text, (str(self), self.lang))


def with_languages(texts, langs) -> list[str]:
    """Texts as :class:`Text` carrying their language (``langs`` may hold None or NaN for the default)."""
    return [Text(t, lang if isinstance(lang, str) and lang else None) for t, lang in zip(texts, langs)]


class LemmaAnalyzer:
    """Lower-cased lemmas of the alphabetic words of a text (picklable, for cross-validation)."""

    def __init__(self, lang: str = "nb"):
        self.lang = lang

    def __call__(self, text: str) -> list[str]:
        from .nlp import lemma, pipeline

        lang = getattr(text, "lang", None) or self.lang
        tokenizer = pipeline(lang).tokenizer
        return [lemma(t.lower_, lang) for t in tokenizer(str(text)) if t.is_alpha and len(t) > 1]


#: (codebook fingerprint, language, text) -> the themes and codes the rules find in the text. Coding a text is a
#: pure function of these three, and cross-validation transforms the same texts again in every fold (five times
#: the rule coding without it: 20 s of the command line's 22 s on four interviews). Cleared past _RULE_HITS_MAX.
_RULE_HITS: dict[tuple, frozenset] = {}
_RULE_HITS_MAX = 200_000


class RuleHits:
    """Binary features: which themes and codes the codebook's rules find in each text (a transformer).

    The rules see each text as one unit, as in :func:`thematic.coding.code_texts`, in the text's
    language (a :class:`Text`) or else ``lang``. Feature names
    are ``rule:<code id>`` for every theme and code of the codebook.
    """

    def __init__(self, codebook=None, lang: str = "nb"):
        self.codebook = codebook
        self.lang = lang

    def fit(self, texts, y=None) -> "RuleHits":
        self.labels_ = [c.id for c in self.codebook.codes]
        return self

    def transform(self, texts):
        from scipy import sparse

        from .coding import code_texts

        texts = list(texts)
        column = {label: k for k, label in enumerate(self.labels_)}
        book = getattr(self.codebook, "fingerprint", None) or id(self.codebook)
        keys = [(book, getattr(text, "lang", None) or self.lang, str(text)) for text in texts]
        if len(_RULE_HITS) > _RULE_HITS_MAX:
            _RULE_HITS.clear()
        by_lang: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            if key not in _RULE_HITS:
                by_lang.setdefault(key[1], []).append(i)
        for lang, positions in sorted(by_lang.items()):
            series = pd.Series([keys[i][2] for i in positions], index=positions)
            coded = code_texts(series, self.codebook, lang, unit="turn")
            found: dict[int, set[str]] = {i: set() for i in positions}
            for doc, code, theme in zip(coded["doc_id"], coded["code"], coded["theme"]):
                found[int(doc)].update((code, theme))
            for i, labels in found.items():
                _RULE_HITS[keys[i]] = frozenset(labels)
        rows, cols = [], []
        for i, key in enumerate(keys):
            for label in _RULE_HITS[key]:  # a code found by several rules is still one hit
                if label in column:
                    rows.append(i)
                    cols.append(column[label])
        return sparse.csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(texts), len(self.labels_)))

    def fit_transform(self, texts, y=None):
        return self.fit(texts, y).transform(texts)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"rule:{label}" for label in self.labels_], dtype=object)

    def get_params(self, deep: bool = True) -> dict:
        return {"codebook": self.codebook, "lang": self.lang}

    def set_params(self, **params) -> "RuleHits":
        for key, value in params.items():
            setattr(self, key, value)
        return self


def _texts(segments: pd.DataFrame) -> list[str]:
    """Segment texts, carrying each segment's language when the frame has a ``language`` column."""
    texts = segments["text"].fillna("").astype(str).tolist()
    return with_languages(texts, segments["language"].tolist()) if "language" in segments else texts


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
    complete : bool, default=False
        The segments given to :meth:`fit` were coded completely: one without a coding is an example of
        no code (for people who code whole documents). Otherwise only coded segments are learned from.
    rules : Codebook or None, default=None
        With a codebook, the themes and codes its rules find in a segment are features as well
        (:class:`RuleHits`). Under leave-interviews-out cross-validation on the sample's reference
        coding (sentence units) this raised micro-F1 per theme to 0.48, from 0.41 for the rules alone
        and 0.41 for the text alone (+0.08, paired bootstrap 95% [0.04, 0.11];
        ``benchmarks/hybrid_quality.py``).
    """

    def __init__(self, *, level: str = "code", min_examples: int = 5, threshold: float = 0.5, lang: str = "nb",
                 C: float = 1.0, random_state: int = 0, rules=None, complete: bool = False):
        self.level = level
        self.complete = complete
        self.min_examples = min_examples
        self.threshold = threshold
        self.lang = lang
        self.C = C
        self.random_state = random_state
        self.rules = rules

    def _pipeline(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import FeatureUnion, Pipeline

        parts = [
            ("lemmas", TfidfVectorizer(analyzer=LemmaAnalyzer(self.lang), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
        ]
        if self.rules is not None:
            parts.append(("rules", RuleHits(self.rules, self.lang)))
        features = FeatureUnion(parts)
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
        train = pool if self.complete else pool[pool["segment_id"].isin(coded.index)]
        counts = people.drop_duplicates(["segment_id", self.level])[self.level].value_counts()
        self.too_few_ = {c: int(n) for c, n in counts.items() if n < self.min_examples}
        self.labels_ = sorted(c for c, n in counts.items() if n >= self.min_examples)
        if len(self.labels_) < 1 or len(train) < 2 * self.min_examples:
            raise ReliabilityError(Errors.R001.format(
                detail=f"too few coded segments to learn from ({len(train)} segments; codes with at least "
                       f"{self.min_examples} examples: {len(self.labels_)}). Code more by hand first."))
        self.train_texts_ = _texts(train)
        self.train_ids_ = train["segment_id"].tolist()
        self.Y_ = np.array([[int(label in coded.get(sid, ())) for label in self.labels_] for sid in self.train_ids_])
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
        texts = _texts(segments)
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
                ranked = [j for j in np.argsort(row)[::-1] if row[j] > 0 and names[j].startswith(("lemmas__", "rules__"))]
                # words and rule hits ("rule:strategy"), not character n-grams
                words = [names[j].split("__", 1)[1] for j in ranked[:top_words]]
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
            lang: str | None = None, rules: bool = True, unit: str = "segment") -> tuple[pd.DataFrame, Suggester]:
    """Learn from people's codings in ``project`` and queue suggestions for segments nobody coded.

    With ``rules=True`` (and a codebook in the project) the rules' hits are features too.
    ``unit``: ``"segment"`` (paragraphs of speech: learns from the segments people coded, suggests for the
    others) or ``"sentence"``/``"turn"`` (the rule coder's units, as ``thematic evaluate`` compares them:
    learns from every unit of the documents people coded, a unit they left uncoded being an example of
    no code, and suggests for the documents nobody coded yet). Sentences, themes and the rules together
    (``unit="sentence", level="theme"``) are the measured hybrid of ``benchmarks/rule_quality.py --codes
    machine``: rule codings plus these suggestions.
    Returns the suggestions (also added to the review queue as pending) and the fitted suggester.
    """
    if unit != "segment":
        return _suggest_units(project, threshold=threshold, level=level, min_examples=min_examples, lang=lang,
                              rules=rules, unit=unit)
    codings = project.codings
    segments = project.segments
    languages, lang = _languages(project, lang)
    segments["language"] = segments["doc_id"].astype(str).map(languages)
    book = project.codebook if rules else None
    model = Suggester(level=level, threshold=threshold, min_examples=min_examples, lang=lang,
                      rules=book).fit(segments, codings)
    people = codings[reviewed_mask(codings)]
    uncoded = segments[(segments["role"] == "informant") & ~segments["segment_id"].isin(people["segment_id"])]
    suggestions = model.predict(uncoded)
    _queue(project, suggestions, segments, level)
    return suggestions, model


def _suggest_units(project, *, threshold: float, level: str, min_examples: int, lang: str | None, rules: bool,
                   unit: str) -> tuple[pd.DataFrame, Suggester]:
    """:func:`suggest` on sentence or turn units, documents coded completely."""
    from .evaluation import EVAL_UNITS, project_units, unit_pairs

    if unit not in EVAL_UNITS:
        raise ReliabilityError(Errors.R001.format(detail=f"unit must be segment, {' or '.join(EVAL_UNITS)}, "
                                                         f"got '{unit}'"))
    codings = project.codings
    languages, lang = _languages(project, lang)
    units = project_units(project, unit)
    units = units.assign(segment_id=units["doc_id"].astype(str) + "@" + units["start"].astype(str),
                         role="informant", language=units["doc_id"].astype(str).map(languages))
    people = codings[reviewed_mask(codings)].reset_index(drop=True)
    rows, hits = unit_pairs(people, units)
    labels = pd.DataFrame({"segment_id": units["segment_id"].to_numpy()[hits],
                           "code": people["code"].astype(str).to_numpy()[rows],
                           "theme": people["theme"].astype(str).to_numpy()[rows], "source": "manual"})
    coded = units["doc_id"].astype(str).isin(set(people["doc_id"].astype(str)))
    model = Suggester(level=level, threshold=threshold, min_examples=min_examples, lang=lang,
                      rules=project.codebook if rules else None, complete=True).fit(units[coded], labels)
    suggestions = model.predict(units[~coded])
    _queue(project, suggestions, units, level)
    return suggestions, model


def _languages(project, lang: str | None) -> tuple[dict, str]:
    """Each document's language, and the model's (``lang``, else the documents' most common)."""
    cases = project.cases
    langs = cases["language"]
    return (dict(zip(cases["doc_id"].astype(str), langs)),
            lang or (langs.mode().iloc[0] if len(langs) else "nb"))


def _queue(project, suggestions: pd.DataFrame, segments: pd.DataFrame, level: str) -> None:
    """Add the suggestions (for rows of ``segments``, by ``segment_id``) to the project's review queue."""
    if not len(suggestions):
        return
    spans = segments.set_index("segment_id").loc[suggestions["segment_id"], ["doc_id", "start", "end"]]
    frame = pd.DataFrame({"doc_id": spans["doc_id"].to_numpy(), "start": spans["start"].to_numpy(),
                          "end": spans["end"].to_numpy(), "code": suggestions["code"].to_numpy(),
                          "rule": [f"p={p:.2f}" for p in suggestions["probability"]],
                          "matched": suggestions["words"].to_numpy()})
    project.add_codings(frame, source="suggestion", coder=f"suggest@{level}")
