"""Image files (a photographed or scanned letter): OCR when Tesseract is present."""
from __future__ import annotations

import io

from ..errors import IngestError
from ..records import Extracted, Page, Status
from ._clean import clean_pages
from ._ocr import ocr_image, ocr_unavailable_reason

MAX_PIXELS = 80_000_000


def read_image(data: bytes, ocr_languages: str = "nor") -> Extracted:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # bigger images raise instead of eating memory
    try:
        img = Image.open(io.BytesIO(data))
        frames = []
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            frames.append(img.convert("L"))
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as e:
        raise IngestError(f"Bildet kan ikke leses ({type(e).__name__}: {e}).") from e
    why = ocr_unavailable_reason(ocr_languages)
    if why:
        return Extracted(kind="image", pages=[Page(i + 1, "") for i in range(len(frames))],
                         status=Status.NEEDS_OCR, reason=why.replace("Dokumentet er skannet", "Filen er et bilde"))
    texts, furniture = clean_pages([ocr_image(f, ocr_languages) for f in frames])
    return Extracted(kind="image", pages=[Page(i + 1, t) for i, t in enumerate(texts)],
                     furniture="\n".join(furniture), ocr=True)
