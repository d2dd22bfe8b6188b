"""Short fuzz of the ingestion entry points from real seeds (example inbox, peer PDFs).

Every mutated input must end as ok, needs_ocr or failed with a reason, within the
per-file time limit and memory ceiling. About a minute by default; a longer run:
``HEARING_FUZZ_EXAMPLES=5000 make fuzz``.
"""
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, SHARED
from hearing_analysis.ingest import preload
from hearing_analysis.ingest._runner import Job, WorkerPool
from hearing_analysis.records import Status

EXAMPLES = int(os.environ.get("HEARING_FUZZ_EXAMPLES", "120"))
MAX_SEED = 400_000


def _seeds() -> list[bytes]:
    files = [f for f in sorted((EXAMPLE / "inbox").rglob("*")) if f.is_file() and f.stat().st_size < MAX_SEED]
    peer = SHARED / "peer-pdfs"
    if peer.is_dir():
        files += [f for f in sorted(peer.rglob("*.pdf")) if f.stat().st_size < MAX_SEED][::3]
    return [f.read_bytes() for f in files]


SEEDS = _seeds()


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(("flip", "cut", "insert", "repeat", "zero"))
        if not buf:
            buf = bytearray(rng.randbytes(16))
        i = rng.randrange(len(buf))
        if op == "flip":
            buf[i] ^= 1 << rng.randrange(8)
        elif op == "cut":
            del buf[i:i + rng.randint(1, 4096)]
        elif op == "insert":
            buf[i:i] = rng.randbytes(rng.randint(1, 64))
        elif op == "repeat":
            chunk = buf[i:i + rng.randint(1, 256)]
            buf[i:i] = chunk * rng.randint(2, 50)
        else:
            buf[i:i + rng.randint(1, 512)] = bytes(min(512, len(buf) - i))
    return bytes(buf)


@pytest.fixture(scope="module")
def pool_factory():
    preload()
    return lambda: WorkerPool(workers=2, timeout=20, max_memory_mb=1024, ocr_languages="nor")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), which=st.integers(min_value=0))
def test_mutated_inputs_always_end_with_a_status(pool_factory, seed, which):
    rng = random.Random(seed)
    data = mutate(SEEDS[which % len(SEEDS)], rng)
    pool = pool_factory()
    pool.submit(Job(1, data, "fuzz"))
    outcomes = list(pool.results())
    assert len(outcomes) == 1
    o = outcomes[0]
    if o.extracted is None:
        assert o.error.strip()
    else:
        assert o.extracted.status in (Status.OK, Status.NEEDS_OCR, Status.FAILED)
        if o.extracted.status is not Status.OK:
            assert o.extracted.reason
