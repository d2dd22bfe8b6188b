"""Precision, recall and F1 per label, micro and macro F1, confusion matrices.

Written out in plain counting so a test can check them against a hand-worked example.
"""
from __future__ import annotations

from ..records import LEVELS, STANCES

# the four figures the targets are set on, with their names in reports, in the order reports print them
HEADLINE = {"focus_areas_micro_f1": "innsatsområder, mikro-F1", "themes_micro_f1": "temaer, mikro-F1",
            "level_macro_f1": "nivå, makro-F1", "stance_macro_f1": "holdning, makro-F1"}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_scores(gold: list[set[str]], pred: list[set[str]], codes: list[str]) -> dict:
    """Per-label P/R/F1 and micro/macro F1 for a multi-label field (empty sets allowed)."""
    per = {}
    TP = FP = FN = 0
    for c in codes:
        tp = sum(1 for g, p in zip(gold, pred) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, pred) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, pred) if c in g and c not in p)
        P, R, F = _prf(tp, fp, fn)
        per[c] = {"precision": round(P, 4), "recall": round(R, 4), "f1": round(F, 4), "support": tp + fn}
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    micro = _prf(TP, FP, FN)[2]
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    exact = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"per_label": per, "micro_f1": round(micro, 4), "macro_f1": round(macro, 4), "exact_match": round(exact, 4)}


def single_label_scores(gold: list[str], pred: list[str], classes: tuple[str, ...]) -> dict:
    """Per-class P/R/F1, macro F1, accuracy and the confusion matrix (rows gold, columns predicted)."""
    per = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        P, R, F = _prf(tp, fp, fn)
        per[c] = {"precision": round(P, 4), "recall": round(R, 4), "f1": round(F, 4), "support": tp + fn}
    macro = sum(v["f1"] for v in per.values()) / len(per)
    accuracy = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred) if a == g and b == p) for p in classes} for g in classes}
    return {"per_label": per, "macro_f1": round(macro, 4), "accuracy": round(accuracy, 4), "confusion": confusion}


def score_all(gold: list[dict], pred: list, focus_codes: list[str], theme_codes: list[str]) -> dict:
    """All four label kinds of labels.md; ``pred`` holds Labels objects."""
    out = {"n": len(gold)}
    for kind, codes in (("focus_areas", focus_codes), ("themes", theme_codes)):
        res = multilabel_scores([set(g[kind]) for g in gold], [set(getattr(p, kind)) for p in pred], codes)
        out[kind] = res
        out[f"{kind}_micro_f1"] = res["micro_f1"]
    for kind, classes in (("level", LEVELS), ("stance", STANCES)):
        res = single_label_scores([g[kind] for g in gold], [getattr(p, kind) for p in pred], classes)
        out[kind] = res
        out[f"{kind}_macro_f1"] = res["macro_f1"]
    out["per_label"] = {**{f"focus:{k}": v for k, v in out["focus_areas"]["per_label"].items()},
                        **{f"theme:{k}": v for k, v in out["themes"]["per_label"].items()},
                        **{f"level:{k}": v for k, v in out["level"]["per_label"].items()},
                        **{f"stance:{k}": v for k, v in out["stance"]["per_label"].items()}}
    return out
