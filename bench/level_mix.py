"""Level macro-F1 when a batch has the real mix of levels, with and without adapting to the batch.

The corpus has more ``tiltak`` (two fifths) than real consultations (about a
quarter, with half ``strategisk`` and a fifth ``prosess``; corpus guide), so
the test split alone says little about that shift. This draws batches of the
held-out test comments with the real mix (and with the test split's own mix),
classifies each batch with the model's level adaptation on and off, and prints
the mean level macro-F1. Run: ``.venv/bin/python bench/level_mix.py [--model DIR]``
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REAL = {"strategisk": 0.50, "tiltak": 0.25, "prosess": 0.20}  # corpus guide, "What real data looks like"


def main() -> None:
    from hearing_analysis.classify import load_model, predict_labels
    from hearing_analysis.classify.corpus import read_records, response_of
    from hearing_analysis.classify.metrics import single_label_scores

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--batch", type=int, default=400)
    ap.add_argument("--draws", type=int, default=200)
    args = ap.parse_args()
    model = load_model(args.model)
    shrink = model.params.level_prior_shrinkage
    model.params.level_prior_shrinkage = 0  # the model's own probabilities, adapted per batch below
    records = read_records(ROOT / "corpus" / "test.jsonl")
    labels = predict_labels(model, [r["text"] for r in records], [r.get("heading", "") for r in records],
                            None, [r.get("language") for r in records],
                            responses=[response_of(r) for r in records])
    codes = model.heads_["level"][1]
    P = np.array([[lab.scores["level"][c] for c in codes] for lab in labels])
    gold = np.array([codes.index(r["level"]) for r in records])
    model.params.level_prior_shrinkage = shrink or 100
    own = np.bincount(gold, minlength=len(codes)) / len(gold)
    rng = np.random.default_rng(0)

    def macro_f1(gold_idx, pred_idx) -> float:
        return single_label_scores([codes[k] for k in gold_idx], [codes[k] for k in pred_idx], tuple(codes))["macro_f1"]

    print(f"{args.draws} batches of {args.batch} test comments; shrinkage {model.params.level_prior_shrinkage}")
    for name, mix in (("test split's own mix", own), ("real mix (corpus guide)", np.array([REAL[c] for c in codes]))):
        mix = mix / mix.sum()
        plain, adapted = [], []
        for _ in range(args.draws):
            counts = rng.multinomial(args.batch, mix)
            idx = np.concatenate([rng.choice(np.flatnonzero(gold == k), n, replace=True) for k, n in enumerate(counts)])
            Q = model._with_batch_levels({"level": (P[idx], codes)})["level"][0]
            plain.append(macro_f1(gold[idx], P[idx].argmax(axis=1)))
            adapted.append(macro_f1(gold[idx], Q.argmax(axis=1)))
        shares = " / ".join(f"{c} {m:.2f}" for c, m in zip(codes, mix))
        print(f"{name} ({shares}): level macro-F1 {np.mean(plain):.3f} without adaptation, "
              f"{np.mean(adapted):.3f} with")


if __name__ == "__main__":
    main()
