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


# --- the one-pass identification equals the per-paragraph one it replaced (issue 21) ----------------------

def _reference_identify(text: str, paragraphs: list[str] | None = None):
    """identify() as it was before the one-pass word scan: the regex per paragraph, each paragraph's
    dictionary vote on its own, simplemma's sampler on the whole text (kept here as the oracle)."""
    from collections import Counter

    from thematic.dictionaries import is_known, langdetect
    from thematic.transcripts import language as L

    def words_of(part):
        return [w.casefold() for w in L._WORD.findall(part)]

    def nb_or_nn(words, ranked):
        if len(ranked) >= 2 and {ranked[0][0], ranked[1][0]} == {"nb", "nn"} \
                and ranked[0][1] - ranked[1][1] <= L.NB_NN_MARGIN:
            nn, nb = sum(w in L._NN_ONLY for w in words), sum(w in L._NB_ONLY for w in words)
            if (nn > nb) != (ranked[0][0] == "nn") and nn != nb:
                ranked = [(ranked[1][0], ranked[0][1]), (ranked[0][0], ranked[1][1]), *ranked[2:]]
        return ranked

    def words_language(words, langs):
        if len(words) < L.MIN_PARAGRAPH_WORDS:
            return None
        hits = [sum(is_known(w, lang) for w in words) if lang in langs else 0 for lang in L.LANGUAGES]
        ranked = sorted(((L.LANGUAGES[k], h / len(words)) for k, h in enumerate(hits)), key=lambda x: -x[1])
        ranked = nb_or_nn(words, ranked)
        return ranked[0][0] if ranked[0][1] >= L.MIN_SCORE else None

    if len(text.split()) < L.MIN_WORDS:
        return (None, 0.0, {})
    found = Counter(words_of(text))
    langs = L.candidates(list(found.elements()))
    ranked = [(lang, score) for lang, score in langdetect(text, langs) if lang in L.LANGUAGES]
    ranked = nb_or_nn([w.strip(".,;:!?«»\"'()").casefold() for w in text.split()], ranked)
    counts: dict[str, int] = {}
    for para in paragraphs or [text]:
        n = len(para.split())
        if n < L.MIN_PARAGRAPH_WORDS:
            continue
        best = words_language(words_of(para), langs)
        if best is not None:
            counts[best] = counts.get(best, 0) + n
    total = sum(counts.values())
    shares = {lang: n / total for lang, n in counts.items()} if total else {}
    main = max(shares, key=lambda lang: (shares[lang], lang == ranked[0][0])) if shares else ranked[0][0]
    score = dict(ranked).get(main, 0.0)
    return (main, round(float(score), 3), {k: round(v, 3) for k, v in shares.items()})


def _paragraph_sets():
    import random

    paragraphs = []
    for path in sorted(SAMPLE.glob("*.txt")) + sorted(SAMPLE.glob("*.md")):
        text = path.read_bytes().decode("utf-8", "replace")
        paragraphs += [p.strip() for p in text.split("\n\n") if p.strip()]
    paragraphs += [text for _, text in TEXTS]
    odd = ["IT-avdelingen og e-post, rock'n'roll, -start slutt- ’ja’ o' 'n ja-nei-kanskje", "Ja.", "", "   ",
           "ord_med_understrek 2024 ½ ² Ⅻ x1y 3D-skriver", "linje en\nlinje to og tre\nog fire fem seks",
           "Straße İstanbul ΣΑΣ ǅemal ﬁne e\u0301n \U0001D400\U0001D401\U0001D402 ok ok ok", "\u2028\x1c ja \x1f nei",
           "eg veit ikkje kva dei meiner med det, men vi har ein plan",
           "jeg vet ikke hva de mener med det, men vi har en plan",
           "IT-avdelingen avdelingen x²yz x²yz-avdelingen e-post post", "post avdelingen IT-avdelingen e-post"]
    rng = random.Random(21)
    sets = [[p] for p in paragraphs[:40]] + [[p] for p in odd]
    for _ in range(60):
        sets.append([rng.choice(paragraphs + odd) for _ in range(rng.randint(1, 25))])
    for _ in range(20):  # random characters around real words
        sets.append(["".join(rng.choice([chr(rng.randrange(0x300)), chr(rng.randrange(0x110000)), " ", "-", "'",
                                         " og ", " och ", " ikkje ", " the "]) for _ in range(rng.randint(5, 300)))
                     for _ in range(rng.randint(1, 6))])
    return sets


def test_identify_equals_the_per_paragraph_identification_it_replaced():
    """Language, score and shares: for paragraphs joined (as ingest calls it), for a text alone, and for
    paragraphs that are not the text's."""
    from thematic.transcripts import language as L

    for paragraphs in _paragraph_sets():
        joined = "\n".join(paragraphs)
        for text, paras in ((joined, paragraphs), (joined, None), (joined + " og så videre", paragraphs)):
            L._KNOWN.clear()
            guess = identify(text, paras)
            assert (guess.language, guess.score, guess.shares) == _reference_identify(text, paras), paragraphs


def test_the_word_scan_equals_the_regexes():
    """The one-pass scan gives the regexes' words, each paragraph's number of words and of whitespace
    words, and simplemma's sampler's token counts in their order."""
    import re
    from collections import Counter

    from thematic.transcripts import language as L

    for paragraphs in _paragraph_sets():
        text = "\n".join(paragraphs)
        scan = L._scan(text, [len(p) for p in paragraphs])
        assert scan.words == L._WORD.findall(text)
        assert scan.per_paragraph.tolist() == [len(L._WORD.findall(p)) for p in paragraphs]
        assert scan.spaced.tolist() == [len(p.split()) for p in paragraphs]
        runs = L._letter_runs(scan.counts, scan.joined)
        expected = Counter(re.findall(r"[^\W\d_]{3,}", text))
        assert list(runs.items()) == list(expected.items())


def test_langdetect_from_counts_equals_simplemmas():
    """dictionaries.langdetect given the sampler's token counts ranks as simplemma.langdetect does on the text."""
    import re
    from collections import Counter

    import simplemma

    from thematic import dictionaries

    langs = ("nb", "nn", "sv")
    for paragraphs in _paragraph_sets()[::4]:
        text = "\n".join(paragraphs)
        counts = Counter(re.findall(r"[^\W\d_]{3,}", text))
        assert dictionaries.langdetect(text, langs, counts) == simplemma.langdetect(text, lang=langs), text[:80]


def test_the_scans_letter_class_is_the_regexes_on_every_code_point():
    """[^\\W\\d_] is a letter or digit ([^\\W_]) that is not a decimal digit, on every code point."""
    import re
    import sys

    import numpy as np

    from thematic.codepoints import classify
    from thematic.transcripts import language as L

    points = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    assert np.array_equal(classify(points, L._WORD_CHAR) & ~classify(points, str.isdecimal),
                          classify(points, re.compile(r"[^\W\d_]")))
