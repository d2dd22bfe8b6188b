"""SQLite schema with ordered, recorded migrations."""
from __future__ import annotations

import sqlite3
from pathlib import Path

# Each migration runs once, in order; its index is recorded in `schema_migrations`.
MIGRATIONS: list[str] = [
    # 1: documents, their pages, every place a file was seen, and near-duplicate groups.
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        file TEXT NOT NULL,
        source_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        kind TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'response',
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        respondent TEXT NOT NULL DEFAULT '',
        respondent_type TEXT NOT NULL DEFAULT 'annet',
        date TEXT,
        received TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        refs TEXT NOT NULL DEFAULT '{}',
        parent TEXT REFERENCES documents(id),
        supersedes TEXT REFERENCES documents(id),
        superseded_by TEXT REFERENCES documents(id),
        group_id TEXT,
        similarity REAL,
        sender TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        furniture TEXT NOT NULL DEFAULT '',
        ocr INTEGER NOT NULL DEFAULT 0,
        warnings TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL DEFAULT '',
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE pages (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, number)
    );
    CREATE TABLE sightings (
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        received TEXT,
        PRIMARY KEY (sha256, path)
    );
    CREATE INDEX documents_source ON documents(source_path);
    """,
    # 2: comments (and letter furniture) segmented from responses.
    """
    CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        response_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        kind TEXT NOT NULL,
        heading TEXT NOT NULL DEFAULT '',
        lead TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        pages TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE INDEX comments_response ON comments(response_id, position);
    CREATE TABLE segmented (
        response_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        segmented_at TEXT NOT NULL,
        comments INTEGER NOT NULL
    );
    """,
    # 3: model predictions per comment, with the model version that made them.
    """
    CREATE TABLE predictions (
        comment_id TEXT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        focus_areas TEXT NOT NULL,
        themes TEXT NOT NULL,
        level TEXT NOT NULL,
        stance TEXT NOT NULL,
        language TEXT NOT NULL,
        scores TEXT NOT NULL,
        needs_review INTEGER NOT NULL,
        predicted_at TEXT NOT NULL
    );
    """,
    # 4: append-only audit trail: which command ran when, with which model and taxonomy, what it changed.
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        command TEXT NOT NULL,
        version TEXT NOT NULL,
        taxonomy TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        counts TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
    # 5: human labels (a history; the newest row per comment and label kind wins), the secretariat's
    # backlog status per measure comment, and every report written with the responses it included.
    # Keyed by comment id without a foreign key, so a re-segmentation never drops a human decision.
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        comment_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('focus_areas', 'themes', 'level', 'stance')),
        value TEXT NOT NULL,
        predicted TEXT,
        reviewer TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX reviews_comment ON reviews(comment_id, kind, id);
    CREATE TABLE backlog (
        comment_id TEXT PRIMARY KEY,
        status TEXT NOT NULL DEFAULT 'ny' CHECK (status IN ('ny', 'vurderes', 'tatt inn', 'avvist')),
        note TEXT NOT NULL DEFAULT '',
        updated_by TEXT NOT NULL DEFAULT '',
        updated_at TEXT
    );
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        since TEXT,
        responses TEXT NOT NULL,
        files TEXT NOT NULL DEFAULT '[]',
        pseudonymised INTEGER NOT NULL DEFAULT 1
    );
    """,
]


def connect(path: Path, timeout: float = 60.0) -> sqlite3.Connection:
    """Open the workspace database in WAL mode with foreign keys on."""
    con = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return con


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (a trigger body holds semicolons of its own)."""
    out, buf = [], ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip())
            buf = ""
    return out


def migrate(con: sqlite3.Connection) -> int:
    """Apply pending migrations; return the schema version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
    for version, sql in enumerate(MIGRATIONS, 1):
        if version in done:
            continue
        con.execute("BEGIN IMMEDIATE")
        try:
            # executescript would commit implicitly; run statements one by one inside the transaction.
            for statement in _statements(sql):
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, datetime('now'))", (version,)
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)
