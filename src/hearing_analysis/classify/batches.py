"""Classify many comments in batches, on several cores when there are many.

The language analysis dominates the time; it is spread over forked worker processes that inherit the
loaded model and pipeline (copy-on-write), and the batches come back in order so the caller can store
each one as it arrives.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator, Sequence

from ..records import Labels

PARALLEL_FROM = 2000  # comments; below this, starting workers costs more than it saves
_STATE: dict = {}


def _work(batch: list[dict]) -> list[Labels]:
    from . import predict_labels

    return predict_labels(_STATE["model"], [r["text"] for r in batch], [r.get("heading", "") for r in batch],
                          [r.get("lead", "") for r in batch], [r.get("language") or None for r in batch],
                          taxonomy=_STATE["taxonomy"], embedder=_STATE["embedder"],
                          responses=[r.get("response_id") for r in batch])


def default_workers() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def predict_batches(model, batches: Sequence[list[dict]], taxonomy: str | None = None, embedder=None,
                    workers: int | None = None) -> Iterator[list[Labels]]:
    """Labels for each batch of comment dicts (``text``, ``heading``, ``lead``, ``language``, ``response_id``),
    in order. A response's comments are read together, so keep each response within one batch."""
    from . import predict_labels  # noqa: F401  (imported before forking)
    from ..nlp import load_nlp

    _STATE.update(model=model, taxonomy=taxonomy, embedder=embedder)
    total = sum(len(b) for b in batches)
    workers = default_workers() if workers is None else workers
    # Torch-backed embedders do not survive a fork well; they run in this process.
    if workers <= 1 or total < PARALLEL_FROM or embedder is not None or "fork" not in mp.get_all_start_methods():
        for batch in batches:
            yield _work(batch)
        return
    from ..taxonomy import DEFAULT_TAXONOMY

    load_nlp(taxonomy or getattr(model, "card_", {}).get("taxonomy") or DEFAULT_TAXONOMY)  # inherited by the workers
    with mp.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_work, batches)
