"""Every real-world PDF from two PDF libraries' test suites is recorded: ok, needs_ocr or failed with a reason."""
import pytest

from conftest import SHARED

PEER = SHARED / "peer-pdfs"
pytestmark = pytest.mark.skipif(not PEER.is_dir(), reason="../shared/peer-pdfs finnes ikke i denne klonen")


def test_every_peer_pdf_is_accounted_for(ws):
    files = sorted(f for f in PEER.rglob("*") if f.is_file())  # the README and files.json are recorded too
    report = ws.ingest([PEER], received="2024-05-01")
    rows = ws.document_rows(include_text=False)
    recorded = {r["source_path"] for r in rows}
    assert recorded == {str(f.resolve()) for f in files}  # each file exactly once, duplicates included
    for r in rows:
        assert r["status"] in ("ok", "needs_ocr", "failed", "duplicate")
        if r["status"] != "ok":
            assert r["reason"], r["file"]
    by_file = {r["file"]: r for r in rows}
    for name in ("password-example.pdf", "005-libreoffice-writer-password_libreoffice-writer-password.pdf"):
        assert by_file[name]["status"] == "failed" and "passord" in by_file[name]["reason"]
    assert by_file["empty.pdf"]["status"] == "failed" and "tom" in by_file["empty.pdf"]["reason"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert len(ok) >= 60
    assert not any(w.startswith("Leseren krasjet") for _, w in report.failed)
