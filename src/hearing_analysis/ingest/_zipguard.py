"""Checks on ZIP-based documents (DOCX, ODT) before a parser opens them."""
from __future__ import annotations

import io
import zipfile

from ..errors import IngestError

MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200


def check_zip(data: bytes) -> None:
    """Refuse decompression bombs and archives with absurd member counts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise IngestError(f"Dokumentet har {len(infos)} interne filer; det ligner en ZIP-bombe og leses ikke.")
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise IngestError(
                    f"Dokumentet pakkes ut til {total // (1 << 20)} MiB; det ligner en ZIP-bombe og leses ikke."
                )
            for i in infos:
                if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10 << 20:
                    raise IngestError(
                        f"Den interne filen {i.filename!r} pakkes ut {i.file_size // i.compress_size} ganger; "
                        "det ligner en ZIP-bombe og leses ikke."
                    )
            bad = z.testzip()
            if bad is not None:
                raise IngestError(f"Dokumentet er ødelagt: den interne filen {bad!r} har feil sjekksum.")
    except zipfile.BadZipFile as e:
        raise IngestError(f"Dokumentet er ødelagt eller avkortet (ZIP): {e}.") from e
