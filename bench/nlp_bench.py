"""NLP pipeline benchmark: words per second on one core, on the example inbox's text.

Ingests and segments `examples/osloregionen-2024/inbox` into a temporary
workspace, then runs the whole pipeline (tokenizer, sentences, målform, lemmas,
taxonomy matching, cues) over every comment, one process, one core. Prints the
load time and words per second on a cold pass (empty caches), a warm pass, and
on the annotated corpus as a larger sample. Goal: at least 20,000 words/s.

Run: ``.venv/bin/python bench/nlp_bench.py``
"""
from __future__ import annotations

import glob
import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(texts, langs):
    from hearing_analysis.nlp import analyse

    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in analyse(texts, langs))
    seconds = time.perf_counter() - start
    return words, tokens, seconds


def main() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    from hearing_analysis import Workspace
    from hearing_analysis.nlp import load_nlp

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.create(Path(tmp) / "ws")
        ws.ingest([ROOT / "examples" / "osloregionen-2024" / "inbox"], received_from_folder=True)
        ws.segment()
        rows = ws.comment_rows()
        ws.close()
    texts = [r["text"] for r in rows]
    langs = [r["language"] for r in rows]
    start = time.perf_counter()
    load_nlp()
    print(f"lasting av pipeline: {time.perf_counter() - start:.1f} s")
    for label in ("kald", "varm"):
        words, tokens, seconds = timed(texts, langs)
        print(f"eksempelinnboksen, {label}: {len(texts)} innspill, {words} ord, {tokens} tokens på {seconds:.2f} s "
              f"= {words / seconds:,.0f} ord/s")
    words, tokens, seconds = timed(texts, None)
    print(f"eksempelinnboksen med målformgjenkjenning per innspill: {words / seconds:,.0f} ord/s")
    corpus = [json.loads(line) for f in sorted(glob.glob(str(ROOT / "corpus" / "raw" / "*.jsonl")))
              for line in open(f, encoding="utf-8") if line.strip()]
    if corpus:
        words, tokens, seconds = timed([c["text"] for c in corpus], [c["language"] for c in corpus])
        print(f"korpuset: {len(corpus)} innspill, {words} ord på {seconds:.2f} s = {words / seconds:,.0f} ord/s")


if __name__ == "__main__":
    main()
