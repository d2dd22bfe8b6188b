"""E-mail (.eml, and Outlook .msg through extract-msg): body, sender, date, attachments."""
from __future__ import annotations

import email
import email.policy
import email.utils
import re
from pathlib import PurePosixPath, PureWindowsPath

from ..errors import IngestError
from ..records import Attachment, Extracted, Page
from ._html import html_to_text, text_to_paragraphs

# A body shorter than this, with attachments, is a cover note ("Vedlagt følger …").
RESPONSE_MIN_WORDS = 120
_QUOTED = re.compile(r"^(>|-{2,}\s*(Original Message|Opprinnelig melding|Videresendt)|Fra: .*Sendt: )", re.I)


def safe_name(name: str | None, fallback: str) -> str:
    """An attachment's file name without any directory part or odd characters."""
    if not name:
        return fallback
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    base = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", base).strip(" .")
    return base[:200] or fallback


def _body_text(plain: str | None, html: str | None) -> str:
    if plain and plain.strip():
        lines = []
        for line in plain.replace("\r\n", "\n").split("\n"):
            if _QUOTED.match(line):
                break
            lines.append(line)
        return text_to_paragraphs("\n".join(lines))
    if html:
        return html_to_text(html)
    return ""


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _finish(kind, body, sender, subject, sent, attachments) -> Extracted:
    words = len(body.split())
    carries = bool(body.strip()) and (not attachments or words >= RESPONSE_MIN_WORDS)
    return Extracted(
        kind=kind,
        pages=[Page(1, body)],
        sender=sender,
        subject=subject,
        sent=sent,
        attachments=attachments,
        carries_response=carries,
    )


def read_eml(data: bytes) -> Extracted:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as e:
        raise IngestError(f"E-posten kan ikke leses ({type(e).__name__}: {e}).") from e
    plain = html = None
    attachments: list[Attachment] = []
    for n, part in enumerate(msg.walk(), 1):
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        ctype = part.get_content_type()
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            payload = b""
        if disposition == "attachment" or (part.get_filename() and disposition != "inline") or (
            ctype not in ("text/plain", "text/html") and payload
        ):
            if ctype == "message/rfc822":
                inner = part.get_payload()
                payload = inner[0].as_bytes() if isinstance(inner, list) and inner else payload
            if payload:
                attachments.append(Attachment(safe_name(part.get_filename(), f"vedlegg-{n}"), payload))
            continue
        try:
            content = part.get_content()
        except (LookupError, UnicodeError, AssertionError):
            content = payload.decode("utf-8", errors="replace")
        if ctype == "text/plain" and plain is None:
            plain = content
        elif ctype == "text/html" and html is None:
            html = content
    sender = str(msg.get("From", "") or "")
    return _finish("email", _body_text(plain, html), sender, str(msg.get("Subject", "") or ""),
                   _iso_date(msg.get("Date")), attachments)


def read_msg(data: bytes) -> Extracted:
    import io

    import extract_msg

    try:
        msg = extract_msg.openMsg(io.BytesIO(data))
    except Exception as e:
        raise IngestError(f"Outlook-meldingen (.msg) kan ikke leses ({type(e).__name__}: {e}).") from e
    try:
        attachments = []
        for n, att in enumerate(getattr(msg, "attachments", []), 1):
            payload = getattr(att, "data", None)
            if isinstance(payload, bytes) and payload:
                attachments.append(Attachment(safe_name(att.longFilename or att.shortFilename, f"vedlegg-{n}"), payload))
        html = msg.htmlBody.decode("utf-8", "replace") if isinstance(msg.htmlBody, bytes) else msg.htmlBody
        sent = msg.date.date().isoformat() if getattr(msg, "date", None) else None
        return _finish("msg", _body_text(msg.body, html), str(msg.sender or ""), str(msg.subject or ""), sent, attachments)
    finally:
        msg.close()
