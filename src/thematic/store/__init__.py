"""The project store: one SQLite file, or one PostgreSQL schema for a research group (only this
package speaks SQL; ``engine`` holds the difference between the two).

    >>> import thematic as th
    >>> project = th.Project.open("work/study.thematic")  # doctest: +SKIP
    >>> group = th.Project.open("postgresql://ida@db.fjordvik.example/study")  # doctest: +SKIP
"""

from .copy import CopyReport, copy_project
from .project import AddReport, Project
from .schema import SCHEMA_VERSION

__all__ = ["Project", "AddReport", "SCHEMA_VERSION", "copy_project", "CopyReport"]
