"""The study codebook (codebooks/digitalisering.yaml) on words its rules used to get wrong.

Each sentence is judged from the codebook's definitions and when_not_to_use texts: everyday senses
outside the study's domain and look-alike words stay uncoded, the study's own senses stay coded.
"""

from __future__ import annotations

import pytest

import thematic as th
from thematic.coding import code_document
from thematic.transcripts import ingest_text


@pytest.fixture(scope="module")
def study(codebook_dir):
    return th.Codebook.load(codebook_dir / "digitalisering.yaml")


def codes(book, text: str, lang: str = "nb") -> set[str]:
    frame = code_document(ingest_text(f"K1: {text}", language=lang), book, unit="sentence")
    return set(frame.code)


@pytest.mark.parametrize("text, lang, theme", [
    # strategy and leadership words in a sport, a game, a holiday, a boat, a wedding
    ("Laget tok ledelsen etter ti minutter og holdt den ut kampen.", "nb", "leadership"),
    ("Holdet tog ledelsen i første halvleg.", "da", "leadership"),
    ("Strategien min i sjakk er å ta ut dronningen tidlig.", "nb", "strategy"),
    ("Min strategi på semestern är att inte läsa någon e-post alls.", "sv", "strategy"),
    ("Båten lå forankret i viken hele natten.", "nb", "leadership"),
    ("The boat was anchored in the bay all night.", "en", "leadership"),
    ("My sister got engaged last summer.", "en", "leadership"),
    # a part (del) is not sharing; a department (avdeling) or a division of roles (rollefordeling) neither
    ("Pers gruppe tok seg av den tekniske delen, og det var bra.", "nb", "learning"),
    ("IT-avdelingen sitter på rådhuset, og de forstår ikke alltid hva skolene trenger.", "nb", "learning"),
    ("Det er en ganske tydelig rollefordeling i kommunen, og det har vi jobbet mye med.", "nb", "learning"),
    ("Vi har en IKT-pedagog som delas mellan fyra skolor.", "sv", "learning"),
    # a part in the school play is not a role in the organisation
    ("Hon har en roll i skolpjäsen och övar repliker varje kväll.", "sv", "organisation"),
    # stories children make with pictures and sound are not a target picture (when_not_to_use)
    ("Barna i barnehagen har brukt nettbrett til å lage små fortellinger med bilder og lyd.", "nb", "target_picture"),
])
def test_everyday_and_look_alike_senses_are_left_uncoded(study, text, lang, theme):
    assert not {c for c in codes(study, text, lang) if c.split(".")[0] == theme}


@pytest.mark.parametrize("text, lang, code", [
    ("Rektor er engasjert, og ledelsen på skolen går foran.", "nb", "leadership.engaging"),
    ("Strategien for digitalisering i skolen gir oss en felles retning.", "nb", "strategy.useful"),
    ("Vi har en handlingsplan som revideres hvert år.", "nb", "strategy.plans"),  # a plan document needs no cue
    ("Den nationella strategin använde vi som grund för vår egen.", "sv", "strategy"),
    ("Planen og målbildet gir retning, men det er folkene som gjør jobben.", "nb", "strategy.useful"),
    ("Lærerne deler erfaringer med hverandre på skolen.", "nb", "learning.sharing"),
    ("Det har skapt en kultur for å dele i kommunen.", "nb", "learning.sharing"),
    ("Vi har en sterk delingskultur i barnehagene.", "nb", "learning.sharing"),
    ("Lärarna delar med sig till varandra på skolan.", "sv", "learning.sharing"),
    ("IKT-pedagogen har en tydlig roll på skolan.", "sv", "organisation.roles_groups"),
    ("Askerud har laget en konkret fortelling om en skoledag i 2030.", "nb", "target_picture.described"),
])
def test_the_study_senses_stay_coded(study, text, lang, code):
    assert code in codes(study, text, lang) or (code.count(".") == 0 and any(c.split(".")[0] == code for c in codes(study, text, lang)))


def test_the_swedish_chain_codebook_reads_a_role_in_a_play_as_no_role(codebook_dir):
    chain = th.Codebook.load(codebook_dir / "styrkedja.yaml")
    assert not codes(chain, "Hon har en roll i skolpjäsen och övar repliker varje kväll.", "sv")
    assert "clear_roles" in {c.split(".")[-1] for c in codes(chain, "Rektorn har en tydlig roll i styrkedjan.", "sv")}
