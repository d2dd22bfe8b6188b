"""OCR of page images with Tesseract (pytesseract), when it is installed."""
from __future__ import annotations

import functools
import shutil
import subprocess


@functools.lru_cache(maxsize=None)
def tesseract_languages() -> frozenset[str]:
    """Languages the installed Tesseract knows; empty when Tesseract is missing."""
    exe = shutil.which("tesseract")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def ocr_unavailable_reason(languages: str) -> str | None:
    """Why OCR cannot run with these languages, or None when it can."""
    have = tesseract_languages()
    if not have:
        return ("Dokumentet er skannet (bare bilder, ingen tekst). Tesseract er ikke installert, så det "
                "trenger OCR: installer tesseract-ocr og tesseract-ocr-nor og kjør `hearing ingest --retry`.")
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        return (f"Dokumentet er skannet, men Tesseract mangler språkdata {', '.join(missing)}: "
                "installer tesseract-ocr-nor og kjør `hearing ingest --retry`.")
    return None


def ocr_image(image, languages: str) -> list[str]:
    """Text lines of one page image."""
    import pytesseract

    text = pytesseract.image_to_string(image, lang=languages, config="--psm 3")
    return text.splitlines()
