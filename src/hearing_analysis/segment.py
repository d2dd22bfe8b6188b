"""Split a response's cleaned text into comments: one point made by one respondent.

The text comes from ingestion: pages, paragraphs separated by blank lines,
bullet items as "• …" and numbered items as "1. …". Segmentation

- marks letter furniture (letterhead, address and reference lines, dateline,
  greeting, signature, contact lines, footnote block) so it never mixes with content;
- splits a "Vi viser til …" opening off into its own unit;
- keeps headings as context (a comment under "Transport og mobilitet" carries it);
- makes each bullet or numbered item its own comment, with the sentence that
  introduced the list as ``lead``, unless the items are fragments of one sentence;
- makes each row of a table its own comment, with the header row as ``lead``;
- joins a paragraph broken by a page break, and merges a very short paragraph
  that continues the point before it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .language import detect_language, marker_score
from .records import Comment, CommentKind, Page

_BULLET = re.compile(r"^• ")
_NUMBERED = re.compile(r"^(\d{1,2}[.)]|[a-zæøå][.)])\s+(?!(januar|februar|mars|april|mai|juni|juli|august|"
                       r"september|oktober|november|desember)\b)\S", re.I)
LEAD_MAX_WORDS = 10
_HEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
_CLOSING = re.compile(r"^(med\s+(vennlig|venleg|venlig)\s+(hilsen|helsing)|vennlig\s+hilsen|venleg\s+helsing|"
                      r"beste\s+hilsen|mvh\.?|hilsen|helsing|kind\s+regards|best\s+regards)\b", re.I)
_GREETING = re.compile(r"^(hei|hallo|god\s+dag|til\s+(osloregionen|sekretariatet|[A-ZÆØÅ][\w ]{0,40})|"
                       r"kjære\s+\w+)\s*[,!:]?\s*$", re.I)
_OPENING = re.compile(r"^(vi|det|kommunen|regionrådet|styret|[A-ZÆØÅ][\wæøå\-]+ kommune)?\s*"
                      r"(viser|syner|vises|vert vist|blir vist)\s+til\b", re.I)
_CONTACT = re.compile(r"(\b(tlf|telefon|e-post|epost|mobil|kontaktperson|saksbehandlar|saksbehandler|sentralbord)\b"
                      r"|@[\w-]+\.|\bpostboks\b|\bpb\.\s*\d|\b\d{4}\s+[A-ZÆØÅ][a-zæøå]+$)", re.I)
_REF = re.compile(r"\b(vår|deres|dykkar|dykker)\s+ref", re.I)
_DATELINE = re.compile(r"^([A-ZÆØÅ][\wæøå\- ]{1,30},\s*)?(den\s+)?(dato:?\s*)?\d{1,2}\.\s*(\d{1,2}\.\s*\d{2,4}|"
                       r"[a-zæøå]+\.?\s+\d{4})\.?$", re.I)
_CONTINUATION = re.compile(r"^(dette|det|også|òg|i tillegg|derfor|difor|dessuten|men|og|samtidig|likevel)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"])")
_FRAGMENT_END = re.compile(r"(,|;|\bog|\beller|\bsamt)$")
_FOOTNOTES = "Fotnoter:"
SHORT_MERGE_WORDS = 8
_RUN_ON = frozenset("på at om til for å med av og eller som i fra frå mot ved under enn blant".split())
HEADING_MAX_WORDS = 14


@dataclass
class _Para:
    text: str
    pages: list[int]
    start: int
    end: int
    kind: str = ""  # heading, item, table, furniture, content
    lead: str = ""
    extra: list[str] = field(default_factory=list)


def _paragraphs(pages: list[Page]) -> list[_Para]:
    """Paragraphs with page numbers and offsets into "\\n\\n".join(non-empty page texts)."""
    out: list[_Para] = []
    offset = 0
    first = True
    for page in pages:
        if not page.text:
            continue
        if not first:
            offset += 2
        first = False
        pos = 0
        for chunk in page.text.split("\n\n"):
            start = offset + pos
            stripped = chunk.strip()
            if stripped:
                lead_ws = len(chunk) - len(chunk.lstrip())
                out.append(_Para(stripped, [page.number], start + lead_ws, start + lead_ws + len(stripped)))
            pos += len(chunk) + 2
        offset += len(page.text)
    return out


def _is_item(text: str) -> bool:
    return bool(_BULLET.match(text) or _NUMBERED.match(text))


def _is_heading(text: str) -> bool:
    if "\n" in text or _is_item(text) and not _HEADING_NUMBER.match(text):
        return False
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS or len(text) > 110:
        return False
    if text[-1] in ".,;:!?)»\"" or not (text[0].isupper() or text[0].isdigit() or text[0] in "«\""):
        return False
    if words[-1].lower() in _RUN_ON:
        return False  # "Vi mener regionen bør satse på" runs on into a list
    return not _CONTACT.search(text) and not _DATELINE.match(text)


def _join_page_breaks(paras: list[_Para]) -> list[_Para]:
    """Join a paragraph cut by a page break with its continuation on the next page."""
    out: list[_Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if (prev is not None and prev.pages[-1] != p.pages[0] and prev.text[-1:] not in ".!?:"
                and p.text[:1].islower() and not _is_heading(prev.text) and not _is_item(p.text)):
            if prev.text.endswith("-") and not p.text.startswith(("og ", "eller ")):
                prev.text = prev.text[:-1] + p.text
            else:
                prev.text = prev.text + " " + p.text
            prev.pages.append(p.pages[0])
            prev.end = p.end
            continue
        out.append(p)
    return out


def _classify(paras: list[_Para]) -> None:
    """Set each paragraph's kind: furniture, heading, item, table or content."""
    in_header = True
    in_closing = False
    for i, p in enumerate(paras):
        text = p.text
        first_line = text.split("\n", 1)[0]
        words = len(text.split())
        if in_closing or _CLOSING.match(first_line) or text.startswith(_FOOTNOTES):
            p.kind = "furniture"
            in_closing = in_closing or bool(_CLOSING.match(first_line))
            continue
        if _GREETING.match(text) or _DATELINE.match(text) or _REF.search(first_line):
            p.kind = "furniture"
            continue
        if _CONTACT.search(text) and words <= 25 and not text.rstrip().endswith((".", "!", "?")) or (
                text.startswith("Kontaktperson") or "elektronisk godkjent" in text.lower()):
            p.kind = "furniture"
            continue
        if " | " in text:
            p.kind = "table"
            in_header = False
            continue
        if _is_item(text) and not (_HEADING_NUMBER.match(text) and _is_heading(text) and not text.startswith("•")
                                   and _looks_numbered_heading(paras, i)):
            p.kind = "item"
            in_header = False
            continue
        if _is_heading(text):
            # Before the first paragraph of content, heading-like lines are the letterhead,
            # the addressee and the subject line: furniture, not context for comments.
            p.kind = "furniture" if in_header else "heading"
            continue
        if in_header and text[-1:] not in ".!?:":
            p.kind = "furniture"  # letterhead lines and the subject line, however long
            continue
        p.kind = "content"
        in_header = False


def _looks_numbered_heading(paras: list[_Para], i: int) -> bool:
    """A numbered line is a heading ("3. Transport") when content, not another item, follows it."""
    nxt = paras[i + 1].text if i + 1 < len(paras) else ""
    return bool(nxt) and not _is_item(nxt) and len(nxt.split()) > HEADING_MAX_WORDS


def _last_sentence(text: str) -> str:
    parts = _SENTENCE_END.split(text)
    return parts[-1].strip() if parts else text


def _units(paras: list[_Para]) -> list[tuple[str, _Para, str]]:
    """(kind, paragraph, heading path) in order, after lists, tables and openings are resolved."""
    units: list[tuple[str, _Para, str]] = []
    heading, parent = "", ""
    last_kind = ""
    i = 0
    while i < len(paras):
        p = paras[i]
        path = f"{parent} > {heading}" if parent and heading else heading
        if p.kind == "heading":
            parent = heading if last_kind == "heading" else ""
            heading = re.sub(r"^\d+(\.\d+)*\.?\s+", "", p.text) if _HEADING_NUMBER.match(p.text) else p.text
            last_kind = "heading"
            i += 1
            continue
        last_kind = p.kind
        if p.kind == "furniture":
            units.append(("furniture", p, path))
        elif p.kind == "table":
            rows = p.text.split("\n")
            header = rows[0] if len(rows) > 1 else ""
            offset = p.start
            for r, row in enumerate(rows):
                row_start = offset
                offset += len(row) + 1
                if r == 0 and header:
                    continue
                units.append(("comment", _Para(row, p.pages, row_start, row_start + len(row), lead=header), path))
        elif p.kind == "item":
            # collect the run of items
            run = [p]
            while i + 1 < len(paras) and paras[i + 1].kind == "item":
                i += 1
                run.append(paras[i])
            # The sentence that opens the list: ends with ":" or runs on into the items ("… ber om at").
            lead_para = (units[-1][1] if units and units[-1][0] == "comment" and units[-1][2] == path
                         and units[-1][1].text[-1:] not in ".!?»\")" and not units[-1][1].lead else None)
            lead = _last_sentence(lead_para.text) if lead_para else ""
            fragments = sum(bool(_FRAGMENT_END.search(x.text)) for x in run[:-1])
            if lead_para is not None and len(run) > 1 and fragments >= len(run) - 1:
                merged = lead_para
                merged.text = "\n\n".join([merged.text] + [x.text for x in run])  # as in the response text
                merged.end = run[-1].end
                merged.pages = sorted(set(merged.pages) | {pg for x in run for pg in x.pages})
            else:
                if (lead_para is not None and lead == lead_para.text and lead.endswith(":")
                        and len(lead.split()) <= LEAD_MAX_WORDS):
                    units.pop()  # "Vi ber om at følgende tas inn:" lives on as each item's lead
                for x in run:
                    x.lead = lead
                    units.append(("comment", x, path))
        else:  # content
            text = p.text
            if _OPENING.match(text):
                sentences = _SENTENCE_END.split(text)
                opening = sentences[0]
                rest = text[len(opening):].lstrip()
                units.append(("opening", _Para(opening, p.pages, p.start, p.start + len(opening)), path))
                if rest:
                    start = p.start + text.index(rest, len(opening))
                    units.append(("comment", _Para(rest, p.pages, start, p.end), path))
            elif (units and units[-1][0] == "comment" and units[-1][1].text.endswith(":") and units[-1][2] == path
                  and len(units[-1][1].text.split()) <= LEAD_MAX_WORDS and not units[-1][1].lead):
                prev = units[-1][1]  # "Kommunestyrets vedtak:" belongs with what follows it
                prev.text = prev.text + "\n\n" + text
                prev.end = p.end
                prev.pages = sorted(set(prev.pages) | set(p.pages))
            elif (units and units[-1][0] == "comment" and not units[-1][1].lead and units[-1][2] == path
                  and len(text.split()) < SHORT_MERGE_WORDS and _CONTINUATION.match(text)
                  and not units[-1][1].text.endswith(":")):
                prev = units[-1][1]
                prev.text = prev.text + "\n\n" + text
                prev.end = p.end
                prev.pages = sorted(set(prev.pages) | set(p.pages))
            else:
                units.append(("comment", p, path))
        i += 1
    return units


def split_comments(response_id: str, pages: Iterable[Page], language: str = "") -> list[Comment]:
    """Segment one response (its clean pages) into comments, openings and furniture, in order."""
    paras = _join_page_breaks(_paragraphs(list(pages)))
    _classify(paras)
    comments: list[Comment] = []
    n = f = 0
    for kind, p, path in _units(paras):
        if kind == "furniture":
            f += 1
            cid, num = f"{response_id}#f{f}", 0
        else:
            n += 1
            cid, num = f"{response_id}#{n}", n
        lang = language
        if kind != "furniture" and len(p.text.split()) >= 3:
            score = marker_score(p.text)
            lang = "nn" if score > 0 else "nb" if score < 0 else (language or detect_language(p.text))
        comments.append(Comment(cid, response_id, num, CommentKind(kind), p.text, path, p.lead,
                                tuple(p.pages), p.start, p.end, lang))
    return comments
