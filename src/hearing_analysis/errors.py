"""Typed errors. Each also inherits a builtin so callers can catch either way."""
from __future__ import annotations


class HearingAnalysisError(Exception):
    """Base class for every error this package raises on purpose."""


class WorkspaceError(HearingAnalysisError, RuntimeError):
    """The workspace is missing, locked, or not a workspace."""


class ConfigError(HearingAnalysisError, ValueError):
    """The workspace config file holds a value we cannot use."""


class TaxonomyError(HearingAnalysisError, ValueError):
    """A taxonomy file is missing or breaks the label scheme."""


class IngestError(HearingAnalysisError, ValueError):
    """One input file could not be read; the message is the plain reason."""


class NeedsOCR(IngestError):
    """The file has no text layer and OCR is not available."""


class ReviewError(HearingAnalysisError, ValueError):
    """A review workbook cannot be read, or there are no reviewed labels to use."""


class BacklogError(HearingAnalysisError, ValueError):
    """A backlog file cannot be written or read back (unknown format, missing id or status column)."""
