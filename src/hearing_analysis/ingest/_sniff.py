"""File type by content (magic bytes), never by extension."""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import IngestError

_EMAIL_HEADER = re.compile(
    rb"^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|X-[\w-]+|Content-Type):[ \t]",
    re.IGNORECASE,
)

# Names for types we recognise but do not read, so the reason is plain.
_UNSUPPORTED = [
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"GIF8", "GIF-bilde"),
    (b"Rar!", "RAR-arkiv"),
    (b"7z\xbc\xaf\x27\x1c", "7z-arkiv"),
    (b"\x1f\x8b", "gzip-arkiv"),
    (b"{\\rtf", "RTF-dokument"),
    (b"MZ", "Windows-program"),
    (b"\x7fELF", "program (ELF)"),
]


def sniff(data: bytes) -> str:
    """Return the kind of a file from its bytes.

    One of ``pdf``, ``docx``, ``odt``, ``email``, ``msg``, ``html``, ``text``,
    ``image``; raises :class:`IngestError` naming the type when it is not supported.
    """
    if not data:
        raise IngestError("Filen er tom (0 byte).")
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if b"_\x00_\x00s\x00u\x00b\x00s\x00t\x00g\x001\x00" in data[:1 << 20] or b"__substg1" in data[:1 << 20]:
            return "msg"
        raise IngestError(
            "Filen er et gammelt Microsoft Office-format (.doc/.xls/.ppt), som ikke støttes. "
            "Lagre den som DOCX eller PDF og les den inn på nytt."
        )
    for magic, name in _UNSUPPORTED:
        if head.startswith(magic):
            if name == "image":
                return "image"
            raise IngestError(f"Filtypen støttes ikke: {name}.")
    text_head = _decode_head(head)
    if text_head is None:
        raise IngestError("Filtypen støttes ikke: ukjent binærformat.")
    stripped = text_head.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text_head.lower():
        return "html"
    if re.search(r"<(html|body|p|div)[\s>]", stripped[:1024]) and stripped.startswith("<"):
        return "html"
    lines = head.lstrip().splitlines()[:8]
    if lines and sum(bool(_EMAIL_HEADER.match(line)) for line in lines) >= 2:
        return "email"
    return "text"


def _decode_head(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a multi-byte character cut at the end of the sample
            return head[: e.start].decode("utf-8")
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return None if control > len(head) // 50 else head.decode("cp1252", errors="replace")


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                mime = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mime == "application/vnd.oasis.opendocument.text":
                    return "odt"
                raise IngestError(f"Filtypen støttes ikke: OpenDocument av typen {mime}.")
            if any(n.startswith("xl/") for n in names):
                raise IngestError("Filtypen støttes ikke: Excel-regneark (.xlsx).")
            if any(n.startswith("ppt/") for n in names):
                raise IngestError("Filtypen støttes ikke: PowerPoint-presentasjon (.pptx).")
    except zipfile.BadZipFile as e:
        raise IngestError(f"Filen ser ut som et ZIP-basert dokument, men er ødelagt: {e}.") from e
    raise IngestError("Filtypen støttes ikke: ZIP-arkiv. Pakk det ut og les inn filene.")
