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

from . import analysis, i18n, outfiles, plots
from .codebook import Codebook
from .errors import AnalysisError, Errors, PrivacyError, StoreError
from .evaluation import report_section
from .export import ReportContent, latex_table, to_csv, to_excel, to_word
from .export.localise import Localiser
from .export.workbook import about_sheet, framework, workbook_sheets
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
                 csv_formula_guard: bool = True, lang: str | None = None, memos: bool = False) -> ReportResult:
    """Write every table, figure and export of a project into ``out_dir``; returns what was written.

    A new project (``project_path`` absent or empty; default ``out_dir/project.thematic``) is made
    from ``corpus_path`` and coded with ``codebook_path`` first. An existing project is reported
    as it is: it is neither re-ingested nor re-coded (use ``thematic code`` for that); only a
    project that holds no codebook yet (documents coded by hand or imported) is rule-coded with
    ``codebook_path`` first.

    ``codings`` chooses what the analysis uses: ``"reviewed"`` (people's codings and machine
    codings a person accepted), ``"all"`` or ``"machine"``; by default ``"reviewed"`` when the
    project has any human coding, else ``"all"``. The Method section and the workbook's first
    sheet say which were included, how many machine codings were left unreviewed and who made them.

    ``lang`` (nb, nn, sv, da, en; default: the codebook's first language) is the language of every
    heading, caption, table header, axis label and Method sentence, and of the code labels and
    definitions (another language's text is marked ``[en]``, never left blank). ``memos=True`` adds
    the project's memos, each under its code or document. With a ``key``, every document id, file
    name, case id, figure label, sheet name and title is checked against it (case and diacritics
    folded) before it is written or drawn.

    Text in ``report.xlsx`` is always written as text (a quote starting with ``=`` never becomes a
    formula); CSV text starting with ``= + - @``, tab or CR gets a leading ``'`` unless
    ``csv_formula_guard=False`` (see :func:`thematic.export.to_csv`).
    """
    step = on_step or (lambda name: None)
    if lang is not None:
        i18n.catalogue(lang)  # an unknown language is a coded error naming the languages
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
        elif project.codebook is None and codebook_path is not None:
            # documents stored but never rule-coded (coded by hand, or imported): coded now, not re-ingested
            project.autocode(Codebook.load(codebook_path), unit=unit)
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
        memo_rows = project.memos if memos else None
        evaluation = report_section(project, unit, book)  # rules against the hand coding, when someone coded by hand
    words = Localiser(book, lang or (book.languages[0] if book.languages else "en"))
    guard = _Guard(key_obj)
    guard.check([d.doc_id for d in corpus], "document id")
    guard.check([Path(d.path).name for d in corpus if d.path], "transcript file name")
    guard.check(sorted({str(d.case) for d in corpus}), "case id")
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
    tables = _tables(chosen, cases, book, anonymous, words.lang)
    about = about_sheet(every, chosen, result.choice, words)
    provenance = analysis.describe(every, chosen, result.choice, lang=words.lang)

    written: list[Path] = []
    # Everything is written into a staging folder first and moved into place only when complete and
    # checked; the staging folder is removed whatever happens, and a failed write is a coded error.
    with outfiles.staging(out_dir / ".staging") as staging:
        (staging / "figures").mkdir()
        step("figures")
        figures = _figures(tables, staging / "figures", words, guard)
        written += [p for pair in figures for p in pair[1:]]

        step("excel")
        excel = staging / "report.xlsx"
        sheets = workbook_sheets({"about": about, **{k: v for k, v in tables.items() if k != "codings"},
                                  "codings": _public_codings(tables["codings"])}, words)
        guard.check(sheets, "sheet name", prose=True)
        to_excel(sheets, excel)
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
        content = _content(corpus, book, chosen, tables, figures, unit, words, provenance, memo_rows)
        if evaluation is not None:
            found = evaluation[2]
            unit_words = i18n.word("unit", found.unit, words.lang)
            caption = words.text("cap_evaluation", person=found.against, unit=unit_words, documents=found.documents)
            if (sparse := found.sparse_counts()) is not None:  # the person coded far less than the rules
                caption += ". " + words.text("cap_evaluation_sparse", person=found.against,
                                             person_pairs=sparse[0], machine_pairs=sparse[1])
            content.tables.append((caption, words.frame(evaluation[1])))
        guard.check([content.title], "document title")
        to_word(content, word)
        written.append(word)

        step("latex")
        latex_dir = staging / "latex"
        latex_dir.mkdir()
        for name in ("matrix_case_theme_coverage", "matrix_case_theme_count", "matrix_case_type_theme_coverage",
                     "frequencies_theme"):
            frame = tables[name].set_index("theme") if name == "frequencies_theme" else tables[name]
            path = latex_dir / f"{name}.tex"
            path.write_text(latex_table(words.frame(frame), caption=words.text(f"cap_{name}"),
                                        label=f"tab:{name}", lang=words.lang), encoding="utf-8")
            written.append(path)

        step("check")
        if key_obj is not None:
            from .privacy import find_leaks

            guard.check([_inside(p, staging).as_posix() for p in written], "file name")
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
    with Project.open(project_file) as project:
        stored = project.codebook
    project_file = parse_target(project_file).display  # a URL without its password
    if stored is not None and (corpus_path is not None or codebook_path is not None):
        notes.append(f"{project_file} exists, so it is reported as it is: the transcripts were not read again and "
                     f"nothing was re-coded. To bring in changed transcripts or an edited codebook, run: thematic code "
                     f"{corpus_path or 'FOLDER'} --codebook {codebook_path or 'CODEBOOK'} --project {project_file}")
    if codebook_path is not None and stored is not None:
        given = Codebook.load(codebook_path)
        if stored.fingerprint != given.fingerprint:
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


def _tables(codings: pd.DataFrame, cases: pd.DataFrame, book: Codebook, anonymous: bool,
            lang: str = "en") -> dict[str, pd.DataFrame]:
    themes = [t.id for t in book.themes]
    m = analysis.matrix
    frequencies_theme = analysis.frequencies(codings, level="theme")
    frequencies_theme = frequencies_theme.set_index("theme").reindex(
        [t for t in themes if t in set(frequencies_theme["theme"])]
        + [t for t in frequencies_theme["theme"] if t not in set(themes)]).reset_index()
    order = [c.id for c in book.codes]
    frequencies_code = analysis.frequencies(codings, level="code")
    frequencies_code = frequencies_code.iloc[sorted(range(len(frequencies_code)), key=lambda i: (
        order.index(frequencies_code["code"].iat[i]) if frequencies_code["code"].iat[i] in order else len(order)))]
    cooccurrence_count = analysis.cooccurrence(codings, level="theme")
    cooccurrence_c = analysis.cooccurrence(codings, level="theme", measure="c")
    quotes = analysis.quotes(codings, anonymous=anonymous, lang=lang).query("rank <= 3")
    in_order = [t for t in themes if t in cooccurrence_c.index] + [t for t in cooccurrence_c.index if t not in themes]
    tables = {
        "frequencies_theme": frequencies_theme,
        "frequencies_code": frequencies_code.reset_index(drop=True),
        "matrix_case_theme_count": m(codings, rows="case", cell="count", columns=themes),
        "matrix_case_theme_coverage": m(codings, rows="case", cell="coverage", columns=themes),
        "matrix_case_theme_presence": m(codings, rows="case", cell="presence", columns=themes),
        "matrix_case_theme_informants": m(codings, rows="case", cell="informants", columns=themes),
        "matrix_case_type_theme_coverage": m(codings, rows="case_type", cell="coverage", columns=themes),
        "matrix_informant_theme_count": m(codings, rows="informant", cell="count", columns=themes),
        "cooccurrence_theme_count": cooccurrence_count.loc[in_order, in_order] if len(cooccurrence_count) else
        cooccurrence_count,
        "cooccurrence_theme_c": cooccurrence_c.loc[in_order, in_order] if len(cooccurrence_c) else cooccurrence_c,
        "saturation": analysis.saturation(codings),
        "framework": framework(quotes, lang, per_cell=2),  # the quotes in the language's quotation marks
        "quotes": quotes,
        "codebook": _codebook_sheet(book, lang),
        "codings": codings,
    }
    return tables


def _codebook_sheet(book: Codebook, lang: str) -> pd.DataFrame:
    """The codebook as a sheet: ids as stored; label, definition and rules in ``lang`` (fallbacks marked
    ``[nb]``), then the label in each of the codebook's other languages."""
    order = tuple(book.languages)
    frame = pd.DataFrame({
        "code": [c.id for c in book.codes], "theme": [c.theme for c in book.codes],
        **{field: [c.shown(field, lang, order) for c in book.codes]
           for field in ("label", "definition", "when_to_use", "when_not_to_use")},
        "examples": [" | ".join(c.examples) for c in book.codes]})
    for other in order:
        if other != lang:
            frame[f"label_{other}"] = [c.label.get(other, "") for c in book.codes]
    return frame


def _public_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """The codings as written to CSV and Excel: the ``speaker`` is the informant id wherever the
    speaker map gives one (a name only where no id exists)."""
    from .analysis.tables import context_tables

    out = codings.drop(columns=[c for c in ("created_at",) if c in codings])
    segments, _ = context_tables(codings)
    if segments is not None and len(out) and {"segment_id", "informant"} <= set(segments.columns):
        ids = segments.drop_duplicates("segment_id").set_index("segment_id")["informant"].astype(object)
        found = out["segment_id"].map(ids).astype(object)
        use = found.notna() & found.fillna("").astype(str).ne("") & out["role"].eq("informant")
        out["speaker"] = out["speaker"].astype(object).where(~use, found)
    return out.reset_index(drop=True)


class _Guard:
    """For ``--anonymous``: every string the report writes is checked against the key (case and
    diacritics folded) before it is written or drawn; the first real term found stops the report."""

    def __init__(self, key):
        self.key = key

    def check(self, strings, where: str, *, prose: bool = False) -> None:
        """``prose=True`` for words such as the translated sheet names ("Frekvens per tema"): a capitalised
        key term (the name Per) counts only where it is written capitalised, as in a transcript."""
        if self.key is None:
            return
        from .privacy import find_folded, find_folded_text

        for value in strings:
            found = (find_folded_text if prose else find_folded)(str(value), self.key)
            if found:
                raise PrivacyError(Errors.A010.format(term=found[0], where=where, value=value))

    def frame(self, frame: pd.DataFrame, where: str) -> None:
        names = [frame.index.name, frame.columns.name]
        self.check([*frame.index, *frame.columns, *(n for n in names if n)], where)


def _figures(tables, directory: Path, words: Localiser, guard: _Guard) -> list[tuple[str, Path, Path]]:
    out = []
    lang = words.lang
    decimal = i18n.number(0.5, 1, lang)[1]
    coverage = words.frame(tables["matrix_case_theme_coverage"])
    counts = words.frame(tables["matrix_case_theme_count"])
    by_type = words.frame(tables["matrix_case_type_theme_coverage"])
    together = words.frame(tables["cooccurrence_theme_c"])
    saturation = tables["saturation"]
    for name, frame in (("coverage_heatmap", coverage), ("count_heatmap", counts), ("case_type_heatmap", by_type),
                        ("cooccurrence_heatmap", together)):
        guard.frame(frame, f"figure {name}")
    guard.check(list(saturation["doc_id"]), "figure saturation_curve")
    theme, case = words.text("col_theme"), words.text("col_case")
    specs = [
        ("coverage_heatmap", lambda: plots.heatmap(coverage, fmt="{:.1f}", xlabel=theme, ylabel=case,
                                                   decimal=decimal)),
        ("count_heatmap", lambda: plots.heatmap(counts, xlabel=theme, ylabel=case)),
        ("prevalence_bars", lambda: plots.prevalence_bars(coverage, ylabel=words.text("ax_coverage"), xlabel=case)),
        ("case_type_heatmap", lambda: plots.heatmap(by_type, fmt="{:.1f}", xlabel=theme,
                                                    ylabel=words.text("col_case_type"), decimal=decimal)),
        ("cooccurrence_heatmap", lambda: plots.cooccurrence_heatmap(together, title="", xlabel=theme,
                                                                    ylabel=theme, decimal=decimal)),
        ("saturation_curve", lambda: plots.saturation_curve(
            saturation, title="", xlabel=words.text("ax_interview_order"), ylabel=words.text("ax_codes"),
            legend=(words.text("legend_new_codes"), words.text("legend_cumulative")))),
    ]
    for name, draw in specs:
        fig = draw()
        png = directory / f"{name}.png"
        fig.savefig(png)
        pdf = plots.save(fig, directory / f"{name}.pdf")
        out.append((words.text(f"fig_{name}"), png, pdf))
    return out


def _content(corpus, book, codings, tables, figures, unit, words: Localiser, provenance: list[str],
             memo_rows=None) -> ReportContent:
    t = words.text
    cases = sorted({d.case for d in corpus})
    informants = sum(len(set(s.informant for s in d.segments if s.informant)) for d in corpus)
    documents = sum(d.source_type in ("document", "field_notes") for d in corpus)  # no speakers: coded in full
    corpus_line = "method_corpus" if documents < len(corpus) else "method_cases"  # no interviews: say nothing of them
    method = [
        t(corpus_line, documents=len(corpus) - documents, informants=informants, cases=len(cases),
          case_list=", ".join(cases), languages=", ".join(sorted({d.language for d in corpus}))),
        *([t("method_documents", documents=documents)] if documents else []),
        t("method_codebook", name=book.info.name or book.id, version=book.version, themes=len(book.themes),
          codes=len(book) - len(book.themes)),
        t("method_coding", unit=i18n.word("unit", unit, words.lang)),
        *([t("method_spread_sentences" if book.spread.before else
             "method_spread_next" if book.spread.after == 1 else "method_spread_after",
             before=book.spread.before, after=book.spread.after)]
          if unit == "sentence" and (book.spread.before or book.spread.after) else []),
        *([t("method_spread_answers")] if book.spread.answers else []),
        *provenance,
        t("method_coverage"),
        t("method_language"),
    ]
    matrices = [(t(f"cap_{name}"), words.frame(tables[name])) for name in
                ("matrix_case_theme_coverage", "matrix_case_theme_count", "matrix_case_theme_informants",
                 "matrix_case_type_theme_coverage", "cooccurrence_theme_c")]
    together = matrices[-1][1]
    for i in range(min(together.shape)):  # the diagonal (a theme with itself) says nothing about pairs
        together.iat[i, i] = float("nan")
    quotes = tables["quotes"].query("rank <= 2").rename(columns={"col": "theme", "row": "case"})
    position = {theme: i for i, theme in enumerate(words.code_order(quotes["theme"].unique()))}
    quotes = quotes.sort_values("theme", key=lambda ids: ids.map(position), kind="stable")  # codebook order
    quotes = quotes.assign(theme=[words.label(x) for x in quotes["theme"]])
    return ReportContent(title=t("title", name=book.info.name or book.id), method=method, codebook=words.codebook(),
                         tables=matrices, figures=[(c, png) for c, png, _ in figures], quotes=quotes,
                         memos=_memos(memo_rows, words) if memo_rows is not None else [], lang=words.lang)


def _memos(memos: pd.DataFrame, words: Localiser) -> list[tuple[str, str, str]]:
    """Memos in codebook order under their code, then per document, then the project's."""
    out = []
    order = {c.id: i for i, c in enumerate(words.book.codes)}
    for row in memos.itertuples(index=False):
        kind, target = row.target_kind, str(row.target_id or "")
        by = words.text("memo_by", author=row.coder, date=str(row.created_at)[:10])
        if kind == "code":
            out.append(((0, order.get(target, len(order)), target), words.label(target) + f" ({target})", row.text, by))
        elif kind == "document":
            out.append(((1, 0, target), words.text("memo_document", doc=target), row.text, by))
        elif kind == "project":
            out.append(((2, 0, ""), words.text("memo_project"), row.text, by))
    out.sort(key=lambda x: x[0])
    return [(title, text, by) for _, title, text, by in out]
