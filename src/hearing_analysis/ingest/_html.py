"""HTML and plain text (TXT, Markdown)."""
from __future__ import annotations

import re

from ..errors import IngestError
from ..records import Extracted, Page
from ._clean import BULLET, normalise_line

BLOCK_TAGS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "blockquote", "pre", "section", "article"]


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: BOMs, then UTF-8, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    """Readable text of an HTML document: blocks as paragraphs, list items as bullets."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "head", "noscript", "template"]):
        tag.decompose()
    for li in soup.find_all("li"):
        li.insert(0, "\u2022 ")
    for cell in soup.find_all(["td", "th"]):
        cell.append(" | ")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    return text_to_paragraphs(text)


def text_to_paragraphs(text: str) -> str:
    """Normalise line ends and spacing; keep blank-line paragraph breaks and bullet lines."""
    out: list[str] = []
    para: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = normalise_line(raw).strip(" |")
        if not line:
            if para:
                out.append(" ".join(para))
                para = []
            continue
        if BULLET.match(line) or re.match(r"^#{1,6}\s", line):
            if para:
                out.append(" ".join(para))
            para = []
            out.append(BULLET.sub("• ", line, count=1) if BULLET.match(line) else line)
            continue
        para.append(line)
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


def read_html(data: bytes) -> Extracted:
    try:
        text = html_to_text(decode_text(data))
    except Exception as e:
        raise IngestError(f"HTML-filen kan ikke leses ({type(e).__name__}: {e}).") from e
    return Extracted(kind="html", pages=[Page(1, text)])


def read_text(data: bytes) -> Extracted:
    """Plain text or Markdown; form feeds separate pages."""
    text = decode_text(data)
    chunks = text.split("\f")
    pages = [Page(i + 1, text_to_paragraphs(c)) for i, c in enumerate(chunks)]
    while len(pages) > 1 and not pages[-1].text:
        pages.pop()
    return Extracted(kind="text", pages=pages)
