"""Language pipeline and rule coding: lemmas, compounds, phrases, regexes, false friends, units."""

from __future__ import annotations

import random
import string

import pandas as pd
import pytest

import thematic as th
from thematic.codebook import Codebook
from thematic.coding import CodedDocument, code_corpus, code_document, code_texts, render_html
from thematic.coding.rules import Slot, _LanguageRules, Rule, slot_accepts
from thematic.errors import AnalysisError, PipelineError
from thematic.nlp import ParseCache, lemma, parse, pipeline
from thematic.transcripts import ingest_text
from thematic.types import CODING_COLUMNS


@pytest.fixture(scope="module")
def book(codebook_dir):
    return Codebook.load(codebook_dir / "digitalisering.yaml")


def mini(patterns: str, not_patterns: str = "", lang: str = "nb") -> Codebook:
    return Codebook.loads(f"""
codebook: {{id: mini, version: "1", languages: [nb, nn, sv, da, en]}}
themes:
  - id: t
    label: T
    patterns: {{{lang}: [{patterns}]}}
    {"not_patterns: {" + lang + ": [" + not_patterns + "]}" if not_patterns else ""}
""")


def codes_of(text: str, codebook, lang="nb", unit="turn"):
    doc = ingest_text("K1: " + text, language=lang)
    return code_document(doc, codebook, unit=unit)


@pytest.mark.parametrize("form,lang,expected", [
    ("strategien", "nb", "strategi"), ("ledelsen", "nb", "ledelse"), ("nettverkene", "nb", "nettverk"),
    ("digitaliseringsstrategien", "nb", "digitaliseringsstrategi"), ("ledarskapet", "sv", "ledarskap"),
    ("Strategien", "nb", "strategi"),
])
def test_lemmas_from_simplemma(form, lang, expected):
    assert lemma(form, lang) == expected
    assert pipeline(lang)(form)[0].lemma_ == expected


def test_every_language_has_a_pipeline_and_unknown_is_an_error():
    for lang in ("nb", "nn", "sv", "da", "en"):
        doc = pipeline(lang)("Første setning. Andre setning.")
        assert len(list(doc.sents)) == 2
    with pytest.raises(PipelineError, match="Unsupported language 'de'"):
        pipeline("de")


def test_parse_cache_hits_skip_the_pipeline(tmp_path, monkeypatch):
    cache = ParseCache(tmp_path)
    first = next(parse(["Strategien er god."], "nb", cache=cache))
    calls = []
    nlp = pipeline("nb")
    original = nlp.pipe
    monkeypatch.setattr(nlp, "pipe", lambda *a, **k: calls.append(1) or original(*a, **k))
    second = next(parse(["Strategien er god."], "nb", cache=cache))
    assert calls == [] and cache.hits == 1
    assert [t.lemma_ for t in second] == [t.lemma_ for t in first]
    assert [s.text for s in second.sents] == ["Strategien er god."]


@pytest.mark.parametrize("pattern,text,hit", [
    ('"strategi"', "Strategien er bra.", True),
    ('"strategi"', "Digitaliseringsstrategien er bra.", False),
    ('"*strategi"', "Digitaliseringsstrategien er bra.", True),
    ('"*strategi"', "Strategiarbeidet er bra.", False),
    ('"strategi*"', "Strategiarbeidet er bra.", True),
    ('"strategi*"', "Det er strategisk.", False),  # "sk" is an ending, not a compound part
    ('"*mål"', "Et godt spørsmål.", True),  # compounds are literal: researchers must choose heads with care
    ('"felles retning"', "Den gir oss en felles retning.", True),
    ('"felles retning"', "Retning og felles ting.", False),
    ('"re:\\\\bvi har ingen\\\\b"', "Vi har ingen plan.", True),
    ('"IT-avdeling"', "IT-avdelingen hjelper.", True),
    ('"IT"', "Vi har ingen IT-folk.", True),  # hyphenated compounds name their parts
    ('"målbild"', "Målbildene er uklare.", True),  # an inflection the lemmatizer does not know
])
def test_word_compound_phrase_and_regex_patterns(pattern, text, hit):
    result = codes_of(text, mini(pattern))
    assert (len(result) > 0) is hit


@pytest.mark.parametrize("text,code", [
    ("Ladeskapet står på en strategisk plass i gangen.", "strategy"),
    ("Når bildet på skjermen fryser, så venter vi.", "target_picture"),
    ("Nettverkskabelen var dratt ut i serverrommet.", "organisation"),
    ("Han lærte å sykle i fjor.", "learning"),
])
def test_false_friends_are_not_coded(book, text, code):
    result = codes_of(text, book)
    assert code not in set(result.theme)


@pytest.mark.parametrize("text,code", [
    ("Handlingsplanen for oppvekst rulleres hvert år.", "strategy.plans"),
    ("Nei, vi har ingen målbilde.", "target_picture.unclear"),
    ("Rektor motiverer lærerne sine.", "leadership.motivating"),
    ("Vi deler erfaringer med de andre kommunene.", "learning.sharing"),
    ("Vi er med i et interkommunalt samarbeid.", "organisation.networks"),
])
def test_study_codebook_codes_plain_examples(book, text, code):
    result = codes_of(text, book)
    assert code in set(result.code)


def test_explanations_and_offsets(book):
    doc = ingest_text("Intervjuer: Har dere en strategi?\nK1: Ja, digitaliseringsstrategien er nyttig. "
                      "Men vi har ingen målbilde.")
    result = code_document(doc, book)
    assert list(result.columns) == CODING_COLUMNS
    assert set(result.source) == {"rule"} and set(result.coder) == {"rules@digitalisering:1.0.0"}
    for row in result.itertuples():
        assert doc.text[row.start:row.end] == row.text
        assert row.rule and row.matched and row.role == "informant"
    strategy = result[result.code == "strategy"].iloc[0]
    assert strategy.rule == "*strategi" and strategy.matched == "digitaliseringsstrategien"
    assert strategy.text == "Ja, digitaliseringsstrategien er nyttig."
    assert "Har dere" not in " ".join(result.text)  # interviewer speech is not coded


def test_interviewer_included_on_request_and_units(book):
    # strategy requires the study's domain in the turn: "skolene" and "kommunen" are its cues
    doc = ingest_text("Intervjuer: Har dere en strategi for skolene?\nK1: Ja, en strategi for skolene. Og et nettverk.\n\n"
                      "Mer om strategien i kommunen.")
    assert "Intervjuer" in set(code_document(doc, book, include_interviewer=True).speaker)
    by_sentence = code_document(doc, book, unit="sentence")
    by_paragraph = code_document(doc, book, unit="paragraph")
    by_turn = code_document(doc, book, unit="turn")
    # the study codebook spreads a sentence's coding to the next sentence of the turn ("spread: after: 1")
    strategy = by_sentence[by_sentence.code == "strategy"]
    assert list(strategy.text) == ["Ja, en strategi for skolene.", "Og et nettverk.", "Mer om strategien i kommunen."]
    assert [rule.startswith("spread: ") for rule in strategy.rule] == [False, True, False]
    assert len(by_paragraph[by_paragraph.code == "strategy"]) == 2
    assert len(by_turn[by_turn.code == "strategy"]) == 1
    assert by_turn.iloc[0].text.endswith("Mer om strategien i kommunen.")
    with pytest.raises(AnalysisError, match="coding unit"):
        code_document(doc, book, unit="page")


def test_swedish_and_other_languages(book):
    assert "organisation.governance" in set(codes_of("Nämnden beslutade om styrkedjan.", book, lang="sv").code)
    assert "leadership" in set(codes_of("Leiinga i skulen var viktig.", book, lang="nn").theme)
    assert "strategy" in set(codes_of("Strategien for skolen er god.", book, lang="da").theme)
    assert "leadership" in set(codes_of("Good leadership matters in schools.", book, lang="en").theme)


def test_code_texts_list_series_empty_and_nan(book):
    result = th.code_texts(["Vi mangler et målbilde.", "", None, "Nettverket hjelper skolene våre."], book)
    assert list(result.doc_id) == [0, 3] and list(result.theme) == ["target_picture", "organisation"]
    # organisation requires the study's domain: a network with no school, municipality or digital cue is not coded
    assert th.code_texts(["Nettverket hjelper oss."], book).empty
    assert th.code_texts(["Strategien er nyttig."], book).empty  # so does strategy (a strategy in chess is not coded)
    series = pd.Series({"r1": "Strategien for skolen er nyttig.", "r2": float("nan"), "r3": "Ingenting her."})
    result = code_texts(series, book)
    assert set(result.doc_id) == {"r1"} and "strategy" in set(result.theme)
    empty = code_texts([], book)
    assert list(empty.columns) == CODING_COLUMNS and empty.empty


def test_sample_corpus_is_coded_with_explanations(sample_dir, book):
    corpus = th.ingest(sample_dir)
    codings = code_corpus(corpus, book)
    assert set(codings.theme) == {"strategy", "target_picture", "leadership", "learning", "organisation"}
    assert set(codings.doc_id) == {d.doc_id for d in corpus}
    assert codings.rule.str.len().gt(0).all() and (codings.role == "informant").all()
    unclear = codings[codings.code == "target_picture.unclear"]
    assert "Fjordvik-K2" in set(unclear.doc_id)
    for row in codings.sample(50, random_state=1).itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.text


def test_slot_index_agrees_with_the_reference_predicate():
    slots = [Slot("strategi", True, True), Slot("plan", True, False), Slot("nettverk", False, True),
             Slot("mål", True, False)]
    rules = _LanguageRules("nb", [Rule("t", p) for p in
                                  mini('"*strategi*", "*plan", "nettverk*", "*mål"').codes[0].patterns])
    rng = random.Random(7)
    words = ["digitaliseringsstrategien", "strategiarbeid", "strategisk", "handlingsplanen", "planen", "nettverkssamling",
             "spørsmål", "mål", "plan", "plan-arbeid", "it-plan", "målene", "planer"] + ["".join(rng.choices(string.ascii_lowercase + "æøå", k=rng.randint(2, 14)))
                                           for _ in range(300)]
    for w in words:
        lem = lemma(w, "nb")
        expected = {s for s in slots if slot_accepts(s, lem, w, lemma(s.word, "nb"))}
        assert rules.slots_for(lem, w) == expected, w


def test_render_html_escapes_and_colours(book):
    doc = ingest_text("K1: Vi har ingen målbilde & <ingen> plan.")
    codings = code_document(doc, book)
    html = render_html(doc, codings, book)
    assert "&lt;ingen&gt;" in html and "&amp;" in html
    assert book.get("target_picture").colour in html or book.get("target_picture.unclear").colour in html
    assert "target_picture.unclear" in html
    assert "target_picture" in CodedDocument(doc, codings, book)._repr_html_()


def test_worker_processes_give_the_same_codings(sample_dir, book):
    corpus = th.ingest(sample_dir)
    one = code_corpus(corpus, book)
    two = code_corpus(corpus, book, n_process=2, batch_size=8)
    key = ["doc_id", "start", "end", "code", "rule"]
    assert one[key].astype(str).equals(two[key].astype(str))
