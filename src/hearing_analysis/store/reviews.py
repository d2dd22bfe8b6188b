"""Human labels: a history per comment and label kind; the newest entry is the human label."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

LABEL_KINDS = ("focus_areas", "themes", "level", "stance")
MULTI = ("focus_areas", "themes")


@dataclass(frozen=True)
class HumanLabel:
    """One reviewer's decision on one label kind of one comment."""

    comment_id: str
    kind: str
    value: list[str] | str
    predicted: list[str] | str | None
    reviewer: str
    reviewed_at: str
    source: str = ""


def _encode(kind: str, value) -> str:
    if kind in MULTI:
        return json.dumps(sorted(set(value)), ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)


def human_labels(con: sqlite3.Connection) -> dict[str, dict[str, HumanLabel]]:
    """The current human label per comment id and label kind."""
    out: dict[str, dict[str, HumanLabel]] = {}
    for r in con.execute("SELECT * FROM reviews ORDER BY id"):
        out.setdefault(r["comment_id"], {})[r["kind"]] = HumanLabel(
            r["comment_id"], r["kind"], json.loads(r["value"]),
            json.loads(r["predicted"]) if r["predicted"] is not None else None,
            r["reviewer"], r["reviewed_at"], r["source"])
    return out


def record_label(con: sqlite3.Connection, comment_id: str, kind: str, value, reviewer: str,
                 predicted=None, source: str = "", at: str | None = None) -> bool:
    """Store a human label unless it equals the current one; True when something changed.

    Call inside a transaction when storing many. ``predicted`` is the model's label at the time, kept so
    agreement between model and reviewers can be measured later.
    """
    if kind not in LABEL_KINDS:
        raise ValueError(f"ukjent etikettype {kind!r}; gyldige er {', '.join(LABEL_KINDS)}")
    encoded = _encode(kind, value)
    row = con.execute("SELECT value FROM reviews WHERE comment_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                      (comment_id, kind)).fetchone()
    if row is not None and row["value"] == encoded:
        return False
    at = at or dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
    con.execute("INSERT INTO reviews (comment_id, kind, value, predicted, reviewer, reviewed_at, source) "
                "VALUES (?,?,?,?,?,?,?)",
                (comment_id, kind, encoded, None if predicted is None else _encode(kind, predicted),
                 reviewer, at, source))
    return True
