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


@pytest.fixture(scope="session")
def analysed_example(tmp_path_factory) -> Path:
    """The example inbox ingested, segmented and analysed once per test session (a folder; do not write).

    Tests that change a workspace take :func:`example_copy` instead.
    """
    import tomllib

    from hearing_analysis import Workspace

    manifest = tomllib.loads((EXAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("analysed") / "ws"
    ws = Workspace.create(path, title="Strategiske føringer for Osloregionen IPR 2025–2028",
                          deadline=manifest["deadline"], extensions=manifest["extensions"])
    ws.ingest([EXAMPLE / "inbox"], received_from_folder=True)
    ws.segment()
    ws.analyze()
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return path


@pytest.fixture
def example_copy(analysed_example, tmp_path):
    """A private, writable copy of the analysed example workspace, open."""
    from hearing_analysis import Workspace

    target = tmp_path / "ws"
    shutil.copytree(analysed_example, target)
    w = Workspace.open(target)
    yield w
    w.close()
