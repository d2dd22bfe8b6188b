"""ODT (OpenDocument text): headings, paragraphs, lists and tables in order."""
from __future__ import annotations

import io

from ..errors import IngestError
from ..records import Extracted, Page
from ._zipguard import check_zip

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _inline(node, notes: list[str]) -> str:
    """Text of a paragraph-like node, with spaces, tabs and line breaks."""
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(child.data)
        elif child.qname == (TEXT_NS, "s"):
            out.append(" " * int(child.attributes.get((TEXT_NS, "c"), 1)))
        elif child.qname == (TEXT_NS, "tab"):
            out.append("\t")
        elif child.qname == (TEXT_NS, "line-break"):
            out.append("\n")
        elif child.qname in ((TEXT_NS, "note"),):
            body = [c for c in child.childNodes if c.qname == (TEXT_NS, "note-body")]
            cit = [c for c in child.childNodes if c.qname == (TEXT_NS, "note-citation")]
            mark = _inline(cit[0], notes) if cit else "*"
            out.append(f"[{mark}]")
            if body:
                notes.append(f"[{mark}] " + " ".join(_blocks(body[0], notes)))
        else:
            out.append(_inline(child, notes))
    return "".join(out)


def _blocks(node, notes: list[str]) -> list[str]:
    out: list[str] = []
    for child in node.childNodes:
        q = getattr(child, "qname", None)
        if q in ((TEXT_NS, "h"), (TEXT_NS, "p")):
            text = _inline(child, notes).strip()
            if text:
                out.append(text)
        elif q == (TEXT_NS, "list"):
            for item in child.childNodes:
                if getattr(item, "qname", None) in ((TEXT_NS, "list-item"), (TEXT_NS, "list-header")):
                    inner = _blocks(item, notes)
                    if inner:
                        out.append("• " + inner[0])
                        out.extend(inner[1:])
        elif q == (TABLE_NS, "table"):
            for row in child.getElementsByType(_table_row()):
                cells = [" ".join(_blocks(c, notes)) for c in row.childNodes
                         if getattr(c, "qname", None) == (TABLE_NS, "table-cell")]
                if any(cells):
                    out.append(" | ".join(cells))
        elif q == (TEXT_NS, "section"):
            out.extend(_blocks(child, notes))
    return out


def _table_row():
    from odf.table import TableRow

    return TableRow


def read_odt(data: bytes) -> Extracted:
    check_zip(data)
    from odf.opendocument import load

    try:
        doc = load(io.BytesIO(data))
    except Exception as e:
        raise IngestError(f"ODT-filen kan ikke åpnes ({type(e).__name__}: {e}).") from e
    notes: list[str] = []
    blocks = _blocks(doc.text, notes)
    if notes:
        blocks.append("Fotnoter:\n" + "\n".join(notes))
    return Extracted(kind="odt", pages=[Page(1, "\n\n".join(blocks))])
