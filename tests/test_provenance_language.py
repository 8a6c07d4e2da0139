"""The Method section's "made by" sentence names the kind of coding in the report's language."""

import pandas as pd

from thematic.analysis.provenance import describe


def _codings():
    return pd.DataFrame({"coder": ["rules@digitalisering:1.0.0", "rules@digitalisering:1.0.0", "ingrid"],
                         "source": ["rule", "rule", "manual"], "status": ["pending", "active", "active"],
                         "reviewed_by": ["", "veileder", ""]})


def test_made_by_names_the_kind_of_coding_in_the_language():
    codings = _codings()
    nb = describe(codings, codings, "all", lang="nb")[-1]
    assert nb.startswith("Gjort av:")
    assert "(regel" in nb and "(manuell)" in nb
    assert "(rule" not in nb and "(manual)" not in nb
    sv = describe(codings, codings, "all", lang="sv")[-1]
    assert "(rule" not in sv and "(manual)" not in sv
    en = describe(codings, codings, "all", lang="en")[-1]
    assert "ingrid (manual): 1" in en


def test_an_unknown_kind_of_coding_is_kept_as_written():
    codings = _codings().assign(source=["plugin-x", "plugin-x", "manual"])
    assert "(plugin-x" in describe(codings, codings, "all", lang="nb")[-1]
