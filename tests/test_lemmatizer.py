"""The pipeline's lemmatiser (nlp.FormLemmatizer) and nlp.forms_of: every token's lemma is nlp.lemma of its
lower-cased form, whichever documents came before (the known forms are kept sorted across documents)."""

from __future__ import annotations

import random

import numpy as np

from thematic.nlp import FormLemmatizer, forms_of, lemma, pipeline


def _texts() -> list[str]:
    words = ("Skolene digitaliseringsstrategien strategi Strategiene planene målbildet rektorene ledelsen "
             "nettverket IKT-koordinatorene læringsbrett vi har en og ikke 2027 «plan» kommunen").split()
    rng = random.Random(3)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) + "." for _ in range(25)] + ["", "  "]


def test_every_token_gets_the_lemma_of_its_form_in_any_order_of_documents():
    nlp = pipeline("nb")
    for order in (1, -1):
        fresh = FormLemmatizer("nb")  # its own memory of forms, filled in this order
        for text in _texts()[::order]:
            doc = fresh(nlp.tokenizer(text))
            assert [t.lemma_ for t in doc] == [lemma(t.lower_, "nb") for t in doc]
            forms, lemmas = forms_of(doc)
            lowers = np.array([t.lower for t in doc], dtype=np.uint64)
            assert forms.tolist() == sorted(set(lowers.tolist()))
            assert lemmas.tolist() == [nlp.vocab.strings[lemma(nlp.vocab.strings[int(f)], "nb")] for f in forms]
        assert fresh._lowers.tolist() == sorted(fresh._lowers.tolist())  # still sorted after every insertion


def test_forms_of_a_doc_parsed_without_the_lemmatiser_are_made_from_its_arrays():
    nlp = pipeline("nb")
    doc = nlp("Skolene har en strategi. Skolene har planer.")
    doc.user_data.clear()  # as a doc read back from a cache would be
    forms, lemmas = forms_of(doc)
    by_form = {t.lower: t.lemma for t in doc}
    assert forms.tolist() == sorted(by_form) and lemmas.tolist() == [by_form[f] for f in forms.tolist()]
    empty = nlp.tokenizer("")
    assert [len(a) for a in forms_of(empty)] == [0, 0]
