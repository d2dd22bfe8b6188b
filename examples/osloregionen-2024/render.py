#!/usr/bin/env python3
"""Render the fictional example inbox for Osloregionen IPR 2024.

Reads ``source/*.md`` (TOML front matter + a small line-based markup, see
README.md) and (re)writes ``inbox/<wave>/<file>`` and ``manifest.toml``.

The output is deterministic: running the script twice gives byte-identical
files (fixed dates in all metadata, fixed ZIP timestamps, fixed MIME
boundaries, seeded noise in the scanned pages, reportlab invariant mode).

Run with:  /work/main/.venv/bin/python examples/osloregionen-2024/render.py
Needs: python-docx, odfpy, reportlab, Pillow, numpy; DejaVu TTF fonts.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.policy
import email.utils
import hashlib
import html
import io
import os
import re
import shutil
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
INBOX_DIR = HERE / "inbox"
MANIFEST = HERE / "manifest.toml"

NOTICE = "Fiktivt eksempel laget for hearing-analysis – ikke et ekte høringssvar."
DEADLINE = dt.date(2024, 5, 29)
EXTENSIONS = {"Asker kommune": dt.date(2024, 6, 12), "Nittedal kommune": dt.date(2024, 6, 12)}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# --------------------------------------------------------------------------
# Hyphenation: allowed break points ("·") for words that may be split at a
# line end in the text PDFs and the scan.  Only these words are ever
# hyphenated, so every line-final "-" in a rendered PDF is a soft hyphen
# that should be removed when the lines are joined again.  Words with a real
# hyphen ("InterCity-utbyggingen") are never broken.
# --------------------------------------------------------------------------
HYPHENATION = """
nærings·utvikling nærings·utviklingen nærings·livet nærings·liv nærings·livets
nærings·etableringer nærings·etableringar nærings·områder nærings·området
nærings·områda nærings·arealer nærings·arealene nærings·miljøene
nærings·transport nærings·transporten nærings·prosjekter nærings·struktur
nærings·stoffer nærings·politikk
kollektiv·transport kollektiv·transporten kollektiv·tilbudet kollektiv·knute·punktene
kollektiv·forbindelsene kollektiv·forbindelse kollektiv·felt
samferdsels·prosjekt samferdsels·prosjekter samferdsels·årene
interesse·politikk interesse·politikken interesse·politiske
regional·politisk
region·byene region·byen region·rådet region·rådets region·byane region·byen
kommune·direktøren kommune·direktørens kommune·direktør kommune·direktørene
kommune·grensene kommune·planen kommune·styret kommune·styre
distrikts·kommunar distrikts·kommunene
formannskaps·handsaminga
hørings·uttalelse hørings·uttalelsen hørings·innspill hørings·innspillet
hørings·brev hørings·fristen hørings·perioden høyrings·uttale høyrings·brev
strategi·dokumentet strategi·arbeidet
innsats·området innsats·områdene innsats·områder innsats·område
befolknings·veksten arbeids·plass·veksten arbeids·plassar arbeids·plasser
arbeids·kraft arbeids·krafta arbeids·markedet arbeids·marked
nett·kapasitet nett·kapasiteten nett·selskapene nett·selskapa nett·utbygging
nett·tilknytingar
kraft·produksjon kraft·behovet kraft·system·utredningen
klima·tilpasning klima·gass·utslipp klima·gevinster
natur·mangfold natur·regnskap natur·reservat
sirkulær·økonomi sirkulær·økonomien
miljø·tilstanden miljø·tiltak
vann·kvaliteten vann·forvaltning vann·områdene vann·forsyningen
avløps·nettet avløps·anlegg
drikke·vanns·kilde
lands·bruket land·bruket land·bruks·områder jord·bruket jord·bruks·kommunene
tømmer·transporten
reise·livet reise·liv
destinasjons·selskapene
samarbeids·avtalen samarbeids·prosjekt
utslipps·frie utslipps·fri
sentrums·utvikling
teknologi·miljø teknologi·næringa
bustad·bygging bolig·sosiale
utdannings·tilbod
fritids·bustader
sysselset·jinga syssel·settingen
utvik·lingen utvik·linga utvik·ling
infra·struktur infra·strukturen lade·infra·struktur lade·infra·strukturen
inn·farts·parkering sykkel·parkering
mål·hierarkiet
konkurranse·kraft
sjø·transporten
prosess·industrien
tilskudds·ordninger
vegetasjons·soner
kunnskaps·grunnlag
energi·effektivisering
forsknings·miljø
helse·innovasjon
container·havn
bytte·forbindelser
trafikk·sikkerhet
overskudds·masser
ferie·avvikling
utenfor·skap
skog·basert
grense·kryssende
jernbane·direktoratet


sammen·heng sammen·hengen
rushtida rush·tiden
""".split()


def _hyph_table() -> dict[str, list[int]]:
    table: dict[str, list[int]] = {}
    for entry in HYPHENATION:
        pos, n = [], 0
        for ch in entry:
            if ch == "·":
                pos.append(n)
            else:
                n += 1
        table[entry.replace("·", "").lower()] = pos
    return table


HYPH = _hyph_table()
PUNCT = "«»\"'()[],.;:!?"


# ==========================================================================
# Source parsing
# ==========================================================================
@dataclass
class Block:
    kind: str  # title h1 h2 para bullets numbers quote table meta
    text: str = ""
    items: list = field(default_factory=list)
    name: str = ""  # for kind == "meta"


@dataclass
class Source:
    path: Path
    meta: dict
    blocks: list[Block]
    meta_blocks: dict[str, list[str]]
    footnotes: dict[str, str]

    def block(self, name: str) -> list[str]:
        return self.meta_blocks.get(name, [])


def parse_source(path: Path) -> Source:
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    if lines[0].strip() != "+++":
        raise ValueError(f"{path}: missing +++ front matter")
    end = lines.index("+++", 1)
    meta = tomllib.loads("\n".join(lines[1:end]))
    body = lines[end + 1:]

    blocks: list[Block] = []
    meta_blocks: dict[str, list[str]] = {}
    footnotes: dict[str, str] = {}
    para: list[str] = []
    seen_title = False

    def flush_para():
        nonlocal para
        if para:
            blocks.append(Block("para", " ".join(s.strip() for s in para)))
            para = []

    i = 0
    while i < len(body):
        line = body[i]
        s = line.rstrip()
        if s.startswith("::: "):
            flush_para()
            name = s[4:].strip()
            j = i + 1
            content = []
            while body[j].rstrip() != ":::":
                content.append(body[j].rstrip())
                j += 1
            meta_blocks[name] = content
            blocks.append(Block("meta", name=name, items=content))
            i = j + 1
            continue
        if not s.strip():
            flush_para()
        elif m := re.match(r"^\[\^(\w+)\]:\s*(.*)$", s):
            flush_para()
            footnotes[m.group(1)] = m.group(2)
        elif m := re.match(r"^(#{1,3}) (.*)$", s):
            flush_para()
            level = len(m.group(1))
            if level == 1 and not seen_title:
                blocks.append(Block("title", m.group(2)))
                seen_title = True
            else:
                blocks.append(Block(f"h{level}", m.group(2)))
        elif s.startswith("- "):
            flush_para()
            if blocks and blocks[-1].kind == "bullets":
                blocks[-1].items.append(s[2:])
            else:
                blocks.append(Block("bullets", items=[s[2:]]))
        elif m := re.match(r"^(\d+)\. (.*)$", s):
            flush_para()
            if blocks and blocks[-1].kind == "numbers":
                blocks[-1].items.append(m.group(2))
            else:
                blocks.append(Block("numbers", items=[m.group(2)]))
        elif s.startswith("> "):
            flush_para()
            if blocks and blocks[-1].kind == "quote":
                blocks[-1].items.append(s[2:])
            else:
                blocks.append(Block("quote", items=[s[2:]]))
        elif s.startswith("|"):
            flush_para()
            cells = [c.strip() for c in s.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                pass
            elif blocks and blocks[-1].kind == "table":
                blocks[-1].items.append(cells)
            else:
                blocks.append(Block("table", items=[cells]))
        else:
            para.append(s)
        i += 1
    flush_para()
    return Source(path, meta, blocks, meta_blocks, footnotes)


FN_RE = re.compile(r"\[\^(\w+)\]")


def strip_footnotes(src: Source, text: str) -> str:
    """For formats without footnotes: turn [^n] into a bracketed number."""
    return FN_RE.sub(lambda m: f" [{m.group(1)}]", text)


def lang_tag(src: Source) -> str:
    return {"nb": "nb-NO", "nn": "nn-NO"}[src.meta["language"]]


def fixed_datetime(src: Source, hour: int, minute: int) -> dt.datetime:
    d = src.meta["letter_date"]
    return dt.datetime(d.year, d.month, d.day, hour, minute, 0)


def normalize_zip(data: bytes, when: dt.datetime, first: str | None = None) -> bytes:
    """Rewrite a ZIP container with fixed timestamps and attributes."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    infos = zin.infolist()
    if first:
        infos.sort(key=lambda zi: zi.filename != first)
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(out, "w") as zout:
        for zi in infos:
            payload = zin.read(zi.filename)
            nzi = zipfile.ZipInfo(zi.filename, stamp)
            nzi.compress_type = zipfile.ZIP_STORED if zi.filename == "mimetype" else zipfile.ZIP_DEFLATED
            nzi.external_attr = 0o644 << 16
            nzi.create_system = 0
            zout.writestr(nzi, payload)
    return out.getvalue()


# ==========================================================================
# DOCX
# ==========================================================================
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def render_docx(src: Source) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    d = docx.Document()
    lang = lang_tag(src)

    # -- base styles ------------------------------------------------------
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    normal.paragraph_format.space_after = Pt(6)

    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin, sec.bottom_margin = Mm(25), Mm(22)

    # -- header / footer ----------------------------------------------------
    hp = sec.header.paragraphs[0]
    hp.text = src.meta["respondent"]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r in hp.runs:
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    fp = sec.footer.paragraphs[0]
    run = fp.add_run(NOTICE)
    run.font.size = Pt(8)
    run.italic = True
    fp.add_run("\tSide ").font.size = Pt(8)
    # PAGE field
    fld = parse_xml(
        f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
        f"<w:t>1</w:t></w:r></w:fldSimple>"
    )
    fp._p.append(fld)

    # -- letterhead ---------------------------------------------------------
    lh = src.block("letterhead")
    p = d.add_paragraph()
    r = p.add_run(lh[0])
    r.bold = True
    r.font.size = Pt(16)
    r.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    p.paragraph_format.space_after = Pt(0)
    for line in lh[1:]:
        p = d.add_paragraph()
        r = p.add_run(line)
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        p.paragraph_format.space_after = Pt(0)
    d.add_paragraph()

    def small_lines(lines, align=None, after=0):
        for line in lines:
            p = d.add_paragraph(line)
            p.paragraph_format.space_after = Pt(after)
            if align:
                p.alignment = align

    small_lines(src.block("recipient"))
    d.add_paragraph()
    small_lines(src.block("refs"))
    small_lines(src.block("dateline"), WD_ALIGN_PARAGRAPH.RIGHT, 12)

    # -- footnotes ------------------------------------------------------------
    fn_ids: dict[str, int] = {}

    def add_text(par, text: str):
        pos = 0
        for m in FN_RE.finditer(text):
            if m.start() > pos:
                par.add_run(text[pos:m.start()])
            key = m.group(1)
            fn_ids.setdefault(key, len(fn_ids) + 1)
            ref = parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{fn_ids[key]}"/></w:r>'
            )
            par._p.append(ref)
            pos = m.end()
        if pos < len(text):
            par.add_run(text[pos:])

    # -- numbering restart for each "List Number" list ------------------------
    numbering = d.part.numbering_part.element
    ln_style = d.styles["List Number"]
    base_num_id = ln_style.element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(base_num_id).abstractNumId.val
    first_numbered = True

    heading_map = {"title": "Heading 1", "h1": "Heading 2", "h2": "Heading 3", "h3": "Heading 4"}
    in_signature = False
    for b in src.blocks:
        if b.kind == "meta":
            if b.name == "signature":
                d.add_paragraph()
                for line in b.items:
                    p = d.add_paragraph(line)
                    p.paragraph_format.space_after = Pt(0)
            elif b.name == "contact":
                d.add_paragraph()
                for line in b.items:
                    p = d.add_paragraph()
                    r = p.add_run(line)
                    r.font.size = Pt(9)
            continue
        if b.kind in heading_map:
            d.add_heading(b.text, level=int(heading_map[b.kind][-1]))
        elif b.kind == "para":
            add_text(d.add_paragraph(), b.text)
        elif b.kind == "quote":
            for item in b.items:
                add_text(d.add_paragraph(style="Quote"), item)
        elif b.kind == "bullets":
            for item in b.items:
                add_text(d.add_paragraph(style="List Bullet"), item)
        elif b.kind == "numbers":
            num_id = None
            if not first_numbered:
                num = numbering.add_num(abstract_id)
                num.add_lvlOverride(0).add_startOverride(1)
                num_id = num.numId
            first_numbered = False
            for item in b.items:
                p = d.add_paragraph(style="List Number")
                if num_id is not None:
                    numpr = p._p.get_or_add_pPr().get_or_add_numPr()
                    numpr.get_or_add_ilvl().val = 0
                    numpr.get_or_add_numId().val = num_id
                add_text(p, item)
        elif b.kind == "table":
            rows = b.items
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = d.styles["Table Grid"]
            for ri, row in enumerate(rows):
                for ci, cell_text in enumerate(row):
                    cell = t.cell(ri, ci)
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(cell_text)
                    run.font.size = Pt(9.5)
                    if ri == 0:
                        run.bold = True
            d.add_paragraph()
        else:
            raise ValueError(b.kind)

    if fn_ids:
        parts = [
            f'<w:footnotes xmlns:w="{W_NS}">',
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
        ]
        for key, num in sorted(fn_ids.items(), key=lambda kv: kv[1]):
            text = html.escape(src.footnotes[key], quote=False)
            parts.append(
                f'<w:footnote w:id="{num}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
                f'</w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
            )
        parts.append("</w:footnotes>")
        blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(parts)).encode("utf-8")
        fn_part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, d.part.package)
        d.part.relate_to(fn_part, RT.FOOTNOTES)
        # settings: declare the separator footnotes, as Word does
        settings = d.settings.element
        fpr = parse_xml(
            f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        )
        compat = settings.find(qn("w:compat"))
        compat.addprevious(fpr)

    # -- core properties (fixed, for deterministic output) --------------------
    cp = d.core_properties
    cp.author = src.meta.get("author", src.meta["respondent"])
    cp.last_modified_by = cp.author
    cp.title = src.meta.get("title", "")
    cp.subject = "Strategiske føringer for Osloregionen IPR 2025–2028"
    cp.comments = NOTICE
    cp.keywords = "høring; Osloregionen"
    cp.language = lang
    cp.revision = 3
    cp.created = fixed_datetime(src, 9, 5)
    cp.modified = fixed_datetime(src, 14, 40)

    buf = io.BytesIO()
    d.save(buf)
    return normalize_zip(buf.getvalue(), fixed_datetime(src, 14, 40))


# ==========================================================================
# ODT
# ==========================================================================
def render_odt(src: Source) -> bytes:
    from odf import dc, meta, style, text
    from odf.opendocument import OpenDocumentText
    from odf.style import (FontFace, GraphicProperties, HeaderStyle, FooterStyle, HeaderFooterProperties,
                           ListLevelProperties, MasterPage, PageLayout, PageLayoutProperties,
                           ParagraphProperties, Style, TextProperties)
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListStyle, P, Span

    doc = OpenDocumentText()
    lang, country = lang_tag(src).split("-")

    doc.fontfacedecls.addElement(FontFace(name="Liberation Serif", fontfamily="'Liberation Serif'",
                                          fontfamilygeneric="roman", fontpitch="variable"))
    doc.fontfacedecls.addElement(FontFace(name="Liberation Sans", fontfamily="'Liberation Sans'",
                                          fontfamilygeneric="swiss", fontpitch="variable"))

    # page layout with header and footer
    pl = PageLayout(name="A4")
    pl.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margintop="2cm",
                                       marginbottom="2cm", marginleft="2.5cm", marginright="2.5cm",
                                       printorientation="portrait"))
    hs = HeaderStyle()
    hs.addElement(HeaderFooterProperties(minheight="0.6cm", marginbottom="0.4cm"))
    pl.addElement(hs)
    fs = FooterStyle()
    fs.addElement(HeaderFooterProperties(minheight="0.6cm", margintop="0.4cm"))
    pl.addElement(fs)
    doc.automaticstyles.addElement(pl)

    def pstyle(name, family="paragraph", parent=None, bold=False, size="11pt", italic=False,
               margin_left=None, after="0.2cm", before="0cm", align=None, color=None, outline=None,
               automatic=False, font="Liberation Serif"):
        kw = {"name": name, "family": family}
        if parent:
            kw["parentstylename"] = parent
        if outline:
            kw["defaultoutlinelevel"] = str(outline)
        st = Style(**kw)
        ppk = {"marginbottom": after, "margintop": before}
        if margin_left:
            ppk["marginleft"] = margin_left
        if align:
            ppk["textalign"] = align
        st.addElement(ParagraphProperties(**ppk))
        tpk = {"fontsize": str(size), "fontname": font, "language": lang, "country": country}
        if bold:
            tpk["fontweight"] = "bold"
        if italic:
            tpk["fontstyle"] = "italic"
        if color:
            tpk["color"] = color
        st.addElement(TextProperties(**tpk))
        (doc.automaticstyles if automatic else doc.styles).addElement(st)
        return st

    s_std = pstyle("Standard")
    s_body = pstyle("Text_20_body", parent="Standard", after="0.25cm")
    s_body.setAttribute("displayname", "Text body")
    s_h = {}
    for lvl, size in ((1, "14pt"), (2, "12.5pt"), (3, "11.5pt")):
        st = pstyle(f"Heading_20_{lvl}", parent="Standard", bold=True, size=size, before="0.35cm",
                    after="0.15cm", outline=lvl, font="Liberation Sans")
        st.setAttribute("displayname", f"Heading {lvl}")
        st.setAttribute("nextstylename", "Text_20_body")
        s_h[lvl] = st
    s_quote = pstyle("Quotations", parent="Standard", italic=True, margin_left="1cm", after="0.15cm")
    s_lhead = pstyle("Letterhead", parent="Standard", bold=True, size="16pt", color="#1f3a5f",
                     font="Liberation Sans")
    s_lsub = pstyle("Letterhead_20_sub", parent="Standard", size="9pt", color="#444444",
                    font="Liberation Sans")
    s_right = pstyle("Date_20_line", parent="Standard", align="end", after="0.4cm")
    s_small = pstyle("Small", parent="Standard", size="9pt")
    s_list = pstyle("List_20_Paragraph", parent="Standard", after="0.1cm")
    s_header = pstyle("Header", parent="Standard", size="9pt", align="end", color="#555555",
                      font="Liberation Sans")
    s_footer = pstyle("Footer", parent="Standard", size="8pt", italic=True, font="Liberation Sans")

    bullet_char = src.meta.get("bullet", "•")
    ls = ListStyle(name="Bullets")
    llb = ListLevelStyleBullet(level=1, bulletchar=bullet_char)
    llb.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
    ls.addElement(llb)
    doc.styles.addElement(ls)

    mp = MasterPage(name="Standard", pagelayoutname=pl)
    hdr = style.Header()
    hdr.addElement(P(stylename=s_header, text=src.meta["respondent"]))
    mp.addElement(hdr)
    ftr = style.Footer()
    ftr.addElement(P(stylename=s_footer, text=NOTICE))
    mp.addElement(ftr)
    doc.masterstyles.addElement(mp)

    body = doc.text
    lh = src.block("letterhead")
    body.addElement(P(stylename=s_lhead, text=lh[0]))
    for line in lh[1:]:
        body.addElement(P(stylename=s_lsub, text=line))
    body.addElement(P(stylename=s_std))
    for line in src.block("recipient"):
        body.addElement(P(stylename=s_std, text=line))
    body.addElement(P(stylename=s_std))
    for line in src.block("refs"):
        body.addElement(P(stylename=s_std, text=line))
    for line in src.block("dateline"):
        body.addElement(P(stylename=s_right, text=line))

    level = {"title": 1, "h1": 2, "h2": 3, "h3": 3}
    for b in src.blocks:
        if b.kind == "meta":
            if b.name in ("signature", "contact"):
                body.addElement(P(stylename=s_std))
                for line in b.items:
                    body.addElement(P(stylename=s_small if b.name == "contact" else s_std, text=line))
            continue
        if b.kind in level:
            body.addElement(H(outlinelevel=level[b.kind], stylename=s_h[level[b.kind]],
                              text=strip_footnotes(src, b.text)))
        elif b.kind == "para":
            body.addElement(P(stylename=s_body, text=strip_footnotes(src, b.text)))
        elif b.kind == "quote":
            for item in b.items:
                body.addElement(P(stylename=s_quote, text=item))
        elif b.kind in ("bullets", "numbers"):
            if b.kind == "bullets":
                lst = List(stylename=ls)
                for item in b.items:
                    li = ListItem()
                    li.addElement(P(stylename=s_list, text=strip_footnotes(src, item)))
                    lst.addElement(li)
                body.addElement(lst)
            else:
                for n, item in enumerate(b.items, 1):
                    body.addElement(P(stylename=s_list, text=f"{n}. {strip_footnotes(src, item)}"))
        else:
            raise ValueError(f"ODT renderer does not support {b.kind}")

    # meta data (fixed)
    doc.meta.addElement(dc.Title(text=src.meta.get("title", "")))
    doc.meta.addElement(dc.Creator(text=src.meta.get("author", src.meta["respondent"])))
    doc.meta.addElement(meta.InitialCreator(text=src.meta.get("author", src.meta["respondent"])))
    doc.meta.addElement(dc.Description(text=NOTICE))
    doc.meta.addElement(dc.Language(text=lang_tag(src)))
    doc.meta.addElement(meta.CreationDate(text=fixed_datetime(src, 8, 50).isoformat()))
    doc.meta.addElement(dc.Date(text=fixed_datetime(src, 13, 25).isoformat()))

    buf = io.BytesIO()
    doc.write(buf)
    return normalize_zip(buf.getvalue(), fixed_datetime(src, 13, 25), first="mimetype")


# ==========================================================================
# Page layout shared by the text PDF and the scanned PDF (units: points)
# ==========================================================================
PAGE_W, PAGE_H = 595.2756, 841.8898  # A4
MARGIN_L, MARGIN_R = 70.0, 62.0
BODY_TOP_FIRST = None  # computed from letterhead
BODY_TOP = PAGE_H - 82
BODY_BOTTOM = 78
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R

FONTS = {
    "serif": "DejaVuSerif.ttf",
    "serif-b": "DejaVuSerif-Bold.ttf",
    "serif-i": "DejaVuSerif-Italic.ttf",
    "sans": "DejaVuSans.ttf",
    "sans-b": "DejaVuSans-Bold.ttf",
    "sans-i": "DejaVuSans-Oblique.ttf",
}
_FONTS_REGISTERED = False


def register_fonts():
    global _FONTS_REGISTERED
    if _FONTS_REGISTERED:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for key, fname in FONTS.items():
        pdfmetrics.registerFont(TTFont(key, str(FONT_DIR / fname)))
    _FONTS_REGISTERED = True


def text_width(font: str, size: float, s: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return stringWidth(s, font, size)


@dataclass
class TextOp:
    x: float
    y: float
    font: str
    size: float
    text: str
    align: str = "left"  # left | right
    color: tuple = (0, 0, 0)


@dataclass
class LineOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.6
    color: tuple = (0.3, 0.3, 0.3)


@dataclass
class RectOp:
    x: float
    y: float
    w: float
    h: float
    color: tuple


def hyphen_points(word: str) -> tuple[int, int, list[int]]:
    """Return (core_start, core_end, break indices in word) for a word."""
    a, b = 0, len(word)
    while a < b and word[a] in PUNCT:
        a += 1
    while b > a and word[b - 1] in PUNCT:
        b -= 1
    core = word[a:b]
    if "-" in core or "–" in core:
        return a, b, []
    pts = HYPH.get(core.lower(), [])
    return a, b, [a + p for p in pts if 2 <= p <= len(core) - 2]


def wrap(text: str, font: str, size: float, width: float, hyphenate: bool = True,
         stats: dict | None = None) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    i = 0
    while i < len(words):
        w = words[i]
        cand = w if not cur else cur + " " + w
        if text_width(font, size, cand) <= width:
            cur = cand
            i += 1
            continue
        if hyphenate and cur:
            _, _, pts = hyphen_points(w)
            done = False
            for p in reversed(pts):
                head = w[:p] + "-"
                if text_width(font, size, cur + " " + head) <= width:
                    lines.append(cur + " " + head)
                    if stats is not None:
                        stats.setdefault("hyphenated", []).append(w)
                    words[i] = w[p:]
                    cur = ""
                    done = True
                    break
            if done:
                continue
        if cur:
            lines.append(cur)
            cur = ""
        else:  # a single word longer than the line: put it alone
            lines.append(w)
            i += 1
    if cur:
        lines.append(cur)
    return lines


def layout_letter(src: Source, stats: dict) -> list[list]:
    """Lay out a letter into pages of drawing ops (without header/footer)."""
    pages: list[list] = [[]]
    ops = pages[0]
    bullet = src.meta.get("bullet", "•")
    blue = (0.12, 0.23, 0.37)

    # --- letterhead (page 1) ---
    lh = src.block("letterhead")
    top = PAGE_H - 56
    ops.append(RectOp(MARGIN_L, top - 30, 30, 36, blue))
    ops.append(RectOp(MARGIN_L + 8, top - 22, 14, 20, (1, 1, 1)))
    ops.append(TextOp(MARGIN_L + 42, top - 8, "sans-b", 16, lh[0], color=blue))
    y = top - 22
    for line in lh[1:]:
        ops.append(TextOp(MARGIN_L + 42, y, "sans", 8.2, line, color=(0.3, 0.3, 0.3)))
        y -= 10.5
    y = min(y, top - 36) - 6
    ops.append(LineOp(MARGIN_L, y, PAGE_W - MARGIN_R, y, 0.8, blue))

    # --- recipient (left) and references (right) ---
    y -= 26
    y_left = y
    for line in src.block("recipient"):
        ops.append(TextOp(MARGIN_L, y_left, "serif", 10.5, line))
        y_left -= 14
    ref_w = max([text_width("sans", 8.6, t) for t in src.block("refs")]
                + [text_width("sans", 9.5, t) for t in src.block("dateline")] + [150])
    x_ref = min(PAGE_W - MARGIN_R - ref_w, PAGE_W - MARGIN_R - 190)
    y_right = y
    for line in src.block("refs"):
        ops.append(TextOp(x_ref, y_right, "sans", 8.6, line))
        y_right -= 12
    y_right -= 6
    for line in src.block("dateline"):
        ops.append(TextOp(x_ref, y_right, "sans", 9.5, line))
        y_right -= 13
    y = min(y_left, y_right) - 22

    def new_page():
        nonlocal ops, y
        pages.append([])
        ops = pages[-1]
        y = BODY_TOP

    def need(h):
        if y - h < BODY_BOTTOM:
            new_page()

    def emit_lines(lines, x, font, size, lead, first_prefix=None, prefix_x=None):
        nonlocal y
        for k, line in enumerate(lines):
            need(lead)
            if k == 0 and first_prefix:
                ops.append(TextOp(prefix_x, y, font, size, first_prefix))
            ops.append(TextOp(x, y, font, size, line))
            y -= lead

    body_font, body_size, lead = "serif", 10.3, 14.2
    notes: list[str] = []

    def prep(t):
        def repl(m):
            notes.append(m.group(1))
            return f" [{m.group(1)}]"
        return FN_RE.sub(repl, t)

    for b in src.blocks:
        if b.kind == "meta":
            if b.name == "signature":
                height = 14 + 14 * len(b.items)
                need(height + 10)
                y -= 6
                for line in b.items:
                    if line:
                        ops.append(TextOp(MARGIN_L, y, body_font, body_size, line))
                    y -= 14 if line else 10
            elif b.name == "contact":
                need(12 * len(b.items) + 8)
                y -= 6
                for line in b.items:
                    ops.append(TextOp(MARGIN_L, y, "sans", 8.3, line, color=(0.25, 0.25, 0.25)))
                    y -= 11
            continue
        if b.kind == "title":
            lines = wrap(b.text, "sans-b", 12.5, TEXT_W, False)
            need(18 * len(lines) + 3 * lead)
            for line in lines:
                ops.append(TextOp(MARGIN_L, y, "sans-b", 12.5, line))
                y -= 17
            y -= 8
        elif b.kind in ("h1", "h2", "h3"):
            size = 11 if b.kind == "h1" else 10.4
            lines = wrap(b.text, "sans-b", size, TEXT_W, False)
            y -= 7
            need(15 * len(lines) + 3 * lead)
            for line in lines:
                ops.append(TextOp(MARGIN_L, y, "sans-b", size, line))
                y -= 15
            y -= 2
        elif b.kind == "para":
            lines = wrap(prep(b.text), body_font, body_size, TEXT_W, True, stats)
            if len(lines) <= 3:
                need(lead * len(lines))
            emit_lines(lines, MARGIN_L, body_font, body_size, lead)
            y -= 6
        elif b.kind == "quote":
            for item in b.items:
                lines = wrap(item, "serif-i", body_size, TEXT_W - 40, True, stats)
                emit_lines(lines, MARGIN_L + 22, "serif-i", body_size, lead)
                y -= 3
            y -= 5
        elif b.kind in ("bullets", "numbers"):
            for n, item in enumerate(b.items, 1):
                indent = 16 if b.kind == "bullets" else 19
                mark = bullet if b.kind == "bullets" else f"{n}."
                lines = wrap(prep(item), body_font, body_size, TEXT_W - indent - 6, True, stats)
                if len(lines) <= 3:
                    need(lead * len(lines))
                emit_lines(lines, MARGIN_L + 6 + indent, body_font, body_size, lead, mark, MARGIN_L + 6)
                y -= 3
            y -= 5
        else:
            raise ValueError(f"PDF layout does not support {b.kind}")

    if notes:
        y -= 8
        need(lead * (len(notes) + 1))
        ops.append(LineOp(MARGIN_L, y + 8, MARGIN_L + 120, y + 8))
        for key in notes:
            lines = wrap(f"[{key}] {src.footnotes[key]}", "serif", 8.5, TEXT_W, False)
            emit_lines(lines, MARGIN_L, "serif", 8.5, 11)
    return pages


def page_furniture(src: Source, n: int, total: int) -> list:
    ops = []
    if n > 1:
        ops.append(TextOp(MARGIN_L, PAGE_H - 48, "sans", 8.3, src.meta["running_header"],
                          color=(0.3, 0.3, 0.3)))
        ops.append(LineOp(MARGIN_L, PAGE_H - 54, PAGE_W - MARGIN_R, PAGE_H - 54, 0.5))
    ops.append(LineOp(MARGIN_L, 52, PAGE_W - MARGIN_R, 52, 0.5))
    ops.append(TextOp(MARGIN_L, 40, "sans-i", 7.6, NOTICE, color=(0.3, 0.3, 0.3)))
    ops.append(TextOp(PAGE_W - MARGIN_R, 40, "sans", 8.5, f"Side {n} av {total}", align="right"))
    return ops


# ==========================================================================
# Text PDF (reportlab)
# ==========================================================================
def render_pdf(src: Source, stats: dict) -> tuple[bytes, int]:
    import reportlab.rl_config
    reportlab.rl_config.invariant = 1
    from reportlab.pdfgen import canvas

    register_fonts()
    pages = layout_letter(src, stats)
    total = len(pages)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(src.meta.get("title", ""))
    c.setAuthor(src.meta.get("author", src.meta["respondent"]))
    c.setSubject(NOTICE)
    c.setCreator("hearing-analysis examples/osloregionen-2024/render.py")
    stamp = fixed_datetime(src, 14, 30).strftime("D:%Y%m%d%H%M%S+02'00'")
    c.setDateFormatter(lambda *args: stamp)
    for n, ops in enumerate(pages, 1):
        for op in ops + page_furniture(src, n, total):
            if isinstance(op, TextOp):
                c.setFillColorRGB(*op.color)
                c.setFont(op.font, op.size)
                if op.align == "right":
                    c.drawRightString(op.x, op.y, op.text)
                else:
                    c.drawString(op.x, op.y, op.text)
            elif isinstance(op, LineOp):
                c.setStrokeColorRGB(*op.color)
                c.setLineWidth(op.width)
                c.line(op.x1, op.y1, op.x2, op.y2)
            elif isinstance(op, RectOp):
                c.setFillColorRGB(*op.color)
                c.rect(op.x, op.y, op.w, op.h, stroke=0, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue(), total


# ==========================================================================
# Scanned, image-only PDF (Pillow)
# ==========================================================================
def render_scan(src: Source, stats: dict) -> tuple[bytes, int]:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    register_fonts()
    dpi = 300
    k = dpi / 72.0
    wpx, hpx = round(PAGE_W * k), round(PAGE_H * k)  # 2480 x 3508
    pages = layout_letter(src, stats)
    total = len(pages)
    font_cache: dict = {}

    def pil_font(name, size):
        key = (name, size)
        if key not in font_cache:
            font_cache[key] = ImageFont.truetype(str(FONT_DIR / FONTS[name]), round(size * k))
        return font_cache[key]

    seed = int(hashlib.sha256(src.meta["file"].encode()).hexdigest()[:8], 16)
    rng = np.random.default_rng(seed)
    images = []
    for n, ops in enumerate(pages, 1):
        img = Image.new("L", (wpx, hpx), 255)
        dr = ImageDraw.Draw(img)
        for op in ops + page_furniture(src, n, total):
            if isinstance(op, TextOp):
                gray = round(255 * (0.299 * op.color[0] + 0.587 * op.color[1] + 0.114 * op.color[2]))
                dr.text((op.x * k, (PAGE_H - op.y) * k), op.text, font=pil_font(op.font, op.size),
                        fill=gray, anchor="rs" if op.align == "right" else "ls")
            elif isinstance(op, LineOp):
                dr.line([(op.x1 * k, (PAGE_H - op.y1) * k), (op.x2 * k, (PAGE_H - op.y2) * k)],
                        fill=60, width=max(1, round(op.width * k)))
            elif isinstance(op, RectOp):
                gray = round(255 * (0.299 * op.color[0] + 0.587 * op.color[1] + 0.114 * op.color[2]))
                dr.rectangle([op.x * k, (PAGE_H - op.y - op.h) * k, (op.x + op.w) * k, (PAGE_H - op.y) * k],
                             fill=gray)
        # scanner look: slight blur, off-white paper, tiny rotation, light noise
        img = img.filter(ImageFilter.GaussianBlur(0.7))
        arr = np.asarray(img, dtype=np.float32)
        arr = 22 + arr * (240 - 22) / 255.0  # black -> 22, white -> 240
        arr += rng.normal(0.0, 4.0, arr.shape)
        specks = rng.random(arr.shape) < 0.00025
        arr[specks] -= rng.uniform(60, 140, int(specks.sum()))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
        angle = float(rng.uniform(-0.45, 0.45))
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=238)
        images.append(img)

    when = fixed_datetime(src, 0, 0) + dt.timedelta(days=1, hours=8, minutes=47)
    stamp = time.struct_time((when.year, when.month, when.day, when.hour, when.minute, 0, 0, 1, 0))
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   quality=72, title="", author="", creator="Scan to PDF", producer="Scanner",
                   creationDate=stamp, modDate=stamp)
    return buf.getvalue(), total


# ==========================================================================
# E-mail
# ==========================================================================
def plain_text(src: Source) -> str:
    """The whole response as plain text (for a response in the e-mail body)."""
    out: list[str] = []
    bullet = "-"
    for b in src.blocks:
        if b.kind == "meta":
            if b.name in ("greeting", "dateline", "signature", "contact"):
                out.extend(b.items)
                out.append("")
            continue
        if b.kind in ("title", "h1", "h2", "h3"):
            out.append(b.text)
            out.append("")
        elif b.kind == "para":
            out.append(b.text)
            out.append("")
        elif b.kind == "quote":
            out.extend(f"  {t}" for t in b.items)
            out.append("")
        elif b.kind == "bullets":
            out.extend(f"{bullet} {t}" for t in b.items)
            out.append("")
        elif b.kind == "numbers":
            out.extend(f"{n}. {t}" for n, t in enumerate(b.items, 1))
            out.append("")
        else:
            raise ValueError(b.kind)
    out.append(NOTICE)
    out.append("")
    quoted = src.block("quoted")
    if quoted:
        out.append("________________________________")
        out.extend(quoted)
    return "\n".join(out).rstrip("\n") + "\n"


def html_text(src: Source) -> str:
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>',
           '<body lang="NO-BOK" style="font-family:Calibri,sans-serif;font-size:11pt">']
    for b in src.blocks:
        if b.kind == "meta":
            if b.name in ("greeting", "dateline", "signature", "contact"):
                paras = "\n".join(b.items).split("\n\n")
                for p in paras:
                    out.append("<p>" + "<br>\n".join(e(x) for x in p.split("\n")) + "</p>")
            continue
        if b.kind == "title":
            out.append(f"<p><b>{e(b.text)}</b></p>")
        elif b.kind in ("h1", "h2", "h3"):
            out.append(f"<p><b><u>{e(b.text)}</u></b></p>")
        elif b.kind == "para":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "quote":
            out.append("<blockquote>" + "".join(f"<p>{e(t)}</p>" for t in b.items) + "</blockquote>")
        elif b.kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + "</ul>")
        elif b.kind == "numbers":
            out.append("<ol>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + "</ol>")
    out.append(f"<p><i>{e(NOTICE)}</i></p>")
    quoted = src.block("quoted")
    if quoted:
        out.append('<hr><div style="color:#444">')
        paras = "\n".join(quoted).split("\n\n")
        for p in paras:
            out.append("<p>" + "<br>\n".join(e(x) for x in p.split("\n")) + "</p>")
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def base_email(src: Source) -> EmailMessage:
    em = src.meta["email"]
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = em["from"]
    msg["To"] = em["to"]
    if em.get("cc"):
        msg["Cc"] = em["cc"]
    msg["Subject"] = em["subject"]
    msg["Date"] = em["date"]
    msg["Message-ID"] = em["message_id"]
    if em.get("in_reply_to"):
        msg["In-Reply-To"] = em["in_reply_to"]
        msg["References"] = em["in_reply_to"]
    msg["X-Mailer"] = "Microsoft Outlook 16.0"
    msg["Content-Language"] = lang_tag(src)
    return msg


def email_bytes(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=email.policy.default.clone(linesep="\n"))


def render_eml_attachment(src: Source, stats: dict) -> bytes:
    msg = base_email(src)
    cover = "\n".join(src.block("cover")).strip("\n") + "\n\n" + NOTICE + "\n"
    msg.set_content(cover)
    fmt = src.meta["email"]["attachment_format"]
    if fmt == "docx":
        data = render_docx(src)
        mt, st = "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        data, _ = render_pdf(src, stats)
        mt, st = "application", "pdf"
    else:
        raise ValueError(fmt)
    msg.add_attachment(data, maintype=mt, subtype=st, filename=src.meta["email"]["attachment"])
    msg.set_boundary("----=_NextPart_000_0017_01DABB0E.5C3F4E20")
    return email_bytes(msg)


def render_eml_body(src: Source) -> bytes:
    msg = base_email(src)
    msg.set_content(plain_text(src))
    msg.add_alternative(html_text(src), subtype="html")
    msg.set_boundary("----=_NextPart_000_0042_01DABA9C.1E2F7A60")
    return email_bytes(msg)


# ==========================================================================
# Main
# ==========================================================================
def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(v)


def received_date(src: Source) -> dt.date:
    if src.meta["format"].startswith("eml"):
        return email.utils.parsedate_to_datetime(src.meta["email"]["date"]).date()
    return dt.date.fromisoformat(src.meta["wave"])


def set_mtime(path: Path, day: dt.date) -> None:
    """Give the file the received date as modification time (not kept by git)."""
    ts = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))).timestamp()
    os.utime(path, (ts, ts))


def main() -> int:
    sources = [parse_source(p) for p in sorted(SOURCE_DIR.glob("*.md"))]
    if INBOX_DIR.exists():
        shutil.rmtree(INBOX_DIR)
    entries: list[dict] = []
    report: list[str] = []
    for src in sources:
        m = src.meta
        stats: dict = {}
        fmt = m["format"]
        pages = None
        if fmt == "docx":
            data = render_docx(src)
        elif fmt == "odt":
            data = render_odt(src)
        elif fmt == "pdf":
            data, pages = render_pdf(src, stats)
        elif fmt == "scan":
            data, pages = render_scan(src, stats)
        elif fmt == "eml-attachment":
            data = render_eml_attachment(src, stats)
        elif fmt == "eml-body":
            data = render_eml_body(src)
        else:
            raise ValueError(f"{src.path.name}: unknown format {fmt}")

        rel = Path("inbox") / m["wave"] / m["file"]
        out = HERE / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        received = received_date(src)
        set_mtime(out, received)
        deadline = EXTENSIONS.get(m["respondent"], DEADLINE)
        entry = {
            "path": rel.as_posix(),
            "wave": m["wave"],
            "source": f"source/{src.path.name}",
            "respondent": m["respondent"],
            "respondent_type": m["respondent_type"],
            "language": m["language"],
            "format": fmt,
            "letter_date": m["letter_date"],
            "received": received,
            "late": received > deadline,
        }
        if fmt.startswith("eml"):
            entry["email_date"] = m["email"]["date"]
        if fmt == "eml-attachment":
            entry["attachment"] = m["email"]["attachment"]
            entry["attachment_format"] = m["email"]["attachment_format"]
        if m.get("joint_with"):
            entry["joint_with"] = m["joint_with"]
        if pages is not None:
            entry["pages"] = pages
        entries.append(entry)
        hy = stats.get("hyphenated", [])
        report.append(f"{rel.as_posix()}  [{fmt}{'' if pages is None else f', {pages} s.'}]"
                      + (f"  orddeling: {', '.join(hy)}" if hy else ""))

        for cp in m.get("copies", []):
            crel = Path("inbox") / cp["wave"] / cp["file"]
            (HERE / crel).parent.mkdir(parents=True, exist_ok=True)
            (HERE / crel).write_bytes(data)
            set_mtime(HERE / crel, dt.date.fromisoformat(cp["wave"]))
            cent = dict(entry)
            cent["path"] = crel.as_posix()
            cent["wave"] = cp["wave"]
            cent["received"] = dt.date.fromisoformat(cp["wave"])
            cent["late"] = cent["received"] > deadline
            cent["duplicate_of"] = rel.as_posix()
            entries.append(cent)
            report.append(f"{crel.as_posix()}  [kopi av {rel.as_posix()}]")

    entries.sort(key=lambda e: e["path"])
    lines = [
        "# Generated by render.py – do not edit by hand.",
        "# One [[files]] entry per file under inbox/. Dates are TOML local dates.",
        "# received: the wave folder's date, or for .eml files the date of the Date header.",
        "# late: received after the deadline (2024-05-29; Asker kommune and Nittedal kommune",
        "# were granted extension to 2024-06-12), judged on each file's own received date.",
        "",
        f"consultation = {toml_value('Strategiske føringer for Osloregionen IPR 2025–2028')}",
        f"deadline = {DEADLINE.isoformat()}",
        "",
        "[extensions]",
    ]
    for name, d in EXTENSIONS.items():
        lines.append(f"{toml_value(name)} = {d.isoformat()}")
    order = ["path", "wave", "source", "respondent", "respondent_type", "language", "format", "letter_date",
             "received", "late", "email_date", "attachment", "attachment_format", "joint_with",
             "duplicate_of", "pages"]
    for e in entries:
        lines.append("")
        lines.append("[[files]]")
        for key in order:
            if key in e:
                lines.append(f"{key} = {toml_value(e[key])}")
    MANIFEST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(report))
    print(f"{len(entries)} filer skrevet til {INBOX_DIR.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
