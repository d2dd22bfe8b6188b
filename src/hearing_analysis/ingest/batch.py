"""Ingest a batch of files into a workspace: hash, deduplicate, extract in workers, store."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..records import RespondentType, Role, Status
from ..store.originals import sha256_file
from ._runner import Job, Outcome, WorkerPool
from ._similar import group_similar

if TYPE_CHECKING:
    from ..workspace import Workspace

IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class IngestReport:
    """What one `ingest` call did. Every input file is in exactly one list."""

    added: list[str] = field(default_factory=list)  # new document ids (attachments included)
    unchanged: list[str] = field(default_factory=list)  # paths already in the workspace
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, id it duplicates)
    versions: list[tuple[str, str]] = field(default_factory=list)  # (new id, the id it supersedes)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    needs_ocr: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): system files, missing paths
    groups: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not any(why.startswith("Fant ikke") for _, why in self.skipped)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def walk(paths: list[Path], report: IngestReport) -> list[Path]:
    """Files under ``paths`` in sorted order; missing paths and system files go to ``report.skipped``."""
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            report.skipped.append((str(p), "Fant ikke filen eller mappen."))
            continue
        if p.is_file():
            files.append(p)
            continue
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                f = Path(root) / name
                if name in IGNORED_NAMES or name.startswith("~$"):
                    report.skipped.append((str(f), "Systemfil eller Office-låsefil; ikke et høringssvar."))
                elif f.is_file():
                    files.append(f)
    return list(dict.fromkeys(files))


_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")


def folder_date(path: Path) -> str | None:
    """The date of the nearest enclosing folder named YYYY-MM-DD (an inbox sorted by day received)."""
    for parent in path.parents:
        m = _ISO_DAY.match(parent.name)
        if m:
            try:
                return dt.date.fromisoformat(m.group(1)).isoformat()
            except ValueError:
                return None
    return None


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
    s = re.sub(r"[^a-z0-9]+", "-", text.casefold().translate(table)).strip("-")
    return s[:50].strip("-") or "dokument"


def _new_id(con, base: str) -> str:
    candidate, n = base, 1
    while con.execute("SELECT 1 FROM documents WHERE id = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def ingest_paths(ws: "Workspace", paths: list[Path], received: dt.date | None,
                 progress: Callable[[int, int, str], None] | None = None, retry: bool = False,
                 received_from_folder: bool = False) -> IngestReport:
    """Record every file under ``paths`` in the workspace. Never stops on a bad file.

    Byte-identical files are stored once; a changed file at a known path becomes
    a new version; failures are stored with their reason. With ``retry``,
    stored documents that failed or wait for OCR are read again. With
    ``received_from_folder``, a file in a folder named YYYY-MM-DD was received
    that day (an e-mail's Date header still wins).
    """
    from . import preload

    report = IngestReport()
    con = ws.db
    limits = ws.config.ingest
    default_received = (received or dt.date.today()).isoformat()
    files = walk(paths, report)
    pool = WorkerPool(limits.workers, limits.timeout_seconds, limits.max_memory_mb, limits.ocr_languages,
                      tuple(ws.config.organisers))
    total = len(files)
    done = 0
    queued: dict[str, str] = {}  # sha -> path of the first copy in this batch

    def tick(label: str, extra: int = 0):
        nonlocal total
        total += extra
        if progress:
            progress(done, total, label)

    # 1. Hash, store originals, and queue what is new.
    for f in files:
        tick(f.name)
        path_key = str(f.resolve())
        try:
            size = f.stat().st_size
            sha = sha256_file(f)
        except OSError as e:
            report.failed.append((str(f), f"Filen kan ikke leses fra disk: {e.strerror or e}."))
            done += 1
            continue
        day = (folder_date(f) if received_from_folder else None) or default_received
        if sha in queued:
            con.execute("INSERT OR IGNORE INTO sightings VALUES (?, ?, ?, ?)", (sha, path_key, _now(), day))
            report.duplicates.append((str(f), queued[sha]))
            done += 1
            continue
        known = con.execute("SELECT id, source_path FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        seen = con.execute("SELECT 1 FROM sightings WHERE sha256 = ? AND path = ?", (sha, path_key)).fetchone()
        if known:
            if seen or known["source_path"] == path_key:
                report.unchanged.append(str(f))
            else:
                con.execute("INSERT OR IGNORE INTO sightings VALUES (?, ?, ?, ?)", (sha, path_key, _now(), day))
                report.duplicates.append((str(f), known["id"]))
            done += 1
            continue
        previous = con.execute(
            "SELECT id FROM documents WHERE source_path = ? AND superseded_by IS NULL ORDER BY ingested_at DESC",
            (path_key,),
        ).fetchone()
        info = {"path": path_key, "file": f.name, "sha": sha, "size": size, "received": day,
                "parent": None, "supersedes": previous["id"] if previous else None}
        if size > limits.max_file_mb * 1024 * 1024:
            _store(ws, report, Outcome(Job(0, b"", f.name, info), error=(
                f"Filen er {size / 2**20:.0f} MiB, over grensen på {limits.max_file_mb:g} MiB "
                "(ingest.max_file_mb i hearing.toml).")),)
            done += 1
            continue
        ws.store.put_file(f, sha)
        queued[sha] = str(f)
        pool.submit(Job(len(pool.pending), ws.store.path(sha), f.name, info))
    if retry:
        for row in con.execute("SELECT * FROM documents WHERE status IN ('failed', 'needs_ocr') "
                               "AND superseded_by IS NULL ORDER BY id").fetchall():
            if row["sha256"] not in ws.store:
                continue
            info = {"path": row["source_path"], "file": row["file"], "sha": row["sha256"], "size": row["size"],
                    "received": row["received"], "parent": row["parent"], "supersedes": row["supersedes"],
                    "replace": row["id"]}
            pool.submit(Job(0, ws.store.path(row["sha256"]), row["file"], info))
            tick(row["file"], extra=1)
    if pool.pending:
        preload()

    # 2. Extract in workers and store each result in its own transaction.
    for outcome in pool.results():
        done += 1
        tick(outcome.job.name)
        doc_id = _store(ws, report, outcome)
        ex = outcome.extracted
        if ex is None or not ex.attachments:
            continue
        when = ex.sent or outcome.job.info["received"]
        for att in ex.attachments:
            sha = ws.store.put_bytes(att.data)
            apath = f"{outcome.job.info['path']}::{att.name}"
            known = con.execute("SELECT id FROM documents WHERE sha256 = ?", (sha,)).fetchone()
            if known or sha in queued:
                con.execute("INSERT OR IGNORE INTO sightings VALUES (?, ?, ?, ?)", (sha, apath, _now(), when))
                report.duplicates.append((apath, known["id"] if known else queued[sha]))
                continue
            queued[sha] = apath
            info = {"path": apath, "file": att.name, "sha": sha, "size": len(att.data), "received": when,
                    "parent": doc_id, "supersedes": None}
            pool.submit(Job(0, ws.store.path(sha), att.name, info))
            tick(att.name, extra=1)

    # 3. Link near-identical texts from different respondents.
    report.groups = regroup(ws)
    return report


def _store(ws: "Workspace", report: IngestReport, outcome: Outcome) -> str:
    """Insert one document (and its pages) atomically; return its id."""
    con = ws.db
    info = outcome.job.info
    ex, meta = outcome.extracted, outcome.metadata
    if ex is not None and ex.sent:
        received = ex.sent
    else:
        received = info["received"]
    if ex is None:
        status, reason, kind, role = Status.FAILED, outcome.error, "ukjent", Role.RESPONSE
    else:
        status, reason, kind = ex.status, ex.reason, ex.kind
        role = Role.RESPONSE if ex.carries_response else Role.CONTAINER
    respondent = meta.respondent if meta else ""
    date = meta.date if meta else None
    if meta is not None and meta.respondent_type == RespondentType.PRIVAT:
        # Ids travel into exports, logs and backlogs: never build them from a private person's name.
        base = f"privatperson-{info['sha'][:8]}-{date or received}"
    else:
        base = _slug(respondent or Path(info["file"]).stem) + "-" + (date or received)
    pages = ex.pages if ex is not None else []
    con.execute("BEGIN IMMEDIATE")
    try:
        replace = info.get("replace")
        if replace:
            doc_id = replace
            con.execute("DELETE FROM pages WHERE document_id = ?", (doc_id,))
            con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        else:
            doc_id = _new_id(con, base)
        con.execute(
            """INSERT INTO documents (id, sha256, file, source_path, size, kind, role, status, reason, respondent,
                 respondent_type, date, received, language, refs, parent, supersedes, sender, subject, furniture,
                 ocr, warnings, text, ingested_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, info["sha"], info["file"], info["path"], info["size"], kind, str(role), str(status), reason,
             respondent, str(meta.respondent_type) if meta else "annet", date, received,
             meta.language if meta else "", json.dumps(meta.references if meta else {}, ensure_ascii=False),
             info["parent"], info["supersedes"], ex.sender if ex else "", ex.subject if ex else "",
             ex.furniture if ex else "", int(ex.ocr) if ex else 0,
             json.dumps(ex.warnings if ex else [], ensure_ascii=False), ex.text if ex else "", _now()),
        )
        con.executemany("INSERT INTO pages VALUES (?, ?, ?)", [(doc_id, p.number, p.text) for p in pages])
        if info["supersedes"]:
            con.execute("UPDATE documents SET superseded_by = ? WHERE id = ?", (doc_id, info["supersedes"]))
        con.execute("INSERT OR IGNORE INTO sightings VALUES (?, ?, ?, ?)",
                    (info["sha"], info["path"], _now(), received))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if status is Status.FAILED:
        report.failed.append((info["file"], reason))
    elif status is Status.NEEDS_OCR:
        report.needs_ocr.append((info["file"], reason))
    else:
        report.added.append(doc_id)
    if info["supersedes"] and not info.get("replace"):
        report.versions.append((doc_id, info["supersedes"]))
    return doc_id


def regroup(ws: "Workspace") -> int:
    """Recompute near-duplicate groups over current responses; return the number of groups."""
    con = ws.db
    docs = [(r["id"], r["respondent"], r["text"]) for r in con.execute(
        "SELECT id, respondent, text FROM documents WHERE status = 'ok' AND role = 'response' "
        "AND superseded_by IS NULL")]
    grouping = group_similar(docs)
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute("UPDATE documents SET group_id = NULL, similarity = NULL")
        con.executemany("UPDATE documents SET group_id = ?, similarity = ? WHERE id = ?",
                        [(gid, grouping.score_of[doc_id], doc_id) for doc_id, gid in grouping.group_of.items()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(set(grouping.group_of.values()))
