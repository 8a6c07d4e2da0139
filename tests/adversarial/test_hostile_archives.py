"""Zip archives from strangers (docx, xlsx, odt, pptx, qdpx): bombs, duplicates, bad CRCs, DOCTYPE tricks,
and names hidden in every text part an office file has."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

import thematic as th
from thematic.errors import IngestError, ThematicError, UnsafeArchiveError
from thematic.privacy import Key, find_leaks, pseudonymise_corpus

pytestmark = pytest.mark.timeout(60)

KEY = Key.from_rows([("Kari Lunde", "Rektor A", "person"), ("Kari", "Rektor A", "person"),
                     ("Fjordvik", "Kommune A", "municipality")])


def _docx_bytes(text="Intervjuer: Hei.\nK1: Vi jobber med planer.") -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, extra: dict[str, bytes] = (), edit=None, compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info.filename, edit(info.filename, content) if edit else content)
        for name, content in dict(extra).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_docx_bomb_is_refused_quickly(tmp_path):
    (tmp_path / "bomb.docx").write_bytes(_rezip(_docx_bytes(), {"word/media/x.bin": b"\0" * 60_000_000}))
    corpus = th.ingest(tmp_path)
    assert len(corpus) == 0 and "[Q002]" in corpus.problems[0].message


def test_docx_with_high_ratio_member_is_refused(tmp_path):
    path = tmp_path / "ratio.docx"
    path.write_bytes(_rezip(_docx_bytes(), {"word/media/x.bin": b"\0" * 3_000_000}))
    with pytest.raises(UnsafeArchiveError, match=r"\[Q002\].*ratio"):
        _read(path)


def _read(path: Path):
    from thematic.transcripts.readers import read_docx

    return read_docx(path.read_bytes(), path)


def test_docx_with_bad_crc_is_a_coded_error(tmp_path):
    data = bytearray(_rezip(_docx_bytes(), compress=zipfile.ZIP_STORED))
    where = data.find(b"Vi jobber med planer")
    data[where] ^= 0x20  # flips a letter's case inside the stored member: the CRC no longer fits
    path = tmp_path / "crc.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(IngestError, match=r"\[Q004\].*damaged"):
        _read(path)


def test_docx_with_duplicate_members_is_refused(tmp_path):
    data = _docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with pytest.warns(UserWarning):
            dst.writestr("word/document.xml", src.read("word/document.xml").replace(b"planer", b"andre planer"))
    path = tmp_path / "dup.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(IngestError, match=r"\[Q002\].*twice"):
        _read(path)


def _qdpx(project_qde: bytes, extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project_qde)
        for name, content in extra:
            z.writestr(name, content)
    return out.getvalue()


QDE = (b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">'
       b'<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="a" isCodable="true"/>'
       b"</Codes></CodeBook></Project>")


def test_qdpx_with_two_project_files_is_refused(tmp_path):
    path = tmp_path / "dup.qdpx"
    with pytest.warns(UserWarning):
        path.write_bytes(_qdpx(QDE, [("project.qde", QDE.replace(b'name="a"', b'name="b"'))]))
    with pytest.raises(ThematicError, match=r"\[Q002\].*twice"):
        th.refi.load_qdpx(path)
    with pytest.raises(ThematicError, match=r"twice"):
        th.Codebook.load(path)


def test_doctype_after_a_long_comment_is_refused_by_the_parser(tmp_path):
    qde = (b'<?xml version="1.0"?>\n<!--' + b"x" * 70_000 + b'-->\n<!DOCTYPE Project [<!ENTITY a "aaaa">]>\n'
           + QDE.split(b"\n", 1)[1])
    path = tmp_path / "doctype.qdpx"
    path.write_bytes(_qdpx(qde))
    with pytest.raises(ThematicError, match=r"DOCTYPE"):
        th.refi.load_qdpx(path)
    with pytest.raises(ThematicError, match=r"DOCTYPE"):
        th.Codebook.load(path)


def test_check_leaks_on_a_qdpx_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.qdpx"
    path.write_bytes(_qdpx(QDE, [("sources/a.txt", b"Kari " * 20_000_000)]))  # 100 MB in, a few hundred KB out
    with pytest.raises(UnsafeArchiveError, match=r"\[Q002\]"):
        find_leaks(path, KEY)


def _with_footnote_and_properties(data: bytes) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>Ka</w:t></w:r><w:r><w:t>ri sa det i Fjordvik.</w:t></w:r>'
                 "</w:p></w:footnote></w:footnotes>").encode()
    rel = ('<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'footnotes" Target="footnotes.xml"/></Relationships>').encode()
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.footnotes+xml"/></Types>').encode()
    app = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.'
           b'openxmlformats.org/officeDocument/2006/extended-properties"><Company>Fjordvik kommune</Company>'
           b"<Manager>Kari Lunde</Manager></Properties>")

    def edit(name, content):
        if name == "word/_rels/document.xml.rels":
            return content.replace(b"</Relationships>", rel)
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", override)
        if name == "docProps/app.xml":
            return app
        return content

    return _rezip(data, {"word/footnotes.xml": footnotes}, edit)


def test_names_in_every_part_of_a_docx_are_found_and_pseudonymised(tmp_path):
    document = docx.Document()
    document.add_paragraph("Intervjuer: Hei.")
    paragraph = document.add_paragraph("K1: Vi jobber med planer.")
    document.add_comment(paragraph.runs, text="Spør Kari om dette", author="Kari Lunde", initials="KL")
    document.sections[0].header.paragraphs[0].text = "Intervju i Fjordvik"
    props = document.core_properties
    props.subject, props.keywords, props.comments, props.category = "Kari", "Fjordvik", "Kari Lunde", "Fjordvik"
    buffer = io.BytesIO()
    document.save(buffer)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "intervju.docx").write_bytes(_with_footnote_and_properties(buffer.getvalue()))
    before = {term for _, term in find_leaks(corpus / "intervju.docx", KEY)}
    assert before == {"Kari", "Kari Lunde", "Fjordvik"}
    pseudonymise_corpus(corpus, KEY, tmp_path / "out")
    assert find_leaks(tmp_path / "out", KEY) == []
    copy = docx.Document(tmp_path / "out" / "intervju.docx")
    assert [p.text for p in copy.paragraphs] == ["Intervjuer: Hei.", "K1: Vi jobber med planer."]
    from thematic.privacy.office import office_text

    text = office_text(tmp_path / "out" / "intervju.docx")
    assert "Rektor A sa det i Kommune A." in text  # the name split over two runs in the footnote
    assert "Spør Rektor A om dette" in text and "Intervju i Kommune A" in text
    with zipfile.ZipFile(tmp_path / "out" / "intervju.docx") as z:
        assert 'w:author="Rektor A"' in z.read("word/comments.xml").decode()


def test_decomposed_names_are_found_and_replaced():
    key = Key.from_rows([("Sjöberga", "Kommune B", "municipality")])
    decomposed = "Vi i Sjo\u0308berga har en plan."
    assert th.privacy.pseudonymise_text(decomposed, key)[0] == "Vi i Kommune B har en plan."
    key_decomposed = Key.from_rows([("Sjo\u0308berga", "Kommune B", "municipality")])
    assert th.privacy.pseudonymise_text("Vi i Sjöberga har en plan.", key_decomposed)[0] == \
        "Vi i Kommune B har en plan."


def test_xlsx_comments_and_properties_are_read_by_check_leaks(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Kari"
    wb.active["A1"] = "ok"
    wb.active["A1"].comment = openpyxl.comments.Comment("sjekk Fjordvik", "Kari Lunde")
    wb.properties.creator = "Kari Lunde"
    wb.save(tmp_path / "a.xlsx")
    assert {term for _, term in find_leaks(tmp_path / "a.xlsx", KEY)} == {"Kari", "Kari Lunde", "Fjordvik"}


def test_odt_and_pptx_text_and_alt_text_are_read_by_check_leaks(tmp_path):
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                   'office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                   '<office:text><text:p>Vi i <text:span>Fjord</text:span>vik</text:p></office:text>'
                   "</office:body></office:document-content>")
        z.writestr("meta.xml", '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                   'office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
                   "<meta:initial-creator>Kari Lunde</meta:initial-creator></office:meta></office:document-meta>")
    (tmp_path / "a.odt").write_bytes(odt.getvalue())
    pptx = io.BytesIO()
    with zipfile.ZipFile(pptx, "w") as z:
        z.writestr("ppt/slides/slide1.xml", '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/'
                   '2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:pic><p:nvPicPr>'
                   '<p:cNvPr id="2" name="Bilde 1" descr="Foto av Kari"/></p:nvPicPr></p:pic>'
                   "<a:p><a:r><a:t>Plan for </a:t></a:r><a:r><a:t>Fjordvik</a:t></a:r></a:p></p:sld>")
    (tmp_path / "a.pptx").write_bytes(pptx.getvalue())
    leaks = find_leaks(tmp_path, KEY)
    assert sorted(leaks) == sorted([(str(tmp_path / "a.odt"), "Fjordvik"), (str(tmp_path / "a.odt"), "Kari Lunde"),
                                    (str(tmp_path / "a.pptx"), "Fjordvik"), (str(tmp_path / "a.pptx"), "Kari")])


def _project_with_selection(start: str) -> bytes:
    return (b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">'
            b'<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="a" isCodable="true"/>'
            b'</Codes></CodeBook><Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="K1" '
            b'plainTextPath="internal://K1.txt">\n<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" '
            b'startPosition="' + start.encode() + b'" endPosition="9"><Coding guid="44444444-4444-4444-4444-'
            b'444444444444"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>'
            b"</PlainTextSelection></TextSource></Sources></Project>")


@pytest.mark.parametrize("start", ["abc", "-3", "1e9", "٣"])
def test_qdpx_with_non_numeric_offsets_is_a_coded_error(tmp_path, start):
    path = tmp_path / "bad.qdpx"
    path.write_bytes(_qdpx(_project_with_selection(start), [("sources/K1.txt", "Kari: vi har en plan.")]))
    with pytest.raises(ThematicError, match=r"\[Q001\].*line 3.*startPosition"):
        th.refi.load_qdpx(path)


def test_qdpx_with_good_offsets_still_loads(tmp_path):
    path = tmp_path / "ok.qdpx"
    path.write_bytes(_qdpx(_project_with_selection("0"), [("sources/K1.txt", "Kari: vi har en plan.")]))
    project = th.refi.load_qdpx(path)
    assert project.codings["text"].tolist() == ["Kari: vi "]


def test_250_nested_codes_are_a_coded_error(tmp_path):
    codes = "".join(f'<Code guid="{i:08d}-1111-1111-1111-111111111111" name="c{i}" isCodable="true">'
                    for i in range(250)) + "</Code>" * 250
    qde = f'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>{codes}' \
          "</Codes></CodeBook></Project>"
    path = tmp_path / "deep.qdpx"
    path.write_bytes(_qdpx(qde.encode()))
    with pytest.raises(ThematicError, match=r"nested more than 20 levels"):
        th.refi.load_qdpx(path)
    with pytest.raises(ThematicError, match=r"nested more than 20 levels"):
        th.Codebook.load(path)


def test_qdpx_with_bad_crc_or_corrupt_data_is_a_coded_error(tmp_path):
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
        z.writestr("project.qde", QDE)
    data = bytearray(stored.getvalue())
    data[data.find(b'name="a"') + 6] ^= 0x01
    (tmp_path / "crc.qdpx").write_bytes(bytes(data))
    with pytest.raises(ThematicError, match=r"\[Q004\].*damaged"):
        th.refi.load_qdpx(tmp_path / "crc.qdpx")
    deflated = bytearray(_qdpx(QDE * 50))
    start = deflated.find(b"project.qde") + len(b"project.qde")
    deflated[start + 10:start + 40] = b"\xff" * 30  # garbage inside the compressed stream
    (tmp_path / "corrupt.qdpx").write_bytes(bytes(deflated))
    with pytest.raises(ThematicError, match=r"\[Q00[14]\]"):
        th.refi.load_qdpx(tmp_path / "corrupt.qdpx")
