"""Build tests/fixtures/sources/Skovby-handleplan.odt: a fictional Danish action plan as LibreOffice would save it.

Written with odfpy (a dev-time tool here; thematic reads .odt with its safe zip reader and lxml).
Headings carry outline levels, one paragraph has a footnote (left out of the stored text), and there is
a list and a small table. Run from the repository root:

    python data/tools/build_odt_fixture.py
"""

from __future__ import annotations

from pathlib import Path

from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P, S

OUT = Path("tests/fixtures/sources/Skovby-handleplan.odt")

SECTIONS = [
    (1, "Handleplan for digitalisering i dagtilbud og skoler 2026–2028"),
    (2, "1 Indledning"),
    (0, "Skovby Kommune har vedtaget en ny strategi for digitalisering i dagtilbud og skoler. Denne handleplan "
        "beskriver, hvordan strategien skal føres ud i livet i de kommende tre år. Planen er udarbejdet af en "
        "arbejdsgruppe med ledere, lærere, pædagoger og repræsentanter fra kommunens IT-afdeling."),
    (2, "2 Mål"),
    (0, "Alle børn og elever skal møde en tryg og meningsfuld digital praksis. Lærerne og pædagogerne skal have "
        "de kompetencer, de har brug for, og lederne skal tage ansvar for, at arbejdet bliver fulgt op på den "
        "enkelte skole og i det enkelte dagtilbud."),
    (2, "3 Indsatser"),
]
ITEMS = ["Hver skole udpeger en digital vejleder, som støtter kollegerne i undervisningen.",
         "Kommunen tilbyder et lederkursus om digitalisering for alle skoleledere og dagtilbudsledere.",
         "Forældrene får bedre information om, hvilke digitale læremidler børnene bruger."]
AFTER = [
    (2, "4 Opfølgning"),
    (0, "Handleplanen evalueres i 2028. Resultaterne fremlægges for børne- og skoleudvalget, som beslutter, "
        "hvordan arbejdet skal fortsætte i den næste periode."),
]


def main() -> None:
    doc = OpenDocumentText()
    for level, text in SECTIONS:
        doc.text.addElement(H(outlinelevel=level, text=text) if level else P(text=text))
    items = List()
    for text in ITEMS:
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    doc.text.addElement(items)
    para = P(text="Indsatserne finansieres inden for den eksisterende ramme.")
    note = Note(noteclass="footnote", id="ftn1")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Jf. budgetaftalen for 2026."))
    note.addElement(body)
    para.addElement(note)
    para.addElement(S(c=3))
    para.addText("Der er ikke afsat nye midler.")
    doc.text.addElement(para)
    table = Table(name="Tidsplan")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in (("Indsats", "Frist"), ("Digitale vejledere", "2026"), ("Lederkursus", "2027")):
        tr = TableRow()
        for cell in row:
            tc = TableCell()
            tc.addElement(P(text=cell))
            tr.addElement(tc)
        table.addElement(tr)
    doc.text.addElement(table)
    for level, text in AFTER:
        doc.text.addElement(H(outlinelevel=level, text=text) if level else P(text=text))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
