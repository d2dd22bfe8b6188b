"""Taxonomies: the focus areas and cross-cutting themes of one consultation.

A taxonomy is a TOML file (see ``data/taxonomies/``). The default,
``osloregionen-2025-2028``, ships with the package; any other consultation can
bring its own file with the same shape.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import TaxonomyError

DEFAULT_TAXONOMY = "osloregionen-2025-2028"
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    description: str = ""
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    name: str
    title: str
    version: str
    focus_areas: tuple[Label, ...]
    themes: tuple[Label, ...]
    levels: tuple[Label, ...] = ()
    stances: tuple[Label, ...] = ()
    source: str = ""
    organiser: tuple[str, ...] = ()
    sha256: str = field(default="", compare=False)

    def label(self, code: str) -> Label:
        for lab in (*self.focus_areas, *self.themes, *self.levels, *self.stances):
            if lab.code == code:
                return lab
        raise KeyError(code)

    @property
    def focus_codes(self) -> list[str]:
        return [lab.code for lab in self.focus_areas]

    @property
    def theme_codes(self) -> list[str]:
        return [lab.code for lab in self.themes]


def available_taxonomies() -> list[str]:
    """Names of the taxonomies shipped with the package."""
    folder = resources.files("hearing_analysis") / "data" / "taxonomies"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def taxonomy_bytes(name_or_path: str | Path) -> tuple[bytes, str]:
    """Return the raw bytes of a taxonomy and where they came from."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise TaxonomyError(f"Fant ikke taksonomifilen {candidate}.")
        return candidate.read_bytes(), str(candidate)
    res = resources.files("hearing_analysis") / "data" / "taxonomies" / f"{name_or_path}.toml"
    if not res.is_file():
        known = ", ".join(available_taxonomies())
        raise TaxonomyError(
            f"Ukjent taksonomi {str(name_or_path)!r}. Innebygde: {known}; eller oppgi en sti til en .toml-fil."
        )
    return res.read_bytes(), f"innebygd:{name_or_path}"


def load_taxonomy(name_or_path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """Load a shipped taxonomy by name, or a taxonomy file by path, and validate it."""
    raw, origin = taxonomy_bytes(name_or_path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise TaxonomyError(f"Taksonomien {origin} er ikke gyldig TOML: {e}") from e
    return _from_dict(data, origin, hashlib.sha256(raw).hexdigest())


def _labels(data: dict, key: str, origin: str, required: bool) -> tuple[Label, ...]:
    items = data.get(key, [])
    if required and not items:
        raise TaxonomyError(f"Taksonomien {origin} mangler [[{key}]]-tabeller.")
    out: list[Label] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        code = item.get("code", "")
        if not isinstance(code, str) or not _CODE.match(code):
            raise TaxonomyError(
                f"{key} nr. {i} i {origin}: 'code' må være små bokstaver, tall og _ (fikk {code!r})."
            )
        if code in seen:
            raise TaxonomyError(f"{key} i {origin}: koden {code!r} står to ganger.")
        seen.add(code)
        if not item.get("name"):
            raise TaxonomyError(f"{key} {code!r} i {origin} mangler 'name'.")
        terms = item.get("terms", [])
        if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
            raise TaxonomyError(f"{key} {code!r} i {origin}: 'terms' må være en liste med ord.")
        out.append(Label(code, item["name"], item.get("description", ""), tuple(t.strip().lower() for t in terms)))
    return tuple(out)


def _from_dict(data: dict, origin: str, sha: str) -> Taxonomy:
    for key in ("name", "title"):
        if not data.get(key):
            raise TaxonomyError(f"Taksonomien {origin} mangler feltet {key!r}.")
    focus = _labels(data, "focus_areas", origin, required=True)
    themes = _labels(data, "themes", origin, required=False)
    clash = {lab.code for lab in focus} & {lab.code for lab in themes}
    if clash:
        raise TaxonomyError(f"Taksonomien {origin}: kodene {sorted(clash)} er både innsatsområde og tema.")
    return Taxonomy(
        name=data["name"],
        title=data["title"],
        version=str(data.get("version", "1")),
        focus_areas=focus,
        themes=themes,
        levels=_labels(data, "levels", origin, required=False),
        stances=_labels(data, "stances", origin, required=False),
        source=data.get("source", ""),
        organiser=tuple(data.get("organiser", ())) if isinstance(data.get("organiser"), list)
        else ((data["organiser"],) if data.get("organiser") else ()),
        sha256=sha,
    )
