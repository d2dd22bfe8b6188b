"""Run extraction in forked worker processes with a time limit and a memory ceiling.

A file that hangs a parser is killed at the time limit; one that blows up
memory hits the ceiling inside its own process. Either way the batch goes on
and the file is reported with a plain reason.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import IngestError
from ..records import Extracted, Metadata


@dataclass
class Job:
    """One file to read: ``source`` is a path (read in the worker) or the bytes themselves."""

    key: int
    source: Path | bytes
    name: str  # file name, used for respondent hints
    info: dict[str, Any] = field(default_factory=dict)  # caller's context, passed back untouched

    def read(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else Path(self.source).read_bytes()


@dataclass
class Outcome:
    job: Job
    extracted: Extracted | None = None
    metadata: Metadata | None = None
    error: str = ""
    seconds: float = 0.0


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def extract_one(job: Job, ocr_languages: str, exclude: tuple[str, ...]) -> Outcome:
    """Extract and infer metadata for one job in this process."""
    from . import read_document
    from ._metadata import infer_metadata

    start = time.monotonic()
    try:
        extracted = read_document(job.read(), ocr_languages)
        metadata = infer_metadata(extracted, job.name, exclude)
        return Outcome(job, extracted, metadata, seconds=time.monotonic() - start)
    except IngestError as e:
        return Outcome(job, error=str(e), seconds=time.monotonic() - start)
    except MemoryError:
        return Outcome(job, error="Filen krevde mer minne enn taket (ingest.max_memory_mb) og ble stoppet.")
    except RecursionError:
        return Outcome(job, error="Filen er for dypt nøstet til å leses (mulig fiendtlig innhold).")
    except Exception as e:  # any parser bug becomes a recorded failure, never a crashed batch
        last = traceback.extract_tb(e.__traceback__)[-1:] or [None]
        where = f" i {os.path.basename(last[0].filename)}:{last[0].lineno}" if last[0] else ""
        return Outcome(job, error=f"Filen kunne ikke leses: {type(e).__name__}: {e}{where}"[:500])


def _child(job: Job, conn, ocr_languages: str, exclude: tuple[str, ...], max_memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory_mb > 0:
        limit = _vm_bytes() + max_memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
    outcome = extract_one(job, ocr_languages, exclude)
    outcome.job = Job(job.key, b"", job.name, job.info)  # do not send the input back
    try:
        conn.send(outcome)
    except Exception as e:
        conn.send(Outcome(outcome.job, error=f"Resultatet kunne ikke sendes tilbake: {e}"))
    conn.close()


class WorkerPool:
    """Forked workers; jobs may be added while results are read."""

    def __init__(self, workers: int, timeout: float, max_memory_mb: int, ocr_languages: str,
                 exclude: tuple[str, ...] = ()):
        self.workers = max(1, workers)
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.ocr_languages = ocr_languages
        self.exclude = exclude
        self.pending: deque[Job] = deque()
        self._ctx = multiprocessing.get_context("fork")

    def submit(self, job: Job) -> None:
        self.pending.append(job)

    def results(self) -> Iterator[Outcome]:
        running: dict[Any, tuple[Any, Job, float]] = {}
        try:
            while self.pending or running:
                while self.pending and len(running) < self.workers:
                    job = self.pending.popleft()
                    recv, send = self._ctx.Pipe(duplex=False)
                    proc = self._ctx.Process(
                        target=_child,
                        args=(job, send, self.ocr_languages, self.exclude, self.max_memory_mb),
                        daemon=True,
                    )
                    proc.start()
                    send.close()
                    job.source = b""  # the child has its copy; free ours
                    running[recv] = (proc, job, time.monotonic())
                for conn in multiprocessing.connection.wait(list(running), timeout=0.25):
                    proc, job, start = running.pop(conn)
                    try:
                        outcome = conn.recv()
                        outcome.job = job
                    except (EOFError, OSError):
                        proc.join(5)
                        code = proc.exitcode
                        why = f"signal {-code}" if code and code < 0 else f"kode {code}"
                        outcome = Outcome(job, error=f"Leseren krasjet på denne filen ({why}).")
                    conn.close()
                    proc.join(5)
                    outcome.seconds = outcome.seconds or time.monotonic() - start
                    yield outcome
                now = time.monotonic()
                for conn, (proc, job, start) in list(running.items()):
                    if now - start > self.timeout:
                        proc.kill()
                        proc.join(5)
                        conn.close()
                        del running[conn]
                        yield Outcome(job, error=(
                            f"Lesingen tok mer enn {self.timeout:g} sekunder og ble stoppet "
                            "(ingest.timeout_seconds i hearing.toml)."), seconds=now - start)
        finally:
            for conn, (proc, _job, _start) in running.items():
                proc.kill()
                proc.join(5)
                conn.close()
