"""Classification speed with the default model: comments per second on one core.

Loads models/default and classifies the held-out test split (corpus/test.jsonl)
end to end: language analysis, features and the four heads. Goal: at least 500
comments per second. Run: ``.venv/bin/python bench/classify_bench.py``
"""
from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    from hearing_analysis.classify import load_model, predict_labels
    from hearing_analysis.classify.corpus import read_records
    from hearing_analysis.nlp import load_nlp

    start = time.perf_counter()
    model = load_model()
    load_nlp()
    print(f"lasting av modell og språkanalyse: {time.perf_counter() - start:.1f} s")
    records = read_records(ROOT / "corpus" / "test.jsonl")
    texts = [r["text"] for r in records]
    for label in ("første", "andre"):
        start = time.perf_counter()
        predict_labels(model, texts, [r.get("heading", "") for r in records])
        seconds = time.perf_counter() - start
        print(f"{label} gjennomgang: {len(texts)} innspill på {seconds:.2f} s = {len(texts) / seconds:,.0f} innspill/s")


if __name__ == "__main__":
    main()
