"""Hostile or broken input ends as a recorded failure with a reason, never a crash or hang."""
import io
import time
import zipfile

import pytest

from builders import make_docx
from hearing_analysis.errors import IngestError
from hearing_analysis.ingest import read_document
from hearing_analysis.ingest._runner import Job, WorkerPool


def _docx_with(member: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(make_docx([("Normal", "x")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, content if item.filename == member else src.read(item.filename))
    return out.getvalue()


def test_decompression_bomb_refused():
    bomb = _docx_with("word/document.xml", b"<a>" + b" " * (400 * 1024 * 1024) + b"</a>")
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(IngestError, match="ZIP-bombe"):
        read_document(bomb)


def test_billion_laughs_in_docx_is_not_expanded():
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
           + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    data = _docx_with("word/document.xml", lol)
    start = time.monotonic()
    try:
        ex = read_document(data)
        assert len(ex.text) < 10_000  # entities were not expanded
    except IngestError:
        pass
    assert time.monotonic() - start < 10


def test_external_entity_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMMELIG")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           '<w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    try:
        ex = read_document(_docx_with("word/document.xml", xxe))
        assert "HEMMELIG" not in ex.text
    except IngestError:
        pass


def _pool(timeout=30.0, memory=2048):
    from hearing_analysis.ingest import preload

    preload()  # as ingest does: workers fork warm
    return WorkerPool(workers=2, timeout=timeout, max_memory_mb=memory, ocr_languages="nor")


def test_hanging_parser_is_killed_at_timeout(monkeypatch):
    import hearing_analysis.ingest as ingest

    def hang(data, langs="nor"):
        if data == b"hang":
            time.sleep(60)
        return real(data, langs)

    real = ingest.read_document
    monkeypatch.setattr(ingest, "read_document", hang)
    pool = _pool(timeout=1.5)
    pool.submit(Job(1, b"hang", "heng.pdf"))
    pool.submit(Job(2, "Et vanlig svar.".encode(), "ok.txt"))
    start = time.monotonic()
    out = {o.job.name: o for o in pool.results()}
    assert time.monotonic() - start < 10
    assert "tok mer enn" in out["heng.pdf"].error
    assert out["ok.txt"].error == "" and out["ok.txt"].extracted.text == "Et vanlig svar."


def test_memory_ceiling_and_crash_become_failures(monkeypatch):
    import os

    import hearing_analysis.ingest as ingest

    def greedy(data, langs="nor"):
        if data == b"greedy":
            return [bytearray(50 * 1024 * 1024) for _ in range(100)]
        if data == b"crash":
            os._exit(3)
        raise AssertionError

    monkeypatch.setattr(ingest, "read_document", greedy)
    pool = _pool(memory=300)
    pool.submit(Job(1, b"greedy", "stor.pdf"))
    pool.submit(Job(2, b"crash", "krasj.pdf"))
    out = {o.job.name: o for o in pool.results()}
    assert "minne" in out["stor.pdf"].error
    assert "krasjet" in out["krasj.pdf"].error


def test_billion_laughs_in_odt_is_refused_or_harmless():
    from builders import make_odt

    src = zipfile.ZipFile(io.BytesIO(make_odt([("p", "x")])))
    lol = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(b'<!ENTITY a%d "%s">' % (i, (b"&a%d;" % (i - 1) if i > 1 else b"&a;") * 10) for i in range(1, 10))
           + b']><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
             b'<text:p>&a9;</text:p></office:text></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, lol if item.filename == "content.xml" else src.read(item.filename))
    start = time.monotonic()
    try:
        ex = read_document(out.getvalue())
        assert len(ex.text) < 10_000
    except IngestError:
        pass
    assert time.monotonic() - start < 10
