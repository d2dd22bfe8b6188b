"""The workspace: a folder with ``hearing.toml``, ``hearing.db`` and ``originals/``."""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .config import CONFIG_NAME, Config, load_config, render_config
from .errors import WorkspaceError
from .store import OriginalStore, connect, migrate
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy

if TYPE_CHECKING:
    import pandas as pd

    from .ingest.batch import IngestReport

DB_NAME = "hearing.db"
ENV_VAR = "HEARING_WORKSPACE"


def find_workspace(explicit: str | Path | None = None) -> Path:
    """The workspace folder: ``explicit``, else $HEARING_WORKSPACE, else the current folder."""
    for candidate, source in ((explicit, "--workspace"), (os.environ.get(ENV_VAR), ENV_VAR), (Path.cwd(), "")):
        if not candidate:
            continue
        path = Path(candidate).expanduser()
        if (path / CONFIG_NAME).is_file():
            return path
        if source:
            raise WorkspaceError(
                f"{path} (fra {source}) er ikke et arbeidsområde: {CONFIG_NAME} mangler. "
                "Lag et med `hearing init MAPPE`."
            )
    raise WorkspaceError(
        "Fant ikke noe arbeidsområde. Oppgi det med --workspace/-w, sett HEARING_WORKSPACE, "
        "eller stå i mappen. Et nytt lages med `hearing init MAPPE`."
    )


@dataclass(frozen=True)
class StatusSummary:
    title: str
    taxonomy: str
    deadline: str | None
    documents: int
    responses: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    by_language: dict[str, int]
    timeliness: dict[str, int]
    groups: int
    failures: list[dict[str, str]]
    needs_ocr: list[dict[str, str]]
    comments: int = 0
    classified: int = 0
    needs_review: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class AnalyzeReport:
    model: str = ""
    comments: int = 0
    needs_review: int = 0


@dataclass
class SegmentReport:
    responses: int = 0
    comments: int = 0
    furniture: int = 0


def _whole_responses(rows: list[dict], size: int) -> list[list[dict]]:
    """Rows (ordered by response) in chunks of about ``size``, never splitting a response: the model reads
    a comment in the light of the rest of its response."""
    chunks: list[list[dict]] = []
    for row in rows:
        if chunks and (len(chunks[-1]) < size or chunks[-1][-1]["response_id"] == row["response_id"]):
            chunks[-1].append(row)
        else:
            chunks.append([row])
    return chunks


class Workspace:
    """One consultation's workspace. Create with :meth:`create`, open with :meth:`open`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.config: Config = load_config(self.path / CONFIG_NAME)
        self.store = OriginalStore(self.path / "originals")
        self._db: sqlite3.Connection | None = None
        self._taxonomy: Taxonomy | None = None

    # -- life cycle -------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, title: str = "", taxonomy: str | Path = DEFAULT_TAXONOMY,
               deadline: dt.date | str | None = None,
               extensions: dict[str, dt.date] | None = None) -> "Workspace":
        """Make a new workspace folder; refuses a folder that already holds one."""
        path = Path(path)
        if (path / CONFIG_NAME).exists():
            raise WorkspaceError(f"{path} er allerede et arbeidsområde ({CONFIG_NAME} finnes).")
        tax = load_taxonomy(taxonomy)  # fail early on an unknown taxonomy
        if isinstance(deadline, str):
            deadline = dt.date.fromisoformat(deadline)
        old = os.umask(0o077)  # workspace files are for the owner only
        try:
            path.mkdir(parents=True, exist_ok=True)
            (path / "originals").mkdir(exist_ok=True)
            taxonomy_ref = str(Path(taxonomy).resolve()) if Path(str(taxonomy)).suffix == ".toml" else str(taxonomy)
            tmp = path / f".{CONFIG_NAME}.tmp"
            tmp.write_text(render_config(title or tax.title, taxonomy_ref, deadline, tax.organiser, extensions or {}), encoding="utf-8")
            os.replace(tmp, path / CONFIG_NAME)
            ws = cls(path)
            migrate(ws.db)
            ws.log_event("init", {"deadline": deadline.isoformat() if deadline else None,
                                  "extensions": len(extensions or {})})
        finally:
            os.umask(old)
        return ws

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Workspace":
        """Open an existing workspace (``None``: $HEARING_WORKSPACE or the current folder)."""
        ws = cls(find_workspace(path))
        migrate(ws.db)
        return ws

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            if not (self.path / DB_NAME).exists() and not (self.path / CONFIG_NAME).exists():
                raise WorkspaceError(f"{self.path} er ikke et arbeidsområde.")
            old = os.umask(0o077)
            try:
                self._db = connect(self.path / DB_NAME)
            finally:
                os.umask(old)
        return self._db

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy(self.config.taxonomy or DEFAULT_TAXONOMY)
        return self._taxonomy

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def lock(self, what: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the workspace's write lock; another writer waits for it."""
        fd = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"Venter på en annen prosess som skriver til arbeidsområdet ({what}) …")
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- audit trail --------------------------------------------------------
    def log_event(self, command: str, counts: dict | None = None, model: str = "") -> None:
        """Append one line to the workspace's audit trail (counts only, never personal data)."""
        from . import __version__

        tax = self.taxonomy
        self.db.execute("INSERT INTO events (at, command, version, taxonomy, model, counts) VALUES (?,?,?,?,?,?)",
                        (dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"), command,
                         __version__, f"{tax.name}@{tax.sha256[:12]}", model,
                         json.dumps(counts or {}, ensure_ascii=False, sort_keys=True)))

    def events(self) -> list[dict]:
        """The audit trail, oldest first."""
        return [{**dict(r), "counts": json.loads(r["counts"])}
                for r in self.db.execute("SELECT * FROM events ORDER BY id")]

    # -- verbs ------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], received: dt.date | str | None = None,
               progress: Callable[[int, int, str], None] | None = None, retry: bool = False,
               on_wait: Callable[[str], None] | None = None, received_from_folder: bool = False) -> "IngestReport":
        """Record every file under ``paths``; see :func:`hearing_analysis.ingest.batch.ingest_paths`."""
        from .ingest.batch import ingest_paths

        if isinstance(received, str):
            received = dt.date.fromisoformat(received)
        with self.lock("ingest", on_wait):
            report = ingest_paths(self, [Path(p) for p in paths], received, progress, retry, received_from_folder)
            self.log_event("ingest", {"added": len(report.added), "unchanged": len(report.unchanged),
                                      "duplicates": len(report.duplicates), "versions": len(report.versions),
                                      "failed": len(report.failed), "needs_ocr": len(report.needs_ocr),
                                      "skipped": len(report.skipped), "groups": report.groups})
            return report

    def purge(self, who: str, on_wait: Callable[[str], None] | None = None) -> int:
        """Erase everything of one respondent (by name) or one document (by id); see :mod:`hearing_analysis.store.erase`."""
        from .store.erase import purge

        with self.lock("purge", on_wait):
            return purge(self, who)

    def late(self, respondent: str, received: str | None) -> bool | None:
        """Whether a response arrived after its deadline (None without a deadline)."""
        deadline = self.config.deadline_for(respondent)
        if deadline is None or not received:
            return None
        return dt.date.fromisoformat(received[:10]) > deadline

    def document_rows(self, include_text: bool = True) -> list[dict]:
        """Every stored document as plain dicts (see :func:`hearing_analysis.store.rows.document_rows`)."""
        from .store.rows import document_rows

        return document_rows(self, include_text)

    def responses(self, include_text: bool = True) -> "pd.DataFrame":
        """One row per stored document, as a pandas DataFrame (see :func:`hearing_analysis.frames.responses_frame`)."""
        from .frames import responses_frame

        return responses_frame(self, include_text)

    def status(self) -> StatusSummary:
        """Counts by status, respondent type, language and timeliness; failures with reasons."""
        rows = [r for r in self.document_rows(include_text=False) if not r["superseded_by"]]
        responses = [r for r in rows if r["role"] == "response" and r["status"] != "duplicate"]

        def count(key, items):
            out: dict[str, int] = {}
            for r in items:
                out[str(r[key] or "ukjent")] = out.get(str(r[key] or "ukjent"), 0) + 1
            return dict(sorted(out.items()))

        timeliness = {"i_tide": 0, "for_sent": 0, "utsatt_frist": 0, "ukjent": 0}
        for r in responses:
            if r["late"] is None:
                timeliness["ukjent"] += 1
            elif r["late"]:
                timeliness["for_sent"] += 1
            else:
                extended = self.config.deadline_for(r["respondent"]) != self.config.deadline
                timeliness["utsatt_frist" if extended else "i_tide"] += 1
        return StatusSummary(
            title=self.config.title,
            taxonomy=self.config.taxonomy,
            deadline=self.config.deadline.isoformat() if self.config.deadline else None,
            documents=len(rows),
            responses=len(responses),
            by_status=count("status", rows),
            by_type=count("respondent_type", [r for r in responses if r["status"] == "ok"]),
            by_language=count("language", [r for r in responses if r["status"] == "ok"]),
            timeliness=timeliness,
            groups=len({r["group"] for r in rows if r["group"]}),
            failures=[{"id": r["id"], "file": r["file"], "reason": r["reason"]} for r in rows if r["status"] == "failed"],
            needs_ocr=[{"id": r["id"], "file": r["file"], "reason": r["reason"]} for r in rows if r["status"] == "needs_ocr"],
            **self._comment_counts(),
        )

    def _comment_counts(self) -> dict[str, int]:
        row = self.db.execute(
            "SELECT COUNT(*), COUNT(p.comment_id), COALESCE(SUM(p.needs_review), 0) FROM comments c "
            "JOIN documents d ON d.id = c.response_id LEFT JOIN predictions p ON p.comment_id = c.id "
            "WHERE c.kind != 'furniture' AND d.superseded_by IS NULL").fetchone()
        return {"comments": row[0], "classified": row[1], "needs_review": row[2]}

    def segment(self, redo: bool = False, progress: Callable[[int, int, str], None] | None = None,
                on_wait: Callable[[str], None] | None = None) -> "SegmentReport":
        """Split every readable response not yet segmented (all with ``redo``) into comments."""
        from .records import Page
        from .segment import split_comments

        with self.lock("segment", on_wait):
            con = self.db
            todo = [dict(r) for r in con.execute(
                "SELECT id, language FROM documents WHERE status = 'ok' AND role = 'response' "
                "AND superseded_by IS NULL ORDER BY received, id")]
            if not redo:
                done = {r[0] for r in con.execute("SELECT response_id FROM segmented")}
                todo = [r for r in todo if r["id"] not in done]
            report = SegmentReport()
            for k, row in enumerate(todo):
                if progress:
                    progress(k, len(todo), row["id"])
                pages = [Page(r["number"], r["text"]) for r in con.execute(
                    "SELECT number, text FROM pages WHERE document_id = ? ORDER BY number", (row["id"],))]
                units = split_comments(row["id"], pages, row["language"])
                comments = [u for u in units if u.kind != "furniture"]
                con.execute("BEGIN IMMEDIATE")
                try:
                    con.execute("DELETE FROM comments WHERE response_id = ?", (row["id"],))
                    con.executemany(
                        'INSERT INTO comments (id, response_id, n, kind, heading, lead, text, pages, start, "end", '
                        "language, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        [(u.id, u.response_id, u.n, str(u.kind), u.heading, u.lead, u.text, json.dumps(list(u.pages)),
                          u.start, u.end, u.language, pos) for pos, u in enumerate(units)])
                    con.execute("INSERT OR REPLACE INTO segmented VALUES (?, datetime('now'), ?)",
                                (row["id"], len(comments)))
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                report.responses += 1
                report.comments += len(comments)
                report.furniture += len(units) - len(comments)
            if progress:
                progress(len(todo), len(todo), "")
            self.log_event("segment", {"responses": report.responses, "comments": report.comments,
                                       "furniture": report.furniture, "redo": redo})
            return report

    def analyze(self, redo: bool = False, model_dir: str | Path | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                on_wait: Callable[[str], None] | None = None) -> "AnalyzeReport":
        """Classify every stored comment without a prediction from this model (all with ``redo``)."""
        from .classify import load_model
        from .classify.batches import predict_batches
        from .classify.embeddings import make_embedder

        model = load_model(model_dir)
        embedder = make_embedder(model.embedding)  # once, not per batch
        version = f"{model.card_.get('name', 'modell')}@{model.card_['model_sha256'][:12]}"
        with self.lock("analyze", on_wait):
            con = self.db
            sql = ("SELECT c.id, c.response_id, c.text, c.heading, c.lead, c.language FROM comments c "
                   "JOIN documents d ON d.id = c.response_id WHERE c.kind != 'furniture' AND d.superseded_by IS NULL")
            if not redo:
                sql += " AND c.id NOT IN (SELECT comment_id FROM predictions WHERE model = ?)"
            rows = [dict(r) for r in con.execute(sql + " ORDER BY c.response_id, c.position",
                                                  () if redo else (version,))]
            report = AnalyzeReport(model=version)
            chunks = _whole_responses(rows, 256)
            done = 0
            for chunk, labels in zip(chunks, predict_batches(model, chunks, taxonomy=self.config.taxonomy or None,
                                                             embedder=embedder)):
                if progress:
                    progress(done, len(rows), chunk[0]["id"])
                done += len(chunk)
                con.execute("BEGIN IMMEDIATE")
                try:
                    con.executemany(
                        "INSERT OR REPLACE INTO predictions VALUES (?,?,?,?,?,?,?,?,?,datetime('now'))",
                        [(r["id"], version, json.dumps(list(lab.focus_areas)), json.dumps(list(lab.themes)),
                          lab.level, lab.stance, lab.language, json.dumps(lab.scores), int(lab.needs_review))
                         for r, lab in zip(chunk, labels)])
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                report.comments += len(chunk)
                report.needs_review += sum(lab.needs_review for lab in labels)
            if progress:
                progress(len(rows), len(rows), "")
            self.log_event("analyze", {"comments": report.comments, "needs_review": report.needs_review,
                                       "redo": redo}, model=version)
            return report

    def comment_rows(self, include_furniture: bool = False) -> list[dict]:
        """Every stored comment with its respondent and prediction (see :mod:`hearing_analysis.store.rows`)."""
        from .store.rows import comment_rows

        return comment_rows(self, include_furniture)

    def set_labels(self, comment_id: str, reviewer: str, *, focus_areas: Iterable[str] | None = None,
                   themes: Iterable[str] | None = None, level: str | None = None, stance: str | None = None,
                   source: str = "api") -> int:
        """Store human labels for one comment (only the kinds given); returns how many changed.

        Codes are checked against the workspace taxonomy and labels.md; a human label takes precedence
        over the model's everywhere (API, backlog, reports).
        """
        from .records import LEVELS, STANCES
        from .store.reviews import record_label

        given = {"focus_areas": None if focus_areas is None else list(focus_areas),
                 "themes": None if themes is None else list(themes), "level": level, "stance": stance}
        allowed = {"focus_areas": set(self.taxonomy.focus_codes), "themes": set(self.taxonomy.theme_codes),
                   "level": set(LEVELS), "stance": set(STANCES)}
        for kind, value in given.items():
            if value is None:
                continue
            bad = [v for v in (value if isinstance(value, list) else [value]) if v not in allowed[kind]]
            if bad:
                raise ValueError(f"{kind} må være blant {', '.join(sorted(allowed[kind]))}; "
                                 f"fikk {', '.join(map(repr, bad))} for kommentar {comment_id}")
        with self.lock("review"):
            con = self.db
            row = con.execute("SELECT focus_areas, themes, level, stance FROM predictions WHERE comment_id = ?",
                              (comment_id,)).fetchone()
            if con.execute("SELECT 1 FROM comments WHERE id = ?", (comment_id,)).fetchone() is None:
                raise KeyError(f"ingen kommentar med id {comment_id!r} i arbeidsområdet")
            changed = 0
            con.execute("BEGIN IMMEDIATE")
            try:
                for kind, value in given.items():
                    if value is None:
                        continue
                    predicted = None
                    if row is not None:
                        predicted = json.loads(row[kind]) if kind in ("focus_areas", "themes") else row[kind]
                    changed += record_label(con, comment_id, kind, value, reviewer, predicted, source)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return changed

    def comments(self, include_furniture: bool = False) -> "pd.DataFrame":
        """One row per comment with effective, predicted and human labels, as a pandas DataFrame
        (see :func:`hearing_analysis.frames.comments_frame`)."""
        from .frames import comments_frame

        return comments_frame(self, include_furniture)

    def backlog(self, privacy: bool = True) -> "pd.DataFrame":
        """The action-plan backlog, one row per measure-level comment, as a pandas DataFrame
        (see :func:`hearing_analysis.frames.backlog_frame`)."""
        from .frames import backlog_frame

        return backlog_frame(self, privacy)

    def export_comments(self, fmt: str = "jsonl", out: str | Path | None = None,
                        include_furniture: bool = False) -> str | None:
        """Write comments as JSONL, CSV or XLSX; JSONL without ``out`` is returned as a string."""
        from .exporting import export_records

        return export_records(self.comment_rows(include_furniture), fmt, out)

    def export_responses(self, fmt: str = "jsonl", out: str | Path | None = None) -> str | None:
        """Write all documents as JSONL, CSV or XLSX; JSONL without ``out`` is returned as a string."""
        from .exporting import export_records

        return export_records(self.document_rows(include_text=True), fmt, out)
