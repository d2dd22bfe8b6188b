"""DOCX: body in order (headings, lists, tables), footnotes at the end, header/footer apart."""
from __future__ import annotations

import io

from ..errors import IngestError
from ..records import Extracted, Page
from ._zipguard import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _numbering_formats(doc) -> dict[str, dict[str, str]]:
    """numId -> {ilvl -> numFmt} from numbering.xml."""
    try:
        numbering = doc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[str, str]] = {}
    for an in numbering.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in an.iter(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            levels[lvl.get(f"{W}ilvl")] = fmt.get(f"{W}val") if fmt is not None else "decimal"
        abstract[an.get(f"{W}abstractNumId")] = levels
    out = {}
    for num in numbering.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            out[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})
    return out


def _num_pr(p, styles):
    """(numId, ilvl) of a paragraph, directly or through its style."""
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        npr = ppr.find(f"{W}numPr")
        if npr is not None:
            nid, lvl = npr.find(f"{W}numId"), npr.find(f"{W}ilvl")
            if nid is not None:
                return nid.get(f"{W}val"), lvl.get(f"{W}val") if lvl is not None else "0"
        style = ppr.find(f"{W}pStyle")
        if style is not None:
            return styles.get(style.get(f"{W}val"))
    return None


def _style_info(doc) -> tuple[dict, dict]:
    """style id -> (numId, ilvl) and style id -> style name."""
    numbered, names = {}, {}
    for st in doc.styles.element.iter(f"{W}style"):
        sid = st.get(f"{W}styleId")
        name = st.find(f"{W}name")
        names[sid] = name.get(f"{W}val") if name is not None else sid
        npr = st.find(f"{W}pPr/{W}numPr")
        if npr is not None and npr.find(f"{W}numId") is not None:
            lvl = npr.find(f"{W}ilvl")
            numbered[sid] = (npr.find(f"{W}numId").get(f"{W}val"), lvl.get(f"{W}val") if lvl is not None else "0")
    return numbered, names


def _para_text(p) -> tuple[str, bool, bool]:
    """Text of a paragraph element; whether a page break comes before / after it."""
    parts, before, after = [], False, False
    seen_text = False
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t" and el.text:
            parts.append(el.text)
            seen_text = True
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            if el.get(f"{W}type") == "page":
                if seen_text:
                    after = True
                else:
                    before = True
            else:
                parts.append("\n")
        elif tag == f"{W}lastRenderedPageBreak":
            if seen_text:
                after = True
            else:
                before = True
        elif tag == f"{W}footnoteReference":
            parts.append(f"[{el.get(f'{W}id')}]")
    return "".join(parts).strip(), before, after


def _marker(fmt: str, counter: int) -> str:
    if fmt == "bullet":
        return "• "
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (counter - 1) % 26)
        return f"{letter if fmt == 'lowerLetter' else letter.upper()}) "
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][(counter - 1) % 10]
        return f"{roman if fmt == 'lowerRoman' else roman.upper()}. "
    if fmt == "none":
        return ""
    return f"{counter}. "


def _table_text(tbl) -> list[str]:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        cells = []
        for tc in tr.findall(f"{W}tc"):
            cell = " ".join(t for t in (_para_text(p)[0] for p in tc.iter(f"{W}p")) if t)
            cells.append(cell)
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _footnotes(doc) -> list[str]:
    out = []
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            from lxml import etree

            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(rel.target_part.blob, parser)
            for fn in root.iter(f"{W}footnote"):
                fid = fn.get(f"{W}id")
                if fn.get(f"{W}type") in ("separator", "continuationSeparator") or fid in ("-1", "0"):
                    continue
                text = " ".join(t for t in (_para_text(p)[0] for p in fn.iter(f"{W}p")) if t)
                if text:
                    out.append(f"[{fid}] {text}")
    return out


def _header_footer(doc) -> list[str]:
    lines = []
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            try:
                if part.is_linked_to_previous and part is not section.header and part is not section.footer:
                    continue
                for p in part.paragraphs:
                    if p.text.strip() and p.text.strip() not in lines:
                        lines.append(p.text.strip())
            except (AttributeError, KeyError, ValueError):
                continue
    return lines


def read_docx(data: bytes) -> Extracted:
    """Extract a DOCX body page by page (where Word recorded page breaks)."""
    check_zip(data)
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise IngestError(f"DOCX-filen kan ikke åpnes ({type(e).__name__}: {e}).") from e
    numbering = _numbering_formats(doc)
    numbered_styles, style_names = _style_info(doc)
    counters: dict[tuple[str, str], int] = {}
    pages: list[list[str]] = [[]]
    body = doc.element.body
    for el in body.iterchildren():
        if el.tag == f"{W}sdt":
            children = list(el.iter(f"{W}p"))
        elif el.tag in (f"{W}p", f"{W}tbl"):
            children = [el]
        else:
            continue
        for child in children:
            if child.tag == f"{W}tbl":
                rows = _table_text(child)
                if rows:
                    pages[-1].append("\n".join(rows))
                continue
            text, before, after = _para_text(child)
            if before and any(pages[-1]):
                pages.append([])
            if text:
                num = _num_pr(child, numbered_styles)
                style = child.find(f"{W}pPr/{W}pStyle")
                sname = style_names.get(style.get(f"{W}val"), "") if style is not None else ""
                if num and num[0] != "0":
                    fmt = numbering.get(num[0], {}).get(num[1], "bullet" if "Bullet" in sname else "decimal")
                    key = (num[0], num[1])
                    counters[key] = counters.get(key, 0) + 1
                    # deeper levels restart when a shallower item comes
                    for k in [k for k in counters if k[0] == num[0] and int(k[1]) > int(num[1])]:
                        del counters[k]
                    text = _marker(fmt, counters[key]) + text
                pages[-1].append(text)
            if after:
                pages.append([])
    notes = _footnotes(doc)
    if notes:
        pages[-1].append("Fotnoter:\n" + "\n".join(notes))
    texts = ["\n\n".join(p) for p in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    return Extracted(
        kind="docx",
        pages=[Page(i + 1, t) for i, t in enumerate(texts)],
        furniture="\n".join(_header_footer(doc)),
    )
