"""Train, cross-validate and save a model; evaluate a model on annotated data."""
from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from .batches import default_workers
from .corpus import check_record, corpus_hash, read_records, response_of
from .embeddings import backend_spec, make_embedder
from .features import prepare
from .metrics import HEADLINE, score_all
from .model import HearingModel, Params
from .rules import RuleClassifier

CV_FOLDS = 5
FEATURES_TEXT = ("TF-IDF over lemma 1–2-gram (nynorske grunnformer lest i bokmålsform, 921 ord, så begge "
                 "målformer mater de samme trekkene) og tegn-3–5-gram (innenfor ord), binære signaler fra språkanalysen "
                 "(taksonomitreff per etikett, tiltaks- og holdningssignaler med nektelse, frister, beløp, aktører, "
                 "form), og overskrift/innledning som kontekst. Kalibrert logistisk regresjon (én per innsatsområde "
                 "og tema, multinomisk for nivå og holdning) over trekkene skalert med hvor skarpt hvert trekk skiller "
                 "etiketten i treningsdata (naiv Bayes-forhold, |log-forhold|^2,5 for innsatsområder og temaer, "
                 "^2 for nivå og holdning), i snitt med et lite nevralt nett (64 skjulte noder) "
                 "som lærer alle fire etikettslag samtidig; felles terskel 0,35 for innsatsområder og temaer, "
                 "valgt ved kryssvalidering på treningsdata. Innsatsområder og temaer leses i lys av resten av "
                 "høringssvaret: sannsynlighetene flyttes 0,3 av avstanden mellom snittet for svarets øvrige "
                 "innspill og forekomsten i treningsdata. Nivåsannsynlighetene tilpasses fordelingen av nivåer i "
                 "hver bunke som klassifiseres (EM, krympet mot treningsfordelingen med vekt 100 innspill).")
USAGE = ("`hearing analyze` i et arbeidsområde, `hearing classify FIL.jsonl`, eller "
         "`hearing_analysis.classify_texts([...])`. Lav sikkerhet gir `needs_review`.")


@dataclass
class TrainResult:
    model: HearingModel
    card: dict
    folder: Path | None


def _prepare_records(records: list[dict], taxonomy: str, embedder=None):
    return prepare([r["text"] for r in records], [r.get("heading", "") for r in records],
                   [r.get("lead", "") for r in records], [r.get("language") or None for r in records],
                   taxonomy=taxonomy, embedder=embedder, responses=[response_of(r) for r in records])


def _with_baseline(scores: dict, baseline: dict) -> dict:
    return {**scores, "baseline": {k: baseline[k] for k in HEADLINE}}


def train(corpus: str | Path = "corpus", backend: str = "tfidf", taxonomy: str = DEFAULT_TAXONOMY, seed: int = 0,
          output: str | Path | None = None, embedding_model: str | Path | None = None, cross_validate: bool = True,
          test: str | Path | None = None, name: str | None = None, params: Params | None = None,
          progress=None, extra_records: list[dict] | None = None, extra_source: dict | None = None) -> TrainResult:
    """Train on a corpus (its ``train.jsonl``), cross-validate by response, score the held-out test split, save.

    ``extra_records`` (corpus-format records, e.g. reviewed comments of a workspace) are added to the
    training data; ``extra_source`` describes where they came from for the model card (no personal data).
    """
    say = progress or (lambda msg: None)
    tax = load_taxonomy(taxonomy)
    records = read_records(corpus, tax.focus_codes, tax.theme_codes)
    n_corpus = len(records)
    for rec in extra_records or []:
        check_record(rec, "vurderte innspill", tax.focus_codes, tax.theme_codes)
    records += list(extra_records or [])
    spec = backend_spec(backend, embedding_model)
    embedder = make_embedder(spec)
    say(f"Forbereder {len(records)} innspill (språkanalyse{' og embeddinger' if embedder else ''}) …")
    prepared = _prepare_records(records, taxonomy, embedder)
    groups = [response_of(r) or r["id"] for r in records]
    card: dict = {"name": name or (Path(output).name if output else backend), "backend": backend,
                  "embedding": spec, "taxonomy": tax.name, "taxonomy_sha256": tax.sha256, "seed": seed,
                  "corpus": str(corpus), "corpus_sha256": corpus_hash(corpus), "n_train": len(records),
                  "created": dt.date.today().isoformat(), "features": FEATURES_TEXT, "usage": USAGE}
    if extra_records:
        card["n_corpus"] = n_corpus
        card["reviews"] = {**(extra_source or {}), "n": len(records) - n_corpus}
    rules = RuleClassifier(tax.focus_codes, tax.theme_codes)
    if cross_validate:
        say(f"Kryssvaliderer ({CV_FOLDS} deler, gruppert etter høringssvar) …")
        pred = _cross_validate(tax, params, seed, spec, prepared, records, groups, say)
        card["cv"] = _with_baseline(score_all(records, pred, tax.focus_codes, tax.theme_codes),
                                    score_all(records, rules.predict(prepared), tax.focus_codes, tax.theme_codes))
    say("Trener endelig modell på hele treningsdelen …")
    start = time.perf_counter()
    model = HearingModel(tax.focus_codes, tax.theme_codes, params, seed, spec).fit(prepared, records, groups,
                                                                                  n_jobs=default_workers())
    card["train_seconds"] = round(time.perf_counter() - start, 1)
    test_path = Path(test) if test else (Path(corpus) / "test.jsonl" if Path(corpus).is_dir() else None)
    if test_path is not None and test_path.is_file():
        say(f"Måler på den holdt-ute testdelen {test_path} …")
        gold = read_records(test_path, tax.focus_codes, tax.theme_codes)
        prep_test = _prepare_records(gold, taxonomy, embedder)
        card["test"] = _with_baseline(score_all(gold, model.predict(prep_test), tax.focus_codes, tax.theme_codes),
                                      score_all(gold, rules.predict(prep_test), tax.focus_codes, tax.theme_codes))
        card["test"]["file"] = str(test_path)
    folder = None
    if output is not None:
        from .io import save_model

        folder = save_model(model, card, output)
    return TrainResult(model, card, folder)


_FOLD: dict = {}  # what the cross-validation folds read (inherited by forked workers)


def _fold(split) -> tuple:
    tr, te = split
    s = _FOLD
    m = HearingModel(s["tax"].focus_codes, s["tax"].theme_codes, s["params"], s["seed"], s["spec"])
    m.fit(s["prepared"].subset(tr), [s["records"][i] for i in tr], [s["groups"][i] for i in tr], n_jobs=s["n_jobs"])
    return te, m.predict(s["prepared"].subset(te))


def _cross_validate(tax, params, seed, spec, prepared, records: list[dict], groups: list[str], say) -> list:
    """Out-of-fold labels for every record (grouped folds), two folds at a time where there are two cores."""
    import contextlib
    import multiprocessing as mp

    from sklearn.model_selection import GroupKFold

    splits = list(GroupKFold(n_splits=CV_FOLDS).split(records, groups=groups))
    # fork shares the prepared features; torch-backed embedders are kept out of forked children
    parallel = default_workers() > 1 and "fork" in mp.get_all_start_methods() and \
        (spec or {}).get("kind") != "sentence-transformers"
    pred: list = [None] * len(records)
    # folds side by side in processes, or one at a time with the fits of each fold side by side in threads
    _FOLD.update(tax=tax, params=params, seed=seed, spec=spec, prepared=prepared, records=records, groups=groups,
                 n_jobs=1 if parallel else default_workers())
    try:
        with mp.get_context("fork").Pool(default_workers()) if parallel else contextlib.nullcontext() as pool:
            for k, (te, labels) in enumerate(pool.imap_unordered(_fold, splits) if parallel else map(_fold, splits), 1):
                for i, lab in zip(te, labels):
                    pred[i] = lab
                say(f"  del {k}/{CV_FOLDS} ferdig")
    finally:
        _FOLD.clear()
    return pred


def evaluate(gold: str | Path, model_dir: str | Path | None = None, out_dir: str | Path | None = None,
             taxonomy: str | None = None) -> dict:
    """Score a model and the rule baseline on annotated comments; write report.md and report.json to ``out_dir``."""
    from .io import load_model

    model = load_model(model_dir)
    tax = load_taxonomy(taxonomy or model.card_.get("taxonomy", DEFAULT_TAXONOMY))
    records = read_records(gold, tax.focus_codes, tax.theme_codes)
    embedder = make_embedder(model.embedding)
    prepared = _prepare_records(records, tax.name if taxonomy is None else taxonomy, embedder)
    rules = RuleClassifier(tax.focus_codes, tax.theme_codes)
    report = {"gold": str(gold), "model": model.card_.get("name"), "n": len(records),
              "model_scores": score_all(records, model.predict(prepared), tax.focus_codes, tax.theme_codes),
              "baseline_scores": score_all(records, rules.predict(prepared), tax.focus_codes, tax.theme_codes)}
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (out / "report.md").write_text(render_report(report), encoding="utf-8")
    return report


def render_report(report: dict) -> str:
    m, b = report["model_scores"], report["baseline_scores"]
    lines = [f"# Evaluering: {report['model']} på {report['gold']} ({report['n']} innspill)", "",
             "| mål | modell | regelbasert |", "|---|---|---|"]
    for key, label in HEADLINE.items():
        lines.append(f"| {label} | {m[key]:.3f} | {b[key]:.3f} |")
    for kind in ("focus_areas", "themes"):
        lines.append(f"| {kind}, makro-F1 | {m[kind]['macro_f1']:.3f} | {b[kind]['macro_f1']:.3f} |")
    lines += ["", "## Per etikett (modell)", "", "| etikett | presisjon | treff | F1 | antall |", "|---|---|---|---|---|"]
    for label, s in m["per_label"].items():
        lines.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    for kind in ("level", "stance"):
        conf = m[kind]["confusion"]
        classes = list(conf)
        lines += ["", f"## Forvekslingsmatrise, {kind} (rad: fasit, kolonne: modell)", "",
                  "| | " + " | ".join(classes) + " |", "|---" * (len(classes) + 1) + "|"]
        for g in classes:
            lines.append(f"| {g} | " + " | ".join(str(conf[g][p]) for p in classes) + " |")
    return "\n".join(lines) + "\n"

