"""Write lists of records as JSONL, CSV or XLSX."""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from .errors import HearingAnalysisError

FORMATS = ("jsonl", "csv", "xlsx")
XLSX_CELL_MAX = 32_000


def xlsx_value(value, limit: int = XLSX_CELL_MAX, note: str = " […forkortet; se JSONL-eksporten]"):
    """A value Excel accepts in a cell: control characters removed, text cut to ``limit`` with ``note``."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= limit else value[:limit] + note


def _flat(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary name, then rename: a file is complete or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_records(records: list[dict], fmt: str, out: str | Path | None) -> str | None:
    """Serialise records; returns the JSONL text when ``out`` is None and fmt is jsonl."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise HearingAnalysisError(f"Ukjent format {fmt!r}; velg {', '.join(FORMATS)}.")
    if fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        if out is None:
            return text
        atomic_write(Path(out), text.encode("utf-8"))
        return None
    if out is None:
        raise HearingAnalysisError(f"Formatet {fmt} trenger en utfil: bruk -o FIL.")
    columns = list(dict.fromkeys(k for r in records for k in r))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _flat(v) for k, v in r.items()})
        atomic_write(Path(out), buf.getvalue().encode("utf-8-sig"))
        return None
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(columns)
    for r in records:
        ws.append([xlsx_value(_flat(r.get(k))) for k in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(Path(out), buf.getvalue())
    return None
