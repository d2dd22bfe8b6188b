"""Content-addressed store of original files. Originals are never modified."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class OriginalStore:
    """Files stored under ``originals/<first two hex digits>/<sha256>``, read-only."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self:
            self._write(sha, lambda f: f.write(data))
        return sha

    def put_file(self, src: Path, sha256: str | None = None) -> str:
        sha = sha256 or sha256_file(src)
        if sha not in self:
            def copy(f):
                with open(src, "rb") as s:
                    while chunk := s.read(CHUNK):
                        f.write(chunk)
            self._write(sha, copy)
        return sha

    def _write(self, sha: str, writer) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_name(f".{sha}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)  # atomic: a stored original is complete or absent

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()
