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
    # analyst API (loaded on first use, so the CLI starts without pandas/scikit-learn)
    "classify_texts",
    "comments_frame",
    "responses_frame",
    "backlog_frame",
    "count_labels",
    "crosstab",
    "comments_of",
    "similar_comments",
    "with_names",
    "label_name",
    "plot_counts",
    "plot_crosstab",
    # reports, backlog and review (also loaded on first use)
    "write_report",
    "build_report",
    "export_backlog",
    "import_backlog",
    "export_review",
    "import_review",
    "review_agreement",
    "train_with_reviews",
]

_LAZY = {"classify_texts": "classify", "comments_frame": "frames", "responses_frame": "frames",
         "backlog_frame": "frames", "count_labels": "frames", "crosstab": "frames", "comments_of": "frames",
         "similar_comments": "frames", "with_names": "frames", "label_name": "frames", "plot_counts": "frames",
         "plot_crosstab": "frames", "export_review": "review", "import_review": "review",
         "review_agreement": "review", "train_with_reviews": "review", "write_report": "report",
         "build_report": "report", "export_backlog": "backlog", "import_backlog": "backlog"}


def __getattr__(name: str):
    """Import the analyst helpers on first use (PEP 562)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_response(path, ocr_languages: str = "nor"):
    """Read one file outside a workspace: returns (Extracted, Metadata)."""
    from pathlib import Path

    from .ingest import read_document
    from .ingest._metadata import infer_metadata

    p = Path(path)
    extracted = read_document(p.read_bytes(), ocr_languages)
    return extracted, infer_metadata(extracted, p.name)
