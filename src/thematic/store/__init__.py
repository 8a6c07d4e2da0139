"""The project store: one SQLite file per project (only this package speaks SQL).

    >>> import thematic as th
    >>> project = th.Project.open("work/study.thematic")  # doctest: +SKIP
"""

from .project import AddReport, Project
from .schema import SCHEMA_VERSION

__all__ = ["Project", "AddReport", "SCHEMA_VERSION"]
