"""Agreement between the corpus's annotators, and a check that the split holds their majority.

The labels each annotator gave are kept in ``annotations/``:

- ``first.jsonl``: the first annotation of every comment (after the earlier review passes);
- ``test-blind-a.jsonl``, ``test-blind-b.jsonl``: two blind annotators on the whole test split;
- ``train-blind.jsonl``: one blind annotator on the whole training split;
- ``train-tiebreak.jsonl``: a third blind annotator on the training comments where the first two
  disagreed on anything.

The labels in ``raw/`` are the majority of three, code by code for focus areas and themes, and
value by value for level and stance (the first annotation stands when all three differ). On the
training split a label the first two agree on needs no third vote. Agreement is scored with the
same metrics as the models (micro-F1 for focus areas and themes, macro-F1 for level and stance),
so the rows read as a ceiling for them.

It reads ``train.jsonl`` and ``test.jsonl`` (``make_split.py --check`` ties them to ``raw/``).

Usage: python corpus/agreement.py [--check]   (--check: exit 1 if the split is not the majority)
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))

from hearing_analysis.classify.metrics import score_all  # noqa: E402
from hearing_analysis.records import Labels  # noqa: E402
from hearing_analysis.taxonomy import load_taxonomy  # noqa: E402

KINDS = ("focus_areas", "themes", "level", "stance")
SCORES = ("focus_areas_micro_f1", "themes_micro_f1", "level_macro_f1", "stance_macro_f1")


def read(name: str) -> dict[str, dict]:
    rows = (json.loads(line) for line in (HERE / "annotations" / name).read_text(encoding="utf-8").splitlines())
    return {r["id"]: r for r in rows}


def majority(votes: list[dict], codes: dict[str, list[str]]) -> dict:
    """Majority of two or three annotations of one comment: a label two of them give."""
    out = {}
    for kind in ("focus_areas", "themes"):
        count = Counter(c for v in votes for c in set(v[kind]))
        out[kind] = [c for c in codes[kind] if count[c] >= 2]
    for kind in ("level", "stance"):
        value, n = Counter(v[kind] for v in votes).most_common(1)[0]
        out[kind] = value if n >= 2 else votes[0][kind]
    return out


def agreement(a: dict, b: dict, ids: list[str], codes: dict[str, list[str]]) -> list[float]:
    pred = [Labels(tuple(b[i]["focus_areas"]), tuple(b[i]["themes"]), b[i]["level"], b[i]["stance"], "")
            for i in ids]
    scores = score_all([a[i] for i in ids], pred, codes["focus_areas"], codes["themes"])
    return [scores[k] for k in SCORES]


def main() -> int:
    tax = load_taxonomy("osloregionen-2025-2028")
    codes = {"focus_areas": tax.focus_codes, "themes": tax.theme_codes}
    first, test_a, test_b = read("first.jsonl"), read("test-blind-a.jsonl"), read("test-blind-b.jsonl")
    train_b, tiebreak = read("train-blind.jsonl"), read("train-tiebreak.jsonl")
    current, split_ids = {}, {}
    for split in ("train", "test"):
        rows = [json.loads(line) for line in (HERE / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        current.update((r["id"], r) for r in rows)
        split_ids[split] = {r["id"] for r in rows}
    test_ids, train_ids, tb_ids = sorted(test_a), sorted(train_b), sorted(tiebreak)
    disputed = {i for i in train_ids if i in first and not same(first[i], train_b[i])}
    gaps = [("first.jsonl", set(current), set(first)), ("test-blind-a.jsonl", split_ids["test"], set(test_a)),
            ("test-blind-b.jsonl", split_ids["test"], set(test_b)), ("train-blind.jsonl", split_ids["train"], set(train_b)),
            ("train-tiebreak.jsonl (the disputed comments)", disputed, set(tiebreak))]
    problems = [f"{name}: {len(want - have)} missing, {len(have - want)} not expected"
                for name, want, have in gaps if want != have]
    if problems:
        print("The annotations do not cover the split:\n  " + "\n  ".join(problems))
        return 1

    print("| pair | comments | focus µF1 | themes µF1 | level mF1 | stance mF1 |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = [("test: first – blind a", first, test_a, test_ids), ("test: first – blind b", first, test_b, test_ids),
            ("test: blind a – blind b", test_a, test_b, test_ids),
            ("train: first – blind", first, train_b, train_ids),
            ("train, disputed: first – tie-breaker", first, tiebreak, tb_ids),
            ("train, disputed: blind – tie-breaker", train_b, tiebreak, tb_ids)]
    for name, a, b, ids in rows:
        print(f"| {name} | {len(ids)} | " + " | ".join(f"{x:.3f}" for x in agreement(a, b, ids, codes)) + " |")

    wrong = []
    for i in test_ids:
        if not same(majority([first[i], test_a[i], test_b[i]], codes), current[i]):
            wrong.append(i)
    for i in train_ids:
        votes = [first[i], train_b[i]] + ([tiebreak[i]] if i in tiebreak else [])
        if not same(majority(votes, codes), current[i]):
            wrong.append(i)
    print(f"\nThe split holds the annotators' majority for {len(current) - len(wrong)} of {len(current)} comments.")
    for i in wrong[:10]:
        print(f"  differs: {i}")
    return 1 if wrong and "--check" in sys.argv else 0


def same(a: dict, b: dict) -> bool:
    return all((set(a[k]) == set(b[k])) if isinstance(a[k], list) else a[k] == b[k] for k in KINDS)


if __name__ == "__main__":
    sys.exit(main())
