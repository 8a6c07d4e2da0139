"""The main job: transcripts and a codebook in, every table, figure and export out.

``build_report`` makes a new project (ingest, store, rule coding) or reads an existing one
as it is, chooses the codings to report (reviewed by default), analyses, draws and
exports. With ``anonymous=True`` and a pseudonym key it refuses to write anything in which a real name from the key
still occurs, and quotes carry informant ids, never names.

Example:
    >>> result = build_report("data/sample_transcripts", "codebooks/digitalisering.yaml", "out/report")  # doctest: +SKIP
    >>> result.files[:2]                                                                                # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import analysis, outfiles, plots
from .codebook import Codebook
from .analysis.provenance import provenance_table
from .errors import AnalysisError, Errors, PrivacyError, StoreError
from .evaluation import report_section
from .export import ReportContent, latex_table, to_csv, to_excel, to_word
from .store import Project
from .store.engine import is_url, parse_target
from .transcripts import ingest

STEPS = ("ingest", "code", "analyse", "figures", "excel", "csv", "word", "latex", "check")


@dataclass
class ReportResult:
    """What the report wrote; ``problems`` are ingestion problems worth reading."""

    out_dir: Path
    project: Path
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    codings: int = 0  # how many codings the analysis used
    choice: str = ""  # which codings: reviewed, all or machine


def build_report(corpus_path=None, codebook_path=None, out_dir="out/report", *, unit: str = "sentence",
                 project_path=None, anonymous: bool = False, key=None,
                 on_step: Callable[[str], None] | None = None, codings: str | None = None,
                 csv_formula_guard: bool = True) -> ReportResult:
    """Write every table, figure and export of a project into ``out_dir``; returns what was written.

    A new project (``project_path`` absent or empty; default ``out_dir/project.thematic``) is made
    from ``corpus_path`` and coded with ``codebook_path`` first. An existing project is reported
    as it is: it is neither re-ingested nor re-coded (use ``thematic code`` for that).

    ``codings`` chooses what the analysis uses: ``"reviewed"`` (people's codings and machine
    codings a person accepted), ``"all"`` or ``"machine"``; by default ``"reviewed"`` when the
    project has any human coding, else ``"all"``. The Method section and the workbook's first
    sheet say which were included, how many machine codings were left unreviewed and who made them.

    Text in ``report.xlsx`` is always written as text (a quote starting with ``=`` never becomes a
    formula); CSV text starting with ``= + - @``, tab or CR gets a leading ``'`` unless
    ``csv_formula_guard=False`` (see :func:`thematic.export.to_csv`).
    """
    step = on_step or (lambda name: None)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise outfiles.os_error(out_dir, exc) from None
    if codings is not None and codings not in analysis.CODINGS_CHOICES:
        raise AnalysisError(Errors.A001.format(what="codings choice (--codings)", value=codings,
                                               choices=", ".join(analysis.CODINGS_CHOICES)))
    key_obj = _load_key(key) if key is not None else None
    if anonymous and key_obj is None:
        raise PrivacyError(Errors.P001.format(path=out_dir, line=0,
                                              detail="--anonymous needs --key KEY.csv to check the exports against"))
    # a postgresql:// URL stays a string (Path would fold its "//"); it is not a file written here
    project_file = (project_path if is_url(project_path) else Path(project_path)) if project_path else \
        out_dir / "project.thematic"
    existing = _has_documents(project_file)
    result = ReportResult(out_dir, project_file)

    step("ingest")
    if existing:
        result.problems += _not_recoded(project_file, corpus_path, codebook_path)
    else:
        if corpus_path is None or codebook_path is None:
            raise StoreError(Errors.S001.format(
                path=project_file, detail="there is no project there yet; give the transcripts folder and "
                                          "--codebook to make one, or --project with an existing project"),
                path=project_file)
        corpus = ingest(corpus_path)
        book = Codebook.load(codebook_path)
        if key_obj is not None:
            _refuse_real_names_in_corpus(corpus, key_obj)
        result.problems += [p.message for p in corpus.problems]

    step("code")
    with Project.open(project_file) as project:
        if not existing:
            project.add(corpus)
            project.autocode(book, unit=unit)
        else:
            unit = _last_unit(project) or unit
        book = project.codebook
        if book is None:
            if codebook_path is None:
                raise StoreError(Errors.S001.format(path=project_file, detail="it holds no codebook; give --codebook"),
                                 path=project_file)
            book = Codebook.load(codebook_path)
        corpus = project.corpus
        if existing and key_obj is not None:
            _refuse_real_names_in_corpus(corpus, key_obj)
        every = project.codings
        cases = project.cases
        evaluation = report_section(project, unit, book)  # rules against the hand coding, when someone coded by hand
    result.choice = codings or analysis.default_choice(every)
    chosen = analysis.select_codings(every, result.choice)
    if chosen.empty:
        waiting = analysis.unreviewed(every)
        raise AnalysisError(Errors.A002.format(detail=(
            f"{project_file}: no {result.choice} codings to report ({len(every)} codings in the project, {waiting} "
            "machine codings waiting for review). Review some (project.accept), code by hand, or report with "
            "--codings all (codings='all').")))
    result.codings = len(chosen)

    step("analyse")
    tables = _tables(chosen, cases, book, anonymous)
    about = provenance_table(every, chosen, result.choice)
    provenance = analysis.describe(every, chosen, result.choice)

    written: list[Path] = []
    # Everything is written into a staging folder first and moved into place only when complete and
    # checked; the staging folder is removed whatever happens, and a failed write is a coded error.
    with outfiles.staging(out_dir / ".staging") as staging:
        (staging / "figures").mkdir()
        step("figures")
        figures = _figures(tables, staging / "figures")
        written += [p for pair in figures for p in pair[1:]]

        step("excel")
        excel = staging / "report.xlsx"
        to_excel({"about": about, **{k: v for k, v in tables.items() if k != "codings"},
                  "codings": _public_codings(tables["codings"])}, excel)
        written.append(excel)

        step("csv")
        csv_tables = {k: v for k, v in tables.items()
                      if k.startswith(("matrix", "frequencies", "cooccurrence", "saturation"))}
        written += to_csv({"codings": _public_codings(tables["codings"]), **csv_tables}, staging / "csv",
                          formula_guard=csv_formula_guard)
        if evaluation is not None:
            written += to_csv(evaluation[2].tables(), staging / "csv", formula_guard=csv_formula_guard)

        step("word")
        word = staging / "report.docx"
        content = _content(corpus, book, chosen, tables, figures, unit, provenance)
        if evaluation is not None:
            content.tables.append(evaluation[:2])
        to_word(content, word)
        written.append(word)

        step("latex")
        latex_dir = staging / "latex"
        latex_dir.mkdir()
        for name in ("matrix_case_theme_coverage", "matrix_case_theme_count", "matrix_case_type_theme_coverage",
                     "frequencies_theme"):
            frame = tables[name].set_index("theme") if name == "frequencies_theme" else tables[name]
            path = latex_dir / f"{name}.tex"
            path.write_text(latex_table(frame, caption=_CAPTIONS.get(name, name), label=f"tab:{name}"),
                            encoding="utf-8")
            written.append(path)

        step("check")
        if key_obj is not None:
            from .privacy import find_leaks

            leaks = find_leaks(written, key_obj)
            if leaks:
                path, term = leaks[0]
                raise PrivacyError(Errors.A003.format(path=_inside(path, staging), term=term), path=path)
        for path in written:
            target = out_dir / _inside(path, staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            outfiles.check_target(target, out_dir)
            path.replace(target)
            result.files.append(target)
    if isinstance(project_file, Path):
        result.files.append(project_file)
    return result


def _inside(path, staging: Path) -> Path:
    """``path`` relative to the staging folder (one may be absolute, the other relative)."""
    return Path(path).resolve().relative_to(staging.resolve())


_CAPTIONS = {
    "matrix_case_theme_coverage": "Coverage: share of informant words coded with each theme (%)",
    "matrix_case_theme_count": "Coded passages per case and theme",
    "matrix_case_theme_presence": "Theme present in the case (1) or not (0)",
    "matrix_case_theme_informants": "Informants who spoke about each theme",
    "matrix_case_type_theme_coverage": "Municipalities and networks: coverage per theme (%)",
    "matrix_informant_theme_count": "Coded passages per informant and theme",
    "frequencies_theme": "Theme frequencies across the corpus",
    "cooccurrence_theme_c": "Theme co-occurrence (c-coefficient)",
}


def _has_documents(path) -> bool:
    if isinstance(path, Path) and not path.is_file():
        return False
    with Project.open(path) as project:
        return len(project.cases) > 0


def _last_unit(project: Project) -> str | None:
    """The unit of the project's last rule coding, as logged."""
    events = project.events
    coded = events[(events.action == "autocode") & (events.undone == 0)]
    return json.loads(coded.payload.iloc[-1]).get("unit") if len(coded) else None


def _not_recoded(project_file: Path, corpus_path, codebook_path) -> list[str]:
    """Notes for a user who gave transcripts or a codebook along with an existing project."""
    notes = []
    project_file = parse_target(project_file).display  # a URL without its password
    if corpus_path is not None or codebook_path is not None:
        notes.append(f"{project_file} exists, so it is reported as it is: the transcripts were not read again and "
                     f"nothing was re-coded. To bring in changed transcripts or an edited codebook, run: thematic code "
                     f"{corpus_path or 'FOLDER'} --codebook {codebook_path or 'CODEBOOK'} --project {project_file}")
    if codebook_path is not None:
        given = Codebook.load(codebook_path)
        with Project.open(project_file) as project:
            stored = project.codebook
        if stored is not None and stored.fingerprint != given.fingerprint:
            notes.append(f"{codebook_path} differs from the codebook the project was coded with "
                         f"({stored.id} {stored.version}); the report uses the project's.")
    return notes


def _load_key(key):
    from .privacy import Key

    return key if isinstance(key, Key) else Key.load(key)


def _refuse_real_names_in_corpus(corpus, key) -> None:
    from .privacy import find_terms

    for doc in corpus:
        found = find_terms(doc.text, key)
        if found:
            raise PrivacyError(Errors.A003.format(path=doc.path, term=found[0].term)
                               + " (found in the transcript; run 'thematic pseudonymise' first)", path=doc.path)


def _tables(codings: pd.DataFrame, cases: pd.DataFrame, book: Codebook, anonymous: bool) -> dict[str, pd.DataFrame]:
    themes = [t.id for t in book.themes]
    m = analysis.matrix
    tables = {
        "frequencies_theme": analysis.frequencies(codings, level="theme"),
        "frequencies_code": analysis.frequencies(codings, level="code"),
        "matrix_case_theme_count": m(codings, rows="case", cell="count", columns=themes),
        "matrix_case_theme_coverage": m(codings, rows="case", cell="coverage", columns=themes),
        "matrix_case_theme_presence": m(codings, rows="case", cell="presence", columns=themes),
        "matrix_case_theme_informants": m(codings, rows="case", cell="informants", columns=themes),
        "matrix_case_type_theme_coverage": m(codings, rows="case_type", cell="coverage", columns=themes),
        "matrix_informant_theme_count": m(codings, rows="informant", cell="count", columns=themes),
        "cooccurrence_theme_count": analysis.cooccurrence(codings, level="theme"),
        "cooccurrence_theme_c": analysis.cooccurrence(codings, level="theme", measure="c"),
        "saturation": analysis.saturation(codings),
        "framework": analysis.framework(codings, per_cell=2, anonymous=anonymous),
        "quotes": analysis.quotes(codings, anonymous=anonymous).query("rank <= 3"),
        "codebook": book.to_frame()[["id", "theme", "label_en", "label_nb", "definition_en", "when_to_use",
                                     "when_not_to_use", "examples"]],
        "codings": codings,
    }
    return tables


def _public_codings(codings: pd.DataFrame) -> pd.DataFrame:
    return codings.drop(columns=[c for c in ("created_at",) if c in codings]).reset_index(drop=True)


def _figures(tables, directory: Path) -> list[tuple[str, Path, Path]]:
    out = []
    specs = [
        ("Coverage of each theme per case (% of informant words)", "coverage_heatmap",
         plots.heatmap(tables["matrix_case_theme_coverage"], title="Theme coverage per case (%)", fmt="{:.1f}")),
        ("Coded passages per case and theme", "count_heatmap",
         plots.heatmap(tables["matrix_case_theme_count"], title="Coded passages per case and theme")),
        ("Theme prevalence per case (coverage %)", "prevalence_bars",
         plots.prevalence_bars(tables["matrix_case_theme_coverage"], title="Theme prevalence per case",
                               ylabel="coverage (% of informant words)")),
        ("Municipalities and networks (coverage %)", "case_type_heatmap",
         plots.heatmap(tables["matrix_case_type_theme_coverage"], title="Municipalities and networks (%)",
                       fmt="{:.1f}")),
        ("Theme co-occurrence (c-coefficient)", "cooccurrence_heatmap",
         plots.cooccurrence_heatmap(tables["cooccurrence_theme_c"], title="Theme co-occurrence (c)")),
        ("New codes per interview (saturation)", "saturation_curve", plots.saturation_curve(tables["saturation"])),
    ]
    for caption, name, fig in specs:
        png = directory / f"{name}.png"
        fig.savefig(png)
        pdf = plots.save(fig, directory / f"{name}.pdf")
        out.append((caption, png, pdf))
    return out


def _content(corpus, book, codings, tables, figures, unit, provenance: list[str]) -> ReportContent:
    cases = sorted({d.case for d in corpus})
    method = [
        f"Corpus: {len(corpus)} interviews with {sum(len(set(s.informant for s in d.segments if s.informant)) for d in corpus)} "
        f"informants from {len(cases)} cases ({', '.join(cases)}); languages: {', '.join(sorted({d.language for d in corpus}))}.",
        f"Codebook: {book.info.name or book.id}, version {book.version}, with {len(book.themes)} themes and "
        f"{len(book) - len(book.themes)} codes.",
        f"Coding: the codebook's rules were applied to informant speech, one coding per {unit} and code.",
        *provenance,
        "Coverage is the share of informant words in passages coded with a theme; counts are distinct coded passages.",
    ]
    codebook = tables["codebook"][["id", "label_en", "definition_en"]].rename(
        columns={"id": "code", "label_en": "label", "definition_en": "definition"})
    matrices = [(_CAPTIONS[name], tables[name]) for name in
                ("matrix_case_theme_coverage", "matrix_case_theme_count", "matrix_case_theme_informants",
                 "matrix_case_type_theme_coverage", "cooccurrence_theme_c")]
    quotes = tables["quotes"].query("rank <= 2").rename(columns={"col": "theme", "row": "case"})
    return ReportContent(title=f"Thematic analysis: {book.info.name or book.id}", method=method, codebook=codebook,
                         tables=matrices, figures=[(c, png) for c, png, _ in figures], quotes=quotes)
