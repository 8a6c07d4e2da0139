"""Thesis-ready output in the study's language: translations, the Word document, LaTeX, figures, code ids."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from conftest import require_component
from thematic import analysis, i18n, plots
from thematic.codebook import Codebook
from thematic.errors import CodebookError
from thematic.export import ReportContent, latex_table, mark_partial, to_word
from thematic.export.localise import Localiser
from thematic.report import build_report

SRC = Path(__file__).resolve().parents[1] / "src" / "thematic"


# --- the string tables --------------------------------------------------------------------------

def test_every_language_has_every_string_with_the_same_placeholders():
    assert i18n.missing() == {}
    assert set(i18n.LANGS) == {"nb", "nn", "sv", "da", "en"}


def test_a_missing_translation_is_reported(monkeypatch):
    broken = dict(i18n.catalogue("sv"))
    del broken["h_method"]
    broken["title"] = "Tematisk analys"  # lost its {name}
    monkeypatch.setattr(i18n._module("sv"), "STRINGS", broken)
    problems = i18n.missing()["sv"]
    assert "missing 'h_method'" in problems and any("'title' has placeholders" in p for p in problems)


def test_every_key_the_code_asks_for_exists():
    """Literal keys (text("h_method", ...)) and the keys built from report names (cap_*, fig_*, unit_*)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if "i18n" not in p.parts)
    used = set(re.findall(r"""(?:\btext|\bt)\(\s*["']([a-z_]+)["']""", source))
    used |= {f"cap_{n}" for n in re.findall(r'"((?:matrix|frequencies|cooccurrence)_[a-z_]+)"', source)
             if f"cap_{n}" in i18n.catalogue("en") or n in ("matrix_case_theme_coverage", "frequencies_theme")}
    used |= {f"fig_{n}" for n in ("coverage_heatmap", "count_heatmap", "prevalence_bars", "case_type_heatmap",
                                  "cooccurrence_heatmap", "saturation_curve")}
    used |= {f"unit_{u}" for u in ("sentence", "turn", "paragraph")}
    assert len(used) > 30
    for lang in i18n.LANGS:
        assert not used - set(i18n.catalogue(lang)), (lang, sorted(used - set(i18n.catalogue(lang))))


def test_numbers_and_quotation_marks_follow_the_language():
    assert [i18n.number(12.345, 1, lang) for lang in ("nb", "sv", "da", "en")] == ["12,3", "12,3", "12,3", "12.3"]
    assert i18n.number(3, 2, "nn") == "3,00" and i18n.number(float("nan"), 1, "nb") == ""
    assert i18n.quoted("Ja", "nb") == "«Ja»" and i18n.quoted("Ja", "sv") == "”Ja”" and i18n.quoted("Ja", "da") == "»Ja«"
    with pytest.raises(Exception, match="output language 'de'"):
        i18n.text("h_method", "de")


def test_partial_quotes_are_marked():
    assert mark_partial("og så hadde vi en plan") == "[…] og så hadde vi en plan […]"
    assert mark_partial("Vi har en plan.") == "Vi har en plan."
    assert mark_partial("Vi har en plan, men") == "Vi har en plan, men […]"


def test_references_cite_time_paragraph_or_page():
    from thematic.analysis.quotes import reference

    assert reference("Myrstad kommune", "K5", 40, 41, lang="nb", time=3725.2) == "Myrstad kommune, K5, 01:02:05"
    assert reference("A", "K1", 12, 14, lang="nb", kind="paragraph") == "A, K1, avsnitt 12–14"
    assert reference("A", "K1", 1, 1, lang="sv", page=3) == "A, K1, s. 3"
    assert reference("A", "K1", 7, 7, lang="en", page=2, page_end=4) == "A, K1, pp. 2–4"
    assert reference("A", "K1", 7, 9, lang="da") == "A, K1, linje 7–9"


# --- code labels and definitions in the output language ---------------------------------------------

BOOK = """
codebook: {id: demo, version: "1", languages: [nb, en]}
themes:
  - id: målbilde
    label:
      nb: Målbilde
      en: Target picture
    definition:
      nb: Et beskrevet ønsket fremtidig nivå.
    patterns: {nb: ["*målbilde"]}
    codes:
      - id: uklart
        label: {en: Unclear}
  - id: ledelse
    label: {nb: Ledelse}
    codes:
      - id: förankring
        label: {sv: Förankring}
        definition: {en: "Anchoring & ownership: 50% of #1_a"}
"""


def test_labels_and_definitions_fall_back_with_a_marker_never_blank():
    book = Codebook.loads(BOOK)
    en, nb = Localiser(book, "en"), Localiser(book, "nb")
    assert en.label("målbilde") == "Target picture" and nb.label("målbilde") == "Målbilde"
    assert en.definition("målbilde") == "Et beskrevet ønsket fremtidig nivå. [nb]"  # nb only: shown, marked
    assert nb.label("målbilde.uklart") == "Unclear [en]" and nb.label("ledelse.förankring") == "Förankring [sv]"
    assert nb.definition("ledelse") == "(ingen definisjon)"
    table = nb.codebook()
    assert list(table.columns) == ["Kode", "Navn", "Definisjon"] and table.notna().all().all()
    assert (table != "").all().all()
    assert nb.header("case_type") == "Type case" and Localiser(book, "sv").header("case_type") == "Typ av fall"
    assert nb.value("municipality") == "kommune"


def test_unicode_code_ids_are_nfc_lower_case_words():
    book = Codebook.loads(BOOK)
    assert [c.id for c in book.codes] == ["målbilde", "målbilde.uklart", "ledelse", "ledelse.förankring"]
    decomposed = BOOK.replace("id: målbilde", "id: ma\u030albilde")  # typed on a Mac: NFD
    assert Codebook.loads(decomposed).codes[0].id == "målbilde"
    for bad, says in (("Målbilde", "lower case: 'målbilde'"), ("mål bilde", "no dots or spaces"),
                      ("mål.bilde", "no dots or spaces"), ("_mål", "starting with a letter")):
        with pytest.raises(CodebookError, match=re.escape(says)):
            Codebook.loads(BOOK.replace("id: målbilde", f"id: '{bad}'"))


def test_refi_qda_export_keeps_unicode_code_ids(tmp_path):
    from thematic.codebook.qdc import code_guid, load_qdc, save_qdc

    book = Codebook.loads(BOOK)
    save_qdc(book, tmp_path / "b.qdc")
    xml = (tmp_path / "b.qdc").read_text(encoding="utf-8")
    assert code_guid("demo", "ledelse.förankring") in xml
    imported, _ = load_qdc(tmp_path / "b.qdc", lang="nb")
    assert [c.id for c in imported.codes] == ["målbilde", "målbilde.unclear", "ledelse", "ledelse.förankring"]


def test_lint_flags_a_flattened_language_mapping(codebook_dir):
    flattened = BOOK.replace("nb: Målbilde\n", 'nb: "Målbilde, nn: Målbilete, sv: Målbild"\n')
    warnings = Codebook.loads(flattened).lint()
    assert any("label (nb) of 'målbilde' looks like several languages" in w and "block style" in w for w in warnings)
    for path in codebook_dir.glob("*.yaml"):  # the sample codebooks are clean
        assert not [w for w in Codebook.load(path).lint() if "several languages" in w], path
    docs = (codebook_dir.parent / "docs" / "codebook_format.md").read_text(encoding="utf-8")
    assert re.search(r"label:[^\n]*\n +nb: Målbilde\n +nn: Målbilete\n", docs)  # the block style is shown


# --- figures ----------------------------------------------------------------------------------------

def test_the_library_leaves_the_matplotlib_backend_alone():
    code = ("import matplotlib; matplotlib.use('svg'); import thematic.plots, thematic.report; "
            "print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "svg"


def test_cooccurrence_diagonal_is_out_of_the_colour_scale_and_codebook_order_kept():
    matrix = pd.DataFrame([[9.0, 0.2, 0.1], [0.2, 7.0, 0.4], [0.1, 0.4, 8.0]],
                          index=["c", "a", "b"], columns=["c", "a", "b"])
    fig = plots.cooccurrence_heatmap(matrix, order=["a", "b", "c"])
    ax = fig.axes[0]
    image = ax.images[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert np.ma.getmaskarray(image.get_array()).diagonal().all()
    assert image.norm.vmax == pytest.approx(0.4)  # the largest pair, not the diagonal's 9
    assert [t.get_text() for t in ax.texts][:3] == ["–", "0.40", "0.20"]
    comma = plots.cooccurrence_heatmap(matrix, decimal=",")
    comma.canvas.draw()
    assert [t.get_text() for t in comma.axes[0].texts][1] == "0,20"
    assert any("," in t.get_text() for t in comma.axes[1].get_yticklabels())  # the colour scale too
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_axis_labels_are_words():
    matrix = pd.DataFrame([[1.0]], index=pd.Index(["kommune"], name="case_type"),
                          columns=pd.Index(["x"], name="theme"))
    ax = plots.heatmap(matrix).axes[0]
    assert ax.get_ylabel() == "case type" and ax.get_xlabel() == "theme"


# --- LaTeX ------------------------------------------------------------------------------------------

MINIMAL = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{booktabs,longtable,graphicx}
\begin{document}
%s
\end{document}
"""


def compile_tex(tex_files: list[Path], tmp_path: Path) -> str:
    require_component(shutil.which("pdflatex") is not None, "pdflatex",
                      "apt-get install texlive-latex-base texlive-latex-recommended")
    body = "\n".join(rf"\input{{{p.resolve().as_posix()}}}\clearpage" for p in tex_files)
    (tmp_path / "doc.tex").write_text(MINIMAL % body, encoding="utf-8")
    for _ in range(2):  # longtable needs two runs for its column widths
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                             capture_output=True, text=True, errors="replace", timeout=120)
        assert run.returncode == 0, run.stdout[-3000:]
    return (tmp_path / "doc.log").read_text(encoding="latin-1")


def test_hostile_wide_and_long_tables_compile_and_fit(tmp_path):
    wide = pd.DataFrame(np.arange(60, dtype=float).reshape(3, 20) / 7,
                        columns=[f"Organisering og samarbeid_{i} & 50% #{i}" for i in range(20)],
                        index=pd.Index(["a_b", "{x}", "~^\\"], name="case_type"))
    long = pd.DataFrame({"kode": [f"k_{i} $ [{i}]" for i in range(80)], "n": range(80),
                         "tekst": ["«sitat» – æøå 😀 中文 <b>|"] * 80})
    paths = [tmp_path / "wide.tex", tmp_path / "long.tex"]
    paths[0].write_text(latex_table(wide, caption="Bred tabell: 100% & _", label="tab:wide å", lang="nb"), "utf-8")
    paths[1].write_text(latex_table(long, caption="Lang", label="tab:long"), "utf-8")
    assert "\\begin{longtable}" in paths[1].read_text() and "\\resizebox" in paths[0].read_text()
    assert " 8,4 \\\\" in paths[0].read_text()  # 59/7 with one decimal and a decimal comma (nb)
    log = compile_tex(paths, tmp_path)
    assert "Overfull \\hbox" not in log


def test_codebook_latex_export_compiles(tmp_path, codebook_dir):
    from thematic.codebook.export import write_codebook

    path = write_codebook(Codebook.load(codebook_dir / "digitalisering.yaml"), tmp_path / "book.tex", lang="nb")
    assert "Overfull \\hbox" not in compile_tex([path], tmp_path)


# --- the report in Norwegian and Swedish ----------------------------------------------------------------

@pytest.fixture(scope="module")
def nb_report(sample_dir, codebook_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("nb")
    result = build_report(sample_dir, codebook_dir / "digitalisering.yaml", out, lang="nb")
    return out, result


def _xml(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def test_norwegian_report_is_in_norwegian_with_numbered_captions(nb_report):
    out, _ = nb_report
    document = docx.Document(out / "report.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("Metode", "Kodebok", "Sammenligning av case", "Figurer", "Sitater per tema"):
        assert heading in text
    assert "Kodinger som er med: alle" in text and "kodebokens regler ble brukt" in text  # provenance in nb too
    # the study codebook's spread, said in the method as it was done
    assert ("kodet også neste setning i samme taletur (regel «spread: …»)" in text
            and "Svaret på et spørsmål fikk også kodene reglene fant i intervjuerens spørsmål" in text)
    for english in ("Method", "Codebook", "Quotes per theme", "Coverage", "informants from", "Codings included"):
        assert english not in text
    assert "Tabell 1: Koder og definisjoner" in text and "Figur 6: Nye koder per intervju (metning)" in text
    body = _xml(out / "report.docx", "word/document.xml")
    assert body.count("SEQ Tabell") == 6 and body.count("SEQ Figur") == 6
    assert 'w:lang w:val="nb-NO"' in _xml(out / "report.docx", "word/styles.xml")
    assert document.core_properties.language == "nb-NO"
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes and all(q.startswith("«") for q in quotes)
    assert any(re.search(r"\d\d:\d\d:\d\d\)$", q) for q in quotes)  # .vtt/.srt quotes cite the time
    assert any(re.search(r"avsnitt \d+", q) for q in quotes)  # .docx quotes cite the paragraph
    assert any(re.search(r"linje \d+", q) for q in quotes)  # .txt quotes cite the line
    after = [p.text for p in document.paragraphs[[p.text for p in document.paragraphs].index("Sitater per tema"):]
             if p.style.name.startswith("Heading")]
    assert after[1:6] == ["Strategi", "Målbilde", "Ledelse", "Læring", "Organisering"]  # the codebook's order


def test_norwegian_tables_use_labels_words_and_decimal_commas(nb_report):
    out, _ = nb_report
    document = docx.Document(out / "report.docx")
    coverage = document.tables[1]
    header = [c.text for c in coverage.rows[0].cells]
    assert header == ["Case", "Strategi", "Målbilde", "Ledelse", "Læring", "Organisering"]
    cell = coverage.rows[1].cells[1]
    assert re.fullmatch(r"\d+,\d", cell.text) and cell.paragraphs[0].alignment == 2  # right-aligned
    by_type = document.tables[4]
    assert by_type.rows[0].cells[0].text == "Type case" and {r.cells[0].text for r in by_type.rows[1:]} == {
        "kommune", "nettverk"}
    codebook = document.tables[0]
    assert [c.text for c in codebook.rows[0].cells] == ["Kode", "Navn", "Definisjon"]
    assert all(r.cells[2].text.strip() for r in codebook.rows[1:])  # never a blank definition
    tex = (out / "latex" / "matrix_case_type_theme_coverage.tex").read_text(encoding="utf-8")
    assert "Type case & Strategi & Målbilde" in tex and "case\\_type &" not in tex


def test_report_latex_compiles(nb_report, tmp_path):
    out, _ = nb_report
    log = compile_tex(sorted((out / "latex").glob("*.tex")), tmp_path)
    assert "Overfull \\hbox" not in log


def test_codings_csv_uses_informant_ids_from_the_speaker_map(nb_report):
    out, _ = nb_report
    codings = pd.read_csv(out / "csv" / "codings.csv")
    granlia = codings[codings["doc_id"] == "Granlia-K3-K4"]
    informants = set(granlia.loc[granlia["role"] == "informant", "speaker"])
    assert informants == {"K3", "K4"}  # not "Anne Lie", "Bjørn Aas"


def test_swedish_word_document_and_memos(tmp_path):
    book = Codebook.loads(BOOK)
    words = Localiser(book, "sv")
    frame = words.frame(pd.DataFrame({"målbilde": [12.25, 3.0], "ledelse": [0.0, 1.5]},
                                     index=pd.Index(["A", "B"], name="case")))
    content = ReportContent(title=words.text("title", name="Demo"), tables=[(words.text("cap_frequencies_theme"), frame)],
                            quotes=pd.DataFrame({"theme": ["Målbild"], "reference": ["A, S1, 00:01:02"],
                                                 "quote": ["och sedan hade vi en plan"]}),
                            memos=[("Förankring [sv] (ledelse.förankring)", "Viktigt.", "ida, 2026-01-02")], lang="sv")
    to_word(content, tmp_path / "r.docx")
    document = docx.Document(tmp_path / "r.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tabell 1: Temanas frekvens" in text and "Anteckningar" in text and "Förankring [sv]" in text
    assert "”[…] och sedan hade vi en plan […]” (A, S1, 00:01:02)" in text
    assert [c.text for c in document.tables[0].rows[1].cells] == ["A", "12,2", "0,0"]  # fixed decimals, comma
    assert [c.text for c in document.tables[0].rows[0].cells][1] == "Målbilde [nb]"  # no Swedish label: marked
    assert 'w:val="sv-SE"' in _xml(tmp_path / "r.docx", "word/styles.xml")


def test_report_memos_sit_under_their_code_or_document(sample_dir, codebook_dir, tmp_path):
    from thematic.store import Project

    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    shutil.copy(sample_dir / "Fjordvik-K2.txt", corpus_dir)
    project_file = tmp_path / "p.thematic"
    build_report(corpus_dir, codebook_dir / "digitalisering.yaml", tmp_path / "first", project_path=project_file,
                 lang="nb")
    with Project.open(project_file) as project:
        project.memo("Målbildet mangler i flere kommuner.", coder="ida", code="target_picture")
        project.memo("Godt intervju om strategi.", coder="ida", doc_id="Fjordvik-K2")
    build_report(project_path=project_file, out_dir=tmp_path / "out", lang="nb", memos=True)
    paragraphs = [p.text for p in docx.Document(tmp_path / "out" / "report.docx").paragraphs]
    start = paragraphs.index("Notater")
    assert paragraphs[start + 1] == "Målbilde (target_picture)" and paragraphs[start + 2].startswith("Målbildet mangler")
    assert paragraphs[start + 4] == "Intervju Fjordvik-K2" and paragraphs[start + 5] == "Godt intervju om strategi."
    build_report(project_path=project_file, out_dir=tmp_path / "plain", lang="nb")
    assert "Notater" not in [p.text for p in docx.Document(tmp_path / "plain" / "report.docx").paragraphs]


# --- the workbook and the codebook appendix in the output language ---------------------------------------

def test_sheet_names_are_valid_in_every_language():
    for lang in i18n.LANGS:
        names = [v for k, v in i18n.catalogue(lang).items() if k.startswith("sheet_")]
        assert names and all(0 < len(n) <= 31 and not re.search(r"[\[\]*?/\\:]", n) for n in names), lang
        assert len({n.lower() for n in names}) == len(names), lang  # Excel treats names case-insensitively


@pytest.fixture(scope="module")
def sv_workbook(nb_report, tmp_path_factory):
    """The Norwegian report's project reported again in Swedish (as it is: not re-coded)."""
    out = tmp_path_factory.mktemp("sv")
    build_report(project_path=nb_report[0] / "project.thematic", out_dir=out, lang="sv")
    import openpyxl

    return openpyxl.load_workbook(out / "report.xlsx", read_only=True), out


def test_swedish_workbook_has_swedish_sheet_names_and_headers(sv_workbook, codebook_dir):
    workbook, out = sv_workbook
    sv, en = i18n.catalogue("sv"), i18n.catalogue("en")
    assert workbook.sheetnames[0] == "Om rapporten" and workbook.sheetnames[-1] == "Kodningar"
    assert set(workbook.sheetnames) <= {v for k, v in sv.items() if k.startswith("sheet_")}
    assert {"Täckning per fall", "Citat", "Kodbok", "Ramverksmatris", "Mättnad"} <= set(workbook.sheetnames)
    english_only = set(en.values()) - set(sv.values())
    book = Codebook.load(codebook_dir / "digitalisering.yaml")
    labels = {Localiser(book, "sv").label(c.id) for c in book.codes}
    known = set(sv.values()) | labels | {i18n.text("col_label_in", "sv", language=x) for x in i18n.LANGS}
    for sheet in workbook:
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert header and all(isinstance(h, str) and h for h in header), (sheet.title, header)
        assert not set(header) & english_only, (sheet.title, set(header) & english_only)
        assert not [h for h in header if "_" in h], sheet.title  # no machine column name left
        assert set(header) <= known, (sheet.title, set(header) - known)
    rows = list(workbook["Täckning per fall"].iter_rows(max_row=2))
    coverage = [[c.value for c in row] for row in rows]
    assert coverage[0] == ["Fall", "Strategi", "Målbild", "Ledarskap", "Lärande", "Organisation"]
    # numbers stay numbers: a numeric cell (a share of exactly 26.0 % is stored as 26 and read back as an int)
    assert all(c.data_type == "n" and isinstance(c.value, (int, float)) for c in rows[1][1:])
    about = {row[0].value: row[1].value for row in workbook["Om rapporten"].iter_rows(min_row=2)}
    assert about["Rapportens språk"] == "sv" and about["Kodningar som ingår"] == "alla"
    assert about["Kodningar som används"] == about["Kodningar i projektet"] > 0
    assert "Gjorda av rules@digitalisering:1.0.0 (regel)" in about  # the coding type in Swedish too
    codings = [[c.value for c in row] for row in workbook["Kodningar"].iter_rows(max_row=2)]
    row = dict(zip(codings[0], codings[1]))
    assert (row["Kodningstyp"], row["Roll"], row["Status"]) == ("regel", "informant", "ej granskad")
    framework = [[c.value for c in row] for row in workbook["Ramverksmatris"].iter_rows(min_row=2, max_row=2)][0]
    assert all(cell.startswith("”") for cell in framework[1:] if cell)  # Swedish quotation marks
    codebook = [[c.value for c in row] for row in workbook["Kodbok"].iter_rows(max_row=3)]
    assert codebook[0][:4] == ["Kod", "Tema", "Namn", "Definition"]
    assert codebook[2][2].endswith("[nb]") and codebook[2][3]  # no Swedish label: marked, never blank
    # the CSV files stay the machine side of the same tables
    csv = pd.read_csv(out / "csv" / "matrix_case_theme_coverage.csv", encoding="utf-8-sig")
    assert list(csv.columns) == ["case", "strategy", "target_picture", "leadership", "learning", "organisation"]


@pytest.mark.parametrize("lang", ["sv", None])
def test_codebook_appendix_is_in_the_output_language(tmp_path, codebook_dir, lang):
    import openpyxl

    from thematic.codebook.export import write_codebook

    book = Codebook.load(codebook_dir / "digitalisering.yaml")
    shown = lang or book.languages[0]  # default: the codebook's first language (nb)
    expected = [i18n.text(k, shown) for k in ("col_code", "col_definition", "col_when_to_use",
                                              "col_when_not_to_use", "col_example")]
    english = set(i18n.catalogue("en").values()) - set(i18n.catalogue(shown).values())
    document = docx.Document(write_codebook(book, tmp_path / "a.docx", lang=lang))
    for table in document.tables:
        assert [c.text for c in table.rows[0].cells] == expected
        assert all(r.cells[0].text.strip() and r.cells[1].text.strip() for r in table.rows[1:])  # never blank
    assert not {c.text for t in document.tables for c in t.rows[0].cells} & english
    title = document.paragraphs[0].text
    assert ("kodbok digitalisering, version 1.0.0" if shown == "sv" else "kodebok digitalisering, versjon 1.0.0") in title
    cells = [r.cells[0].text for t in document.tables for r in t.rows[1:]]
    if shown == "sv":
        assert "Målbild (target_picture)" in cells  # a Swedish label
        assert any(c.strip().startswith("Planer og strategier som finnes [nb] (strategy.plans)") for c in cells)
    else:
        assert not any("[" in c for c in cells)  # every code has a Norwegian label
    markdown = write_codebook(book, tmp_path / "a.md", lang=lang).read_text(encoding="utf-8")
    assert "| " + " | ".join(expected) + " |" in markdown
    tex = write_codebook(book, tmp_path / "a.tex", lang=lang).read_text(encoding="utf-8")
    assert " & ".join(rf"\textbf{{{h}}}" for h in expected) in tex
    sheet = openpyxl.load_workbook(write_codebook(book, tmp_path / "a.xlsx", lang=lang)).active
    header = [c.value for c in sheet[1]]
    assert sheet.title == i18n.text("sheet_codebook", shown) and header[0] == expected[0]
    assert not set(header) & english and not [h for h in header if "_" in h]


def test_prevalence_bars_stay_narrow_enough_to_read_on_a_page():
    """Seven cases by five themes once made a figure 12.5 inches wide, shrunk to half size in Word."""
    matrix = pd.DataFrame(np.arange(35, dtype=float).reshape(7, 5), index=[f"case {i}" for i in range(7)],
                          columns=[f"theme {j}" for j in range(5)])
    fig = plots.prevalence_bars(matrix, ylabel="coverage")
    assert fig.get_size_inches()[0] <= 8.0 and len(fig.axes[0].patches) == 35
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_blind_coders_sheet_shows_definitions_in_the_codebook_language_never_blank(tmp_path):
    """Issue 18: definitions given only in Norwegian came out blank in the blind coder's sheet."""
    import openpyxl

    import thematic as th
    from thematic import reliability

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "A-K1.txt").write_text("Intervjuer: Har dere et målbilde?\n\nK1: Ja, vi har et målbilde.\n",
                                     encoding="utf-8")
    with th.Project.open(tmp_path / "p.thematic") as project:
        project.add(th.ingest(corpus))
        project.add_codebook(Codebook.loads(BOOK))
        paths = reliability.export_blind(project, tmp_path / "blind", "ola")
        english = reliability.export_blind(project, tmp_path / "blind_en", "ola", lang="en")
    rows = {r[0]: r for r in openpyxl.load_workbook(paths["sheet"])["codebook"].iter_rows(min_row=2, values_only=True)}
    assert rows["målbilde"][1:3] == ("Målbilde", "Et beskrevet ønsket fremtidig nivå.")  # nb, the first language
    assert rows["målbilde.uklart"][1:3] == ("Unclear [en]", "(ingen definisjon)")
    rows = {r[0]: r for r in openpyxl.load_workbook(english["sheet"])["codebook"].iter_rows(min_row=2, values_only=True)}
    assert rows["målbilde"][1:3] == ("Target picture", "Et beskrevet ønsket fremtidig nivå. [nb]")  # not blank
