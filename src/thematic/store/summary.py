"""A project at a glance, as plain rows: what ``thematic status`` prints, read without pandas.

:attr:`Project.status <thematic.store.project.Project.status>` gives the same counts as a DataFrame for
analysis; the command line only prints them, and importing pandas (with numpy and pyarrow) would be most
of its start-up time (issue 21). The SQL lives here once, and the Project uses it too.

    >>> summary = project_summary("work/study.thematic")  # doctest: +SKIP
    >>> summary.waiting                                    # doctest: +SKIP
    529
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import connect
from .schema import migrate

#: Codings by coder, source, status and reviewer (``Project.status``).
STATUS_SQL = ("SELECT coder, source, status, reviewed_by, count(*) AS codings FROM codings "
              "GROUP BY coder, source, status, reviewed_by ORDER BY coder, source, status, reviewed_by")
#: Machine codings waiting for a person's accept or reject (the rows of ``Project.review_queue()``, which joins
#: their documents: every coding has one, by its foreign key, so the count reads the status index alone).
WAITING_SQL = "SELECT count(*) FROM codings WHERE status = 'pending'"


def open_store(target: str, create: bool = True):
    """A store connection with its schema brought up to date: what :meth:`Project.open` does first."""
    conn = connect(target, create)
    try:
        migrate(conn, conn.schema_version())
    except BaseException as exc:
        conn.discard()
        raise conn.translate(exc) or exc from None
    return conn


def describe(conn, path: str) -> str:
    """``Project('path', documents=8, codings={'rule': 534})``: documents, and visible codings by source."""
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    counts = dict(conn.execute("SELECT source, count(*) FROM codings WHERE status IN ('active','pending') "
                               "GROUP BY source").fetchall())
    return f"Project({path!r}, documents={docs}, codings={counts})"


@dataclass(frozen=True)
class Rows:
    """A small table without pandas: column names and rows of plain values (None where SQL has NULL)."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def rows_of(cursor) -> Rows:
    return Rows(tuple(d[0] for d in cursor.description), tuple(tuple(r) for r in cursor.fetchall()))


@dataclass(frozen=True)
class Summary:
    """What ``thematic status`` shows: ``described`` is the project's repr, ``status`` the counts table."""

    path: str
    described: str
    status: Rows
    waiting: int


def project_summary(target: str) -> Summary:
    """Open an existing project (a file or a ``postgresql://`` URL; never created here), read its summary
    in one read-only snapshot, and close it. Raises the same errors as ``Project.open(target, create=False)``."""
    conn = open_store(str(target), create=False)
    try:
        conn.begin(read_only=True)
        try:
            summary = Summary(conn.display, describe(conn, conn.display), rows_of(conn.execute(STATUS_SQL)),
                              conn.execute(WAITING_SQL).fetchone()[0])
        finally:
            conn.end(True)
    finally:
        conn.close()
    return summary
