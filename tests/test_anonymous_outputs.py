"""Nothing real leaves an anonymous export: file names, ids, labels and text, with case and diacritics folded."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli import app
from thematic.errors import PrivacyError
from thematic.privacy import Key, extract_text, find_folded, find_leaks, fold, pseudonymise_corpus, rename
from thematic.report import build_report

# A fictional study: Fjordøy and Ørnevik are invented municipalities, Halvor Fjell an invented rektor.
KEY = "term,pseudonym,kind\nFjordøy,Kommune F,municipality\nØrnevik,Kommune G,municipality\n" \
      "Halvor Fjell,Rektor H,person\nHalvor,Rektor H,person\n"
FILES = {
    "fjordoy_rektor.txt": "Intervjuer: Fortell om strategien i Fjordøy.\n\n"
                          "K1: Vi har en digitaliseringsstrategi i Fjordøy kommune. Rektor Halvor Fjell sa at "
                          "målbildet er uklart, og rektor Halvorsen var enig.\n",
    "Ørnevik-K2.txt": "Intervjuer: Har dere en plan?\n\n"
                      "K2: I Ørnevik har vi en plan for digitalisering. Ledelsen i ØRNEVIK forankrer strategien, "
                      "og lærerne deler erfaringer i nettverket.\n",
    "cases.csv": "file,doc_id,case,case_name,case_type,informants,interview_date,language\n"
                 "fjordoy_rektor.txt,fjordoy_rektor,fjordoy,Fjordøy kommune,municipality,K1,2026-01-10,nb\n"
                 "Ørnevik-K2.txt,Ørnevik-K2,ornevik,Ørnevik kommune,municipality,K2,2026-01-12,nb\n",
}


def folded_terms() -> list[str]:
    """The key's terms folded by hand here (NFD, marks dropped, ø -> o, casefold), independent of the library."""
    out = []
    for line in KEY.splitlines()[1:]:
        term = line.split(",")[0]
        plain = "".join(c for c in unicodedata.normalize("NFD", term.replace("ø", "o").replace("Ø", "O"))
                        if not unicodedata.combining(c))
        out.append(plain.casefold())
    return out


def readable(path: Path) -> str:
    """Every text a reader could see in an output file, binary project and PDF figures included."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix in (".thematic", ".png"):
        return path.read_bytes().decode("utf-8", "ignore")
    return extract_text(path)


def hand_fold(text: str) -> str:
    plain = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    return "".join(c for c in unicodedata.normalize("NFD", plain) if not unicodedata.combining(c)).casefold()


@pytest.fixture
def study(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in FILES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "key.csv").write_text(KEY, encoding="utf-8")
    return corpus, Key.load(keys / "key.csv")


def test_folding_finds_terms_in_names_ids_and_text():
    key = Key.parse(KEY)
    assert fold("Fjordøy ØRNEVIK Ærø") == "fjordoy ornevik aero"
    assert find_folded("fjordoy_rektor.txt", key) == ["Fjordøy"] and find_folded("ORNEVIK-k2", key) == ["Ørnevik"]
    assert find_folded("halvor-fjell.docx", key) == ["Halvor Fjell"] and find_folded("Fjordøys plan", key)
    assert find_folded("fjordoyane", key) == [] and find_folded("Halvorsen", key) == []  # other words stay
    assert rename("fjordoy_rektor", key) == "kommune_f_rektor" and rename("Ørnevik-K2", key) == "Kommune-G-K2"


def test_pseudonymised_and_anonymised_run_leaks_nothing_anywhere(study, tmp_path, codebook_dir):
    corpus, key = study
    pseudo, mapping = tmp_path / "pseudo", tmp_path / "keys" / "key_mapping.csv"
    report = pseudonymise_corpus(corpus, key, pseudo, mapping=mapping)
    assert sorted(p.name for p in pseudo.iterdir()) == ["Kommune G-K2.txt", "cases.csv", "kommune_f_rektor.txt",
                                                        "pseudonymisation_report.csv"]
    assert mapping.is_file() and "fjordoy_rektor.txt" in mapping.read_text(encoding="utf-8-sig")
    assert set(report["output"]) == {"Kommune G-K2.txt", "cases.csv", "kommune_f_rektor.txt"}
    out = tmp_path / "report"
    result = build_report(pseudo, codebook_dir / "digitalisering.yaml", out, anonymous=True, key=key, lang="nb")
    assert result.codings > 0
    terms = folded_terms()
    outputs = sorted(p for folder in (pseudo, out) for p in folder.rglob("*") if p.is_file())
    assert len(outputs) > 30
    for path in outputs:  # every output file and file name, folded by hand
        seen = hand_fold(path.relative_to(tmp_path).as_posix() + "\n" + readable(path))
        assert not [t for t in terms if re.search(rf"(?<![^\W\d_]){re.escape(t)}(?:s|en|a|et)?(?![^\W\d_])", seen)], path
    assert find_leaks(outputs, key) == []
    assert "ornevik" not in hand_fold((out / "csv" / "codings.csv").read_text(encoding="utf-8-sig"))


def test_anonymous_report_refuses_a_real_name_left_in_a_file_name(study, tmp_path, codebook_dir):
    corpus, key = study
    pseudo = tmp_path / "pseudo"
    pseudonymise_corpus(corpus, key, pseudo)
    (pseudo / "kommune_f_rektor.txt").rename(pseudo / "fjordoy_rektor.txt")  # as if renamed back by hand
    cases = (pseudo / "cases.csv").read_text(encoding="utf-8")
    (pseudo / "cases.csv").write_text(cases.replace("kommune_f_rektor", "fjordoy_rektor"), encoding="utf-8")
    with pytest.raises(PrivacyError, match=r"\[A010\].*document id 'fjordoy_rektor'.*'Fjordøy'"):
        build_report(pseudo, codebook_dir / "digitalisering.yaml", tmp_path / "out", anonymous=True, key=key)
    assert not (tmp_path / "out" / "report.docx").exists()


def test_cli_pseudonymise_lists_names_left_and_check_leaks_folds(study, tmp_path):
    corpus, _ = study
    runner = CliRunner()
    key_path = tmp_path / "keys" / "key.csv"
    result = runner.invoke(app, ["pseudonymise", str(corpus), "--key", str(key_path), "--out", str(tmp_path / "p")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "likely names left" in result.output and "Halvorsen" in result.output
    assert "kommune_f_rektor.txt" in result.output and (tmp_path / "keys" / "key_mapping.csv").is_file()
    leaky = tmp_path / "exports"
    leaky.mkdir()
    (leaky / "fjordoy_rektor.csv").write_text("doc_id\nkommune_f_rektor\n", encoding="utf-8")
    (leaky / "quotes.csv").write_text("quote\nVi i FJORDOY har en plan\n", encoding="utf-8")
    result = runner.invoke(app, ["check-leaks", str(leaky), "--key", str(key_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert result.output.count("'Fjordøy'") == 2 and "fjordoy_rektor.csv" in result.output
    shutil.rmtree(leaky)


def test_cli_run_on_capitalised_place_names_in_file_names_leaks_nothing(tmp_path, codebook_dir):
    """As a user runs it: file names with the real place names as written (capital letter, ø, Ø), the
    CLI's pseudonymise then report --anonymous in Swedish; every output file and name folded by hand."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Fjordøy_rektor.txt").write_text(FILES["fjordoy_rektor.txt"] + "K1: Lærerne i FJORDØY deler "
                                               "erfaringer i nettverket.\n", encoding="utf-8")
    (corpus / "ØRNEVIK skole-K2.txt").write_text(FILES["Ørnevik-K2.txt"], encoding="utf-8")
    (corpus / "cases.csv").write_text(
        "file,case,case_name,case_type,informants,language\n"
        "Fjordøy_rektor.txt,Fjordøy,Fjordøy kommune,municipality,K1,nb\n"
        "ØRNEVIK skole-K2.txt,Ørnevik,Ørnevik kommune,network,K2,nb\n", encoding="utf-8")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "key.csv").write_text(KEY, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["pseudonymise", str(corpus), "--key", str(keys / "key.csv"), "--out",
                                 str(tmp_path / "pseudo")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pseudo").glob("*.txt")) == ["Kommune G skole-K2.txt",
                                                                           "Kommune_F_rektor.txt"]
    result = runner.invoke(app, ["report", str(tmp_path / "pseudo"), "--codebook",
                                 str(codebook_dir / "digitalisering.yaml"), "--out", str(tmp_path / "out"),
                                 "--anonymous", "--key", str(keys / "key.csv"), "--lang", "sv"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    outputs = sorted(p for folder in ("pseudo", "out") for p in (tmp_path / folder).rglob("*") if p.is_file())
    assert {"report.xlsx", "report.docx", "codings.csv", "saturation_curve.pdf"} <= {p.name for p in outputs}
    terms = folded_terms()
    for path in outputs:
        seen = hand_fold(path.relative_to(tmp_path).as_posix() + "\n" + readable(path))
        assert not [t for t in terms if re.search(rf"(?<![^\W\d_]){re.escape(t)}(?:s|en|a|et)?(?![^\W\d_])", seen)], path
    import openpyxl

    sheets = " ".join(openpyxl.load_workbook(tmp_path / "out" / "report.xlsx", read_only=True).sheetnames)
    assert "Kodningar" in sheets and not [t for t in terms if t in hand_fold(sheets)]
    result = runner.invoke(app, ["check-leaks", str(tmp_path / "out"), "--key", str(keys / "key.csv")])
    assert result.exit_code == 0 and "no real terms found" in result.output


def test_sheet_names_are_checked_as_words_and_ids_as_ids():
    """The translated sheet names are words ("Frekvens per tema"): the key's person "Per" is not "per";
    an id or file name folds case fully (ornevik-k2 is Ørnevik)."""
    from thematic.report import _Guard

    guard = _Guard(Key.parse(KEY + "Per,Person P,person\n"))
    guard.check(["Frekvens per tema", "Uttalanden per fall"], "sheet name", prose=True)
    for value, prose in (("Fjordøy per tema", True), ("ØRNEVIK", True), ("frekvens per tema", False),
                         ("ornevik-k2", False)):
        with pytest.raises(PrivacyError, match=r"\[A010\]"):
            guard.check([value], "sheet name", prose=prose)
