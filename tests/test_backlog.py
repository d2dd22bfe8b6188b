"""The action-plan backlog: rows, export, the secretariat's edits read back, personal data, CLI."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest
from builders import make_docx
from typer.testing import CliRunner

from hearing_analysis.backlog import (
    HEADERS, HIDDEN_FILE, STATUSES, backlog_rows, core_sentence, export_backlog, import_backlog, split_sentences)
from hearing_analysis.cli import app
from hearing_analysis.errors import BacklogError
from hearing_analysis.nlp.cues import fnr_valid

runner = CliRunner()


def tiltak_ids(ws) -> list[str]:
    return [r["id"] for r in ws.comment_rows() if r["level"] == "tiltak"]


# -- rows -------------------------------------------------------------------------------------------
def test_rows_are_exactly_the_measure_comments_in_document_order(example_copy):
    rows = backlog_rows(example_copy, privacy=False)
    assert rows and [r["id"] for r in rows] == tiltak_ids(example_copy)
    comments = {r["id"]: r for r in example_copy.comment_rows()}
    for r in rows:
        c = comments[r["id"]]
        assert r["quote"] == c["text"] and r["file"] == c["file"] and r["page"] == c["page"]
        assert r["status"] == "ny" and r["note"] == "" and r["reviewed"] is False
        assert r["confidence"] == c["scores"]["level"]["tiltak"]
        assert 0 < len(r["action"]) <= 160 and r["action"].rstrip("…")[:20] in " ".join(c["text"].split())


def test_human_level_adds_and_removes_a_comment(example_copy):
    ws = example_copy
    before = tiltak_ids(ws)
    other = next(r for r in ws.comment_rows() if r["level"] == "strategisk")
    ws.set_labels(other["id"], "x", level="tiltak")
    row = next(r for r in backlog_rows(ws) if r["id"] == other["id"])
    assert row["reviewed"] is True and row["confidence"] == 1.0
    assert [r["id"] for r in backlog_rows(ws, privacy=False)] == tiltak_ids(ws) and len(tiltak_ids(ws)) == len(before) + 1
    ws.set_labels(before[0], "x", level="strategisk")
    ids = [r["id"] for r in backlog_rows(ws)]
    assert before[0] not in ids and other["id"] in ids and len(ids) == len(before)


# -- core sentence ----------------------------------------------------------------------------------
def test_core_sentence_picks_the_measure():
    text = ("Vi har lest utkastet med stor interesse. Regionen har mange fortrinn, f.eks. gode fagmiljøer. "
            "Vi foreslår at Osloregionen etablerer et felles prosjekt for ladepunkter innen 2026. Takk for oss.")
    assert core_sentence(text) == "Vi foreslår at Osloregionen etablerer et felles prosjekt for ladepunkter innen 2026."
    assert split_sentences(text)[1] == "Regionen har mange fortrinn, f.eks. gode fagmiljøer."
    assert core_sentence("• utrede en felles pendlerordning") == "utrede en felles pendlerordning"
    long = "Vi ber om at " + " ".join(["kommunene samarbeider tett om arealbruk"] * 10) + "."
    cut = core_sentence(long)
    assert len(cut) <= 160 and cut.endswith("…") and long.startswith(cut[:-1])
    assert core_sentence("") == ""


def test_core_sentence_is_fast():
    text = ("Kommunen støtter hovedretningen. Vi ber om at det etableres et nettverk for havnene, med midler "
            "fra 2025. Dette bør også omfatte landstrøm og felles innkjøp av utstyr, jf. kap. 4 i utkastet. ") * 3
    start = time.perf_counter()
    for _ in range(2000):
        core_sentence(text)
    assert time.perf_counter() - start < 3.0


def test_light_splitter_agrees_with_the_pipeline(analysed_example):
    from hearing_analysis import Workspace
    from hearing_analysis.nlp import load_nlp

    nlp = load_nlp()
    with Workspace.open(analysed_example) as ws:
        texts = [r["text"] for r in ws.comment_rows()]
    same = 0
    for text in texts:
        doc = nlp.make_doc(text)
        for name in ("hearing_tokenfix", "sentencizer", "hearing_sentfix"):
            doc = nlp.get_pipe(name)(doc)
        same += [s.text.strip() for s in doc.sents if s.text.strip()] == split_sentences(text)
    assert same >= 0.95 * len(texts)


# -- export, edit, import, export -----------------------------------------------------------------
def test_xlsx_round_trip(example_copy, tmp_path):
    from openpyxl import load_workbook

    ws = example_copy
    result = export_backlog(ws, "xlsx", tmp_path)
    path = tmp_path / "handlingsplan-innspill.xlsx"
    assert result.path == path and result.rows == len(tiltak_ids(ws))
    wb = load_workbook(path)
    sheet = wb.active
    header = [c.value for c in sheet[1]]
    assert header == list(HEADERS.values()) and header[0] == "id"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    status_col = header.index("Status") + 1
    letter = sheet.cell(1, status_col).column_letter
    checks = sheet.data_validations.dataValidation
    assert len(checks) == 1 and checks[0].type == "list" and checks[0].allow_blank
    assert all(s in checks[0].formula1 for s in STATUSES)
    assert f"{letter}2" in str(checks[0].sqref) and sheet.column_dimensions["D"].width > 30
    assert sheet.cell(2, header.index("Innspill") + 1).alignment.wrap_text

    # The secretariat edits two rows, mistypes a third and adds a row of its own.
    first, second, third = (sheet.cell(r, 1).value for r in (2, 3, 4))
    note_col = header.index("Notat") + 1
    sheet.cell(2, status_col, "tatt inn")
    sheet.cell(2, note_col, "Med i handlingsplanen 2025, tiltak 3.")
    sheet.cell(3, status_col, "Vurderes")
    sheet.cell(4, status_col, "kanskje")
    sheet.append(["finnes-ikke#1", "Noen"] + [None] * (len(header) - 3) + ["ny"])
    wb.save(path)

    res = import_backlog(ws, path, "Sekretær")
    assert res.updated == 2 and res.unknown_ids == ["finnes-ikke#1"]
    assert [(row, value) for row, value, _ in res.invalid] == [(4, "kanskje")] and third in res.invalid[0][2]
    assert res.unchanged == result.rows - 3 and not res.ok
    stored = {r["comment_id"]: dict(r) for r in ws.db.execute("SELECT * FROM backlog")}
    assert set(stored) == {first, second}
    assert stored[first]["status"] == "tatt inn" and stored[first]["updated_by"] == "Sekretær"
    assert stored[second]["status"] == "vurderes" and stored[second]["updated_at"]
    assert ws.events()[-1]["command"] == "backlog import" and ws.events()[-1]["counts"]["updated"] == 2

    again = import_backlog(ws, path, "Sekretær")
    assert again.updated == 0 and again.unchanged == res.unchanged + 2

    export_backlog(ws, "xlsx", tmp_path / "ny.xlsx")
    rows = {r[0]: r for r in load_workbook(tmp_path / "ny.xlsx").active.iter_rows(min_row=2, values_only=True)}
    assert rows[first][status_col - 1] == "tatt inn" and rows[first][note_col - 1] == "Med i handlingsplanen 2025, tiltak 3."
    assert rows[second][status_col - 1] == "vurderes" and rows[third][status_col - 1] == "ny"
    assert "finnes-ikke#1" not in rows


def test_csv_round_trip(example_copy, tmp_path):
    ws = example_copy
    path = tmp_path / "b.csv"
    export_backlog(ws, "csv", path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and "ø".encode() in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == list(HEADERS.values()) and len(table) - 1 == len(tiltak_ids(ws))
    status, note = table[0].index("Status"), table[0].index("Notat")
    table[1][status], table[1][note] = "avvist", "Hører hjemme i en annen plan; svar «nei» og æøå."
    table[2][status] = ""  # a cleared cell means ny
    table[3][status] = "ferdig"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(table)
    path.write_bytes(buf.getvalue().encode("cp1252"))  # as Excel on Windows saves "CSV (semikolonseparert)"
    res = import_backlog(ws, path, "x")
    assert res.updated == 1 and [v for _, v, _ in res.invalid] == ["ferdig"] and not res.unknown_ids
    assert import_backlog(ws, path, "x").updated == 0
    export_backlog(ws, "csv", path)
    again = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert again[1][status] == "avvist" and again[1][note] == "Hører hjemme i en annen plan; svar «nei» og æøå."
    assert again[2][status] == "ny" and again[3][status] == "ny"


def test_jsonl_round_trip(example_copy, tmp_path):
    ws = example_copy
    text = export_backlog(ws, "jsonl", "-").text
    recs = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in recs] == [r["id"] for r in backlog_rows(ws)] and len(recs) == len(tiltak_ids(ws))
    assert isinstance(recs[0]["focus_areas"], list) and isinstance(recs[0]["reviewed"], bool)
    recs[0].update(status="vurderes", note="Se på kostnadene.")
    recs[1]["status"] = "ukjent"
    recs.append({"id": "tull#9", "status": "ny"})
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    res = import_backlog(ws, path, "x")
    assert (res.updated, res.unknown_ids, [v for _, v, _ in res.invalid]) == (1, ["tull#9"], ["ukjent"])
    assert import_backlog(ws, path, "x").updated == 0
    first = next(r for r in backlog_rows(ws) if r["id"] == recs[0]["id"])
    assert (first["status"], first["note"]) == ("vurderes", "Se på kostnadene.")


def test_status_of_a_comment_moved_off_the_backlog_is_kept(example_copy, tmp_path):
    ws = example_copy
    path = export_backlog(ws, "jsonl", tmp_path / "b.jsonl").path
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    recs[0]["status"] = "avvist"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    ws.set_labels(recs[0]["id"], "x", level="prosess")  # reviewed away after the export went out
    res = import_backlog(ws, path, "x")
    assert res.updated == 1 and res.not_measures == [recs[0]["id"]] and res.ok
    assert recs[0]["id"] not in [r["id"] for r in backlog_rows(ws)]
    ws.set_labels(recs[0]["id"], "x", level="tiltak")
    assert next(r for r in backlog_rows(ws) if r["id"] == recs[0]["id"])["status"] == "avvist"


def test_bad_files_raise_with_the_file_name(example_copy, tmp_path):
    bad = tmp_path / "liste.txt"
    bad.write_text("id;Status\n", encoding="utf-8")
    with pytest.raises(BacklogError, match="liste.txt"):
        import_backlog(example_copy, bad, "x")
    no_id = tmp_path / "ark.csv"
    no_id.write_text("Avsender;Status\nA;ny\n", encoding="utf-8")
    with pytest.raises(BacklogError, match="id"):
        import_backlog(example_copy, no_id, "x")
    with pytest.raises(BacklogError, match="finnes-ikke.xlsx"):
        import_backlog(example_copy, tmp_path / "finnes-ikke.xlsx", "x")
    with pytest.raises(BacklogError, match="pdf"):
        export_backlog(example_copy, "pdf", tmp_path)


# -- personal data ------------------------------------------------------------------------------------
NAME = "Kari Nordmann"
EMAIL = "kari.nordmann@eksempel.no"
PHONE = "912 34 567"
FNR = next(f"150385{i:05d}" for i in range(100_000) if fnr_valid(f"150385{i:05d}"))


@pytest.fixture
def private_ws(ws, tmp_path):
    inbox = tmp_path / "innboks"
    inbox.mkdir()
    (inbox / "innspill.docx").write_bytes(make_docx([
        ("Normal", "Innspill til strategien"),
        ("Normal", f"Jeg heter {NAME} og bor i regionen. Jeg foreslår at det etableres en sammenhengende sykkelvei "
                   f"mellom togstasjonene innen 2026. Ring meg gjerne på {PHONE} eller skriv til {EMAIL}."),
        ("Normal", "Strategien bør legge mer vekt på natur og friluftsliv for folk flest."),
        ("Normal", f"Mitt fødselsnummer er {FNR}, og jeg ber om at kommunene innfører tilskudd til lastesykler."),
        ("Normal", "Med vennlig hilsen"),
        ("Normal", NAME),
    ]))
    ws.ingest([inbox], received="2024-05-20")
    ws.segment()
    doc = ws.document_rows(include_text=False)[0]
    assert (doc["respondent"], doc["respondent_type"]) == (NAME, "privat")
    comments = ws.comment_rows()
    assert len(comments) == 3
    for c in comments:
        ws.set_labels(c["id"], "x", level="strategisk" if "friluftsliv" in c["text"] else "tiltak")
    return ws


def leaks(text: str) -> list[str]:
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "\n")
    found = [s for s in (NAME, EMAIL, PHONE, FNR, "Nordmann", "nordmann") if s in text]
    return found + (["fnr digits"] if FNR in digits else []) + (["phone digits"] if "91234567" in digits else [])


def test_no_personal_data_in_any_format(private_ws, tmp_path):
    from openpyxl import load_workbook

    rows = backlog_rows(private_ws)
    assert len(rows) == 2 and {r["respondent"] for r in rows} == {"Privatperson 1"}
    assert {r["file"] for r in rows} == {HIDDEN_FILE}
    assert "sykkelvei" in rows[0]["action"]
    for fmt in ("xlsx", "csv", "jsonl"):
        path = export_backlog(private_ws, fmt, tmp_path / f"b.{fmt}").path
        if fmt == "xlsx":
            text = "\n".join(str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row)
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert "Privatperson 1" in text and "sykkelvei" in text
        assert leaks(text) == [], fmt
    # The pseudonymous ids still import, and so do the real ones.
    path = tmp_path / "b.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    recs[0]["status"] = "vurderes"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = import_backlog(private_ws, path, "x")
    assert res.updated == 1 and res.ok
    inner = backlog_rows(private_ws, privacy=False)
    assert inner[0]["status"] == "vurderes" and inner[0]["id"] != recs[0]["id"]
    assert NAME in inner[0]["quote"] and inner[0]["respondent"] == NAME


def test_cli_show_personal_data(private_ws, tmp_path):
    ws = str(private_ws.path)
    hidden = runner.invoke(app, ["-w", ws, "backlog", "-f", "csv", "-o", "-"])
    assert hidden.exit_code == 0, hidden.output
    assert leaks(hidden.stdout) == [] and "Privatperson 1" in hidden.stdout
    shown = runner.invoke(app, ["-w", ws, "backlog", "-f", "jsonl", "-o", str(tmp_path / "intern.jsonl"),
                                "--show-personal-data"])
    assert shown.exit_code == 0, shown.output
    assert NAME in (tmp_path / "intern.jsonl").read_text(encoding="utf-8") and "intern bruk" in shown.output


# -- CLI ------------------------------------------------------------------------------------------------
def test_cli_export_and_import(example_copy, tmp_path, monkeypatch):
    ws = str(example_copy.path)
    monkeypatch.chdir(tmp_path)
    n = len(tiltak_ids(example_copy))
    res = runner.invoke(app, ["-w", ws, "backlog"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "handlingsplan-innspill.xlsx").is_file() and f"Skrev {n} innspill" in res.output
    res = runner.invoke(app, ["backlog", "-w", ws, "--format", "jsonl"])
    assert res.exit_code == 0 and (tmp_path / "handlingsplan-innspill.jsonl").is_file()

    path = tmp_path / "handlingsplan-innspill.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    recs[0]["status"] = "tatt inn"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    ok = runner.invoke(app, ["-w", ws, "backlog", "import", str(path), "--who", "Kari"])
    assert ok.exit_code == 0, ok.output
    assert "1 innspill oppdatert" in ok.output and "som Kari" in ok.output

    recs[1]["status"] = "senere"
    recs.append({"id": "ukjent#1", "status": "ny"})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    bad = runner.invoke(app, ["-w", ws, "backlog", "import", str(path)])
    assert bad.exit_code == 1
    assert "0 innspill oppdatert" in bad.output and "ukjent#1" in bad.output and "senere" in bad.output

    help_text = runner.invoke(app, ["backlog", "--help"], env={"COLUMNS": "200"}).output
    assert "hearing backlog import" in help_text and "--show-personal-data" in help_text
    assert "bare til intern bruk" in help_text


def test_cli_bad_format_exits_2(example_copy, tmp_path):
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "hearing_analysis", "-w", str(example_copy.path), "backlog",
                        "-f", "pdf", "-o", str(tmp_path)], capture_output=True, text=True)
    assert p.returncode == 2 and "pdf" in p.stderr
