"""Gazetteer of Norwegian respondents: municipalities, counties, regional councils, state bodies.

Loaded from the TSV files in ``data/places`` (see their SOURCE.md).
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

from ..records import RespondentType


@dataclass(frozen=True)
class Place:
    name: str  # canonical respondent name, e.g. "Råde kommune"
    type: RespondentType
    forms: tuple[str, ...]  # every way the name is written


def _rows(name: str) -> list[dict[str, str]]:
    res = resources.files("hearing_analysis") / "data" / "places" / name
    if not res.is_file():
        return []
    return list(csv.DictReader(io.StringIO(res.read_text(encoding="utf-8")), delimiter="\t"))


def _aliases(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]


@functools.lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    out: list[Place] = []
    for row in _rows("kommuner.tsv"):
        base = row["name"].strip()
        plain = re.sub(r"\s*\(.*\)$", "", base)  # "Våler (Østfold)" is written "Våler kommune"
        names = list(dict.fromkeys([base, plain, *_aliases(row)]))
        forms = [f"{n} kommune" for n in names]
        out.append(Place(f"{base} kommune", RespondentType.KOMMUNE, tuple(forms)))
    for row in _rows("fylker.tsv"):
        base = row["name"].strip()
        forms = [f"{base} fylkeskommune"] + [a for a in _aliases(row) if "fylkeskommune" in a]
        forms += [f"{a} fylkeskommune" for a in _aliases(row) if "fylkeskommune" not in a]
        out.append(Place(f"{base} fylkeskommune", RespondentType.FYLKESKOMMUNE, tuple(dict.fromkeys(forms))))
    for row in _rows("regionraad.tsv"):
        base = row["name"].strip()
        out.append(Place(base, RespondentType.REGIONRAAD, tuple(dict.fromkeys([base, *_aliases(row)]))))
    for row in _rows("stat.tsv"):
        base = row["name"].strip()
        out.append(Place(base, RespondentType.STAT, tuple(dict.fromkeys([base, *_aliases(row)]))))
    return tuple(out)


def fold(text: str) -> str:
    """Lower-case ASCII folding for matching file names: "Råde" -> "rade"."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "á": "a", "ü": "u", "ö": "o", "ä": "a"})
    return re.sub(r"[^a-z0-9]+", " ", text.casefold().translate(table)).strip()


_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[tuple[str, ...], Place]]]:
    """First word of every form -> (the form's words, place), longest form first."""
    index: dict[str, list[tuple[tuple[str, ...], Place]]] = {}
    seen: set[tuple[str, ...]] = set()
    for place in places():
        for form in place.forms:
            words = tuple(_tokens(form))
            if words and words not in seen:  # the first place to claim a form keeps it
                seen.add(words)
                index.setdefault(words[0], []).append((words, place))
    for forms in index.values():
        forms.sort(key=lambda fp: len(fp[0]), reverse=True)
    return index


def find_places(text: str) -> list[Place]:
    """Every known respondent named in ``text``, in order of appearance (one pass over the words)."""
    index = _index()
    words = _tokens(text)
    found, i = [], 0
    while i < len(words):
        for form, place in index.get(words[i], ()):
            if tuple(words[i:i + len(form)]) == form:
                found.append(place)
                i += len(form) - 1
                break
        i += 1
    return found


@functools.lru_cache(maxsize=1)
def _folded_index() -> list[tuple[str, Place]]:
    """Short folded stems for file names: "rade" for Råde kommune, "mosseregionen" for Mosseregionen IPR."""
    out = []
    for place in places():
        stem = re.sub(r"\b(kommune|fylkeskommune|ipr|regionråd|regionrådet)\b", "", place.name, flags=re.I)
        stem = fold(stem)
        if len(stem) >= 3:
            out.append((stem, place))
    out.sort(key=lambda sp: len(sp[0]), reverse=True)
    return out


def find_in_filename(name: str) -> Place | None:
    folded = f" {fold(name)} "
    for stem, place in _folded_index():
        if f" {stem} " in folded:
            return place
    return None


def warm_up() -> None:
    """Build the place list and both indexes now (they are built on first use; before worker processes fork,
    so that each worker does not build its own)."""
    for build in (places, _index, _folded_index):
        build()
