"""PDF text: pypdfium2 for speed, pdfplumber as a second engine, Tesseract for scans."""
from __future__ import annotations

import logging
from collections import Counter

from ..errors import IngestError
from ..records import Extracted, Page, Status
from ._clean import clean_pages
from ._ocr import ocr_image, ocr_unavailable_reason

log = logging.getLogger(__name__)

MIN_CHARS_PER_PAGE = 25  # below this, and with images on it, a page is taken as scanned
OCR_DPI = 300


def _raw_lines_pdfium(data: bytes) -> tuple[list[list[str]], list[bool], list[str], object]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise IngestError(
                "PDF-en er passordbeskyttet (kryptert). Be avsenderen om en kopi uten passord."
            ) from e
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise IngestError("PDF-en har en sikkerhetsordning som ikke støttes.") from e
        raise
    pages, image_only, furniture = [], [], []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        lines, margin = _lines_with_gaps(tp, page.get_height(), first_page=i == 0)
        furniture.extend(margin)
        tp.close()
        chars = sum(len(ln.strip()) for ln in lines)
        scanned = False
        if chars < MIN_CHARS_PER_PAGE:
            # Images or drawn shapes but (almost) no text: a scan, or glyphs drawn as paths.
            kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING]
            scanned = any(True for _ in page.get_objects(filter=kinds, max_depth=3))
        pages.append(lines)
        image_only.append(scanned)
        page.close()
    return pages, image_only, furniture, pdf


MARGIN_BAND = 0.06  # top/bottom share of the page height where running headers and footers live
MARGIN_LINE_MAX = 120


def _split_lines(text: str) -> list[tuple[str, int]]:
    """(line, offset of its first character) for a page's text.

    PDFium's text holds one character per index, its generated line breaks
    included. Where it removed a hyphen at a line end it writes U+FFFE and joins
    the lines; we split there again so that our own de-hyphenation (which knows
    "nærings- og") decides, and so a word hyphenated at the page foot is not glued
    to the footer.
    """
    out, offset = [], 0
    for line in text.split("\r\n"):
        start = 0
        for i, ch in enumerate(line):
            if ch == "\ufffe":
                out.append((line[start:i] + "-", offset + start))
                start = i + 1
        out.append((line[start:], offset + start))
        offset += len(line) + 2
    return out


def _lines_with_gaps(tp, page_height: float, first_page: bool) -> tuple[list[str], list[str]]:
    """Body lines of a page with an empty line at paragraph gaps, and the lines in the header/footer bands.

    The box of each line's first character gives its height on the page, at the
    cost of one call per line. Lines in the bottom band, and in the top band after
    page 1 (page 1 has the letterhead there), are page furniture.
    """
    text = tp.get_text_range()
    if tp.count_chars() != len(text):  # offsets do not line up (rare): no position information
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").split("\n"), []
    lines, tops = [], []
    for line, offset in _split_lines(text):
        first = len(line) - len(line.lstrip())
        lines.append(line)
        tops.append(tp.get_charbox(offset + first, loose=True)[3] if line.strip() else None)
    body, margin, body_tops = [], [], []
    for line, top in zip(lines, tops):
        if top is not None and page_height > 0 and len(line.strip()) <= MARGIN_LINE_MAX:
            in_top = top > page_height * (1 - MARGIN_BAND) and not first_page
            in_bottom = top < page_height * MARGIN_BAND
            if in_top or in_bottom:
                margin.append(line.strip())
                continue
        body.append(line)
        body_tops.append(top)
    steps = [a - b for a, b in zip(body_tops, body_tops[1:]) if a is not None and b is not None and a - b > 0]
    if len(steps) < 3:
        return body, margin
    # The line pitch is the most common step; paragraph gaps are rarer and larger.
    counts = Counter(round(step) for step in steps)
    most = max(counts.values())
    pitch = min(step for step, n in counts.items() if n == most)
    out: list[str] = []
    prev = None
    for line, top in zip(body, body_tops):
        if prev is not None and top is not None and prev - top > 1.6 * pitch:
            out.append("")
        out.append(line)
        prev = top if top is not None else prev
    return out, margin


def _raw_lines_pdfplumber(data: bytes) -> list[list[str]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.extract_text() or "").split("\n") for p in pdf.pages]


def read_pdf(data: bytes, ocr_languages: str = "nor") -> Extracted:
    """Extract clean text per page; OCR scanned pages when Tesseract is present."""
    pdf = None
    margin: list[str] = []
    try:
        raw, image_only, margin, pdf = _raw_lines_pdfium(data)
        engine = "pdfium"
    except IngestError:
        raise
    except Exception as first:  # pdfium could not open it: let the second engine try
        try:
            raw = _raw_lines_pdfplumber(data)
            image_only = [False] * len(raw)
            engine = "pdfplumber"
        except Exception as second:
            msg = str(second) or type(second).__name__
            if "password" in msg.lower() or "encrypt" in msg.lower():
                raise IngestError("PDF-en er passordbeskyttet (kryptert). Be avsenderen om en kopi uten passord.") from second
            raise IngestError(f"PDF-en er ødelagt eller ikke lesbar ({first}; {msg}).") from second
    warnings: list[str] = []
    if engine != "pdfium":
        warnings.append("PDF-en ble lest med reservemotoren pdfplumber.")
    if not raw:
        raise IngestError("PDF-en har ingen sider.")
    result_status, reason, did_ocr = Status.OK, "", False
    scanned = [i for i, flag in enumerate(image_only) if flag]
    if scanned:
        why = ocr_unavailable_reason(ocr_languages)
        if why is None:
            for i in scanned:
                bitmap = pdf[i].render(scale=OCR_DPI / 72, grayscale=True)
                raw[i] = ocr_image(bitmap.to_pil(), ocr_languages)
            did_ocr = True
            warnings.append(f"{len(scanned)} skannet(e) side(r) ble lest med OCR (Tesseract).")
        elif len(scanned) == len(raw):
            result_status, reason = Status.NEEDS_OCR, why
        else:
            warnings.append(f"Side(r) {', '.join(str(i + 1) for i in scanned)} er skannet og mangler tekst: {why}")
    if pdf is not None:
        pdf.close()
    texts, furniture = clean_pages(raw)
    if result_status is Status.OK and not any(t.strip() for t in texts):
        reason = ("PDF-en består av bilder, og OCR fant ingen lesbar tekst i dem; den må leses manuelt."
                  if did_ocr else "PDF-en inneholder ingen tekst og ingen skannede sider som kan leses.")
        result_status = Status.FAILED
    return Extracted(
        kind="pdf",
        pages=[Page(i + 1, t) for i, t in enumerate(texts)],
        status=result_status,
        reason=reason,
        furniture="\n".join(dict.fromkeys(margin + furniture)),
        ocr=did_ocr,
        warnings=warnings,
    )
