"""The workspace's human-editable config file, ``hearing.toml``."""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

CONFIG_NAME = "hearing.toml"


@dataclass(frozen=True)
class IngestLimits:
    max_file_mb: float = 100.0
    timeout_seconds: float = 180.0
    max_memory_mb: int = 2048
    workers: int = 2
    ocr_languages: str = "nor"


@dataclass(frozen=True)
class Config:
    title: str
    taxonomy: str
    deadline: dt.date | None = None
    extensions: dict[str, dt.date] = field(default_factory=dict)
    organisers: tuple[str, ...] = ()
    ingest: IngestLimits = field(default_factory=IngestLimits)
    reviewer: str = ""  # [review] reviewer: the name stored with human labels unless --reviewer is given

    def deadline_for(self, respondent: str) -> dt.date | None:
        """The respondent's deadline: an extension if one is granted, else the general one."""
        key = respondent.strip().casefold()
        for name, date in self.extensions.items():
            if name.strip().casefold() == key:
                return date
        return self.deadline


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD.") from None


def load_config(path: Path) -> Config:
    """Read and validate ``hearing.toml``; errors name the field and say what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Fant ikke {path}. Lag et arbeidsområde med `hearing init`.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} er ikke gyldig TOML: {e}") from e
    ext = data.get("extensions", {})
    if not isinstance(ext, dict):
        raise ConfigError(f"{path}: [extensions] må være en tabell: \"Navn på avsender\" = ÅÅÅÅ-MM-DD.")
    limits = data.get("ingest", {})
    defaults = IngestLimits()
    try:
        ingest = IngestLimits(
            max_file_mb=float(limits.get("max_file_mb", defaults.max_file_mb)),
            timeout_seconds=float(limits.get("timeout_seconds", defaults.timeout_seconds)),
            max_memory_mb=int(limits.get("max_memory_mb", defaults.max_memory_mb)),
            workers=max(1, int(limits.get("workers", defaults.workers))),
            ocr_languages=str(limits.get("ocr_languages", defaults.ocr_languages)),
        )
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{path}: ugyldig verdi i [ingest]: {e}") from e
    review = data.get("review", {})
    if not isinstance(review, dict):
        raise ConfigError(f"{path}: [review] må være en tabell, for eksempel reviewer = \"Kari Nordmann\".")
    return Config(
        title=str(data.get("title", "")),
        taxonomy=str(data.get("taxonomy", "")),
        deadline=_date(data.get("deadline"), f"{path}: deadline"),
        extensions={str(k): _date(v, f"{path}: extensions.{k}") for k, v in ext.items()},
        organisers=tuple(str(o) for o in data.get("organisers", [])),
        ingest=ingest,
        reviewer=str(review.get("reviewer", "")).strip(),
    )


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_config(title: str, taxonomy: str, deadline: dt.date | None, organisers: tuple[str, ...] = (),
                  extensions: dict[str, dt.date] | None = None) -> str:
    """The text of a new ``hearing.toml``, with comments that explain each field."""
    d = IngestLimits()
    ext_lines = "\n".join(f"{_toml_str(k)} = {v.isoformat()}" for k, v in (extensions or {}).items())
    ext_lines = ext_lines or '# "Asker kommune" = 2024-06-12'
    deadline_line = f"deadline = {deadline.isoformat()}" if deadline else "# deadline = 2024-05-29"
    return f"""# Arbeidsområde for hearing-analysis. Filen kan redigeres for hånd.

# Høringens tittel, brukt i rapporter.
title = {_toml_str(title)}

# Taksonomi: navnet på en innebygd taksonomi eller en sti til en .toml-fil.
taxonomy = {_toml_str(taxonomy)}

# Den som sender på høring; står som mottaker i brevene og er derfor aldri avsender.
organisers = [{", ".join(_toml_str(o) for o in organisers)}]

# Høringsfrist (ÅÅÅÅ-MM-DD). Svar mottatt etter fristen merkes som for sent.
{deadline_line}

# Utsatt frist for enkelte høringsinstanser: "Navn" = ÅÅÅÅ-MM-DD
[extensions]
{ext_lines}

[ingest]
max_file_mb = {d.max_file_mb:g}        # større filer avvises
timeout_seconds = {d.timeout_seconds:g}  # tidsgrense per fil (også OCR)
max_memory_mb = {d.max_memory_mb}       # minnetak per fil
workers = {d.workers}                # parallelle prosesser
ocr_languages = {_toml_str(d.ocr_languages)}     # Tesseract-språk for skannede dokumenter

# Gjennomgang av etiketter: navnet som lagres med dine rettelser (ellers --reviewer, ellers brukernavnet).
[review]
# reviewer = "Kari Nordmann"
"""
