"""thematic: scriptable, reproducible thematic analysis of interview transcripts.

    >>> import thematic as th
    >>> corpus = th.ingest("data/sample_transcripts")          # doctest: +SKIP
    >>> book = th.Codebook.load("codebooks/digitalisering.yaml")  # doctest: +SKIP
    >>> project = th.Project.open("work/study.thematic")       # doctest: +SKIP

Names are imported lazily so that ``import thematic`` stays fast (spaCy and
pandas load only when first used).
"""

import importlib as _importlib

__version__ = "0.1.0"

__all__ = [
    "ingest", "Corpus", "Document", "Segment",
    "Codebook", "code_texts", "Project",
    "analysis", "plots", "export", "reliability", "suggest", "privacy", "refi",
    "evaluate", "ThematicError",
]

_LAZY = {
    "ingest": ("thematic.transcripts", "ingest"),
    "Corpus": ("thematic.corpus", "Corpus"),
    "Document": ("thematic.corpus", "Document"),
    "Segment": ("thematic.corpus", "Segment"),
    "Codebook": ("thematic.codebook", "Codebook"),
    "code_texts": ("thematic.coding", "code_texts"),
    "Project": ("thematic.store", "Project"),
    "ThematicError": ("thematic.errors", "ThematicError"),
    "evaluate": ("thematic.evaluation", "evaluate"),
}
_SUBMODULES = {"analysis", "plots", "export", "reliability", "suggest", "privacy", "refi",
               "nlp", "coding", "store", "codebook", "errors", "types", "corpus", "report",
               "evaluation", "ui"}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(_importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = _importlib.import_module(f"thematic.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'thematic' has no attribute {name!r}")


def __dir__():
    """The public names: what ``__all__`` lists, the submodules, and the version."""
    return sorted(set(__all__) | _SUBMODULES | {"__version__"} | {n for n in globals() if n in _LAZY})
