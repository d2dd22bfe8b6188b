"""Each input format read into clean text by page."""
import pytest

from builders import LETTER, make_docx, make_eml, make_image_pdf, make_odt, make_pdf
from conftest import needs_tesseract
from hearing_analysis.errors import IngestError
from hearing_analysis.ingest import read_document
from hearing_analysis.records import Status


def test_pdf_pages_headers_hyphens():
    pages = [LETTER[:10], LETTER[10:], ["Oppsummert støtter vi forslaget i sin helhet, med merknadene over."]]
    data = make_pdf(pages, header="Råde kommune – Høringsuttalelse strategiske føringer")
    ex = read_document(data)
    assert ex.status is Status.OK
    assert [p.number for p in ex.pages] == [1, 2, 3]
    joined = ex.text
    assert "kollektivtilbud mellom byene" in joined
    assert "nærings- og samfunnsutvikling" in joined
    assert "Side 2 av 3" not in joined and "Høringsuttalelse strategiske føringer" not in ex.pages[1].text
    assert "• Utrede en felles pendlerordning" in ex.pages[1].text.split("\n\n")


def test_encrypted_pdf_fails_with_reason():
    data = make_pdf([["Hemmelig"]], encrypt="hemmelig")
    with pytest.raises(IngestError, match="passordbeskyttet"):
        read_document(data)


def test_truncated_pdf_is_read_or_fails_plainly():
    data = make_pdf([["Første side med tekst."], ["Andre side."]])
    try:
        ex = read_document(data[: len(data) // 2])
    except IngestError as e:
        assert "PDF" in str(e)
    else:
        assert ex.status in (Status.OK, Status.FAILED)


def test_scanned_pdf_without_tesseract_needs_ocr(no_ocr):
    ex = read_document(make_image_pdf(["Dette er et skannet brev."]))
    assert ex.status is Status.NEEDS_OCR
    assert "Tesseract" in ex.reason and "OCR" in ex.reason
    assert ex.text == ""


@needs_tesseract
def test_scanned_pdf_is_ocrd():
    ex = read_document(make_image_pdf(["Høringsuttalelse fra Nesodden kommune", "Vi støtter forslaget."]))
    assert ex.status is Status.OK and ex.ocr
    assert "Nesodden" in ex.text


def test_docx_structure():
    data = make_docx([
        ("Heading 1", "Høringsuttalelse"),
        ("Normal", "Kommunen støtter utkastet."),
        ("List Bullet", "Første punkt"),
        ("List Bullet", "Andre punkt"),
        ("List Number", "Nummerert en"),
        ("List Number", "Nummerert to"),
        ("table", "Tema|Merknad;Transport|Viktig"),
        ("Normal", "Avslutning."),
    ], header="Asker kommune", footer="Side 1", footnote="Jf. kapittel 4.", page_break_after=5)
    ex = read_document(data)
    assert ex.kind == "docx"
    assert len(ex.pages) == 2
    first = ex.pages[0].text.split("\n\n")
    assert first[0] == "Høringsuttalelse"
    assert first[1] == "Kommunen støtter utkastet.[1]"
    assert "• Første punkt" in first and "• Andre punkt" in first
    assert "1. Nummerert en" in first and "2. Nummerert to" in first
    assert "Tema | Merknad\nTransport | Viktig" in ex.pages[1].text
    assert "[1] Jf. kapittel 4." in ex.pages[1].text
    assert "Asker kommune" not in ex.text and "Asker kommune" in ex.furniture


def test_odt_structure():
    ex = read_document(make_odt([("h", "Innspill"), ("p", "Vi mener dette."), ("li", "punkt en"), ("li", "punkt to")]))
    assert ex.pages[0].text.split("\n\n") == ["Innspill", "Vi mener dette.", "• punkt en", "• punkt to"]


def test_html_and_text():
    html = b"<html><head><style>x{}</style></head><body><h1>Tittel</h1><p>Avsnitt en.</p><ul><li>punkt</li></ul></body></html>"
    assert read_document(html).text.split("\n\n") == ["Tittel", "Avsnitt en.", "• punkt"]
    txt = "Første avsnitt\nfortsetter.\n\nAndre avsnitt.\f Side to.".encode("cp1252")
    ex = read_document(txt)
    assert [p.text for p in ex.pages] == ["Første avsnitt fortsetter.\n\nAndre avsnitt.", "Side to."]


def test_email_with_attachment_and_body_response():
    pdf = make_pdf([LETTER])
    cover = make_eml("Vedlagt følger vår uttalelse.\n\nHilsen postmottak", "Postmottak Nittedal kommune <postmottak@nittedal.kommune.no>",
                     "Mon, 10 Jun 2024 09:12:00 +0200", [("../../etc/Uttalelse.pdf", pdf, "application/pdf")])
    ex = read_document(cover)
    assert ex.kind == "email" and not ex.carries_response
    assert ex.sent == "2024-06-10"
    assert [a.name for a in ex.attachments] == ["Uttalelse.pdf"]
    body = " ".join(["Vi mener strategien bør styrke samarbeidet om transport."] * 30)
    ex = read_document(make_eml(body, "Ola <ola@example.no>", "Tue, 28 May 2024 09:00:00 +0200"))
    assert ex.carries_response and "samarbeidet" in ex.text
