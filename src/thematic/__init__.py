"""thematic: scriptable, reproducible thematic analysis of interview transcripts.

    >>> import thematic as th
    >>> corpus = th.ingest("data/sample_transcripts")          # doctest: +SKIP
    >>> book = th.Codebook.load("codebooks/digitalisering.yaml")  # doctest: +SKIP
    >>> project = th.Project.open("work/study.thematic")       # doctest: +SKIP

Names are imported lazily so that ``import thematic`` stays fast (spaCy and
pandas load only when first used): a module-level ``__getattr__`` (PEP 562). These few
lines do what the ``lazy_loader`` package would, without another dependency; the
``TYPE_CHECKING`` block below lets type checkers and editors see the real names.
"""

import importlib as _importlib
from typing import TYPE_CHECKING

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
if TYPE_CHECKING:  # never run: at run time __getattr__ below imports each name on first use
    from . import (analysis, codebook, coding, corpus, errors, evaluation, export, nlp, plots, privacy,  # noqa: F401
                   refi, reliability, report, store, suggest, types, ui)
    from .codebook import Codebook
    from .coding import code_texts
    from .corpus import Corpus, Document, Segment
    from .errors import ThematicError
    from .evaluation import evaluate
    from .store import Project
    from .transcripts import ingest

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
