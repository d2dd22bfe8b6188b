"""Report benchmark: segment + analyze + report on the 200-response inbox of the ingestion benchmark.

Builds the same inbox as ``ingest_bench.py`` (text PDFs, 3–20 pages each), ingests it (not timed
here; see ``ingest_bench.py``), then times, in one fresh process, `segment`, `analyze` with the
default model and `report` (DOCX + HTML + Markdown), and prints wall time per step and the peak RSS.
Goal: under 60 s and under 1.5 GiB in total on the reference machine (2 cores).

Run: ``.venv/bin/python bench/report_bench.py [--responses 200]`` (part of ``make bench``).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest_bench import build_inbox  # noqa: E402

STEPS = r"""
import json, resource, sys, time
from hearing_analysis import Workspace
from hearing_analysis.report import write_report
ws = Workspace.open(sys.argv[1])
times = {}
t = time.perf_counter(); seg = ws.segment(); times["segment"] = time.perf_counter() - t
t = time.perf_counter(); ana = ws.analyze(); times["analyze"] = time.perf_counter() - t
t = time.perf_counter(); rep = write_report(ws, ("docx", "html", "md")); times["report"] = time.perf_counter() - t
print(json.dumps({"times": times, "comments": seg.comments, "classified": ana.comments, "measures": rep.measures,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--responses", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="copy the finished workspace here (for profiling)")
    args = ap.parse_args()
    from hearing_analysis import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        pages = build_inbox(inbox, args.responses)
        ws = Workspace.create(Path(tmp) / "ws", title="Benchmark", deadline="2024-05-29")
        ws.ingest([inbox], received="2024-05-20")
        ws.close()
        res = subprocess.run([sys.executable, "-c", STEPS, str(Path(tmp) / "ws")], capture_output=True, text=True,
                             check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        if args.keep:
            import shutil

            shutil.copytree(Path(tmp) / "ws", args.keep, dirs_exist_ok=True)
        total = sum(r["times"].values())
        print(f"{args.responses} responses, {pages} pages, {r['comments']} comments, {r['measures']} measures")
        for step, secs in r["times"].items():
            print(f"  {step:8s} {secs:6.1f} s")
        print(f"  total    {total:6.1f} s   (goal < 60 s)")
        print(f"  peak RSS {r['rss_mib']:6.0f} MiB (goal < 1536 MiB)")


if __name__ == "__main__":
    main()
