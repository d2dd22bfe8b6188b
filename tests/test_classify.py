"""Classifiers: metrics by hand, training determinism, skops round trip, refusal of tampered models, CLI."""
import json
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold

from hearing_analysis.classify import RuleClassifier, load_model
from hearing_analysis.classify.corpus import CorpusError, corpus_hash, read_records
from hearing_analysis.classify.features import prepare
from hearing_analysis.classify.io import ModelError, ModelWarning, read_card, save_model
from hearing_analysis.classify.metrics import multilabel_scores, single_label_scores
from hearing_analysis.classify.model import HearingModel, Params, _probabilities

ROOT = Path(__file__).resolve().parents[1]
FOCUS = ["naering", "by_region", "klima_miljo", "transport"]
THEMES = ["sirkular", "gronn_transport", "kraft", "oslofjorden", "profilering"]
DEFAULT_MODEL = ROOT / "models" / "default"


def test_multilabel_metrics_hand_worked():
    gold = [{"a"}, {"a", "b"}, set(), {"b"}]
    pred = [{"a"}, {"a"}, {"b"}, {"b"}]
    s = multilabel_scores(gold, pred, ["a", "b"])
    # a: tp 2 fp 0 fn 0 -> F1 1.0; b: tp 1 fp 1 fn 1 -> P .5 R .5 F1 .5; micro: tp 3 fp 1 fn 1 -> .75
    assert s["per_label"]["a"]["f1"] == 1.0 and s["per_label"]["b"]["f1"] == 0.5
    assert s["micro_f1"] == 0.75 and s["macro_f1"] == 0.75 and s["exact_match"] == 0.5


def test_single_label_metrics_hand_worked():
    gold = ["tiltak", "tiltak", "strategisk", "prosess"]
    pred = ["tiltak", "strategisk", "strategisk", "strategisk"]
    s = single_label_scores(gold, pred, ("strategisk", "tiltak", "prosess"))
    # strategisk: tp1 fp2 fn0 -> P 1/3 R 1 F .5; tiltak: tp1 fp0 fn1 -> F 2/3; prosess: 0
    assert s["per_label"]["strategisk"]["f1"] == 0.5
    assert s["per_label"]["tiltak"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert s["macro_f1"] == pytest.approx((0.5 + 0.6667 + 0) / 3, abs=1e-3) and s["accuracy"] == 0.5
    assert s["confusion"]["tiltak"] == {"strategisk": 1, "tiltak": 1, "prosess": 0}


def test_corpus_validation_names_the_comment(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"id": "asker-2024#3", "text": "x", "focus_areas": [], "themes": [], "level": "tiltak",
                             "stance": "positiv", "language": "nb"}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"`stance` må være en av stotte, innvending, noytral; fikk 'positiv' i innspill asker-2024#3"):
        read_records(f, FOCUS, THEMES)


@pytest.fixture(scope="module")
def small():
    records = read_records(ROOT / "corpus" / "train.jsonl", FOCUS, THEMES)[::6]
    prep = prepare([r["text"] for r in records], [r["heading"] for r in records], None,
                   [r["language"] for r in records])
    return records, prep


FAST = Params(calibration_folds=2, threshold_folds=2, max_char_features=5000)


def test_training_is_deterministic_and_predicts_valid_labels(small):
    records, prep = small
    groups = [r["response_id"] for r in records]
    a = HearingModel(FOCUS, THEMES, FAST, seed=3).fit(prep, records, groups)
    b = HearingModel(FOCUS, THEMES, FAST, seed=3).fit(prep, records, groups)
    pa, pb = a.predict(prep), b.predict(prep)
    assert [x.scores for x in pa] == [x.scores for x in pb]
    for lab in pa:
        assert set(lab.focus_areas) <= set(FOCUS) and set(lab.themes) <= set(THEMES)
        assert lab.level in ("strategisk", "tiltak", "prosess") and lab.stance in ("stotte", "innvending", "noytral")
        assert abs(sum(lab.scores["level"].values()) - 1) < 0.005  # rounded to three decimals
    # fitting the training data: far better than chance
    acc = np.mean([r["level"] == p.level for r, p in zip(records, pa)])
    assert acc > 0.8


FIRST_FIT = """
import sys
import numpy as np
from hearing_analysis.classify.corpus import read_records
from hearing_analysis.classify.features import prepare
from hearing_analysis.classify.model import HearingModel, Params
focus, themes = sys.argv[2].split(","), sys.argv[3].split(",")
records = read_records(sys.argv[1], focus, themes)[::12]
prep = prepare([r["text"] for r in records], [r["heading"] for r in records], None, [r["language"] for r in records])
params = Params(threshold_folds=2, max_char_features=5000, mlp_hidden=0)
fits = [HearingModel(focus, themes, params).fit(prep, records, [r["response_id"] for r in records]) for _ in range(2)]
coefs = [np.concatenate([f.heads_["level"][0].coef_.ravel(), f.heads_["stance"][0].coef_.ravel()]
                        + [h["estimator"].coef_.ravel() for h in f.heads_["focus_areas"][0]]) for f in fits]
print(float(np.abs(coefs[0] - coefs[1]).max()))
"""


def test_first_fit_in_a_process_equals_later_ones():
    """The first fit in a fresh interpreter must use one BLAS/OpenMP thread like every later one (the
    libraries are loaded before the thread limit is set), or `hearing train --no-cv` would not reproduce."""
    out = subprocess.run([sys.executable, "-c", FIRST_FIT, str(ROOT / "corpus" / "train.jsonl"), ",".join(FOCUS),
                          ",".join(THEMES)], capture_output=True, text=True, check=True)
    assert float(out.stdout.split()[-1]) == 0.0, out.stdout + out.stderr


def test_skops_round_trip_and_tamper_refusal(small, tmp_path):
    records, prep = small
    model = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    folder = save_model(model, {"name": "liten", "backend": "tfidf", "taxonomy": "osloregionen-2025-2028",
                                "corpus": "test", "corpus_sha256": "0" * 64, "n_train": len(records), "seed": 0,
                                "created": "2026-01-01", "features": "", "train_seconds": 1.0}, tmp_path / "m")
    assert not list(folder.glob("*.pkl"))
    loaded = load_model(folder)
    assert [x.scores for x in loaded.predict(prep)] == [x.scores for x in model.predict(prep)]
    assert loaded.prior_ == model.prior_ and loaded.params.context_weight == model.params.context_weight
    assert "# Modellkort: liten" in (folder / "card.md").read_text(encoding="utf-8")
    # a card whose taxonomy hash differs from the installed taxonomy: loads, with a warning that says what to do
    card = read_card(folder)
    card["taxonomy_sha256"] = "0" * 64
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.warns(ModelWarning, match=r"annen utgave av taksonomien osloregionen-2025-2028.*hearing train"):
        load_model(folder)
    from hearing_analysis.taxonomy import load_taxonomy

    card["taxonomy_sha256"] = load_taxonomy("osloregionen-2025-2028").sha256
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(folder)
    # a changed byte: refused by hash
    data = bytearray((folder / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "model.skops").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="endret"):
        load_model(folder)


def test_untrusted_type_refused_even_with_matching_hash(tmp_path):
    import skops.io as sio

    from hearing_analysis.classify.io import sha256_file

    folder = tmp_path / "evil"
    folder.mkdir()
    sio.dump({"x": Path("/etc/passwd")}, folder / "model.skops")  # a type outside sklearn/numpy/scipy
    (folder / "card.json").write_text(json.dumps({"model_sha256": sha256_file(folder / "model.skops")}))
    with pytest.raises(ModelError, match="ikke er til å stole på"):
        load_model(folder)


def test_missing_model_explains_what_to_do(tmp_path):
    with pytest.raises(ModelError, match="hearing train"):
        load_model(tmp_path / "nothing")


def test_rule_baseline(small):
    _, prep = small
    labels = RuleClassifier(FOCUS, THEMES).predict(prepare(
        ["Vi foreslår at Osloregionen etablerer et prosjekt for bedre kollektivtransport innen 2026.",
         "Vi støtter ikke forslaget om nye vindkraftverk.", "Vi takker for muligheten til å gi innspill."]))
    assert labels[0].level == "tiltak" and "transport" in labels[0].focus_areas
    assert labels[1].stance == "innvending" and "kraft" in labels[1].themes
    assert labels[2].level == "prosess"


def test_heading_dropout_hides_a_seeded_share_of_headings():
    from hearing_analysis.classify.features import Prepared

    prep = Prepared({"context": [f"h_overskrift{i}" for i in range(1000)]}, ["nb"] * 1000)
    hidden = HearingModel(FOCUS, THEMES, Params(heading_dropout=0.3), seed=0)._hide_headings(prep)
    again = HearingModel(FOCUS, THEMES, Params(heading_dropout=0.3), seed=0)._hide_headings(prep)
    share = hidden.columns["context"].count("h_none") / 1000
    assert 0.25 < share < 0.35 and hidden.columns == again.columns
    assert prep.columns["context"][0] == "h_overskrift0"  # the caller's columns are not changed
    assert HearingModel(FOCUS, THEMES, Params(heading_dropout=0), seed=0)._hide_headings(prep) is prep


def test_named_things_become_signals():
    cols = prepare(["Vi ber om at E39 Lyngdal–Sandnes tas ut av planen.", "Vi støtter strategien. Den er god.",
                    "Strategien bør løfte fram kollektivtransporten, jf. kapittel 3."]).columns["signals"]
    assert "name_2" in cols[0].split() and "name_3" not in cols[0].split()
    assert not any(t.startswith("name_") for t in cols[1].split() + cols[2].split())  # sentence starts are not names


@pytest.mark.skipif(not (DEFAULT_MODEL / "model.skops").is_file(), reason="ingen levert modell")
def test_shipped_model_matches_corpus_and_split():
    card = read_card(DEFAULT_MODEL)
    assert card["corpus_sha256"] == corpus_hash(ROOT / "corpus"), "modellen er trent på et annet korpus: kjør hearing train"
    check = subprocess.run([sys.executable, str(ROOT / "corpus" / "make_split.py"), "--check"], capture_output=True)
    assert check.returncode == 0, "corpus/train.jsonl og test.jsonl er utdatert: kjør python corpus/make_split.py"
    for key in ("focus_areas_micro_f1", "themes_micro_f1", "level_macro_f1", "stance_macro_f1"):
        assert card["test"][key] > card["test"]["baseline"][key]


@pytest.mark.skipif(not (DEFAULT_MODEL / "model.skops").is_file(), reason="ingen levert modell")
def test_classify_and_evaluate_cli(tmp_path):
    src = tmp_path / "in.jsonl"
    gold = read_records(ROOT / "corpus" / "test.jsonl")[:30]
    src.write_text("".join(json.dumps({"id": g["id"], "text": g["text"], "heading": g["heading"]},
                                      ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "hearing_analysis", *a], capture_output=True, text=True)
    p = run("classify", str(src), "-o", str(tmp_path / "out.jsonl"))
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [g["id"] for g in gold]
    assert {"focus_areas", "themes", "level", "stance", "language", "scores", "needs_review"} <= set(rows[0])
    # ids "<response>#<n>" are read response by response, as predict_labels does with responses=
    from hearing_analysis.classify import predict_labels
    from hearing_analysis.classify.corpus import response_of

    assert response_of({"id": "asker-kommune#4"}) == "asker-kommune" and response_of({"id": "x"}) is None
    assert response_of({"id": "a#1", "response_id": "b"}) == "b"
    model = load_model()
    args = ([g["text"] for g in gold], [g["heading"] for g in gold])
    grouped = predict_labels(model, *args, responses=[response_of(g) for g in gold])
    alone = predict_labels(model, *args)
    assert [r["scores"]["focus_areas"] for r in rows] == [x.scores["focus_areas"] for x in grouped]
    assert [r["scores"]["focus_areas"] for r in rows] != [x.scores["focus_areas"] for x in alone]
    p = run("classify", "--text", "Vi støtter forslaget om et nytt dobbeltspor.")
    assert p.returncode == 0 and json.loads(p.stdout)["stance"] in ("stotte", "noytral", "innvending")
    g = tmp_path / "gold.jsonl"
    g.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in gold), encoding="utf-8")
    p = run("evaluate", str(g), "-o", str(tmp_path / "ev"))
    assert p.returncode == 0, p.stderr
    report = json.loads((tmp_path / "ev" / "report.json").read_text(encoding="utf-8"))
    assert report["n"] == 30 and "confusion" in report["model_scores"]["level"]
    assert "Forvekslingsmatrise" in (tmp_path / "ev" / "report.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not (DEFAULT_MODEL / "model.skops").is_file(), reason="ingen levert modell")
def test_explain_shows_labels_and_the_features_behind_them():
    from hearing_analysis.nlp.explain import explain

    ex = explain("Vi foreslår at Osloregionen etablerer et nettverk for godstransport på jernbane innen 2026.",
                 model=load_model(DEFAULT_MODEL))
    assert ex.labels["level"] == "tiltak"
    reasons = ex.reasons["level:tiltak"]
    assert reasons and all(w > 0 for _, w in reasons)
    assert any(name.startswith("cue_") for name, _ in reasons)


def test_parallel_batches_match_one_process(monkeypatch):
    """Spreading analysis over forked workers gives the same labels, in the same order."""
    from hearing_analysis.classify import batches, load_model

    model = load_model()
    texts = ["Vi støtter målet om et flerkjernet Osloregionen.", "Høringsfristen er for kort.",
             "Vi foreslår at det etableres et godsknutepunkt på Alnabru innen 2027.",
             "Kommunen ber om at nettkapasiteten styrkes for nye næringsetableringer."] * 3
    chunks = [[{"text": t} for t in texts[i:i + 3]] for i in range(0, len(texts), 3)]
    one = [lab for b in batches.predict_batches(model, chunks, workers=1) for lab in b]
    monkeypatch.setattr(batches, "PARALLEL_FROM", 1)
    two = [lab for b in batches.predict_batches(model, chunks, workers=2) for lab in b]
    assert one == two and len(two) == len(texts)


def test_rare_label_in_one_response_is_calibrated_the_right_way_round():
    # all three positives come from one response, so every out-of-fold model that could score them saw none
    rng = np.random.default_rng(0)
    X = rng.random((200, 20))
    y = np.zeros(200, dtype=int)
    y[:3] = 1
    X[:3, 0] += 3.0  # the positives stand out on one feature
    groups = ["svar0"] * 10 + [f"svar{i}" for i in range(1, 191)]
    model = HearingModel(FOCUS, THEMES, Params(threshold_folds=5), seed=0)
    splits = list(GroupKFold(n_splits=5).split(X, groups=groups))
    head, _ = model._fit_label(X, y, splits)
    sigmoid = head["sigmoid"]
    assert sigmoid.coef_[0, 0] > 0  # higher scores mean more likely, never the reverse
    prob = sigmoid.predict_proba(head["estimator"].decision_function(X).reshape(-1, 1))[:, 1]
    assert prob[:3].min() > np.median(prob[3:])


def test_fits_in_threads_give_the_same_model(small):
    records, prep = small
    one = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    two = HearingModel(FOCUS, THEMES, FAST).fit(prep, records, n_jobs=2)
    assert one.heads_["focus_areas"][1] == two.heads_["focus_areas"][1] and one.thresholds_ == two.thresholds_
    assert one.predict(prep) == two.predict(prep)
    assert np.array_equal(one.mlp_["estimator"].coefs_[0], two.mlp_["estimator"].coefs_[0])


def test_network_is_averaged_in_and_saved_small(small):
    records, prep = small
    model = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    mlp = model.mlp_["estimator"]
    assert mlp.coefs_[0].dtype == np.float16 and mlp._optimizer is None and mlp._best_coefs is None
    assert {tuple(c) for c in model.mlp_["columns"]} >= {("level", "tiltak"), ("stance", "stotte"),
                                                        ("focus_areas", "transport")}
    X = model._matrix(prep)
    lr = {kind: (_probabilities(head, X), codes) for kind, (head, codes) in model.heads_.items()}
    model.params.mlp_weight = 0.0  # nothing from the network: exactly the regressions' probabilities
    same = model._with_mlp(lr, X)
    assert all(np.allclose(same[k][0], lr[k][0]) for k in lr)
    model.params.mlp_weight = 0.5
    mixed = model._with_mlp(lr, X)
    assert not np.allclose(mixed["focus_areas"][0], lr["focus_areas"][0])
    assert np.allclose(mixed["level"][0].sum(axis=1), 1.0) and np.allclose(mixed["stance"][0].sum(axis=1), 1.0)
    # the shared threshold decides focus areas and themes on the averaged probabilities
    assert set(model.thresholds_["themes"].values()) == {model.params.mlp_threshold}
    P, codes = mixed["focus_areas"]
    for i, lab in enumerate(model.predict(prep)):
        assert set(lab.focus_areas) == {c for j, c in enumerate(codes) if P[i, j] >= model.params.mlp_threshold}


def test_model_without_network_still_loads_and_predicts(small):
    records, prep = small
    old = HearingModel(FOCUS, THEMES, replace(FAST, mlp_hidden=0, level_prior_shrinkage=0, bokmal_lemmas=False)
                       ).fit(prep, records)
    state = old.to_state()
    state["format"] = 2  # as saved before the network was added
    del state["mlp"], state["params"], state["prior"]
    again = HearingModel.from_state(state)
    assert again.mlp_ is None
    assert [x.scores for x in again.predict(prep)] == [x.scores for x in old.predict(prep)]


def test_naive_bayes_scaling_is_folded_into_plain_regressions(small):
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    from hearing_analysis.classify.model import _nb_ratio

    # the ratio by hand: feature 0 in both positives and one negative, feature 1 in every comment alike,
    # feature 2 (signed, like an embedding) gets the median ratio of the others
    X = np.array([[1.0, 1.0, -0.5], [1.0, 1.0, 0.5], [1.0, 1.0, 0.2], [0.0, 1.0, 0.1]])
    y = np.array([1, 1, 0, 0])
    pos, neg = np.array([3.0, 3.0]), np.array([2.0, 3.0])  # add-one sums of the two unsigned features
    expected = np.abs(np.log((pos / pos.sum()) / (neg / neg.sum())))
    ratio = _nb_ratio(X, y)
    assert np.allclose(ratio[:2], expected) and ratio[2] == pytest.approx(np.median(expected))
    records, prep = small
    model = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    X = model._matrix(model._hide_headings(prep))  # what the model was fitted on
    # each head is a plain regression (what skops loads) that reads the unscaled features exactly as one fitted
    # on the scaled features reads those
    head = model.heads_["focus_areas"][0][0]["estimator"]
    assert type(head) is LogisticRegression
    y = np.array([int(FOCUS[0] in r["focus_areas"]) for r in records])
    scale = _nb_ratio(X, y) ** model.params.nb_scaling
    with threadpool_limits(1):  # as the model fits (BLAS threads change the last digits)
        scaled = clone(head).fit(X.multiply(scale).tocsr(), y)
    assert np.allclose(head.decision_function(X), scaled.decision_function(X.multiply(scale).tocsr()), atol=1e-4)
    level = model.heads_["level"][0]  # calibrated in FAST: the scale is folded into the calibrated estimator
    y = np.array([r["level"] for r in records])
    scale = np.max([_nb_ratio(X, (y == c).astype(int)) for c in np.unique(y)], axis=0) ** model.params.nb_scaling_single
    with threadpool_limits(1):
        scaled = clone(level).fit(X.multiply(scale).tocsr(), y)
    assert np.allclose(level.predict_proba(X), scaled.predict_proba(X.multiply(scale).tocsr()), atol=1e-4)
    # and the scaling changes the model: without it the coefficients differ
    plain = HearingModel(FOCUS, THEMES, replace(FAST, nb_scaling=0.0, nb_scaling_single=0.0)).fit(prep, records)
    assert not np.allclose(plain.heads_["focus_areas"][0][0]["estimator"].coef_, head.coef_)


def test_nynorsk_lemmas_are_read_in_bokmal(small):
    from hearing_analysis.classify.features import bokmal_lemmas

    assert bokmal_lemmas("vi vere ikkje samd i framlegg") == "vi være ikke enig i forslag"
    assert bokmal_lemmas("h_fråsegn htax_kraft h_vere", "h_") == "h_uttalelse htax_kraft h_være"
    assert bokmal_lemmas("rein same") == "rein same"  # two readings (clean/reindeer, same/Sami): left alone
    records, prep = small
    model = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    text = ["Vi er ikkje samde i framlegget om å byggje ut vasskrafta."]
    nn, nb = (model._frame(prepare(text, languages=[lang]))["lemmas"][0].split() for lang in ("nn", "nb"))
    assert "forslag" in nn and "framlegg" not in nn and "ikke" in nn
    assert "framlegg" in nb and "ikkje" in nb  # only comments read as nynorsk are mapped
    # a model saved before the mapping existed was fitted without it and keeps reading nynorsk as it is
    state = model.to_state()
    del state["params"]["bokmal_lemmas"]
    old = HearingModel.from_state(state)
    assert old.params.bokmal_lemmas is False and "framlegg" in old._frame(prepare(text, languages=["nn"]))["lemmas"][0]
    assert HearingModel.from_state(model.to_state()).params.bokmal_lemmas is True


def test_response_context_moves_focus_areas_towards_the_rest_of_the_response(small):
    records, prep = small
    model = HearingModel(FOCUS, THEMES, FAST).fit(prep, records)
    assert set(model.prior_["focus_areas"]) == set(FOCUS)
    assert all(0 < v < 1 for v in model.prior_["focus_areas"].values())
    texts = ["Vi ber om at E18 bygges ut med kollektivfelt fram til Asker.",
             "Jernbanen må få økt kapasitet, og busstilbudet må henge sammen med togtidene.",
             "Vi støtter satsingen på sykkelveier og gange i byene.",
             "Vi har også noen merknader til kapittel 4."]
    alone = model.predict(prepare(texts))
    apart = model.predict(prepare(texts, responses=["a", "b", "c", None]))
    together = model.predict(prepare(texts, responses=["svar"] * 4))
    assert [x.scores for x in apart] == [x.scores for x in alone]  # one comment per response: no context
    before, after = alone[3].scores["focus_areas"], together[3].scores["focus_areas"]
    others = np.mean([[x.scores["focus_areas"][c] for c in FOCUS] for x in alone[:3]], axis=0)
    for j, c in enumerate(FOCUS):
        expected = np.clip(before[c] + model.params.context_weight * (others[j] - model.prior_["focus_areas"][c]), 0, 1)
        assert after[c] == pytest.approx(expected, abs=0.003)
    assert after["transport"] > before["transport"]
    assert [x.scores["level"] for x in together] == [x.scores["level"] for x in alone]  # only focus areas/themes
    # a model saved before the context (format 3, no prior) reads every comment on its own
    state = model.to_state()
    state["format"] = 3
    del state["prior"]
    old = HearingModel.from_state(state)
    assert [x.scores["focus_areas"] for x in old.predict(prepare(texts, responses=["svar"] * 4))] == \
        [x.scores["focus_areas"] for x in alone]


def test_level_probabilities_adapt_to_the_batch_mix():
    model = HearingModel(FOCUS, THEMES, Params(level_prior_shrinkage=100))
    codes = ["prosess", "strategisk", "tiltak"]
    model.prior_ = {"level": dict(zip(codes, (0.25, 0.35, 0.40)))}
    adapt = lambda P: model._with_batch_levels({"level": (np.array(P, dtype=float), codes)})["level"][0]
    train_like = np.tile([0.25, 0.35, 0.40], (50, 1))
    assert np.allclose(adapt(train_like), train_like)  # a batch with the training mix is left alone
    # a batch that is mostly strategic: the undecided last comment tips to strategisk
    batch = [[0.05, 0.85, 0.10]] * 300 + [[0.05, 0.15, 0.80]] * 100 + [[0.10, 0.45, 0.45]]
    out = adapt(batch)
    assert np.allclose(out.sum(axis=1), 1.0)
    assert out[-1, 1] > out[-1, 2] and out[0, 1] > 0.85
    # one comment says little about a mix: shrunk almost all the way back to the training shares
    assert np.abs(adapt([[0.05, 0.85, 0.10]]) - [[0.05, 0.85, 0.10]]).max() < 0.01
    model.params.level_prior_shrinkage = 0
    assert np.abs(adapt([[0.05, 0.85, 0.10]]) - [[0.05, 0.85, 0.10]]).max() > 0.05


def test_cross_validation_in_two_processes_matches_one(tmp_path, monkeypatch):
    from hearing_analysis.classify import batches
    from hearing_analysis.classify.train import train

    records = read_records(ROOT / "corpus" / "train.jsonl", FOCUS, THEMES)[::10]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    small_params = replace(FAST, mlp_epochs=5)
    monkeypatch.setattr(batches, "default_workers", lambda: 1)
    one = train(path, params=small_params).card["cv"]
    monkeypatch.setattr(batches, "default_workers", lambda: 2)
    steps = []
    two = train(path, params=small_params, progress=steps.append).card["cv"]
    assert one == two
    assert sum(s.strip().startswith("del ") for s in steps) == 5


def test_workspace_batches_keep_each_response_whole():
    from hearing_analysis.workspace import _whole_responses

    rows = [{"response_id": r} for r in "aaabbbbbcd"]
    chunks = _whole_responses(rows, 4)
    assert [len(c) for c in chunks] == [8, 2]  # "b" would straddle the boundary, so it joins the first chunk
    assert [r for c in chunks for r in c] == rows
    assert all(len({r["response_id"] for r in c} & {r["response_id"] for r in d}) == 0
               for i, c in enumerate(chunks) for d in chunks[i + 1:])


def test_unknown_model_format_is_refused():
    with pytest.raises(ModelError, match="format"):
        HearingModel.from_state({"format": 99})


def test_train_cli_shows_its_stages_and_says_when_there_is_nothing_to_score(tmp_path):
    corpus = tmp_path / "lite.jsonl"
    lines = (ROOT / "corpus" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:1200:4]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "hearing_analysis", "train", "--corpus", str(corpus), "--no-cv",
                        "-o", str(tmp_path / "m")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    # not a terminal: one line per stage on stderr, no spinner
    assert "Forbereder 300 innspill" in p.stderr and "Trener endelig modell" in p.stderr
    assert "Ingen mål å vise" in p.stdout and "hearing evaluate" in p.stdout
    assert (tmp_path / "m" / "model.skops").is_file() and (tmp_path / "m" / "card.md").is_file()
