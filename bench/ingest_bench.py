"""Ingestion benchmark: pages per second, peak memory, and pdftotext as the reference.

Builds inboxes of text PDFs (3–20 pages each, with letterhead, running header,
footer and page numbers; text drawn from our annotated corpus), ingests them into
a fresh workspace with the configured workers (2), and prints:

- wall time and pages per second for our ingestion;
- the same PDFs through poppler's ``pdftotext`` (one process after another),
  and the ratio of our wall time per page to pdftotext's;
- peak RSS of the main process and of the largest worker, for a small and a full
  inbox, to show memory does not grow with the inbox;
- start-up time of ``hearing --help`` and ``hearing status``.

Run: ``make bench`` or ``.venv/bin/python bench/ingest_bench.py [--responses 200]``.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_paragraphs() -> list[str]:
    """The corpus's comment texts (``corpus/raw``; the split and ``annotations/`` hold the same comments)."""
    paras = []
    for f in sorted((ROOT / "corpus" / "raw").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                paras.append(json.loads(line)["text"])
    if not paras:
        paras = ["Kommunen støtter hovedretningen i strategien og ber om at transport prioriteres."] * 50
    return paras


def build_inbox(folder: Path, n: int, seed: int = 7) -> int:
    """Write n PDFs; return the number of pages."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    font = "Helvetica"
    ttf = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if ttf.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(ttf)))
        font = "DejaVu"
    rng = random.Random(seed)
    paras = corpus_paragraphs()
    kommuner = ["Asker", "Råde", "Lørenskog", "Nittedal", "Ringsaker", "Nesodden", "Rollag", "Indre Østfold",
                "Moss", "Drammen", "Lier", "Bærum", "Lillestrøm", "Ullensaker", "Hole", "Modum"]
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    width, height = A4
    for i in range(n):
        name = f"{rng.choice(kommuner)} kommune"
        pages = rng.randint(3, 20)
        c = canvas.Canvas(str(folder / f"svar-{i:03d}.pdf"), pagesize=A4)
        for p in range(1, pages + 1):
            y = height - 60
            c.setFont(font, 9)
            c.drawString(60, height - 40, f"{name} – høringsuttalelse nr. {i}" if p > 1 else name)
            if p == 1:
                c.drawString(60, height - 54, f"{name}, {rng.randint(1, 28)}. mai 2024")
                y -= 30
            c.setFont(font, 10.5)
            while y > 90:
                for line in textwrap.wrap(rng.choice(paras), 95):
                    if y <= 90:
                        break
                    c.drawString(60, y, line)
                    y -= 14
                y -= 10
            c.setFont(font, 9)
            c.drawString(width / 2 - 25, 40, f"Side {p} av {pages}")
            c.showPage()
        c.save()
        total += pages
    return total


def ingest(inbox: Path, workdir: Path) -> tuple[float, dict]:
    """Ingest in a child process so its peak RSS is its own; return wall time and the child's report."""
    code = textwrap.dedent(f"""
        import json, resource, time
        from hearing_analysis import Workspace
        ws = Workspace.create({str(workdir)!r})
        t = time.perf_counter()
        r = ws.ingest([{str(inbox)!r}], received="2024-05-29")
        wall = time.perf_counter() - t
        print(json.dumps({{"wall": wall, "added": len(r.added), "failed": len(r.failed),
            "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    rep = json.loads(out.strip().splitlines()[-1])
    return rep["wall"], rep


def pdftotext_wall(inbox: Path) -> float | None:
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    t = time.perf_counter()
    for f in sorted(inbox.glob("*.pdf")):
        subprocess.run([exe, "-q", str(f), "-"], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def startup(args: list[str], cwd: Path) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hearing_analysis", *args], cwd=cwd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--responses", type=int, default=200)
    ap.add_argument("--small", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        for label, n in (("small", args.small), ("full", args.responses)):
            inbox = tmp / f"inbox-{n}"
            t = time.perf_counter()
            pages = build_inbox(inbox, n)
            built = time.perf_counter() - t
            wall, rep = ingest(inbox, tmp / f"ws-{n}")
            ref = pdftotext_wall(inbox)
            results[label] = {**rep, "responses": n, "pages": pages, "ref": ref}
            print(f"[{label}] {n} svar, {pages} sider (bygget på {built:.1f} s)")
            print(f"  hearing ingest: {wall:.1f} s, {pages / wall:.0f} sider/s, lest {rep['added']}, feilet {rep['failed']}")
            if ref:
                print(f"  pdftotext (én prosess): {ref:.1f} s, {pages / ref:.0f} sider/s; "
                      f"forhold (vår tid per side / pdftotext): {wall / ref:.2f}×")
            print(f"  topp-RSS: hovedprosess {rep['rss_main_mb']:.0f} MiB, største arbeider {rep['rss_worker_mb']:.0f} MiB")
        ws = tmp / "ws-start"
        subprocess.run([sys.executable, "-m", "hearing_analysis", "init", str(ws)], capture_output=True, check=True)
        print(f"oppstart: hearing --help {startup(['--help'], tmp):.2f} s, hearing status {startup(['status'], ws):.2f} s")
        grow = results["full"]["rss_main_mb"] / max(results["small"]["rss_main_mb"], 1)
        print(f"minnevekst fra {args.small} til {args.responses} svar: {grow:.2f}×")


if __name__ == "__main__":
    main()
