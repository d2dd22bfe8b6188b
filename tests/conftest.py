from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "osloregionen-2024"


def tesseract_ready() -> bool:
    from hearing_analysis.ingest._ocr import ocr_unavailable_reason

    return ocr_unavailable_reason("nor") is None


needs_tesseract = pytest.mark.skipif(
    not shutil.which("tesseract"), reason="Tesseract er ikke installert (apt-get install tesseract-ocr tesseract-ocr-nor)"
)


@pytest.fixture
def ws(tmp_path):
    from hearing_analysis import Workspace

    w = Workspace.create(tmp_path / "ws", title="Test", deadline="2024-05-29",
                         extensions={"Asker kommune": __import__("datetime").date(2024, 6, 12)})
    yield w
    w.close()


@pytest.fixture
def no_ocr(monkeypatch):
    """Pretend Tesseract is missing (workers are forked, so they inherit the patch)."""
    from hearing_analysis.ingest import _ocr

    monkeypatch.setattr(_ocr, "tesseract_languages", lambda: frozenset())
