"""Small test documents, made on the fly so every fixture is ours and reproducible."""
from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(canvas_mod):
    """Register DejaVu when present (for æøå); fall back to Helvetica (Latin-1 has æøå too)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    ttf = FONT_DIR / "DejaVuSans.ttf"
    if ttf.exists():
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", str(ttf)))
        return "DejaVu"
    return "Helvetica"


def make_pdf(pages: list[list[str]], header: str | None = None, footer: str | None = "Side {n} av {total}",
             encrypt: str | None = None, letterhead: list[str] | None = None) -> bytes:
    """A text PDF: each page a list of body lines, with running header/footer and page numbers."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    font = _font(canvas)
    width, height = A4
    total = len(pages)
    for n, lines in enumerate(pages, 1):
        y = height - 50
        c.setFont(font, 9)
        if header and n > 1:
            c.drawString(60, y, header)
        if letterhead and n == 1:
            for ln in letterhead:
                c.drawString(60, y, ln)
                y -= 14
        y -= 30
        c.setFont(font, 11)
        for line in lines:
            c.drawString(60, y, line)
            y -= 15
        if footer:
            c.setFont(font, 9)
            c.drawString(width / 2 - 30, 30, footer.format(n=n, total=total))
        c.showPage()
    c.save()
    return buf.getvalue()


def make_image_pdf(text_lines: list[str]) -> bytes:
    """An image-only PDF (a 'scan'): text drawn into a bitmap, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1240, 1754), 250)
    draw = ImageDraw.Draw(img)
    ttf = FONT_DIR / "DejaVuSans.ttf"
    font = ImageFont.truetype(str(ttf), 28) if ttf.exists() else ImageFont.load_default(size=28)
    y = 120
    for line in text_lines:
        draw.text((100, y), line, fill=0, font=font)
        y += 48
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def make_docx(blocks: list[tuple[str, str]], header: str = "", footer: str = "", footnote: str | None = None,
              page_break_after: int | None = None) -> bytes:
    """DOCX from (style, text) blocks; style 'table' takes text rows split by '|' and ';'."""
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.core_properties.author = "test"
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if footer:
        d.sections[0].footer.paragraphs[0].text = footer
    for i, (style, text) in enumerate(blocks):
        if style == "table":
            rows = [r.split("|") for r in text.split(";")]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    t.cell(r, c).text = cell.strip()
        else:
            p = d.add_paragraph(text, style=style)
            if footnote and i == 1:
                _add_footnote_ref(p)
        if page_break_after is not None and i == page_break_after:
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    return _with_footnotes(data, footnote) if footnote else data


def _add_footnote_ref(paragraph):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    run._r.append(ref)


def _with_footnotes(data: bytes, note: str) -> bytes:
    """Add a footnotes part holding one footnote (python-docx has no API for it)."""
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.'
                                          b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                          b'Target="footnotes.xml"/></Relationships>')
            z.writestr(item, content)
        z.writestr("word/footnotes.xml", xml)
    return out.getvalue()


def make_odt(blocks: list[tuple[str, str]]) -> bytes:
    """ODT from (kind, text) blocks: kind is 'h', 'p' or 'li'."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    current_list = None
    for kind, text in blocks:
        if kind == "li":
            if current_list is None:
                current_list = List()
                doc.text.addElement(current_list)
            item = ListItem()
            item.addElement(P(text=text))
            current_list.addElement(item)
            continue
        current_list = None
        doc.text.addElement(H(outlinelevel=1, text=text) if kind == "h" else P(text=text))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def make_eml(body: str, sender: str, date: str, attachments: list[tuple[str, bytes, str]] = ()) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "post@osloregionen.example"
    msg["Subject"] = "Høringsuttalelse"
    msg["Date"] = date
    msg.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


LETTER = [
    "Råde kommune",
    "Postboks 1, 1640 Råde",
    "Vår ref.: 24/1234   Deres ref.: 24/0099",
    "Råde, 27. mai 2024",
    "",
    "Høringsuttalelse – strategiske føringer",
    "",
    "Vi viser til høringsbrev av 29. april 2024 og takker for muligheten",
    "til å gi innspill. Kommunen støtter hovedretningen i utkastet.",
    "",
    "Transport og mobilitet",
    "Et godt kollektiv-",
    "tilbud mellom byene er avgjørende for at regionen skal fungere.",
    "Vi ber om at nærings- og",
    "samfunnsutvikling ses i sammenheng.",
    "• Utrede en felles pendlerordning",
    "• Kartlegge behovet for ladepunkter",
    "",
    "Med vennlig hilsen",
    "Kari Fjeld",
    "ordfører",
]
