"""The annex as a Word document: real heading styles (the outline works), tables and charts."""
from __future__ import annotations

import io
from pathlib import Path

from .layout import Bullets, Chart, Heading, PageBreak, Para, Quote, Table


def _page_number_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def write_docx(blocks, path: Path, title: str) -> None:
    """Render blocks to ``path`` (written by the caller atomically)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = "hearing-analysis"
    doc.core_properties.language = "nb-NO"
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    footer = section.footer.paragraphs[0]
    footer.text = f"{title} – side "
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.runs[0].font.size = Pt(8)
    _page_number_field(footer)
    usable = section.page_width - section.left_margin - section.right_margin

    for b in blocks:
        if isinstance(b, Heading):
            if b.level == 0:
                doc.add_heading(b.text, level=0)
            else:
                doc.add_heading(b.text, level=min(b.level, 3))
        elif isinstance(b, Para):
            p = doc.add_paragraph()
            run = p.add_run(b.text)
            if b.style == "lead":
                run.font.size = Pt(14)
                run.bold = True
            elif b.style == "meta":
                run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
                p.paragraph_format.space_after = Pt(2)
            elif b.style == "small":
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        elif isinstance(b, Bullets):
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(b, Quote):
            p = doc.add_paragraph(style="Quote")
            p.add_run(f"«{b.text}»")
            src = doc.add_paragraph()
            src.paragraph_format.left_indent = Cm(1)
            r = src.add_run(f"– {b.source}")
            r.italic = True
            r.font.size = Pt(9)
        elif isinstance(b, Table):
            if b.caption:
                cap = doc.add_paragraph(style="Caption")
                cap.add_run(b.caption)
            table = doc.add_table(rows=1, cols=len(b.header))
            table.style = "Light Grid Accent 1"
            table.autofit = False
            widths = b.widths or [1] * len(b.header)
            total = sum(widths)
            for i, text in enumerate(b.header):
                cell = table.rows[0].cells[i]
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                    run.font.size = Pt(9)
            _repeat_header(table.rows[0])
            for row in b.rows:
                cells = table.add_row().cells
                for i, text in enumerate(row):
                    cells[i].text = text
                    for run in cells[i].paragraphs[0].runs:
                        run.font.size = Pt(9)
            for i, w in enumerate(widths):
                width = int(usable * w / total)
                table.columns[i].width = width  # the grid, which LibreOffice reads
                for cell in table.columns[i].cells:
                    cell.width = width  # the cells, which Word reads
            doc.add_paragraph()
        elif isinstance(b, Chart):
            doc.add_picture(io.BytesIO(b.png), width=min(usable, Cm(16)))
            cap = doc.add_paragraph(style="Caption")
            cap.add_run(b.caption)
        elif isinstance(b, PageBreak):
            doc.add_page_break()
    doc.save(str(path))
