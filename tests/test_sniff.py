import pytest

from builders import make_docx, make_eml, make_odt, make_pdf
from hearing_analysis.errors import IngestError
from hearing_analysis.ingest import sniff


@pytest.mark.parametrize("data,kind", [
    (lambda: make_pdf([["x"]]), "pdf"),
    (lambda: make_docx([("Normal", "x")]), "docx"),
    (lambda: make_odt([("p", "x")]), "odt"),
    (lambda: make_eml("hei", "a@b.no", "Mon, 27 May 2024 10:00:00 +0200"), "email"),
    (lambda: b"<!DOCTYPE html><html><body><p>Hei</p></body></html>", "html"),
    (lambda: "Vanlig tekst med æøå.".encode(), "text"),
    (lambda: "Vanlig tekst med æøå.".encode("cp1252"), "text"),
    (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image"),
])
def test_kind_by_content(data, kind):
    assert sniff(data()) == kind


@pytest.mark.parametrize("data,words", [
    (b"", "tom"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "gammelt Microsoft Office"),
    (b"Rar!\x1a\x07\x00", "RAR"),
    (b"\x00\x01\x02\x03\x04binary\x00\x00", "ukjent binærformat"),
])
def test_unsupported_types_named(data, words):
    with pytest.raises(IngestError, match=words):
        sniff(data)


def test_plain_zip_and_xlsx_refused():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(IngestError, match="Excel"):
        sniff(buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hei")
    with pytest.raises(IngestError, match="ZIP-arkiv"):
        sniff(buf.getvalue())
