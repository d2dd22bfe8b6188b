"""Cue detectors: measure cues, stance cues with negation scope, and personal data.

Each detector returns (start_char, end_char, label) triples over a text, so the
same code serves the spaCy components, the classifier features and `hearing explain`.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class CueLists:
    negation: frozenset[str]
    support: frozenset[str]
    objection: frozenset[str]
    action_verbs: frozenset[str]
    measure_nouns: frozenset[str]
    actors: frozenset[str]
    modals: frozenset[str]
    multi_support: tuple[tuple[str, ...], ...]
    multi_objection: tuple[tuple[str, ...], ...]
    phrase_starts: frozenset[str]  # first lemmas of the multi-word support and objection cues


@functools.lru_cache(maxsize=1)
def cue_lists() -> CueLists:
    data = tomllib.loads((resources.files("hearing_analysis") / "data" / "cues" / "cues.toml").read_text("utf-8"))

    def single(key):
        return frozenset(w for w in data[key] if " " not in w)

    def multi(key):
        return tuple(tuple(w.split()) for w in data[key] if " " in w)

    support, objection = multi("support"), multi("objection")
    return CueLists(single("negation"), single("support"), single("objection"), single("action_verbs"),
                    single("measure_nouns"), frozenset(data["actors"]), single("modals"),
                    support, objection, frozenset(seq[0] for seq in (*support, *objection)))


# -- measure cues on the raw text --------------------------------------------
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
DEADLINE = re.compile(
    r"\b(innen|innan|senest|seinast|før|fra og med|frå og med|i løpet av|i løpet av|til og med|fram til|frem til)"
    r"\s+(utgangen av\s+|slutten av\s+|enden av\s+)?((januar|februar|mars|april|mai|juni|juli|august|september|"
    r"oktober|november|desember)\s+)?(19[5-9]\d|20\d\d)\b",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"(?<![\w.])\d{1,3}(?:[ \u00a0.]\d{3})*(?:,\d+)?\s*(?:mill\.?|millioner|millionar|mrd\.?|milliarder|milliardar|"
    r"kr\.?|kroner|nok|euro|eur)(?!\w)|(?:kr\.?|nok)\s*\d[\d .\u00a0]*(?:,\d+)?(?:\s*(?:mill\.?|mrd\.?))?",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\b\d+(?:,\d+)?\s*(?:%|prosent)", re.IGNORECASE)
PARAGRAPH_REF = re.compile(r"§+\s*\d+[\w-]*")

# -- personal data -------------------------------------------------------------
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
PHONE = re.compile(r"(?<![\d/-])(?:\+47[ \u00a0]?)?(?:[2-9]\d(?:[ \u00a0]?\d\d){3}|[2-9]\d\d[ \u00a0]\d\d[ \u00a0]\d\d\d)(?![\d/-])")
FNR_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[ \u00a0]?(\d{5})(?!\d)")
ADDRESS = re.compile(
    r"\b(?:[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅa-zæøå][a-zæøå]+)?"
    r"(?:gata|gate|gaten|veien|vegen|vei|veg|stien|plassen|allé|alle|bakken|svingen|brygga|torget|tunet|lia|åsen)"
    r"|(?:Postboks|Pb\.|Boks))[ \u00a0]+\d+[A-Za-z]?(?:,[ \u00a0]*\d{4}[ \u00a0]+[A-ZÆØÅ][\wæøå]+)?"
)


def fnr_valid(digits: str) -> bool:
    """Whether 11 digits are a valid Norwegian fødselsnummer or D-number (date and both check digits)."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    day = d[0] * 10 + d[1]
    if day > 40:  # D-number
        day -= 40
    month = d[2] * 10 + d[3]
    if month > 40:  # H-number / synthetic
        month -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = 11 - sum(a * b for a, b in zip(w1, d[:9])) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10 or k1 != d[9]:
        return False
    k2 = 11 - sum(a * b for a, b in zip(w2, d[:10])) % 11
    k2 = 0 if k2 == 11 else k2
    return k2 != 10 and k2 == d[10]


_DIGIT = re.compile(r"\d")


def personal_data(text: str) -> list[tuple[int, int, str]]:
    """Spans of e-mail addresses, phone numbers, valid fødselsnumre and street addresses."""
    if "@" not in text and not _DIGIT.search(text):
        return []  # every pattern needs one of them
    spans = [(m.start(), m.end(), "pii_email") for m in EMAIL.finditer(text)]
    for m in FNR_CANDIDATE.finditer(text):
        if fnr_valid(m.group(1) + m.group(2)):
            spans.append((m.start(), m.end(), "pii_fnr"))
    taken = [(s, e) for s, e, _ in spans]
    for m in PHONE.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            spans.append((m.start(), m.end(), "pii_phone"))
    spans += [(m.start(), m.end(), "pii_address") for m in ADDRESS.finditer(text)]
    return sorted(spans)


def redact(text: str, replacement: str = "[fjernet]") -> str:
    """Text with every personal-data span replaced."""
    out, last = [], 0
    for start, end, _ in personal_data(text):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def measure_cues(text: str) -> list[tuple[int, int, str]]:
    """Deadlines, years, money, percentages and paragraph references in a text."""
    if not _DIGIT.search(text):
        return []  # every pattern needs a digit
    spans = [(m.start(), m.end(), "deadline") for m in DEADLINE.finditer(text)]
    covered = [(s, e) for s, e, _ in spans]
    spans += [(m.start(), m.end(), "year") for m in YEAR.finditer(text)
              if not any(s <= m.start() < e for s, e in covered)]
    spans += [(m.start(), m.end(), "money") for m in MONEY.finditer(text)]
    spans += [(m.start(), m.end(), "percent") for m in PERCENT.finditer(text)]
    spans += [(m.start(), m.end(), "paragraph_ref") for m in PARAGRAPH_REF.finditer(text)]
    return sorted(spans)


CLAUSE_END = frozenset(".;:!?")
CLAUSE_BREAK = frozenset({"men", "mens", "medan", "fordi", "sidan", "siden", "selv", "sjølv", "dersom", "om"})
NEGATION_SCOPE = 6  # tokens after a negation word that it can reach


def _phrase_at(lemmas: list[str], i: int, cl: CueLists) -> tuple[str | None, int]:
    """The multi-word support or objection cue starting at token ``i`` (support first), and its length."""
    for kind, phrases in (("support", cl.multi_support), ("objection", cl.multi_objection)):
        for seq in phrases:
            if tuple(lemmas[i:i + len(seq)]) == seq:
                return kind, len(seq)
    return None, 1


def stance_cues(words: list[str], lemmas: list[str]) -> list[tuple[int, int, str]]:
    """Support and objection cues over token lemmas, flipped inside a negation scope.

    Returns (start token, end token, label) with labels ``support``, ``objection``,
    ``negated_support`` (counts as an objection) and ``negated_objection``, plus
    ``negation`` for the negation words themselves.
    """
    cl = cue_lists()
    out: list[tuple[int, int, str]] = []
    scope_end = -1
    i = 0
    n = len(lemmas)
    while i < n:
        lem = lemmas[i]
        w = words[i]
        if w in CLAUSE_END or lem in CLAUSE_BREAK:
            scope_end = -1
        if lem in cl.negation:
            # Norwegian puts the negation after the finite verb: "vi støtter ikke" flips "støtter".
            for k in range(len(out) - 1, -1, -1):
                start, end, label = out[k]
                if end < i - 1 or label == "negation":
                    break
                if label in ("support", "objection") and end >= i - 1:
                    out[k] = (start, end, f"negated_{label}")
                    break
            out.append((i, i + 1, "negation"))
            # "verken … eller" and "heller ikke" reach to the end of the clause
            reach = n if lem in ("verken", "korkje") else NEGATION_SCOPE
            scope_end = i + reach
            i += 1
            continue
        kind = None
        length = 1
        if lem in cl.phrase_starts:
            kind, length = _phrase_at(lemmas, i, cl)
        if kind is None:
            if lem in cl.support:
                kind = "support"
            elif lem in cl.objection:
                kind = "objection"
        if kind is not None:
            negated = i <= scope_end
            out.append((i, i + length, f"negated_{kind}" if negated else kind))
        i += length
    return out


def level_cues(lemmas: list[str], words: list[str] | None = None) -> list[tuple[int, int, str]]:
    """Action verbs, measure nouns and named actors given a task (actor + modal within two words)."""
    cl = cue_lists()
    out = []
    words = words or lemmas
    for i, lem in enumerate(lemmas):
        if lem in cl.action_verbs:
            out.append((i, i + 1, "action"))
        elif lem in cl.measure_nouns:
            out.append((i, i + 1, "measure_noun"))
        two = i + 1 < len(lemmas) and (f"{lem} {lemmas[i + 1]}" in cl.actors or f"{words[i]} {words[i + 1]}" in cl.actors)
        if lem in cl.actors or words[i] in cl.actors or two:
            span = 2 if two else 1
            if any(m in cl.modals for m in lemmas[i + span:i + span + 2]):
                out.append((i, i + span, "actor"))
    return out
