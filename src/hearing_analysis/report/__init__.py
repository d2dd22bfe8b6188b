"""The board annex: :func:`build_report` gathers it, :func:`write_report` renders and records it."""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .layout import layout
from .model import Report, build_report

if TYPE_CHECKING:
    from ..workspace import Workspace

FORMATS = ("docx", "html", "md")
REPORT_DIR = "rapporter"


@dataclass
class ReportResult:
    """A written report: its id, the files, and what it covers."""

    id: str
    files: list[Path]
    responses: int
    comments: int
    measures: int
    since: str | None


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_report(ws: "Workspace", formats: tuple[str, ...] | list[str] = ("docx", "html"),
                 out_dir: str | Path | None = None, since: str | None = None, pseudonymise: bool = True,
                 now: dt.datetime | None = None) -> ReportResult:
    """Write the annex in the given formats and record which responses it includes.

    ``since`` is ``"last"`` or a report id: a delta report with only the responses that came in after it.
    ``pseudonymise=False`` shows private persons' names (for internal use only).
    """
    from ..errors import WorkspaceError

    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise WorkspaceError(f"Ukjent rapportformat {', '.join(bad) or '(ingen)'}; velg blant {', '.join(FORMATS)}.")
    out = Path(out_dir) if out_dir else ws.path / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    with ws.lock("report"):
        report = build_report(ws, since=since, pseudonymise=pseudonymise, now=now)
        blocks = layout(report)
        stem = f"{report.id}-horingsoppsummering" + ("-nye" if report.is_delta else "")
        files = []
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            if fmt == "docx":
                from ._docx import write_docx

                _atomic(path, lambda p: write_docx(blocks, p, report.title))
            elif fmt == "html":
                from ._html import render_html

                html = render_html(blocks, f"{'Nye høringsinnspill' if report.is_delta else 'Høringsinnspill'}"
                                           f" – {report.title}")
                _atomic(path, lambda p: p.write_text(html, encoding="utf-8"))
            else:
                from ._markdown import render_markdown

                md = render_markdown(blocks)
                _atomic(path, lambda p: p.write_text(md, encoding="utf-8"))
            files.append(path)
        # A re-run over the same responses replaces the report of the same id (idempotent), else a new record.
        ws.db.execute("INSERT OR REPLACE INTO reports (id, created_at, since, responses, files, pseudonymised) "
                      "VALUES (?,?,?,?,?,?)",
                      (report.id, report.created.isoformat(timespec="seconds"),
                       report.since["id"] if report.since else None, json.dumps(report.response_ids),
                       json.dumps([str(f) for f in files]), int(pseudonymise)))
        ws.log_event("report", {"id": report.id, "responses": len(report.response_ids),
                                "comments": report.comments, "measures": len(report.measures),
                                "since": report.since["id"] if report.since else None,
                                "pseudonymised": pseudonymise, "formats": list(formats)})
    return ReportResult(report.id, files, len(report.response_ids), report.comments, len(report.measures),
                        report.since["id"] if report.since else None)


def reports(ws: "Workspace") -> list[dict]:
    """The reports written from this workspace, oldest first."""
    return [{**dict(r), "responses": json.loads(r["responses"]), "files": json.loads(r["files"])}
            for r in ws.db.execute("SELECT * FROM reports ORDER BY created_at, rowid")]


__all__ = ["Report", "ReportResult", "build_report", "write_report", "reports", "layout", "FORMATS"]
