"""The bundled example inbox, ingested as the README's first command does, matches its manifest."""
import re
import shutil
import tomllib

import pytest

from conftest import EXAMPLE
from hearing_analysis import Workspace

MANIFEST = tomllib.loads((EXAMPLE / "manifest.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example_ws(tmp_path_factory):
    path = tmp_path_factory.mktemp("example") / "ws"
    ws = Workspace.create(path, deadline=MANIFEST["deadline"], extensions=MANIFEST["extensions"])
    report = ws.ingest([EXAMPLE / "inbox"], received_from_folder=True)
    yield ws, report
    ws.close()


def by_path(ws):
    return {r["source_path"]: r for r in ws.document_rows(include_text=True)}


def test_every_file_accounted_for(example_ws):
    ws, report = example_ws
    rows = by_path(ws)
    for entry in MANIFEST["files"]:
        assert str((EXAMPLE / entry["path"]).resolve()) in rows, entry["path"]
    assert report.ok and not report.failed


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=lambda e: e["path"].split("/")[-1][:40])
def test_metadata_matches_manifest(example_ws, entry):
    ws, _ = example_ws
    row = by_path(ws)[str((EXAMPLE / entry["path"]).resolve())]
    if entry.get("format") == "eml-attachment" or entry.get("attachment"):
        # the e-mail is a container; its attachment carries the response
        kids = [r for r in ws.document_rows() if r["parent"] == row["id"]]
        assert row["role"] == "container" and len(kids) == 1
        row = kids[0]
    if entry.get("duplicate_of"):
        assert row["status"] == "duplicate"
        assert row["late"] == entry["late"]
        return
    if entry["format"] == "scan" and not shutil.which("tesseract"):
        assert row["status"] == "needs_ocr" and "OCR" in row["reason"]
        return
    assert row["status"] == "ok", row["reason"]
    assert row["respondent"] == entry["respondent"]
    assert row["respondent_type"] == entry["respondent_type"]
    assert row["language"] == entry["language"]
    assert row["date"] == entry["letter_date"].isoformat()
    assert row["received"] == entry["received"].isoformat()
    assert row["late"] == entry["late"]
    if "pages" in entry and entry["format"] in ("pdf", "scan"):
        assert len(row["pages"]) == entry["pages"]
    if entry["format"] in ("pdf", "scan"):
        assert not re.search(r"Side \d+ av \d+", row["text"])  # page-number footers are gone


def test_joint_statement_grouped(example_ws):
    ws, _ = example_ws
    joint = [e for e in MANIFEST["files"] if e.get("joint_with")]
    rows = by_path(ws)
    groups = {rows[str((EXAMPLE / e["path"]).resolve())]["group"] for e in joint}
    assert len(joint) == 2 and len(groups) == 1 and None not in groups
    assert sum(1 for r in rows.values() if r["group"]) == 2


def test_reingest_adds_nothing(example_ws):
    ws, _ = example_ws
    again = ws.ingest([EXAMPLE / "inbox"], received_from_folder=True)
    assert again.added == [] and again.failed == [] and again.duplicates == []
