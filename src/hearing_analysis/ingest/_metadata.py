"""Who wrote a response, when, with which references, in which language."""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections import Counter

from ..records import Extracted, Metadata, RespondentType
from ..language import detect_language
from ._places import find_in_filename, find_places

MONTHS = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "des": 12,
}
_DATE_WORDS = re.compile(
    r"\b(\d{1,2})\.\s*(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b", re.I
)
_DATE_NUM = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATELINE = re.compile(r"(?:\b[A-ZÆØÅ][\wæøå\-]+|\bDato:?)[,\s]+(?:den\s+)?(\d{1,2}\.\s*(?:\d{1,2}\.\d{2,4}|[a-zæøå]+\.?\s+\d{4}))")
_REF = re.compile(
    r"\b(Vår|Var|Deres|Dykkar|Dykker)[ \t]+ref(?:eranse|\.)?\.?[ \t]*(?:nr\.?)?[ \t]*:?[ \t]*"
    r"([0-9A-Za-zÆØÅæøå][\w/.\-]*(?:[ \t]?[-/][ \t]?[\w.\-]+)*(?:[ \t](?-i:[A-ZÆØÅ]{2,4})\b(?![ \t]*[a-zæøå:]))?)",
    re.I,
)
_CLOSING = re.compile(
    r"^(med\s+(vennlig|venleg|venlig)\s+(hilsen|helsing)|vennlig\s+hilsen|venleg\s+helsing|beste\s+hilsen|"
    r"mvh\.?|hilsen|helsing|with\s+kind\s+regards|kind\s+regards|best\s+regards)\b",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(\w*forbund(et)?|\w*forening(en)?|\w*organisasjon(en)?|\w*laget?|\w*rådet?|NHO|LO|Virke|KS|"
    r"\w*senteret|\w*nettverk(et)?|stiftelse(n)?|\w*samskipnad(en)?|\w*akademi(et)?|\w*selskap(et)?)\b",
    re.I,
)
_COMPANY = re.compile(r"\b(AS|ASA|SA|ANS|DA|BA|KF|IKS|HF)\b")
_STATE = re.compile(
    r"(direktorat(et)?|departement(et)?|^Statens |Statsforvalter|verket\b|tilsyn(et)?\b|Sametinget|universitet(et)?)",
    re.I,
)
_PERSON = re.compile(r"^[A-ZÆØÅ][a-zæøåéü\-]+(?:\s+[A-ZÆØÅ][a-zæøåéü\-]+\.?){1,3}$")


def _valid(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000
    try:
        date = dt.date(y, m, d)
    except ValueError:
        return None
    return date if 1990 <= date.year <= 2100 else None


def dates_in(line: str) -> list[dt.date]:
    """Calendar dates written in a line: "27. mai 2024", "27.05.2024", "2024-05-27"."""
    out = []
    for m in _DATE_WORDS.finditer(line):
        out.append(_valid(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _DATE_NUM.finditer(line):
        out.append(_valid(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    for m in _DATE_ISO.finditer(line):
        out.append(_valid(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return [d for d in out if d]


def letter_date(lines: list[str]) -> dt.date | None:
    """The letter's own date: a dateline near the top ("Asker, 27. mai 2024", "Dato: 27.05.2024")."""
    for line in lines[:30]:
        found = dates_in(line)
        if not found:
            continue
        if re.match(r"^\s*(dato|date)\b", line, re.I) or len(line) <= 45:
            return found[0]
        dateline = _DATELINE.search(line)  # "… Råde, 27. mai 2024" inside a longer line
        if dateline:
            return dates_in(dateline.group(1))[0] if dates_in(dateline.group(1)) else found[0]
    # A date just above the closing greeting is also a dateline.
    for i, line in enumerate(lines):
        if _CLOSING.match(line):
            for prev in reversed(lines[max(0, i - 3):i]):
                found = dates_in(prev)
                if found and len(prev) <= 45:
                    return found[0]
    return None


def references(text: str) -> dict[str, str]:
    refs: dict[str, str] = {}
    for m in _REF.finditer(text[:4000]):
        key = "var" if m.group(1).lower() in ("vår", "var") else "deres"
        refs.setdefault(key, m.group(2).strip(" .,;"))
    return refs


def type_from_name(name: str) -> RespondentType:
    """Respondent type from the shape of a name we do not know."""
    low = name.casefold()
    if "fylkeskommune" in low:
        return RespondentType.FYLKESKOMMUNE
    if re.search(r"\bkommune\b", low):
        return RespondentType.KOMMUNE
    if re.search(r"\b(ipr|regionråd(et)?|interkommunalt politisk råd)\b", low):
        return RespondentType.REGIONRAAD
    if _STATE.search(name):
        return RespondentType.STAT
    if _COMPANY.search(name):
        return RespondentType.NAERINGSLIV
    if _ORG_WORDS.search(name):
        return RespondentType.ORGANISASJON
    if _PERSON.match(name.strip()):
        return RespondentType.PRIVAT
    return RespondentType.ANNET


def _signature(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1, -1, -1):
        if _CLOSING.match(lines[i]):
            return [ln for ln in lines[i + 1:i + 8] if ln]
    return []


def _sender_parts(sender: str) -> tuple[str, str]:
    name, addr = email.utils.parseaddr(sender)
    name = re.sub(r"^(postmottak|post|firmapost|servicetorget)\s+", "", name, flags=re.I).strip(" \"'")
    return name, addr


def _domain_place(addr: str):
    m = re.search(r"@([\w.\-]+)$", addr)
    if not m:
        return None
    parts = m.group(1).lower().split(".")
    # nittedal.kommune.no -> "nittedal"; asker-kommune.no -> "asker"
    if "kommune" in parts and parts.index("kommune") > 0:
        stem = parts[parts.index("kommune") - 1]
    else:
        stem = re.sub(r"-?(kommune|fylkeskommune|ipr|regionrad)$", "", parts[0])
    return find_in_filename(stem)


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def infer_metadata(doc: Extracted, file_name: str, exclude: tuple[str, ...] = ()) -> Metadata:
    """Infer respondent, type, date, references and language for one extracted document.

    Sources in falling weight: e-mail sender, letterhead and page header/footer,
    signature, file name, and names mentioned in the body. ``exclude`` holds the
    consultation's own organiser, who is named as addressee in every letter.
    """
    first = doc.pages[0].text if doc.pages else ""
    body_lines = _lines(doc.text)
    head = _lines(first)[:12]
    scores: Counter = Counter()
    places = {}
    excluded = {e.casefold() for e in exclude}

    def vote(found, weight):
        for place in found:
            if place.name.casefold() in excluded or any(e in place.name.casefold() for e in excluded):
                continue
            places[place.name] = place
            scores[place.name] += weight

    sender_name, sender_addr = _sender_parts(doc.sender)
    if sender_name or sender_addr:
        vote(find_places(sender_name), 6)
        dp = _domain_place(sender_addr)
        if dp:
            vote([dp], 5)
    vote(find_places("\n".join(head[:4])), 4)
    vote(find_places("\n".join(head[4:])), 2)
    vote(find_places(doc.furniture), 3)
    sig = _signature(body_lines)
    vote(find_places("\n".join(sig)), 3)
    fp = find_in_filename(file_name)
    if fp:
        vote([fp], 2)
    mentions = find_places(doc.text)
    for name, n in Counter(p.name for p in mentions).items():
        vote([next(p for p in mentions if p.name == name)], min(n, 4) * 0.5)

    respondent, rtype = "", RespondentType.ANNET
    if scores:
        respondent = scores.most_common(1)[0][0]
        rtype = places[respondent].type
    else:
        respondent, rtype = _unknown_respondent(head, sig, sender_name)

    text_lines = _lines(first) or body_lines
    date = letter_date(text_lines)
    return Metadata(
        respondent=respondent,
        respondent_type=rtype,
        date=date.isoformat() if date else None,
        references=references(first or doc.text),
        language=detect_language(doc.text),
    )


def _unknown_respondent(head, sig, sender_name) -> tuple[str, RespondentType]:
    """A respondent who is not in the gazetteer: organisation, company or private person."""
    candidates = []
    if sender_name:
        candidates.append(sender_name)
    candidates += [ln for ln in head[:3] if 3 <= len(ln) <= 70 and not dates_in(ln) and not re.search(r"\d{4}\s", ln)]
    candidates += [ln for ln in sig[:3] if 3 <= len(ln) <= 70]
    for cand in candidates:
        t = type_from_name(cand)
        if t not in (RespondentType.ANNET, RespondentType.PRIVAT):
            return cand, t
    for cand in ([sender_name] if sender_name else []) + sig[:2]:
        if _PERSON.match(cand):
            # A person signing with no organisation named anywhere writes as a private person.
            return cand, RespondentType.PRIVAT
    return "", RespondentType.ANNET
