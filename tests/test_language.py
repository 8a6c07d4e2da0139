"""Language identification among nb, nn, sv, da and en; documents coded in their own language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import thematic as th
from thematic.transcripts.language import LanguageGuess, decide, identify

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_transcripts"

SOURCES = Path(__file__).parent / "fixtures" / "sources"
CODEBOOK = Path(__file__).parent.parent / "codebooks" / "digitalisering.yaml"

# Written for this test (not from the fixtures): the same idea in each language, and nb/nn pairs.
TEXTS = [
    ("nb", "Jeg vet ikke hvordan vi skal klare det, men vi har i hvert fall en plan for hvordan skolene skal bruke "
           "de digitale verktøyene, og rektorene har fått mer ansvar."),
    ("nn", "Eg veit ikkje korleis vi skal klare det, men vi har i alle fall ein plan for korleis skulane skal bruke "
           "dei digitale verktøya, og rektorane har fått meir ansvar."),
    ("sv", "Jag vet inte hur vi ska klara det, men vi har i alla fall en plan för hur skolorna ska använda de "
           "digitala verktygen, och rektorerna har fått mer ansvar."),
    ("da", "Jeg ved ikke, hvordan vi skal klare det, men vi har i hvert fald en plan for, hvordan skolerne skal "
           "bruge de digitale værktøjer, og skolelederne har fået mere ansvar."),
    ("en", "I do not know how we will manage it, but at least we have a plan for how the schools should use the "
           "digital tools, and the headteachers have been given more responsibility."),
    ("nb", "Barnehagene har fått nye nettbrett, men de ansatte trenger mer opplæring før de kan bruke dem godt."),
    ("nn", "Barnehagane har fått nye nettbrett, men dei tilsette treng meir opplæring før dei kan bruke dei godt."),
    ("nn", "Kommunen har ikkje noko eige målbilete, men leiarane snakkar ofte om kva dei vil oppnå med "
           "digitaliseringa."),
    ("nb", "Kommunen har ikke noe eget målbilde, men lederne snakker ofte om hva de vil oppnå med digitaliseringen."),
    ("sv", "Förskolan har fått nya surfplattor, men personalen behöver mer utbildning innan de kan använda dem väl."),
    ("da", "Børnehaverne har fået nye tablets, men personalet har brug for mere uddannelse, før de kan bruge dem."),
    ("en", "The nurseries have received new tablets, but the staff need more training before they can use them."),
]


@pytest.mark.parametrize("language, text", TEXTS)
def test_identifies_each_language_and_tells_nynorsk_from_bokmal(language, text):
    assert identify(text).language == language


def test_too_little_text_gives_no_guess():
    assert identify("Kari Nordmann").language is None
    assert decide(None, "", identify("Ja.")) == (None, "default", None)


def test_metadata_wins_and_disagreement_is_a_warning(tmp_path):
    (tmp_path / "A-1.txt").write_text("Intervjuer: " + TEXTS[2][1] + "\n\nK1: " + TEXTS[9][1] + "\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text("file,language\nA-1.txt,nb\n", encoding="utf-8")
    corpus = th.ingest(tmp_path)
    doc = corpus["A-1"]
    assert (doc.language, doc.attributes["language_source"]) == ("nb", "cases.csv")
    assert any("cases.csv says 'nb' but the text reads as 'sv'" in p.message for p in corpus.problems)


def test_the_language_option_is_a_statement_too(tmp_path):
    path = tmp_path / "B-1.txt"
    path.write_text(TEXTS[1][1] + "\n", encoding="utf-8")
    doc = th.ingest(path, language="nb")["B-1"]
    assert (doc.language, doc.attributes["language_source"]) == ("nb", "option")
    assert th.ingest(path)["B-1"].language == "nn"


def test_guess_describes_shares():
    assert LanguageGuess("nb", 0.9, {"nb": 0.85, "sv": 0.15}).describe() == "nb 85%, sv 15%"


@pytest.mark.slow
def test_report_on_a_folder_of_documents_without_cases_codes_each_in_its_own_language(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(SOURCES, folder)
    assert not (folder / "cases.csv").exists()
    from thematic.report import build_report

    result = build_report(folder, CODEBOOK, tmp_path / "out")
    with th.Project.open(result.project) as project:
        codings, cases = project.codings, project.cases
    languages = dict(zip(cases["doc_id"], cases["language"]))
    assert languages == {"Elvdal-plan": "nn", "Fjellvik-strategi": "nb", "Lakeside-strategy": "en",
                         "Norrby-handlingsplan": "sv", "Skovby-handleplan": "da", "Tindvik-evaluering": "nb"}
    coded = codings.groupby("doc_id", observed=True).size()
    assert set(coded.index) == set(languages)  # every document got codings
    assert set(codings["role"].astype(str)) == {"document"}
    # the language's own patterns fired: Swedish "handlingsplan" in the Swedish page, Danish "handleplan" in the Danish
    assert codings.loc[codings["doc_id"] == "Skovby-handleplan", "matched"].str.contains("handleplan").any()
    assert (codings["code"] == "strategy.plans").groupby(codings["doc_id"]).any().sum() >= 4
    # the Method section counts documents as documents, not as interviews without informants
    import docx

    report = next(f for f in result.files if f.suffix == ".docx")
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "6 sources without speakers" in text or "6 kilder uten talere" in text
    assert "0 informants" not in text and "0 informanter" not in text


# --- which dictionaries are consulted (issue 21: Swedish and Danish cost a second and 100 MB each) --------

def _spy_dictionaries(monkeypatch):
    """The languages whose dictionary is asked for (every look-up goes through the factory)."""
    from thematic import dictionaries
    from thematic.transcripts import language as L

    asked: set[str] = set()
    factory = dictionaries._factory()
    real = factory._get_dictionary

    def get_dictionary(lang):
        asked.add(lang)
        return real(lang)

    monkeypatch.setattr(factory, "_get_dictionary", get_dictionary)
    L._KNOWN.clear()  # the per-process cache of dictionary look-ups
    return asked


NB_TEXT = ("Vi har ikke noe felles målbilde ennå, men det er mye som skjer nå. Rektorene ble enige om at dere "
           "må gjøre noe med opplæringen, og jeg tenker at det er veldig viktig for lærerne i kommunen vår.")
SV_QUOTE = "Det viktigaste vi har lärt oss är att man inte kan göra allt på en gång och att alla måste vara med."


def test_a_norwegian_text_consults_only_the_norwegian_dictionary(monkeypatch):
    from thematic.transcripts.language import identify

    asked = _spy_dictionaries(monkeypatch)
    guess = identify(NB_TEXT, [NB_TEXT])
    assert guess.language == "nb"
    assert asked == {"nb"}


def test_a_quote_in_another_language_brings_its_dictionary_in(monkeypatch):
    from thematic.transcripts.language import identify

    asked = _spy_dictionaries(monkeypatch)
    guess = identify(NB_TEXT + "\n\n" + SV_QUOTE, [NB_TEXT, SV_QUOTE])
    assert guess.language == "nb"
    assert "sv" in asked and guess.shares.get("sv", 0) > 0


def test_candidates_keep_every_language_when_the_words_say_too_little():
    from thematic.transcripts.language import LANGUAGES, candidates

    assert candidates([]) == tuple(LANGUAGES)
    assert candidates("strategi plan kommune digital".split()) == tuple(LANGUAGES)
    assert candidates("och jag är inte där".split()) == ("sv",)


def test_sample_interviews_need_one_dictionary_each():
    import thematic as th
    from thematic.transcripts.language import _WORD, candidates

    for doc in th.ingest(SAMPLE):
        assert candidates([w.casefold() for w in _WORD.findall(doc.text)]) == (doc.language,), doc.doc_id
