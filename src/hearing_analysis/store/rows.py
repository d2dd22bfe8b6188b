"""Read-side views of the store: documents and comments as plain dicts, in document order."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workspace import Workspace


def document_rows(ws: "Workspace", include_text: bool = True) -> list[dict]:
    """Every stored document as plain dicts, in id order (superseded versions included)."""
    rows = [dict(r) for r in ws.db.execute("SELECT * FROM documents ORDER BY received, id")]
    pages: dict[str, list[dict]] = {}
    if include_text:
        for r in ws.db.execute("SELECT document_id, number, text FROM pages ORDER BY document_id, number"):
            pages.setdefault(r["document_id"], []).append({"number": r["number"], "text": r["text"]})
    out = []
    for r in rows:
        rec = {
            "id": r["id"], "file": r["file"], "sha256": r["sha256"], "status": r["status"],
            "reason": r["reason"], "kind": r["kind"], "role": r["role"],
            "respondent": r["respondent"], "respondent_type": r["respondent_type"],
            "date": r["date"], "received": r["received"],
            "late": ws.late(r["respondent"], r["received"]),
            "language": r["language"], "references": json.loads(r["refs"] or "{}"),
            "duplicate_of": None, "group": r["group_id"], "similarity": r["similarity"],
            "parent": r["parent"], "supersedes": r["supersedes"], "superseded_by": r["superseded_by"],
            "ocr": bool(r["ocr"]), "size": r["size"], "source_path": r["source_path"],
        }
        if include_text:
            rec["text"] = r["text"]
            rec["pages"] = pages.get(r["id"], [])
        out.append(rec)
    # A byte-identical copy seen at another path is noted as its own record, not ingested again.
    # Attachments right after the e-mail that carried them.
    out.sort(key=lambda rec: (rec["received"] or "", rec["parent"] or rec["id"], rec["parent"] is not None, rec["id"]))
    by_sha = {rec["sha256"]: rec for rec in out}
    copies: dict[str, int] = {}
    for s in ws.db.execute("SELECT sha256, path, seen_at, received FROM sightings ORDER BY seen_at, path"):
        orig = by_sha.get(s["sha256"])
        if orig is None or s["path"] == orig["source_path"]:
            continue
        copies[orig["id"]] = copies.get(orig["id"], 0) + 1
        rec = {k: None for k in orig}
        rec.update(id=f"{orig['id']}.kopi{copies[orig['id']]}", file=Path(s["path"]).name,
                   source_path=s["path"], sha256=orig["sha256"], status="duplicate",
                   reason=f"Byte-identisk kopi av {orig['id']}; ikke lest inn på nytt.",
                   kind=orig["kind"], role=orig["role"], respondent=orig["respondent"],
                   respondent_type=orig["respondent_type"], received=s["received"] or s["seen_at"][:10],
                   duplicate_of=orig["id"], size=orig["size"], ocr=False, references={})
        rec["late"] = ws.late(rec["respondent"], rec["received"])
        if include_text:
            rec.update(text="", pages=[])
        out.append(rec)
    return out


def comment_rows(ws: "Workspace", include_furniture: bool = False) -> list[dict]:
    """Every stored comment with its respondent, prediction and human labels, in document order.

    ``focus_areas``, ``themes``, ``level`` and ``stance`` are the *effective* labels: the human label
    where a reviewer has set one, else the model's. ``predicted_*`` and ``human_*`` keep both sources
    (``human_*`` is None where nobody has reviewed that label kind).
    """
    from .reviews import LABEL_KINDS, human_labels

    sql = ("SELECT c.*, d.respondent, d.respondent_type, d.file, p.model, p.focus_areas AS p_focus, "
           "p.themes AS p_themes, p.level AS p_level, p.stance AS p_stance, p.scores, p.needs_review "
           "FROM comments c JOIN documents d ON d.id = c.response_id "
           "LEFT JOIN predictions p ON p.comment_id = c.id WHERE d.superseded_by IS NULL")
    if not include_furniture:
        sql += " AND c.kind != 'furniture'"
    sql += " ORDER BY d.received, c.response_id, c.position"
    humans = human_labels(ws.db)
    out = []
    for r in ws.db.execute(sql):
        pages = json.loads(r["pages"])
        predicted = {
            "focus_areas": json.loads(r["p_focus"]) if r["p_focus"] else None,
            "themes": json.loads(r["p_themes"]) if r["p_themes"] else None,
            "level": r["p_level"], "stance": r["p_stance"],
        }
        human = humans.get(r["id"], {})
        rec = {
            "id": r["id"], "response_id": r["response_id"], "n": r["n"], "kind": r["kind"],
            "respondent": r["respondent"], "respondent_type": r["respondent_type"],
            "heading": r["heading"], "lead": r["lead"], "text": r["text"],
            "page": pages[0] if pages else None, "pages": pages, "start": r["start"], "end": r["end"],
            "language": r["language"], "file": r["file"],
        }
        for kind in LABEL_KINDS:
            rec[kind] = human[kind].value if kind in human else predicted[kind]
        rec.update({
            "scores": json.loads(r["scores"]) if r["scores"] else None,
            "needs_review": bool(r["needs_review"]) if r["needs_review"] is not None else None,
            "model": r["model"],
        })
        for kind in LABEL_KINDS:
            rec[f"predicted_{kind}"] = predicted[kind]
        for kind in LABEL_KINDS:
            rec[f"human_{kind}"] = human[kind].value if kind in human else None
        rec["reviewed"] = bool(human)
        rec["reviewed_by"] = ", ".join(sorted({h.reviewer for h in human.values()})) or None
        rec["reviewed_at"] = max((h.reviewed_at for h in human.values()), default=None)
        out.append(rec)
    return out
