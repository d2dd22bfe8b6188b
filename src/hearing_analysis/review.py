"""The label review round-trip: an Excel workbook out, the reviewers' decisions back in.

:func:`export_review` writes one row per comment with the model's labels and editable columns
prefilled with the current effective labels; :func:`import_review` stores what the reviewers
decided as human labels (``store.reviews``). :func:`review_agreement` measures how often the
model agreed with them, and :func:`train_with_reviews` retrains with the reviewed comments added.
"""
from __future__ import annotations

import datetime as dt
import getpass
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReviewError
from .records import LEVELS, STANCES
from .store.reviews import LABEL_KINDS, MULTI

if TYPE_CHECKING:
    from .classify.train import TrainResult
    from .workspace import Workspace

ONLY = ("needs-review", "all")
SHEET = "Gjennomgang"
HELP_SHEET = "Slik gjør du"
MARK = "x"  # a code is on in a multi-label column
CHECKED = "ja"
PREFIX = {"focus_areas": "innsatsområde: ", "themes": "tema: "}
SINGLE_HEADER = {"level": "nivå", "stance": "holdning"}
MODEL_HEADER = {"focus_areas": "modell: innsatsområder", "themes": "modell: temaer",
                "level": "modell: nivå", "stance": "modell: holdning"}
CHECK_HEADER = "Kontrollert"
INFO = (("id", 30), ("avsender", 24), ("avsendertype", 14), ("side", 6), ("overskrift", 24),
        ("sitat", 80), ("sikkerhet", 10))
QUOTE_MAX = 32_000
DEFAULT_REVIEW_MODEL = "med-vurderinger"


@dataclass(frozen=True)
class ReviewExport:
    """What :func:`export_review` wrote."""

    path: Path
    rows: int
    only: str
    label: str | None
    note: str = ""  # how the selection was made when it could not follow the model's own rule


@dataclass
class ReviewImport:
    """The outcome of :func:`import_review`; rows are counted once each."""

    file: str
    reviewer: str
    changed: int = 0  # rows stored now with at least one label differing from the model's
    confirmed: int = 0  # rows stored now that agree with the model (marked Kontrollert)
    unchanged: int = 0  # rows not reviewed, or already stored exactly so
    labels_stored: int = 0  # new entries in the review history
    unknown_ids: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str, str]] = field(default_factory=list)  # (row, column, value, message)

    @property
    def ok(self) -> bool:
        return not self.unknown_ids and not self.invalid

    def counts(self) -> dict[str, int]:
        """Counts only (no ids, no names): for the audit log."""
        return {"changed": self.changed, "confirmed": self.confirmed, "unchanged": self.unchanged,
                "labels_stored": self.labels_stored, "unknown_ids": len(self.unknown_ids),
                "invalid": len(self.invalid)}


# -- helpers ---------------------------------------------------------------------------------------

def resolve_reviewer(ws: "Workspace", explicit: str | None = None) -> str:
    """The reviewer's name: ``explicit``, else ``[review] reviewer`` in hearing.toml, else the OS user."""
    if explicit and explicit.strip():
        return explicit.strip()
    if ws.config.reviewer:
        return ws.config.reviewer
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "ukjent"


def kind_confidence(scores: dict | None, predicted, kind: str) -> float | None:
    """How sure the model is of its label of one kind: the winner's probability for level and stance;
    for focus areas and themes the weakest decision (p for a chosen code, 1 − p for one left out)."""
    if not scores or kind not in scores or predicted is None:
        return None
    probs = scores[kind]
    if kind not in MULTI:
        return max(probs.values()) if probs else None
    chosen = set(predicted)
    return min((p if code in chosen else 1 - p for code, p in probs.items()), default=None)


def _codes(ws: "Workspace") -> dict[str, list[str]]:
    tax = ws.taxonomy
    return {"focus_areas": list(tax.focus_codes), "themes": list(tax.theme_codes),
            "level": list(LEVELS), "stance": list(STANCES)}


def _thresholds_for(ws: "Workspace", version: str) -> dict | None:
    """Decision thresholds of the model that made predictions ``name@sha12``, if that model is at hand."""
    from .classify.io import default_model_dir, load_model

    if "@" not in version:
        return None
    sha = version.rsplit("@", 1)[1]
    folders = [default_model_dir()]
    if (ws.path / "models").is_dir():
        folders += sorted(p for p in (ws.path / "models").iterdir() if p.is_dir())
    for folder in folders:
        try:
            card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if str(card.get("model_sha256", "")).startswith(sha):
            return load_model(folder).thresholds_
    return None


def _uncertain(row: dict, kind: str, thresholds: dict | None) -> bool:
    """The model's own review rule (classify.model), applied to one label kind."""
    from .classify.model import REVIEW_MARGIN, REVIEW_MIN_PROB

    scores = (row["scores"] or {}).get(kind)
    if not scores:
        return False
    if kind not in MULTI:
        return max(scores.values()) < REVIEW_MIN_PROB
    th = (thresholds or {}).get(kind, {})
    return any(code in th and abs(p - th[code]) < REVIEW_MARGIN for code, p in scores.items())


def _select(ws: "Workspace", rows: list[dict], only: str, label: str | None) -> tuple[list[dict], str]:
    kinds = [label] if label else list(LABEL_KINDS)
    if only == "all":
        return rows, ""
    todo = [r for r in rows if r["needs_review"] and any(r[f"human_{k}"] is None for k in kinds)]
    if label is None:
        return todo, ""
    note = ""
    if label in MULTI:
        cache: dict[str, dict | None] = {}
        picked = []
        for r in todo:
            if r["model"] not in cache:
                cache[r["model"]] = _thresholds_for(ws, r["model"] or "")
            th = cache[r["model"]]
            if th is None:
                note = ("Fant ikke modellen som klassifiserte innspillene, så tersklene for "
                        f"{label} er ukjente; alle innspill merket for gjennomgang er tatt med.")
                picked.append(r)
            elif _uncertain(r, label, th):
                picked.append(r)
        return picked, note
    return [r for r in todo if _uncertain(r, label, None)], note


def _clean(value: str) -> str:
    from .exporting import xlsx_value

    return xlsx_value(value or "", QUOTE_MAX, " […forkortet]")


def _show(kind: str, value) -> str:
    if value is None:
        return ""
    if kind in MULTI:
        return ", ".join(value) if value else "(ingen)"
    return str(value)


# -- export ------------------------------------------------------------------------------------------

def export_review(ws: "Workspace", out: str | Path, only: str = "needs-review",
                  label: str | None = None) -> ReviewExport:
    """Write a review workbook (XLSX) of the workspace's comments.

    ``only="needs-review"`` takes comments the model flagged and nobody has reviewed yet (for the
    kinds being reviewed); ``"all"`` takes every comment. ``label`` limits the editable columns to
    one label kind and, with needs-review, the rows to comments where the model is unsure of that
    kind (level/stance: winner below 50 %; focus areas/themes: a score within 0.05 of the model's
    threshold — or every flagged comment when the model that made the predictions is not at hand).
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .exporting import atomic_write

    if only not in ONLY:
        raise ReviewError(f"--only må være {' eller '.join(ONLY)}; fikk {only!r}.")
    if label is not None and label not in LABEL_KINDS:
        raise ReviewError(f"--label må være en av {', '.join(LABEL_KINDS)}; fikk {label!r}.")
    kinds = [label] if label else list(LABEL_KINDS)
    codes = _codes(ws)
    rows, note = _select(ws, ws.comment_rows(), only, label)

    wb = Workbook()
    sh = wb.active
    sh.title = SHEET
    headers: list[tuple[str, float]] = list(INFO)
    headers += [(MODEL_HEADER[k], 18 if k in MULTI else 12) for k in kinds]
    first_edit = len(headers) + 1
    edit: list[tuple[str, str, str | None]] = []  # (header, kind, code)
    for k in kinds:
        if k in MULTI:
            edit += [(PREFIX[k] + c, k, c) for c in codes[k]]
        else:
            edit.append((SINGLE_HEADER[k], k, None))
    headers += [(h, 13 if code else 12) for h, _, code in edit]
    headers.append((CHECK_HEADER, 12))
    sh.append([h for h, _ in headers])

    for r in rows:
        conf = [kind_confidence(r["scores"], r[f"predicted_{k}"], k) for k in kinds]
        conf = [c for c in conf if c is not None]
        line = [r["id"], r["respondent"], r["respondent_type"], r["page"], _clean(r["heading"]),
                _clean(r["text"]), round(min(conf), 3) if conf else None]
        line += [_show(k, r[f"predicted_{k}"]) for k in kinds]
        for _, k, code in edit:
            value = r[k]
            line.append((MARK if value and code in value else None) if code else value)
        line.append(None)
        sh.append(line)

    info_fill = PatternFill("solid", fgColor="D9D9D9")
    edit_fill = PatternFill("solid", fgColor="FFE699")
    cell_fill = PatternFill("solid", fgColor="FFF9E5")
    last = sh.max_row
    for j, (header, width) in enumerate(headers, 1):
        cell = sh.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = edit_fill if j >= first_edit else info_fill
        sh.column_dimensions[get_column_letter(j)].width = width
    for (header, kind, code), j in zip(edit, range(first_edit, first_edit + len(edit))):
        if code:
            name = ws.taxonomy.label(code).name
            sh.cell(row=1, column=j).comment = Comment(f"{code}: {name}. Skriv x om innspillet handler om dette.",
                                                       "hearing-analysis")
    sh.row_dimensions[1].height = 45
    quote_col = [h for h, _ in headers].index("sitat") + 1
    conf_col = [h for h, _ in headers].index("sikkerhet") + 1
    for i in range(2, last + 1):
        sh.cell(row=i, column=quote_col).alignment = Alignment(wrap_text=True, vertical="top")
        sh.cell(row=i, column=conf_col).number_format = "0%"
        for j in range(first_edit, len(headers) + 1):
            sh.cell(row=i, column=j).fill = cell_fill
            sh.cell(row=i, column=j).alignment = Alignment(horizontal="center", vertical="top")
    if last >= 2:
        for (header, kind, code), j in zip(edit, range(first_edit, first_edit + len(edit))):
            choices = [MARK] if code else codes[kind]
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Ugyldig verdi",
                                error=f"Velg {' eller '.join(choices) if code else 'en av ' + ', '.join(choices)}"
                                      + (" eller la cellen stå tom." if code else "."))
            col = get_column_letter(j)
            dv.add(f"{col}2:{col}{last}")
            sh.add_data_validation(dv)
        dv = DataValidation(type="list", formula1=f'"{CHECKED}"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Ugyldig verdi", error="Skriv ja eller la cellen stå tom.")
        col = get_column_letter(len(headers))
        dv.add(f"{col}2:{col}{last}")
        sh.add_data_validation(dv)
    sh.freeze_panes = "B2"
    sh.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last, 1)}"
    _help_sheet(wb.create_sheet(HELP_SHEET), ws, kinds, only, label, note)

    buf = io.BytesIO()
    wb.save(buf)
    path = Path(out)
    atomic_write(path, buf.getvalue())
    return ReviewExport(path, len(rows), only, label, note)


def _help_sheet(sh, ws: "Workspace", kinds: list[str], only: str, label: str | None, note: str) -> None:
    from openpyxl.styles import Alignment, Font

    chosen = ("innspill modellen er usikker på og som ingen har gått gjennom ennå" if only == "needs-review"
              else "alle innspill")
    lines = [
        ("Slik går du gjennom etikettene", True),
        (f"Arket «{SHEET}» har én rad per innspill: {chosen}"
         + (f", bare etiketttypen {label}" if label else "") + ".", False),
        ("De grå kolonnene er til informasjon: avsender, side, overskrift, sitatet, modellens sikkerhet "
         "(hvor sikker modellen er på sin svakeste avgjørelse) og modellens etiketter.", False),
        ("De gule kolonnene er dine. De er fylt ut med etikettene som gjelder nå (din eller en kollegas "
         "rettelse, ellers modellens forslag).", False),
        ("Innsatsområder og temaer kan ha flere verdier: det er én kolonne per kode. Skriv x (eller velg x "
         "i nedtrekkslisten) der innspillet handler om koden, og tøm cellen der det ikke gjør det.", False),
        ("Nivå og holdning har nøyaktig én verdi hver: velg den i nedtrekkslisten.", False),
        (f"Er modellens etiketter riktige, skriv {CHECKED} i kolonnen «{CHECK_HEADER}». Da lagres de som "
         "kontrollert. En rad der du har endret noe, lagres uansett.", False),
        ("Rader du ikke endrer og ikke merker som kontrollert, blir ikke lagret. Du kan slette rader, sortere "
         "og filtrere, og legge til egne kolonner; ikke endre id-kolonnen eller overskriftene.", False),
        ("Les filen inn igjen med: hearing review import FIL.xlsx --reviewer \"Ditt navn\". Ugyldige verdier "
         "meldes med rad og kolonne, og den raden lagres ikke. Å lese inn samme fil to ganger endrer ingenting.",
         False),
    ]
    if note:
        lines.append((note, False))
    lines += [("", False), ("Koder", True)]
    tax = ws.taxonomy
    groups = {"focus_areas": tax.focus_areas, "themes": tax.themes, "level": tax.levels, "stance": tax.stances}
    names = {"focus_areas": "Innsatsområder", "themes": "Tverrgående temaer", "level": "Nivå",
             "stance": "Holdning"}
    row = 1
    for text, bold in lines:
        sh.cell(row=row, column=1, value=text).font = Font(bold=bold)
        sh.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for kind in kinds:
        sh.cell(row=row, column=1, value=names[kind]).font = Font(bold=True)
        row += 1
        for lab in groups[kind]:
            sh.cell(row=row, column=1, value=lab.code)
            sh.cell(row=row, column=2, value=lab.name)
            sh.cell(row=row, column=3, value=lab.description).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    sh.column_dimensions["A"].width = 90
    sh.column_dimensions["B"].width = 36
    sh.column_dimensions["C"].width = 90


# -- import ------------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(header: list[str], codes: dict[str, list[str]], path: Path) -> dict:
    """Map the editable columns of the header row: {"id": j, kind: {code|None: j}, "check": j}."""
    index = {h: j for j, h in enumerate(header) if h}
    if "id" not in index:
        raise ReviewError(f"{path.name}: fant ingen kolonne «id» i første rad av arket «{SHEET}». "
                          "Bruk en fil laget med `hearing review export`.")
    cols: dict = {"id": index["id"], "check": index.get(CHECK_HEADER)}
    for kind in LABEL_KINDS:
        if kind in MULTI:
            wanted = {c: PREFIX[kind] + c for c in codes[kind]}
            found = {c: index[h] for c, h in wanted.items() if h in index}
            stray = [h for h in index if h.startswith(PREFIX[kind]) and h not in wanted.values()]
            if stray:
                raise ReviewError(f"{path.name}: ukjent kolonne {', '.join(map(repr, stray))}; gyldige koder er "
                                  f"{', '.join(codes[kind])}. Rett overskriften eller slett kolonnen.")
            if found and len(found) != len(wanted):
                missing = [h for c, h in wanted.items() if c not in found]
                raise ReviewError(f"{path.name}: kolonnen {', '.join(map(repr, missing))} mangler; alle kodene for "
                                  f"{kind} må være med. Lag filen på nytt med `hearing review export`.")
            if found:
                cols[kind] = found
        elif SINGLE_HEADER[kind] in index:
            cols[kind] = {None: index[SINGLE_HEADER[kind]]}
    if not any(k in cols for k in LABEL_KINDS) and cols["check"] is None:
        raise ReviewError(f"{path.name}: fant ingen etikettkolonner å lese. Bruk en fil laget med "
                          "`hearing review export`.")
    return cols


def _read_sheet(path: Path):
    from openpyxl import load_workbook

    if not path.is_file():
        raise ReviewError(f"Fant ikke {path}. Oppgi arbeidsboken som `hearing review export` laget.")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not XLSX
        raise ReviewError(f"{path.name} kan ikke leses som en Excel-arbeidsbok (.xlsx): {e}") from None
    sh = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = [list(r) for r in sh.iter_rows(values_only=True)]
    wb.close()
    if not rows:
        raise ReviewError(f"{path.name}: arket «{sh.title}» er tomt.")
    return [_text(h) for h in rows[0]], rows[1:]


def _parse_row(n: int, cells: list, cols: dict, codes: dict, header: list[str]):
    """Values per label kind and the Kontrollert mark of one row, or the problems found."""
    def cell(j):
        return _text(cells[j]) if j < len(cells) else ""

    values: dict[str, object] = {}
    problems: list[tuple[int, str, str, str]] = []
    for kind in LABEL_KINDS:
        if kind not in cols:
            continue
        if kind in MULTI:
            on = []
            for code, j in cols[kind].items():
                v = cell(j)
                if v.lower() == MARK:
                    on.append(code)
                elif v:
                    problems.append((n, header[j], v, f"skriv {MARK} eller la cellen stå tom"))
            values[kind] = sorted(on)
        else:
            j = cols[kind][None]
            v = cell(j)
            if v and v.lower() not in codes[kind]:
                problems.append((n, header[j], v, f"må være en av {', '.join(codes[kind])}"))
            values[kind] = v.lower()
    checked = False
    if cols["check"] is not None:
        v = cell(cols["check"]).lower()
        if v == CHECKED:
            checked = True
        elif v not in ("", "nei"):
            problems.append((n, CHECK_HEADER, cell(cols["check"]), f"skriv {CHECKED} eller la cellen stå tom"))
    return values, checked, problems


def import_review(ws: "Workspace", path: str | Path, reviewer: str | None = None) -> ReviewImport:
    """Store the labels of a review workbook as human labels, in one transaction.

    A row counts as reviewed when a label differs from the model's prediction or «Kontrollert» is ja;
    then every label kind in the sheet is stored for it (with the model's label as ``predicted``).
    Rows with invalid values and unknown ids are reported and not stored; a second import of the same
    file stores nothing.
    """
    from .store.reviews import record_label

    path = Path(path)
    header, data = _read_sheet(path)
    codes = _codes(ws)
    cols = _columns(header, codes, path)
    result = ReviewImport(file=path.name, reviewer=resolve_reviewer(ws, reviewer))
    at = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
    with ws.lock("review"):
        known = {r["id"]: r for r in ws.comment_rows()}
        seen: dict[str, int] = {}
        todo: list[tuple[dict, dict]] = []
        for n, cells in enumerate(data, 2):
            cid = _text(cells[cols["id"]]) if cols["id"] < len(cells) else ""
            values, checked, problems = _parse_row(n, cells, cols, codes, header)
            if not cid:
                if any(_text(c) for c in cells):
                    result.invalid.append((n, "id", "", "raden har ingen id; lim inn id-en fra eksporten eller "
                                                          "slett raden"))
                continue
            if cid not in known:
                result.unknown_ids.append(cid)
                continue
            if cid in seen:
                result.invalid.append((n, "id", cid, f"står også i rad {seen[cid]}; behold bare én av radene"))
                continue
            seen[cid] = n
            if problems:
                result.invalid.extend(problems)
                continue
            row = known[cid]
            predicted = {k: row[f"predicted_{k}"] for k in values}
            differs = any(_norm(k, values[k]) != _norm(k, predicted[k]) for k in values)
            if not (differs or checked):
                result.unchanged += 1
                continue
            blank = [(n, SINGLE_HEADER[k], "", f"må fylles ut ({', '.join(codes[k])})")
                     for k in values if k not in MULTI and not values[k]]
            if blank:
                result.invalid.extend(blank)
                continue
            todo.append((row, values))
        con = ws.db
        con.execute("BEGIN IMMEDIATE")
        try:
            for row, values in todo:
                stored = 0
                for kind, value in values.items():
                    stored += record_label(con, row["id"], kind, value, result.reviewer,
                                           row[f"predicted_{kind}"], path.name, at)
                result.labels_stored += stored
                if not stored:
                    result.unchanged += 1
                elif any(_norm(k, v) != _norm(k, row[f"predicted_{k}"]) for k, v in values.items()):
                    result.changed += 1
                else:
                    result.confirmed += 1
            ws.log_event("review import", result.counts())
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return result


def _norm(kind: str, value):
    if kind in MULTI:
        return tuple(sorted(set(value or ())))
    return value or ""


# -- agreement and retraining ------------------------------------------------------------------------

def review_agreement(ws: "Workspace", out_dir: str | Path | None = None) -> dict:
    """How often the model's prediction at review time matched the reviewers' label, per label kind.

    Per kind: ``n`` (current human labels with a recorded prediction), ``agreement`` (share equal),
    and micro-F1 (multi-labels, human labels as truth) or accuracy and a confusion matrix (single).
    With ``out_dir``, writes ``review-agreement.json`` and ``review-agreement.md`` there.
    """
    from .classify.metrics import multilabel_scores, single_label_scores
    from .store.reviews import human_labels

    codes = _codes(ws)
    pairs: dict[str, list[tuple]] = {k: [] for k in LABEL_KINDS}
    humans = human_labels(ws.db)
    for per_kind in humans.values():
        for kind, h in per_kind.items():
            if h.predicted is not None:
                pairs[kind].append((h.value, h.predicted))
    report: dict = {"workspace": ws.path.name, "comments": len(humans), "kinds": {}}
    for kind in LABEL_KINDS:
        gold = [g for g, _ in pairs[kind]]
        pred = [p for _, p in pairs[kind]]
        n = len(gold)
        agree = sum(_norm(kind, g) == _norm(kind, p) for g, p in pairs[kind])
        entry: dict = {"n": n, "agreement": round(agree / n, 4) if n else None}
        if kind in MULTI:
            s = multilabel_scores([set(g) for g in gold], [set(p) for p in pred], codes[kind])
            entry["micro_f1"] = s["micro_f1"] if n else None
            entry["per_label"] = s["per_label"]
        else:
            s = single_label_scores(gold, pred, tuple(codes[kind]))
            entry["confusion"] = s["confusion"]
        report["kinds"][kind] = entry
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "review-agreement.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
        (out / "review-agreement.md").write_text(render_agreement(report), encoding="utf-8")
    return report


KIND_NAMES = {"focus_areas": "innsatsområder", "themes": "temaer", "level": "nivå", "stance": "holdning"}


def render_agreement(report: dict) -> str:
    """The agreement report in Markdown (Norwegian)."""
    def pct(v):
        return "–" if v is None else f"{v:.1%}"

    lines = [f"# Samsvar mellom modell og vurderinger ({report['workspace']})", "",
             f"{report['comments']} innspill har vurderte etiketter. Samsvar: andelen der modellens etikett "
             "da innspillet ble vurdert, var lik den vurderte.", "",
             "| etiketttype | antall | samsvar | mikro-F1 |", "|---|---|---|---|"]
    for kind, e in report["kinds"].items():
        lines.append(f"| {KIND_NAMES[kind]} | {e['n']} | {pct(e['agreement'])} | "
                     f"{'–' if e.get('micro_f1') is None else format(e['micro_f1'], '.3f')} |")
    for kind in ("level", "stance"):
        e = report["kinds"][kind]
        if not e["n"]:
            continue
        classes = list(e["confusion"])
        lines += ["", f"## {KIND_NAMES[kind].capitalize()} (rad: vurdering, kolonne: modell)", "",
                  "| | " + " | ".join(classes) + " |", "|---" * (len(classes) + 1) + "|"]
        lines += [f"| {g} | " + " | ".join(str(e["confusion"][g][p]) for p in classes) + " |" for g in classes]
    return "\n".join(lines) + "\n"


def reviewed_records(ws: "Workspace") -> list[dict]:
    """Comments with human labels for all four kinds, as corpus records (effective labels)."""
    out = []
    for r in ws.comment_rows():
        if any(r[f"human_{k}"] is None for k in LABEL_KINDS):
            continue
        out.append({"id": r["id"], "response_id": r["response_id"], "text": r["text"], "heading": r["heading"] or "",
                    "lead": r["lead"] or "", "language": r["language"] if r["language"] in ("nb", "nn", "en") else "other",
                    **{k: (list(r[k]) if k in MULTI else r[k]) for k in LABEL_KINDS}})
    return out


def train_with_reviews(ws: "Workspace", output: str | Path | None = None, **train_args) -> "TrainResult":
    """Train as :func:`hearing_analysis.classify.train` with the workspace's reviewed comments added.

    The model goes to ``WORKSPACE/models/med-vurderinger`` unless ``output`` is given; it may not
    replace the shipped default model (it holds words from the workspace's responses).
    """
    from .classify import train
    from .classify.io import default_model_dir

    records = reviewed_records(ws)
    if not records:
        raise ReviewError(f"Ingen innspill i {ws.path} har vurderte etiketter for alle fire etiketttyper. "
                          "Gå gjennom etiketter med `hearing review export` og `hearing review import` først.")
    target = Path(output) if output is not None else ws.path / "models" / DEFAULT_REVIEW_MODEL
    if target.resolve() == default_model_dir().resolve():
        raise ReviewError(f"{target} er standardmodellen; en modell trent på arbeidsområdets innspill skal ikke "
                          "erstatte den. Velg en annen mappe med -o, for eksempel "
                          f"{ws.path / 'models' / DEFAULT_REVIEW_MODEL}.")
    reviewed_at = max(h for r in ws.comment_rows() if (h := r["reviewed_at"]))
    source = {"workspace": ws.path.name, "title": ws.config.title, "n": len(records),
              "responses": len({r["response_id"] for r in records}), "reviewed_until": reviewed_at[:10]}
    return train(output=target, extra_records=records, extra_source=source, **train_args)
