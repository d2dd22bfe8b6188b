"""Clean page text: running headers and footers, page numbers, hyphenation, paragraphs.

Input is a list of pages, each a list of raw lines as a PDF engine gives them.
Output is one text per page, paragraphs separated by blank lines, bullet and
numbered items kept as their own lines.
"""
from __future__ import annotations

import re
import statistics
import unicodedata

BULLET = re.compile(r"^\s*([•●▪■◦○·\-–—*]|\uf0b7|\uf0a7)\s+")
MONTHS = r"(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b"
NUMBERED = re.compile(r"^\s*(\d{1,2}(\.\d{1,2})*[.)]|[a-zæøå][.)]|[ivx]{1,4}[.)])\s+(?!" + MONTHS + r")\S",
                      re.IGNORECASE)  # "1. Innledning", "a) …", but not "24. mai"
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:side|sida|page|s\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:av|of|/|\|)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"[ \t\u00a0]+")
# Words after a hanging hyphen that mean the hyphen is real: "nærings- og samfunnsliv".
_KEEP_HYPHEN_BEFORE = {"og", "eller", "enn", "samt", "til", "som"}
EDGE_LINES = 3


_PDFIUM_HYPHEN = re.compile(r"(\w)\ufffe\s*(\w+)")


def _pdfium_hyphen(m: re.Match) -> str:
    """PDFium marks a hyphen it removed at a line end with U+FFFE and joins the lines."""
    word = m.group(2)
    if word in _KEEP_HYPHEN_BEFORE:
        return f"{m.group(1)}- {word}"
    if word[0].isupper() or word[0].isdigit():
        return f"{m.group(1)}-{word}"
    return m.group(1) + word


def normalise_line(line: str) -> str:
    if "\ufffe" in line:
        line = _PDFIUM_HYPHEN.sub(_pdfium_hyphen, line).replace("\ufffe", "-")
    line = unicodedata.normalize("NFC", line).replace("\u00ad", "")
    return _SPACE.sub(" ", line).strip()


def _edge_key(line: str) -> str:
    return _DIGITS.sub("#", line.casefold())


def find_furniture(pages: list[list[str]]) -> set[str]:
    """Normalised lines that repeat at the top or bottom of several pages."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        content = [ln for ln in lines if ln]
        edges = {_edge_key(ln) for ln in content[:EDGE_LINES] + content[-EDGE_LINES:]}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, round(0.4 * len(pages)))
    return {k for k, n in counts.items() if n >= need and len(k) < 200}


_PAGE_REF = re.compile(r"\b(side|sida|page|s\.)\s*\d{1,4}\b|\b\d{1,4}\s*(av|of)\s*\d{1,4}\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{4,}")


def lone_header(lines: list[str], first_page: list[str]) -> bool:
    """Whether the first line of a later page is a running header seen only once.

    Two-page letters show their running header once, so repetition cannot find
    it; a short top line set off by a gap that carries a page reference or
    repeats the letterhead's words is taken as one.
    """
    if len(lines) < 3 or not lines[0] or lines[1] or len(lines[0]) > 100 or lines[0][-1] in ".:;!?":
        return False
    if _PAGE_REF.search(lines[0]):
        return True
    head = {w.casefold() for ln in [ln for ln in first_page if ln][:5] for w in _WORDS.findall(ln)}
    words = [w.casefold() for w in _WORDS.findall(lines[0])]
    shared = sum(w in head for w in words)
    return bool(words) and (shared >= 2 or shared >= max(1, len(words) // 2))


def strip_furniture(lines: list[str], repeated: set[str]) -> tuple[list[str], list[str]]:
    """Remove repeated edge lines and page-number lines from one page."""
    content_idx = [i for i, ln in enumerate(lines) if ln]
    edge = set(content_idx[:EDGE_LINES] + content_idx[-EDGE_LINES:])
    body, removed = [], []
    for i, ln in enumerate(lines):
        if i in edge and ln and (_edge_key(ln) in repeated or PAGE_NUMBER.match(ln)
                                 or (len(ln) < 100 and _PAGE_REF.search(ln) and _edge_key(ln) != ln.casefold())):
            removed.append(ln)
        else:
            body.append(ln)
    return body, removed


def _is_item(line: str) -> bool:
    return bool(BULLET.match(line) or NUMBERED.match(line))


def _looks_like_heading(line: str, next_line: str | None, typical: float) -> bool:
    if not line or len(line) > 0.75 * typical or line[-1] in ".,;:!?»\"”)" or _is_item(line):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    return next_line is None or not next_line or next_line[0].isupper() or _is_item(next_line)


def dehyphenate(prev: str, nxt: str) -> str | None:
    """Join a word split at a line end, or None when the lines do not join that way."""
    m = re.search(r"(\w+)[-\u2010]$", prev)
    if not m or not nxt or not nxt[0].islower():
        return None
    first = nxt.split(" ", 1)[0].rstrip(".,;:!?)")
    if first in _KEEP_HYPHEN_BEFORE:
        return prev + " " + nxt  # "nærings- og samfunnsliv": the hyphen is part of the text
    return prev[:-1] + nxt


def rebuild_paragraphs(lines: list[str]) -> str:
    """Join PDF lines into paragraphs; keep items, headings and blank-line breaks."""
    lengths = [len(ln) for ln in lines if len(ln) > 20]
    typical = statistics.median(lengths) if lengths else 80.0
    blocks: list[str] = []
    current = ""

    def flush():
        nonlocal current
        if current:
            blocks.append(current)
        current = ""

    for i, line in enumerate(lines):
        nxt = next((ln for ln in lines[i + 1:i + 2]), None)
        if not line:
            flush()
            continue
        if _is_item(line):
            flush()
            current = BULLET.sub("• ", line, count=1) if BULLET.match(line) else line
            continue
        if not current:
            if _looks_like_heading(line, nxt, typical):
                blocks.append(line)
            else:
                current = line
        else:
            joined = dehyphenate(current, line)
            if joined is not None:
                current = joined
            elif _looks_like_heading(line, nxt, typical) and current[-1:] in ".:!?":
                flush()
                blocks.append(line)
                continue
            elif (len(line) < 0.6 * typical and len(current.rsplit("\n", 1)[-1]) < 0.6 * typical
                  and not _is_item(current)):
                current = current + "\n" + line  # address blocks and signatures keep their lines
            else:
                current = current + " " + line
        # A short line ending a sentence closes the paragraph.
        if current and current[-1] in ".:!?" and len(line) < 0.8 * typical:
            flush()
    flush()
    return "\n\n".join(blocks)


def clean_pages(raw_pages: list[list[str]]) -> tuple[list[str], list[str]]:
    """Return (clean text per page, the removed header/footer lines)."""
    pages = [[normalise_line(ln) for ln in lines] for lines in raw_pages]
    repeated = find_furniture(pages)
    out, furniture = [], []
    for n, lines in enumerate(pages):
        if n > 0 and lone_header(lines, pages[0]):
            furniture.append(lines[0])
            lines = lines[1:]
        body, removed = strip_furniture(lines, repeated)
        furniture.extend(removed)
        out.append(rebuild_paragraphs(body))
    seen: set[str] = set()
    unique = [f for f in furniture if not (_edge_key(f) in seen or seen.add(_edge_key(f)))]
    return out, unique
