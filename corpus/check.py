"""Validate annotated corpus files and print label counts.

Usage: python corpus/check.py [FILE.jsonl ...]   (default: corpus/raw/*.jsonl)
Exits non-zero when a record breaks the scheme of labels.md.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

FOCUS = {"naering", "by_region", "klima_miljo", "transport"}
THEMES = {"sirkular", "gronn_transport", "kraft", "oslofjorden", "profilering"}
LEVELS = {"strategisk", "tiltak", "prosess"}
STANCES = {"stotte", "innvending", "noytral"}
LANGS = {"nb", "nn", "en", "other"}
TYPES = {"kommune", "fylkeskommune", "regionraad", "stat", "organisasjon", "naeringsliv", "privat", "annet"}
REQUIRED = ["id", "response_id", "respondent", "respondent_type", "consultation", "heading",
            "text", "focus_areas", "themes", "level", "stance", "language"]


def check(paths: list[Path]) -> int:
    errors: list[str] = []
    counts: dict[str, Counter] = {k: Counter() for k in ("focus", "themes", "level", "stance", "language", "type", "n_focus", "n_themes")}
    ids: set[str] = set()
    responses: set[str] = set()
    consultations: Counter = Counter()
    lengths: list[int] = []
    for path in paths:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON ({e})")
                continue
            missing = [k for k in REQUIRED if k not in r]
            if missing:
                errors.append(f"{where}: missing {missing}")
                continue
            if r["id"] in ids:
                errors.append(f"{where}: duplicate id {r['id']}")
            ids.add(r["id"])
            if not r["id"].startswith(r["response_id"] + "#"):
                errors.append(f"{where}: id must be '<response_id>#<n>'")
            bad = [f for f in r["focus_areas"] if f not in FOCUS] + [t for t in r["themes"] if t not in THEMES]
            if bad:
                errors.append(f"{where}: unknown focus/theme codes {bad}")
            for key, allowed in (("level", LEVELS), ("stance", STANCES), ("language", LANGS), ("respondent_type", TYPES)):
                if r[key] not in allowed:
                    errors.append(f"{where}: {key}={r[key]!r} not in {sorted(allowed)}")
            if not r["text"].strip():
                errors.append(f"{where}: empty text")
            responses.add(r["response_id"])
            consultations[r["consultation"]] += 1
            lengths.append(len(r["text"].split()))
            counts["focus"].update(r["focus_areas"])
            counts["themes"].update(r["themes"])
            counts["level"][r["level"]] += 1
            counts["stance"][r["stance"]] += 1
            counts["language"][r["language"]] += 1
            counts["type"][r["respondent_type"]] += 1
            counts["n_focus"][len(r["focus_areas"])] += 1
            counts["n_themes"][len(r["themes"])] += 1
    n = len(ids)
    print(f"{n} comments, {len(responses)} responses, {len(consultations)} consultations")
    for key, c in counts.items():
        print(f"  {key:9s} " + ", ".join(f"{k}={v}" for k, v in sorted(c.items(), key=lambda kv: str(kv[0]))))
    if lengths:
        lengths.sort()
        print(f"  words     min={lengths[0]} median={lengths[len(lengths)//2]} max={lengths[-1]}")
    for e in errors[:50]:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or sorted(Path(__file__).parent.glob("raw/*.jsonl"))
    sys.exit(check(args))
