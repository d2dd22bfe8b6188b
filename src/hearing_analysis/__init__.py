"""hearing-analysis: turn Norwegian consultation responses into a classified, board-ready analysis."""
from __future__ import annotations

from .errors import ConfigError, HearingAnalysisError, IngestError, TaxonomyError, WorkspaceError
from .records import Page, RespondentType, Status
from .taxonomy import Taxonomy, load_taxonomy
from .workspace import Workspace

__version__ = "0.1.0"

__all__ = [
    "Workspace",
    "load_taxonomy",
    "Taxonomy",
    "Page",
    "RespondentType",
    "Status",
    "HearingAnalysisError",
    "WorkspaceError",
    "ConfigError",
    "TaxonomyError",
    "IngestError",
    "read_response",
]


def read_response(path, ocr_languages: str = "nor"):
    """Read one file outside a workspace: returns (Extracted, Metadata)."""
    from pathlib import Path

    from .ingest import read_document
    from .ingest._metadata import infer_metadata

    p = Path(path)
    extracted = read_document(p.read_bytes(), ocr_languages)
    return extracted, infer_metadata(extracted, p.name)
