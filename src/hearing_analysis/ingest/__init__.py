"""Read one input file into text by page: sniff the type by content, then dispatch."""
from __future__ import annotations

import importlib

from ..errors import IngestError
from ..records import Extracted
from ._sniff import sniff

__all__ = ["read_document", "sniff", "preload"]

# kind -> (module, function, whether it takes the OCR languages); imported only when needed
_READERS = {
    "pdf": ("_pdf", "read_pdf", True),
    "docx": ("_docx", "read_docx", False),
    "odt": ("_odt", "read_odt", False),
    "html": ("_html", "read_html", False),
    "text": ("_html", "read_text", False),
    "email": ("_email", "read_eml", False),
    "msg": ("_email", "read_msg", False),
    "image": ("_image", "read_image", True),
}


def read_document(data: bytes, ocr_languages: str = "nor") -> Extracted:
    """Extract text by page from a file's bytes; raises IngestError with a plain reason."""
    kind = sniff(data)
    if kind not in _READERS:
        raise IngestError(f"Filtypen {kind} støttes ikke.")
    module, function, takes_ocr = _READERS[kind]
    reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reader(data, ocr_languages) if takes_ocr else reader(data)


def preload() -> None:
    """Import the extractors, load the language models and build the place-name indexes once, so forked
    workers start warm."""
    import bs4  # noqa: F401
    import docx  # noqa: F401
    import odf.opendocument  # noqa: F401
    import pypdfium2  # noqa: F401

    from .. import language

    for module in {m for m, _, _ in _READERS.values()} | {"_metadata"}:
        importlib.import_module(f"{__name__}.{module}")
    language.warm_up()
    from . import _places

    _places.warm_up()
