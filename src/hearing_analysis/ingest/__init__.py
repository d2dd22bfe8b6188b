"""Read one input file into text by page: sniff the type by content, then dispatch."""
from __future__ import annotations

from ..errors import IngestError
from ..records import Extracted
from ._sniff import sniff

__all__ = ["read_document", "sniff", "preload"]


def read_document(data: bytes, ocr_languages: str = "nor") -> Extracted:
    """Extract text by page from a file's bytes; raises IngestError with a plain reason."""
    kind = sniff(data)
    if kind == "pdf":
        from ._pdf import read_pdf

        return read_pdf(data, ocr_languages)
    if kind == "docx":
        from ._docx import read_docx

        return read_docx(data)
    if kind == "odt":
        from ._odt import read_odt

        return read_odt(data)
    if kind == "html":
        from ._html import read_html

        return read_html(data)
    if kind == "text":
        from ._html import read_text

        return read_text(data)
    if kind == "email":
        from ._email import read_eml

        return read_eml(data)
    if kind == "msg":
        from ._email import read_msg

        return read_msg(data)
    if kind == "image":
        from ._image import read_image

        return read_image(data, ocr_languages)
    raise IngestError(f"Filtypen {kind} støttes ikke.")


def preload() -> None:
    """Import the extractors and load language models once, so forked workers start warm."""
    from .. import language
    from . import _docx, _email, _html, _image, _metadata, _odt, _pdf  # noqa: F401
    import pypdfium2  # noqa: F401
    import docx  # noqa: F401
    import odf.opendocument  # noqa: F401
    import bs4  # noqa: F401

    language.warm_up()
