"""The action-plan backlog: every measure-level comment, with a status the secretariat keeps.

``backlog_rows`` lists every comment whose effective level (a human label over the model's) is
``tiltak``; ``export_backlog`` writes them as XLSX, CSV or JSONL; ``import_backlog`` reads the
secretariat's status and notes back, matched by id, into the ``backlog`` table, so the next export
keeps them.

Personal data: with ``privacy`` on (the default) private persons are shown as "Privatperson N",
quotes lose e-mail addresses, phone numbers and fødselsnumre, and a private person's comment id and
file name (both carry the name) are replaced by a stable pseudonymous id and "(skjult: privatperson)".
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .errors import BacklogError
from .exporting import atomic_write
from .nlp.cues import cue_lists, measure_cues
from .privacy import PRIVATE, REDACTED, Privacy

if TYPE_CHECKING:
    from .workspace import Workspace

STATUSES = ("ny", "vurderes", "tatt inn", "avvist")
DEFAULT_STATUS = "ny"
FORMATS = ("xlsx", "csv", "jsonl")
DEFAULT_NAME = "handlingsplan-innspill"
HIDDEN_FILE = "(skjult: privatperson)"
ACTION_MAX = 160
CSV_DELIMITER = ";"  # Excel with Norwegian settings splits a double-clicked .csv on semicolons

# Field -> column header in XLSX and CSV (the id column keeps its code: it is what import matches on).
HEADERS = {
    "id": "id", "respondent": "Avsender", "respondent_type": "Avsendertype", "quote": "Innspill",
    "focus_areas": "Innsatsområder", "themes": "Temaer", "action": "Foreslått tiltak", "page": "Side",
    "file": "Fil", "confidence": "Sikkerhet", "status": "Status", "note": "Notat",
    "reviewed": "Nivå satt manuelt",
}
WIDTHS = {"id": 30, "respondent": 26, "respondent_type": 14, "quote": 70, "focus_areas": 20, "themes": 20,
          "action": 50, "page": 7, "file": 28, "confidence": 11, "status": 12, "note": 40, "reviewed": 11}
WRAPPED = ("respondent", "quote", "action", "file", "note")


# -- the core sentence ----------------------------------------------------------
ENDING_ABBREVIATIONS = frozenset({"osv.", "m.m.", "mv.", "o.l.", "m.fl.", "etc.", "o.a.", "e.l.", "mfl.", "m.v."})


@functools.lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """Lower-case abbreviations that do not end a sentence (the pipeline's list plus common ones)."""
    text = (resources.files("hearing_analysis") / "data" / "cues" / "abbreviations.txt").read_text("utf-8")
    own = {ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    common = ("ca. jf. jfr. bl.a. f.eks. dvs. mht. ift. iht. pga. p.g.a. inkl. ekskl. evt. ev. nr. pkt. kap. "
              "st.meld. meld.st. prop. ref. vedr. ang. kl. tlf. mill. mrd. kr. fv. rv. gnr. bnr. hhv. "
              "t.o.m. f.o.m. jan. feb. aug. sep. okt. nov. des. adm. dir. komm. avd. res. sst. stk.")
    return frozenset(own | set(common.split())) - ENDING_ABBREVIATIONS


_STOP = re.compile(r"[.!?…]+[\"»”’')\]]*(?=\s)|\n")
_NEXT_STARTS = re.compile(r"\s*[\"«“(]?[A-ZÆØÅ0-9•]")
_LIST_MARK = re.compile(r"^\s*(?:[•\-–—*·▪■◦]|\(?\d{1,2}[.)]|\(?[a-zA-Z]\))\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, by punctuation and line breaks (fast; no spaCy).

    Follows the pipeline's rules: no break after an abbreviation such as "bl.a." or "f.eks.", after an
    initial ("K. Hansen") or after a list number at the start of a line; a break after "osv." when a
    capital follows, and at every line break.
    """
    out, start = [], 0
    for m in _STOP.finditer(text):
        end = m.end()
        if m.group() != "\n":
            if not _NEXT_STARTS.match(text, end):
                continue
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end), text.rfind("\t", start, end))
            word = text[max(cut + 1, start):end].lower()
            core = word.rstrip("\"»”’')]")
            if core in _abbreviations():
                continue
            initial = re.fullmatch(r"[a-zæøå]\.", core)
            list_number = re.fullmatch(r"\d{1,3}\.", core) and not text[start:end - len(word)].strip()
            if initial or list_number:
                continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    piece = text[start:].strip()
    if piece:
        out.append(piece)
    return out


def _stem_pattern(lemmas) -> str:
    """Word forms of verb lemmas: long stems take any ending, short ones their usual endings."""
    long, short = [], []
    for lem in lemmas:
        if " " in lem:
            continue
        stem = lem[:-1] if lem.endswith("e") else lem
        (long if len(stem) >= 5 else short).append((stem, lem))
    alts = [re.escape(s) + r"\w*" for s, _ in long] + [re.escape(lem) + r"(?:r|s|t|st)?" for _, lem in short]
    return r"\b(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")\b"


HEAD_ONLY_NOUNS = frozenset({"frist", "stilling", "kryss", "midler", "ordning"})  # too often inside other words


@functools.lru_cache(maxsize=1)
def _scorers() -> tuple[re.Pattern, list[tuple[re.Pattern, float]]]:
    """The measure-noun pattern (see :func:`_noun_hits`) and weighted cue patterns, over lower-case text
    (case-sensitive patterns on lower-cased text are several times faster than ``re.I``)."""
    cl = cue_lists()
    nouns = "|".join(re.escape(n) for n in sorted(cl.measure_nouns, key=len, reverse=True))
    actors = "|".join(re.escape(a) for a in sorted(cl.actors, key=len, reverse=True))
    modals = "|".join(re.escape(m) for m in sorted(cl.modals, key=len, reverse=True))
    return re.compile(rf"(?:{nouns})(?=\w{{0,4}}\b)"), [
        (re.compile(_stem_pattern(cl.action_verbs)), 2.0),
        (re.compile(rf"\b(?:{actors})\s+(?:\w+\s+)?(?:{modals})\b"), 2.0),
        (re.compile(r"\b(?:foreslår|foreslås|foreslo|foreslått|forslag|ber\s+(?:\w+\s+)?om|anbefaler|"
                    r"oppfordrer|gjer\s+framlegg|rår)\b|\b(?:ba|bad)\s+(?:\w+\s+){0,2}om\b"), 2.0),
        (re.compile(r"\b(?:bør|må|burde|skal)\b"), 1.0),
    ]


def _noun_hits(sentence: str, pattern: re.Pattern) -> int:
    """Measure nouns as words or as the head of a compound ("samarbeidsprosjekt"), inflected."""
    hits = 0
    for m in pattern.finditer(sentence):
        start = m.start()
        word_start = start
        while word_start > 0 and (sentence[word_start - 1].isalnum() or sentence[word_start - 1] == "_"):
            word_start -= 1
        if start == word_start or (start - word_start >= 3 and m.group() not in HEAD_ONLY_NOUNS):
            hits += 1
    return hits


_HAS_NUMBER = re.compile(r"[\d§]")
_CUE_WEIGHT = {"deadline": 3.0, "money": 3.0, "percent": 2.0, "year": 1.0, "paragraph_ref": 1.0}


def measure_score(sentence: str) -> float:
    """How strongly a sentence reads as a concrete measure: deadlines, money, action verbs, actors, requests."""
    sentence = sentence.replace(REDACTED, " ")  # "[fjernet]" is no action verb
    score = 0.0
    if _HAS_NUMBER.search(sentence):  # every measure cue (year, deadline, money, %, §) holds one
        score += sum(_CUE_WEIGHT.get(label, 0.0) for _, _, label in measure_cues(sentence))
    nouns, patterns = _scorers()
    low = sentence.lower()
    score += _noun_hits(low, nouns)
    for pattern, weight in patterns:
        score += weight * len(pattern.findall(low))
    return score


def _trim(text: str, limit: int = ACTION_MAX) -> str:
    text = " ".join(_LIST_MARK.sub("", text, count=1).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def core_sentence(text: str, limit: int = ACTION_MAX) -> str:
    """The comment's core sentence: the one with the strongest measure cues (the first on a tie),
    without a list mark, cut at a word boundary to at most ``limit`` characters with "…"."""
    sentences = split_sentences(text or "")
    if not sentences:
        return ""
    best = max(range(len(sentences)), key=lambda i: (measure_score(sentences[i]), -i))
    return _trim(sentences[best], limit)


# -- rows -----------------------------------------------------------------------
def _pseudo_id(sha: str, comment_id: str) -> str:
    """A stable id for a private person's comment that does not carry the name (the real id does)."""
    n = comment_id.rsplit("#", 1)[-1]
    digest = hashlib.sha256(f"{sha}:{comment_id.rsplit('#', 1)[0]}".encode()).hexdigest()[:10]
    return f"privat-{digest}#{n}"


def _private_ids(ws: "Workspace") -> dict[str, str]:
    """response id -> document sha256 for private persons' responses."""
    return {r["id"]: r["sha256"] for r in ws.db.execute(
        "SELECT id, sha256 FROM documents WHERE respondent_type = ?", (PRIVATE,))}


def _statuses(ws: "Workspace") -> dict[str, tuple[str, str]]:
    return {r["comment_id"]: (r["status"], r["note"])
            for r in ws.db.execute("SELECT comment_id, status, note FROM backlog")}


def backlog_rows(ws: "Workspace", privacy: bool = True) -> list[dict]:
    """Every measure-level comment (effective level ``tiltak``) in document order.

    Fields: id, respondent, respondent_type, quote, focus_areas, themes, action, page, file,
    confidence, status, note, reviewed. ``confidence`` is the model's probability for ``tiltak``, or
    1.0 where a human set the level (``reviewed`` is then True); None if the model gave no scores.
    ``status`` is ``ny`` until the secretariat sets one. With ``privacy`` a private person's name,
    contact details and fødselsnummer are removed, and the ``id`` of their comments is a stable
    pseudonym (import accepts both that and the real id).
    """
    shown = Privacy.for_workspace(ws, enabled=privacy)
    private = _private_ids(ws) if privacy else {}
    statuses = _statuses(ws)
    out = []
    for r in ws.comment_rows():
        if r["level"] != "tiltak":
            continue
        human = r["human_level"] is not None
        if human:
            confidence = 1.0
        else:
            level_scores = (r["scores"] or {}).get("level")
            confidence = level_scores.get("tiltak") if isinstance(level_scores, dict) else None
        hidden = r["response_id"] in private
        quote = shown.text(r["text"])
        status, note = statuses.get(r["id"], (DEFAULT_STATUS, ""))
        out.append({
            "id": _pseudo_id(private[r["response_id"]], r["id"]) if hidden else r["id"],
            "respondent": shown.name(r["respondent"] or "", r["respondent_type"] or ""),
            "respondent_type": r["respondent_type"],
            "quote": quote,
            "focus_areas": list(r["focus_areas"] or []),
            "themes": list(r["themes"] or []),
            "action": core_sentence(quote),
            "page": r["page"],
            "file": HIDDEN_FILE if hidden else r["file"],
            "confidence": confidence,
            "status": status,
            "note": note,
            "reviewed": human,
        })
    return out


# -- export ---------------------------------------------------------------------
@dataclass
class BacklogExport:
    """Where an export went (``path``; ``text`` instead when written to stdout) and what it held."""

    path: Path | None
    rows: int
    reviewed: int
    by_status: dict[str, int]
    text: str | None = None


def _cell(field_name: str, value, fmt: str):
    if isinstance(value, list):
        return ", ".join(value)
    if field_name == "reviewed":
        return "ja" if value else "nei"
    if field_name == "confidence" and value is not None and fmt == "csv":
        return f"{value:.2f}".replace(".", ",")  # decimal comma, as Norwegian Excel reads numbers
    if value is None:
        return ""
    if fmt == "csv" and isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # a spreadsheet would run it as a formula
    return value


def _xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .exporting import xlsx_value

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Handlingsplan"
    fields = list(HEADERS)
    sheet.append([HEADERS[f] for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for r in rows:
        sheet.append([xlsx_value(_cell(f, r[f], "xlsx")) for f in fields])
    top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for j, f in enumerate(fields, 1):
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = WIDTHS[f]
        for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
            cell.alignment = wrap if f in WRAPPED else top
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" is a quote, not a formula
            if f == "confidence":
                cell.number_format = "0%"
    last = max(len(rows) + 1, 2)
    status_col = get_column_letter(fields.index("status") + 1)
    check = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="Ugyldig status",
                           error="Velg ny, vurderes, tatt inn eller avvist.",
                           promptTitle="Status", prompt="ny, vurderes, tatt inn eller avvist")
    check.add(f"{status_col}2:{status_col}{last}")
    sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{len(rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([HEADERS[f] for f in HEADERS])
    for r in rows:
        writer.writerow([_cell(f, r[f], "csv") for f in HEADERS])
    return buf.getvalue()


def export_backlog(ws: "Workspace", fmt: str = "xlsx", out: str | Path | None = None,
                   privacy: bool = True) -> BacklogExport:
    """Write the backlog as XLSX, CSV or JSONL (atomically).

    ``out`` defaults to ``handlingsplan-innspill.<fmt>`` in the current folder; a folder gets that
    name inside it; ``"-"`` returns CSV or JSONL as ``text`` instead of writing a file. XLSX and CSV
    have Norwegian column headers (the id column stays ``id``); CSV is UTF-8 with BOM and semicolons,
    which Excel with Norwegian settings opens as columns with æøå intact; JSONL uses the field codes.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise BacklogError(f"Ukjent format {fmt!r}; velg {', '.join(FORMATS)}.")
    rows = backlog_rows(ws, privacy)
    if fmt == "xlsx":
        data = _xlsx(rows)
    elif fmt == "csv":
        data = _csv(rows).encode("utf-8-sig")
    else:
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    by_status = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    result = BacklogExport(None, len(rows), sum(r["reviewed"] for r in rows), by_status)
    if str(out) == "-":
        if fmt == "xlsx":
            raise BacklogError("XLSX kan ikke skrives til skjermen; oppgi en fil med -o.")
        result.text = data.decode("utf-8-sig")
    else:
        path = Path(out) if out is not None else Path.cwd()
        if out is None or path.is_dir():
            path = path / f"{DEFAULT_NAME}.{fmt}"
        atomic_write(path, data)
        result.path = path
    ws.log_event("backlog export", {"rows": len(rows), "format": fmt, "pseudonymised": privacy})
    return result


# -- import ---------------------------------------------------------------------
@dataclass
class BacklogImport:
    """What an import did: rows stored, rows already so, ids not known, rows refused (row, value, why)."""

    updated: int = 0
    unchanged: int = 0
    unknown_ids: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)
    not_measures: list[str] = field(default_factory=list)  # known comments no longer at level tiltak
    who: str = ""

    @property
    def ok(self) -> bool:
        return not self.unknown_ids and not self.invalid


_KEYS = {**{h.casefold(): f for f, h in HEADERS.items()}, **{f: f for f in HEADERS}}


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    """(row number as the user sees it, {field: value}) for every non-empty row of the file."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise BacklogError(f"{path.name}, linje {n}: ikke gyldig JSON ({e.msg}). "
                                   "Rett linjen eller eksporter på nytt med `hearing backlog --format jsonl`.") from None
            if not isinstance(obj, dict):
                raise BacklogError(f"{path.name}, linje {n}: forventet et JSON-objekt per linje.")
            yield n, {_KEYS.get(str(k).strip().casefold(), str(k)): v for k, v in obj.items()}
        return
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")  # Excel's "CSV (semikolonseparert)" on Windows
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a damaged or foreign file
            raise BacklogError(f"Kunne ikke lese {path.name} som Excel-fil ({type(e).__name__}). "
                               "Lagre den som .xlsx og prøv igjen.") from None
        sheet = wb["Handlingsplan"] if "Handlingsplan" in wb.sheetnames else wb.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
        wb.close()
    else:
        raise BacklogError(f"{path.name}: kjenner ikke filtypen {path.suffix or '(ingen)'}; "
                           "bruk .xlsx, .csv eller .jsonl fra `hearing backlog`.")
    if not table:
        return
    header = [_KEYS.get(str(h or "").strip().casefold(), str(h or "")) for h in table[0]]
    if "id" not in header or "status" not in header:
        raise BacklogError(f"{path.name} mangler kolonnen «id» eller «Status» i første rad. "
                           "Bruk filen fra `hearing backlog` og behold overskriftene.")
    for n, values in enumerate(table[1:], 2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield n, dict(zip(header, values))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:2] in ("'=", "'+", "'-", "'@"):
        text = text[1:]  # the formula guard the CSV export adds
    return text


def import_backlog(ws: "Workspace", path: str | Path, who: str | None = None) -> BacklogImport:
    """Read status and note per id from an edited XLSX, CSV or JSONL export into the workspace.

    Rows are matched by id (the real comment id or the pseudonymous one of an export with privacy);
    unknown ids and invalid statuses are reported and not stored; a blank status means ``ny``; every
    other column is ignored. One transaction; importing the same file again changes nothing.
    ``who`` is stored with each change (None: ``[review] reviewer`` in hearing.toml, else the OS user).
    """
    from .review import resolve_reviewer

    who = resolve_reviewer(ws, who)
    path = Path(path)
    if not path.is_file():
        raise BacklogError(f"Fant ikke filen {path}. Oppgi filen du eksporterte med `hearing backlog`.")
    result = BacklogImport(who=who)
    with ws.lock("backlog"):
        known = {r["id"]: r["level"] for r in ws.comment_rows()}
        private = _private_ids(ws)
        alias = {_pseudo_id(private[cid.rsplit("#", 1)[0]], cid): cid
                 for cid in known if cid.rsplit("#", 1)[0] in private}
        current = _statuses(ws)
        changes: dict[str, tuple[str, str]] = {}
        seen: dict[str, int] = {}
        for n, rec in _records(path):
            shown_id = _text(rec.get("id"))
            if not shown_id:
                result.invalid.append((n, "", "Raden mangler id; den er hoppet over."))
                continue
            cid = alias.get(shown_id, shown_id)
            if cid not in known:
                result.unknown_ids.append(shown_id)
                continue
            if cid in seen:
                result.invalid.append((n, shown_id, f"Samme id som rad {seen[cid]}; bare den første er brukt."))
                continue
            seen[cid] = n
            status = _text(rec.get("status")).casefold() or DEFAULT_STATUS
            if status not in STATUSES:
                result.invalid.append((n, _text(rec.get("status")),
                                       f"Ugyldig status for {shown_id}; bruk {', '.join(STATUSES)}."))
                continue
            if known[cid] != "tiltak":
                result.not_measures.append(shown_id)
            value = (status, _text(rec.get("note")) if "note" in rec else current.get(cid, ("", ""))[1])
            if current.get(cid, (DEFAULT_STATUS, "")) == value:
                result.unchanged += 1
            else:
                changes[cid] = value
        now = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
        con = ws.db
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(
                "INSERT INTO backlog (comment_id, status, note, updated_by, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(comment_id) DO UPDATE SET status = excluded.status, note = excluded.note, "
                "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                [(cid, s, note, who, now) for cid, (s, note) in changes.items()])
            result.updated = len(changes)
            ws.log_event("backlog import", {"updated": result.updated, "unchanged": result.unchanged,
                                            "unknown": len(result.unknown_ids), "invalid": len(result.invalid)})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return result
