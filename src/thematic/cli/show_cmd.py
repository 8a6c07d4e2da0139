"""``thematic show``: one coded transcript, in the terminal with colours or as a self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import PROJECT_HELP, app, console, friendly

CODINGS = {"all": ("active", "pending"), "reviewed": ("active",)}


def terminal_text(document, codings, codebook, palette: str = "codebook"):
    """The transcript as a rich grid: line numbers, speakers, codings on a tinted background, codes named.

    Long rows wrap inside their column, so line numbers and speakers stay in the left margin.
    """
    from rich.color import Color
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    from ..coding.render import code_colours, colour_of, transcript_rows

    table, fallback = code_colours(codebook, palette), {}
    spans = sorted(((int(r.start), int(r.end), str(r.code), str(r.status)) for r in codings.itertuples()),
                   key=lambda s: (s[0], -s[1]))
    timed = any(s.time_start is not None for s in document.segments)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(no_wrap=True, max_width=14)
    grid.add_column(ratio=3)
    grid.add_column(ratio=1)
    placed, following, active = set(), 0, []
    for row in transcript_rows(document):
        a, b = row["start"], row["end"]
        while following < len(spans) and spans[following][0] < b:
            active.append((following, spans[following]))
            following += 1
        active = [(i, s) for i, s in active if s[1] > a]
        if row["turn_start"] and grid.row_count:
            grid.add_row("", "", "", "")
        interviewer = row["role"] == "interviewer"
        line = Text(document.text[a:b], style="italic dim" if interviewer else "")
        for _, (s, e, code, status) in sorted(active, key=lambda x: x[1][0] - x[1][1]):  # longest first
            colour = Color.parse(colour_of(code, table, fallback))
            line.stylize(Style(bgcolor=_tint(colour), color="black", underline=status != "pending"),
                         max(s, a) - a, min(e, b) - a)
        codes = Text()
        for i, (s, e, code, status) in active:
            if i in placed:
                continue
            placed.add(i)
            codes.append(("\n" if codes else "") + code + ("?" if status == "pending" else ""),
                         style=Style(color=colour_of(code, table, fallback), bold=True))
        where = row["time"] if timed else str(row["line"])
        grid.add_row(where, Text(row["speaker"], style="bold dim" if interviewer else "bold"), line, codes)
    return grid


def _tint(colour):
    """A light background tint of a theme colour, so that the text stays readable on it."""
    from rich.color import Color

    r, g, b = colour.get_truecolor()
    return Color.from_rgb(*(int(v + (255 - v) * 0.72) for v in (r, g, b)))


@app.command()
@friendly
def show(
    project: str = typer.Argument(..., help=PROJECT_HELP),
    doc_id: str = typer.Argument(..., help="Document id (see `thematic status`)."),
    html: Path = typer.Option(None, "--html", help="Write a self-contained HTML file instead of printing."),
    codings: str = typer.Option("all", help="all (also pending machine codings) or reviewed."),
    palette: str = typer.Option("codebook", help="codebook (the themes' colours) or colour-blind (Okabe-Ito)."),
) -> None:
    """Show one coded transcript: in the terminal with colours, or as an HTML file for readers without Python."""
    from ..coding.render import render_html
    from ..errors import Errors, ThematicError
    from ..store import Project

    if codings not in CODINGS:
        raise ThematicError(Errors.A001.format(what="codings", value=codings, choices=", ".join(CODINGS)))
    with Project.open(project, create=False) as store:  # a file or a postgresql:// URL; never made here
        document = store.document(doc_id)
        frame = store.codings_frame(statuses=CODINGS[codings], doc_id=doc_id)
        book = store.codebook
        if html is None:
            console.print(terminal_text(document, frame, book, palette), highlight=False, soft_wrap=False)
            console.print(f"{len(frame)} codings ({codings}); [bold]?[/] marks a pending machine coding",
                          highlight=False)
            return
        page = render_html(document, frame, book, standalone=True, palette=palette,
                           title=f"{document.doc_id}" + (f" · {document.case}" if document.case else ""))
        html.parent.mkdir(parents=True, exist_ok=True)
        tmp = html.with_name(html.name + ".part")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(html)  # never a half-written file
        console.print(f"wrote {html} ({len(frame)} codings)", highlight=False)
