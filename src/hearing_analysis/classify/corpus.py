"""Read annotated comments (the JSONL record format of labels.md) and validate them."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import HearingAnalysisError
from ..records import LEVELS, STANCES

LANGUAGES = ("nb", "nn", "en", "other")


class CorpusError(HearingAnalysisError, ValueError):
    """An annotated record breaks the label scheme."""


def corpus_files(path: str | Path) -> list[Path]:
    """The JSONL files of a corpus: one file, or every ``*.jsonl`` in a folder's ``raw/`` (else the folder)."""
    p = Path(path)
    if p.is_file():
        return [p]
    if (p / "train.jsonl").is_file():
        return [p / "train.jsonl"]
    files = sorted((p / "raw").glob("*.jsonl")) or sorted(p.glob("*.jsonl"))
    if not files:
        raise CorpusError(f"Fant ingen .jsonl-filer i {p}.")
    return files


def read_records(path: str | Path, focus_codes: list[str] | None = None, theme_codes: list[str] | None = None,
                 labelled: bool = True) -> list[dict]:
    """Records from a JSONL file or corpus folder; with ``labelled``, every label is checked against the scheme."""
    records = []
    for file in corpus_files(path):
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file.name}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError(f"{where}: ikke gyldig JSON ({e.msg}).") from None
            if not isinstance(rec, dict) or not str(rec.get("text", "")).strip():
                raise CorpusError(f"{where}: hver linje må være et objekt med en ikke-tom 'text'.")
            rec.setdefault("id", f"{file.stem}:{n}")
            if labelled:
                _check(rec, where, focus_codes, theme_codes)
            records.append(rec)
    return records


def response_of(rec: dict) -> str | None:
    """The response a comment belongs to: its ``response_id``, else the part of an id ``<response>#<n>``
    before the ``#`` (the form the corpus and ``hearing export comments`` use), else None."""
    if rec.get("response_id"):
        return str(rec["response_id"])
    cid = str(rec.get("id", ""))
    return cid.rsplit("#", 1)[0] if "#" in cid else None


def check_record(rec: dict, where: str, focus_codes, theme_codes) -> None:
    """Raise :class:`CorpusError` naming the comment when a record breaks the label scheme."""
    _check(rec, where, focus_codes, theme_codes)


def _check(rec: dict, where: str, focus_codes, theme_codes) -> None:
    cid = rec.get("id", where)
    for key, allowed in (("level", LEVELS), ("stance", STANCES), ("language", LANGUAGES)):
        if rec.get(key) not in allowed:
            raise CorpusError(f"`{key}` må være en av {', '.join(allowed)}; fikk {rec.get(key)!r} i innspill {cid} ({where}).")
    for key, allowed in (("focus_areas", focus_codes), ("themes", theme_codes)):
        value = rec.get(key)
        if not isinstance(value, list):
            raise CorpusError(f"`{key}` må være en liste i innspill {cid} ({where}).")
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise CorpusError(f"`{key}` har ukjente koder {bad} i innspill {cid} ({where}); gyldige: {', '.join(allowed)}.")


def corpus_hash(path: str | Path) -> str:
    """SHA-256 over the corpus files' bytes, in name order: the corpus version a model was trained on."""
    h = hashlib.sha256()
    for file in corpus_files(path):
        h.update(file.name.encode())
        h.update(file.read_bytes())
    return h.hexdigest()
