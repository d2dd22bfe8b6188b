"""Right to erasure: remove every trace of one respondent from a workspace."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workspace import Workspace


def purge(ws: "Workspace", who: str) -> int:
    """Erase everything of one respondent (by name) or one document (by id): originals, text, comments,
    predictions and copies. Records that a purge happened, not what was purged. Returns the number of
    documents erased (0 when nothing matched)."""
    from ..ingest.batch import regroup

    con = ws.db
    ids = {r[0] for r in con.execute(
        "SELECT id FROM documents WHERE id = ? OR lower(respondent) = lower(?)", (who, who.strip()))}
    if not ids:
        return 0
    while True:  # attachments of an erased e-mail go too
        more = {r[0] for r in con.execute(
            f"SELECT id FROM documents WHERE parent IN ({','.join('?' * len(ids))})", tuple(ids))} - ids
        if not more:
            break
        ids |= more
    marks = ",".join("?" * len(ids))
    args = tuple(ids)
    shas = [r[0] for r in con.execute(f"SELECT sha256 FROM documents WHERE id IN ({marks})", args)]
    con.execute("PRAGMA secure_delete = ON")  # overwrite freed pages, so the text is gone from the file
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(f"DELETE FROM predictions WHERE comment_id IN (SELECT id FROM comments "
                    f"WHERE response_id IN ({marks}))", args)
        con.execute(f"DELETE FROM comments WHERE response_id IN ({marks})", args)
        for table in ("reviews", "backlog"):  # keyed "<response id>#<n>", without a foreign key
            con.executemany(f"DELETE FROM {table} WHERE substr(comment_id, 1, length(?) + 1) = ? || '#'",
                            [(i, i) for i in ids])
        con.execute(f"DELETE FROM segmented WHERE response_id IN ({marks})", args)
        con.execute(f"DELETE FROM pages WHERE document_id IN ({marks})", args)
        con.execute(f"UPDATE documents SET parent = NULL, supersedes = NULL, superseded_by = NULL "
                    f"WHERE id IN ({marks})", args)
        con.execute(f"UPDATE documents SET supersedes = NULL WHERE supersedes IN ({marks})", args)
        con.execute(f"UPDATE documents SET superseded_by = NULL WHERE superseded_by IN ({marks})", args)
        con.execute(f"DELETE FROM documents WHERE id IN ({marks})", args)
        con.executemany("DELETE FROM sightings WHERE sha256 = ?", [(sha,) for sha in shas])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for sha in shas:
        path = ws.store.path(sha)
        if path.exists():
            os.chmod(path, 0o600)
            path.unlink()
    regroup(ws)
    ws.log_event("purge", {"documents": len(ids)})
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("VACUUM")
    return len(ids)
