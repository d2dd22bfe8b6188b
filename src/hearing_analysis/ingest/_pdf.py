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


def _raw_lines_pdfium(data: bytes) -> tuple[list[list[str]], list[bool], object]:
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
    pages, image_only = [], []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        lines = _lines_with_gaps(tp)
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
    return pages, image_only, pdf


def _lines_with_gaps(tp) -> list[str]:
    """Text lines of a page, with an empty line where the vertical gap shows a paragraph break.

    PDFium's text holds one character per index, its generated line breaks
    included, so the box of each line's first character gives the line's height
    on the page at the cost of one call per line.
    """
    text = tp.get_text_range()
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(raw) != len(text) - text.count("\r\n") or tp.count_chars() != len(text):
        return raw.split("\n")  # offsets do not line up (rare): no gap information
    lines, tops, offset = [], [], 0
    for line in text.split("\r\n"):
        lines.append(line)
        first = len(line) - len(line.lstrip())
        tops.append(tp.get_charbox(offset + first, loose=True)[3] if line.strip() else None)
        offset += len(line) + 2
    steps = [a - b for a, b in zip(tops, tops[1:]) if a is not None and b is not None and a - b > 0]
    if len(steps) < 3:
        return lines
    # The line pitch is the most common step; paragraph gaps and page furniture are rarer and larger.
    counts = Counter(round(step) for step in steps)
    top = max(counts.values())
    pitch = min(step for step, n in counts.items() if n == top)
    out: list[str] = []
    prev = None
    for line, top in zip(lines, tops):
        if prev is not None and top is not None and prev - top > 1.6 * pitch:
            out.append("")
        out.append(line)
        prev = top if top is not None else prev
    return out


def _raw_lines_pdfplumber(data: bytes) -> list[list[str]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.extract_text() or "").split("\n") for p in pdf.pages]


def read_pdf(data: bytes, ocr_languages: str = "nor") -> Extracted:
    """Extract clean text per page; OCR scanned pages when Tesseract is present."""
    pdf = None
    try:
        raw, image_only, pdf = _raw_lines_pdfium(data)
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
        furniture="\n".join(furniture),
        ocr=did_ocr,
        warnings=warnings,
    )
