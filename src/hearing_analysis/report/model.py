"""The report as data: everything the annex says, independent of DOCX, HTML or Markdown."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..names import RESPONDENT_TYPE_NAMES, RESPONDENT_TYPE_PLURAL, STANCE_NAMES
from ..privacy import Privacy
from .points import Point, Vectoriser, group_points

if TYPE_CHECKING:
    from ..workspace import Workspace

TYPE_NAMES = RESPONDENT_TYPE_PLURAL
TYPE_SINGULAR = {k: v.lower() for k, v in RESPONDENT_TYPE_NAMES.items()}
STATUS_NAMES = {"ok": "Lest inn", "failed": "Feilet", "needs_ocr": "Trenger manuell lesing",
                "duplicate": "Kopi (ikke lest på nytt)"}
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")
MAX_POINTS = 6  # per section; the rest are counted, not listed


def norwegian_date(value: dt.date | str | None) -> str:
    """'29. mai 2024'."""
    if not value:
        return "ukjent dato"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def join_names(names: list[str]) -> str:
    """'A, B og C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " og " + names[-1]


@dataclass
class Section:
    """One focus area or cross-cutting theme."""

    code: str
    name: str
    kind: str  # "focus_areas" or "themes"
    description: str
    respondents: int
    comments: int
    stance: dict[str, int]
    points: list[Point]
    more_points: int = 0


@dataclass
class RespondentRow:
    name: str
    type: str
    date: str
    received: str
    timeliness: str
    stance: str
    focus_areas: list[str]
    themes: list[str]
    measures: int
    comments: int
    new: bool = False


@dataclass
class MeasureRow:
    id: str
    respondent: str
    action: str
    quote: str
    focus_areas: list[str]
    themes: list[str]
    page: int | None
    file: str
    confidence: float | None


@dataclass
class FileRow:
    file: str
    respondent: str
    status: str
    note: str
    received: str


@dataclass
class Report:
    """What the annex says. Build with :func:`build_report`; render with the writers in this package."""

    id: str
    title: str
    created: dt.datetime
    deadline: str | None
    first_received: str | None
    last_received: str | None
    response_ids: list[str]
    since: dict | None  # {"id", "created"} of the report this one is a delta against
    pseudonymised: bool
    by_type: dict[str, int]
    timeliness: dict[str, int]
    joint: list[list[str]]
    problems: list[FileRow]
    comments: int
    reviewed: int
    needs_review: int
    stance_overall: dict[str, int]
    stance_by_type: dict[str, dict[str, int]]
    focus_sections: list[Section]
    theme_sections: list[Section]
    measures: list[MeasureRow]
    respondents: list[RespondentRow]
    files: list[FileRow]
    charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def is_delta(self) -> bool:
        return self.since is not None


def _stance_word(counts: dict[str, int]) -> str:
    """A respondent's overall stance from its substantive comments."""
    total = sum(counts.values())
    if not total:
        return "Ingen merknader"
    s, i = counts.get("stotte", 0), counts.get("innvending", 0)
    if s and i and min(s, i) / total >= 0.25:
        return "Blandet"
    best = max(("innvending", "stotte", "noytral"), key=lambda k: counts.get(k, 0))
    return {"stotte": "Støtter", "innvending": "Innvendinger", "noytral": "Nøytral"}[best]


def previous_report(ws: "Workspace", since: str) -> dict:
    """The stored report ``since`` names: ``last`` or a report id."""
    from ..errors import WorkspaceError

    if since == "last":
        row = ws.db.execute("SELECT * FROM reports ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
        if row is None:
            raise WorkspaceError("Ingen tidligere rapport å sammenligne med; lag først en full rapport "
                                 "med `hearing report`.")
    else:
        row = ws.db.execute("SELECT * FROM reports WHERE id = ?", (since,)).fetchone()
        if row is None:
            known = [r[0] for r in ws.db.execute("SELECT id FROM reports ORDER BY created_at")]
            raise WorkspaceError(f"Fant ingen rapport med id {since!r}. Kjente rapporter: "
                                 f"{', '.join(known) or 'ingen'}.")
    # Everything reported up to and including that report counts as seen (a delta of a delta works).
    seen: set[str] = set()
    for r in ws.db.execute("SELECT responses FROM reports WHERE created_at <= ?", (row["created_at"],)):
        seen.update(json.loads(r["responses"]))
    return {"id": row["id"], "created": row["created_at"], "responses": sorted(seen)}


def _same_as_last(ws: "Workspace", prev: dict | None, included: set[str], pseudonymise: bool) -> str | None:
    """The id of the newest report when this one covers exactly the same (so a re-run replaces it)."""
    row = ws.db.execute("SELECT * FROM reports ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
    if row is None or set(json.loads(row["responses"])) != included or bool(row["pseudonymised"]) != pseudonymise:
        return None
    if (row["since"] or None) != (prev["id"] if prev else None):
        return None
    return row["id"]


def next_report_id(ws: "Workspace", today: dt.date) -> str:
    n = ws.db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] + 1
    return f"R{n}-{today.isoformat()}"


def build_report(ws: "Workspace", since: str | None = None, pseudonymise: bool = True,
                 now: dt.datetime | None = None, charts: bool = True) -> Report:
    """Gather everything the annex says from the workspace (human labels take precedence)."""
    now = now or dt.datetime.now().astimezone()
    privacy = Privacy.for_workspace(ws, enabled=pseudonymise)
    tax = ws.taxonomy
    prev = previous_report(ws, since) if since else None
    docs = [d for d in ws.document_rows(include_text=False) if not d["superseded_by"]]
    responses = [d for d in docs if d["role"] == "response" and d["status"] != "duplicate"]
    if prev:
        seen = set(prev["responses"])
        responses = [d for d in responses if d["id"] not in seen]
        docs = [d for d in docs if d["id"] not in seen and (d["duplicate_of"] or d["id"]) not in seen]
    readable = [d for d in responses if d["status"] == "ok"]
    included = {d["id"] for d in readable}

    def display(d: dict) -> str:
        return privacy.name(d["respondent"] or "Ukjent avsender", d["respondent_type"] or "")

    by_type: dict[str, int] = {}
    for d in readable:
        by_type[d["respondent_type"] or "annet"] = by_type.get(d["respondent_type"] or "annet", 0) + 1
    timeliness = {"i_tide": 0, "utsatt_frist": 0, "for_sent": 0, "ukjent": 0}

    def timely(d: dict) -> str:
        if d["late"] is None:
            timeliness["ukjent"] += 1
            return "Ukjent"
        if d["late"]:
            timeliness["for_sent"] += 1
            return "For sent"
        if ws.config.deadline_for(d["respondent"]) != ws.config.deadline:
            timeliness["utsatt_frist"] += 1
            return "Innen utsatt frist"
        timeliness["i_tide"] += 1
        return "I tide"

    timely_of = {d["id"]: timely(d) for d in readable}
    groups: dict[str, list[str]] = {}
    for d in readable:
        if d["group"]:
            groups.setdefault(d["group"], []).append(display(d))
    joint = [sorted(set(v)) for v in groups.values() if len(set(v)) > 1]

    def file_name(d: dict) -> str:
        return "(skjult: privatperson)" if pseudonymise and d["respondent_type"] == "privat" else d["file"]

    files = [FileRow(file_name(d), display(d) if d["role"] == "response" else "",
                     STATUS_NAMES.get(d["status"], d["status"]) if d["role"] == "response" else "E-post (følgebrev)",
                     privacy.text(d["reason"] or ""), d["received"] or "")
             for d in docs]
    problems = [f for f, d in zip(files, docs) if d["status"] in ("failed", "needs_ocr")]

    rows = [r for r in ws.comment_rows() if r["response_id"] in included]
    for r in rows:
        r["display"] = privacy.name(r["respondent"] or "Ukjent avsender", r["respondent_type"] or "")
        r["quote"] = privacy.text(r["text"])
    labelled = [r for r in rows if r["level"]]
    stance_overall = {k: 0 for k in STANCE_NAMES}
    stance_by_type: dict[str, dict[str, int]] = {}
    for r in labelled:
        stance_overall[r["stance"]] += 1
        per = stance_by_type.setdefault(r["respondent_type"] or "annet", {k: 0 for k in STANCE_NAMES})
        per[r["stance"]] += 1

    substantive = [r for r in labelled if r["level"] != "prosess"]

    def name_of(row: dict) -> str:
        return row["display"]

    quoted_all = [{**r, "text": r["quote"]} for r in substantive]
    vectoriser = Vectoriser([r["text"] for r in quoted_all]) if quoted_all else None
    matrix = vectoriser.matrix if vectoriser else None

    def section(lab, kind: str) -> Section:
        at = [i for i, r in enumerate(substantive) if lab.code in (r[kind] or [])]
        members = [substantive[i] for i in at]
        stance = {k: 0 for k in STANCE_NAMES}
        for r in members:
            stance[r["stance"]] += 1
        points, total = group_points([quoted_all[i] for i in at], name_of, limit=MAX_POINTS,
                                     vectoriser=vectoriser, vectors=matrix[at] if at else None)
        return Section(lab.code, lab.name, kind, getattr(lab, "description", "") or "",
                       len({r["response_id"] for r in members}), len(members), stance,
                       points, max(0, total - len(points)))

    focus_sections = [section(lab, "focus_areas") for lab in tax.focus_areas]
    theme_sections = [section(lab, "themes") for lab in tax.themes]

    from ..backlog import core_sentence

    measures = [MeasureRow(r["id"], r["display"], core_sentence(r["quote"]), r["quote"],
                           [tax.label(c).name for c in r["focus_areas"] or []],
                           [tax.label(c).name for c in r["themes"] or []], r["page"],
                           r["file"] if not (pseudonymise and r["respondent_type"] == "privat") else "",
                           (r["scores"] or {}).get("level", {}).get("tiltak") if isinstance(
                               (r["scores"] or {}).get("level"), dict) else None)
                for r in labelled if r["level"] == "tiltak"]

    respondents = []
    by_response: dict[str, list[dict]] = {}
    for r in labelled:
        by_response.setdefault(r["response_id"], []).append(r)
    for d in readable:
        mine = by_response.get(d["id"], [])
        counts: dict[str, int] = {}
        for r in mine:
            if r["level"] != "prosess":
                counts[r["stance"]] = counts.get(r["stance"], 0) + 1
        focus = sorted({c for r in mine if r["level"] != "prosess" for c in r["focus_areas"] or []},
                       key=tax.focus_codes.index)
        themes = sorted({c for r in mine if r["level"] != "prosess" for c in r["themes"] or []},
                        key=tax.theme_codes.index)
        respondents.append(RespondentRow(
            display(d), TYPE_SINGULAR.get(d["respondent_type"], d["respondent_type"] or ""),
            norwegian_date(d["date"]) if d["date"] else "", norwegian_date(d["received"]), timely_of[d["id"]],
            _stance_word(counts), [tax.label(c).name for c in focus], [tax.label(c).name for c in themes],
            sum(r["level"] == "tiltak" for r in mine), len(mine), new=prev is not None))

    received = sorted(d["received"] for d in readable if d["received"])
    report = Report(
        id=_same_as_last(ws, prev, included, pseudonymise) or next_report_id(ws, now.date()), title=ws.config.title,
        created=now,
        deadline=ws.config.deadline.isoformat() if ws.config.deadline else None,
        first_received=received[0] if received else None, last_received=received[-1] if received else None,
        response_ids=sorted(included), since={"id": prev["id"], "created": prev["created"]} if prev else None,
        pseudonymised=pseudonymise, by_type=dict(sorted(by_type.items(), key=lambda kv: list(TYPE_NAMES).index(kv[0])
                                                       if kv[0] in TYPE_NAMES else 99)),
        timeliness=timeliness, joint=joint, problems=problems, comments=len(rows),
        reviewed=sum(bool(r["reviewed"]) for r in rows), needs_review=sum(bool(r["needs_review"]) and not r["reviewed"]
                                                                        for r in rows),
        stance_overall=stance_overall, stance_by_type=stance_by_type, focus_sections=focus_sections,
        theme_sections=theme_sections, measures=measures, respondents=respondents, files=files,
    )
    if charts and labelled:
        from .charts import make_charts

        report.charts = make_charts(report)
    return report
