"""Workspace life cycle and the ingest guarantees: nothing lost, idempotent, versions, duplicates."""
import datetime as dt
import json
import os
import stat

import pytest

from builders import LETTER, make_docx, make_eml, make_pdf
from hearing_analysis import Workspace
from hearing_analysis.errors import ConfigError, TaxonomyError, WorkspaceError


def letter(name: str, body: str, date: str = "27. mai 2024") -> bytes:
    return make_pdf([[name, "Postboks 1", f"Sted, {date}", "", *body.split("\n")]])


JOINT = ("Vi står samlet bak denne uttalelsen om strategiske føringer for regionen.\n"
         "Regionen trenger et bedre kollektivtilbud mellom byene og tettstedene, og vi\n"
         "ber om at jernbanen prioriteres høyere i de kommende årene enn i utkastet.\n"
         "Næringslivet i hele regionen trenger tilgang på kompetent arbeidskraft og\n"
         "gode rammevilkår, og det må legges til rette for grønn industri og ny kraft.\n"
         "Vi støtter satsingen på sirkulærøkonomi og en ren Oslofjord for framtiden.")


def test_create_open_and_config(tmp_path):
    ws = Workspace.create(tmp_path / "w", title="Høring X", deadline="2024-05-29")
    assert (tmp_path / "w" / "hearing.toml").is_file()
    assert stat.S_IMODE(os.stat(tmp_path / "w" / "hearing.db").st_mode) & 0o077 == 0
    with pytest.raises(WorkspaceError, match="allerede"):
        Workspace.create(tmp_path / "w")
    again = Workspace.open(tmp_path / "w")
    assert again.config.title == "Høring X" and again.config.deadline == dt.date(2024, 5, 29)
    assert again.taxonomy.focus_codes == ["naering", "by_region", "klima_miljo", "transport"]
    assert again.config.organisers == ("Osloregionen IPR",)


def test_workspace_resolution(tmp_path, monkeypatch):
    Workspace.create(tmp_path / "w")
    monkeypatch.setenv("HEARING_WORKSPACE", str(tmp_path / "w"))
    assert Workspace.open().path == tmp_path / "w"
    monkeypatch.setenv("HEARING_WORKSPACE", str(tmp_path / "nope"))
    with pytest.raises(WorkspaceError, match="HEARING_WORKSPACE"):
        Workspace.open()


def test_bad_taxonomy_and_config(tmp_path):
    with pytest.raises(TaxonomyError, match="Ukjent taksonomi"):
        Workspace.create(tmp_path / "a", taxonomy="finnes-ikke")
    ws = Workspace.create(tmp_path / "b")
    (ws.path / "hearing.toml").write_text('title = "x"\ndeadline = "29. mai"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="ÅÅÅÅ-MM-DD"):
        Workspace.open(ws.path)


def test_ingest_is_idempotent_and_keeps_originals(ws, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "rade.pdf").write_bytes(make_pdf([LETTER]))
    (inbox / "asker.docx").write_bytes(make_docx([("Normal", "Asker kommune"), ("Normal", "Vi støtter utkastet.")]))
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    r1 = ws.ingest([inbox], received="2024-05-28")
    assert len(r1.added) == 2 and r1.ok
    r2 = ws.ingest([inbox], received="2024-05-28")
    assert r2.added == [] and sorted(r2.unchanged) == sorted(str(p) for p in inbox.iterdir())
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before  # originals untouched
    df = ws.responses()
    assert len(df) == 2
    for sha in df["sha256"]:
        assert ws.store.read(sha) in before.values()
    row = df[df["file"] == "rade.pdf"].iloc[0]
    assert row["respondent"] == "Råde kommune" and row["respondent_type"] == "kommune"
    assert row["date"] == dt.datetime(2024, 5, 27) and not row["late"]
    assert json.loads(json.dumps(row["pages"]))[0]["number"] == 1


def test_byte_identical_copy_noted_not_ingested(ws, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    data = letter("Råde kommune", "Kort uttalelse om planen.")
    (tmp_path / "a" / "x.pdf").write_bytes(data)
    (tmp_path / "b" / "kopi.pdf").write_bytes(data)
    r = ws.ingest([tmp_path / "a", tmp_path / "b"])
    assert len(r.added) == 1 and len(r.duplicates) == 1
    rows = ws.document_rows(include_text=False)
    dup = [x for x in rows if x["status"] == "duplicate"]
    assert len(dup) == 1 and dup[0]["duplicate_of"] == r.added[0] and dup[0]["file"] == "kopi.pdf"
    assert ws.status().by_status == {"duplicate": 1, "ok": 1}


def test_changed_file_becomes_new_version(ws, tmp_path):
    f = tmp_path / "svar.pdf"
    f.write_bytes(letter("Råde kommune", "Første versjon av uttalelsen."))
    first = ws.ingest([f]).added[0]
    f.write_bytes(letter("Råde kommune", "Andre versjon av uttalelsen, rettet."))
    r = ws.ingest([f])
    assert r.versions == [(r.added[0], first)]
    rows = {x["id"]: x for x in ws.document_rows()}
    assert rows[first]["superseded_by"] == r.added[0]
    assert ws.status().documents == 1


def test_late_flag_respects_extensions(ws, tmp_path):
    (tmp_path / "asker.pdf").write_bytes(letter("Asker kommune", "Vi har noen merknader."))
    (tmp_path / "rade.pdf").write_bytes(letter("Råde kommune", "Vi har noen merknader."))
    ws.ingest([tmp_path / "asker.pdf", tmp_path / "rade.pdf"], received="2024-06-10")
    late = {x["respondent"]: x["late"] for x in ws.document_rows(include_text=False)}
    assert late == {"Asker kommune": False, "Råde kommune": True}
    t = ws.status().timeliness
    assert t["for_sent"] == 1 and t["utsatt_frist"] == 1


def test_email_attachment_linked_and_dated(ws, tmp_path):
    pdf = letter("Nittedal kommune", "Vi støtter forslaget.")
    eml = make_eml("Vedlagt følger uttalelsen.", "Postmottak Nittedal kommune <postmottak@nittedal.kommune.no>",
                   "Mon, 10 Jun 2024 09:12:00 +0200", [("../../../tmp/evil/Uttalelse.pdf", pdf, "application/pdf")])
    (tmp_path / "mail.eml").write_bytes(eml)
    r = ws.ingest([tmp_path / "mail.eml"], received="2024-01-01")
    assert len(r.added) == 2
    rows = {x["file"]: x for x in ws.document_rows(include_text=False)}
    mail, att = rows["mail.eml"], rows["Uttalelse.pdf"]
    assert mail["role"] == "container" and att["parent"] == mail["id"]
    assert mail["received"] == att["received"] == "2024-06-10"
    assert att["respondent"] == "Nittedal kommune"
    assert not (tmp_path / "tmp").exists() and not any("evil" in str(p) for p in ws.path.rglob("*"))


def test_joint_statement_grouped(ws, tmp_path):
    (tmp_path / "a.pdf").write_bytes(letter("Rollag kommune", JOINT))
    (tmp_path / "b.pdf").write_bytes(letter("Kongsbergregionen IPR", JOINT, date="28. mai 2024"))
    (tmp_path / "c.pdf").write_bytes(letter("Råde kommune", "Et helt annet svar om noe annet enn det de andre skrev.\n" * 3))
    r = ws.ingest([tmp_path])
    assert r.groups == 1
    rows = {x["respondent"]: x for x in ws.document_rows(include_text=False)}
    assert rows["Rollag kommune"]["group"] == rows["Kongsbergregionen IPR"]["group"] is not None
    assert rows["Rollag kommune"]["similarity"] >= 0.8
    assert rows["Råde kommune"]["group"] is None


def test_bad_files_recorded_and_batch_goes_on(ws, tmp_path):
    bad = tmp_path / "inbox"
    bad.mkdir()
    (bad / "tom.pdf").write_bytes(b"")
    (bad / "kryptert.pdf").write_bytes(make_pdf([["x"]], encrypt="pw"))
    (bad / "avkortet.docx").write_bytes(make_docx([("Normal", "x" * 2000)])[:900])
    (bad / "bilde.exe").write_bytes(b"MZ\x90\x00" + b"\0" * 100)
    (bad / "god.pdf").write_bytes(letter("Råde kommune", "Dette er et godt svar."))
    (bad / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    r = ws.ingest([bad, tmp_path / "finnes-ikke"])
    assert not r.ok
    reasons = dict(r.failed)
    assert set(reasons) == {"tom.pdf", "kryptert.pdf", "avkortet.docx", "bilde.exe"}
    assert "tom" in reasons["tom.pdf"] and "passord" in reasons["kryptert.pdf"]
    assert "ødelagt" in reasons["avkortet.docx"] and "Windows-program" in reasons["bilde.exe"]
    assert len(r.added) == 1
    assert {p for p, _ in r.skipped} == {str(bad / ".DS_Store"), str(tmp_path / "finnes-ikke")}
    assert len(ws.status().failures) == 4
    # Failed files are recorded once: a second run adds nothing.
    assert ws.ingest([bad]).failed == []


def test_oversized_file_refused_without_copy(ws, tmp_path):
    cfg = ws.path / "hearing.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("max_file_mb = 100", "max_file_mb = 0.01"), encoding="utf-8")
    ws = Workspace.open(ws.path)
    f = tmp_path / "stor.txt"
    f.write_bytes(b"tekst " * 5000)
    r = ws.ingest([f])
    assert "over grensen" in r.failed[0][1]
    sha = ws.document_rows()[0]["sha256"]
    assert sha not in ws.store


def test_export_formats(ws, tmp_path):
    (tmp_path / "x.pdf").write_bytes(letter("Råde kommune", "Vi støtter planen."))
    ws.ingest([tmp_path / "x.pdf"], received="2024-05-20")
    lines = ws.export_responses("jsonl").splitlines()
    rec = json.loads(lines[0])
    for key in ("id", "file", "sha256", "status", "reason", "respondent", "respondent_type", "date", "received",
                "late", "language", "duplicate_of", "group", "parent", "text", "pages"):
        assert key in rec
    assert rec["pages"][0]["number"] == 1
    ws.export_responses("csv", tmp_path / "o.csv")
    ws.export_responses("xlsx", tmp_path / "o.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert sheet["A1"].value == "id" and sheet.max_row == 2
    assert (tmp_path / "o.csv").read_text(encoding="utf-8-sig").startswith("id,")
