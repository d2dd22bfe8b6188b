"""Workspace storage: the SQLite database and the store of original files."""
from .db import connect, migrate
from .originals import OriginalStore

__all__ = ["connect", "migrate", "OriginalStore"]
