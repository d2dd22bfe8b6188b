"""The trained classifiers: scikit-learn pipelines over the prepared feature columns.

One feature transformer (lemma and character n-grams, cue and taxonomy
signals, heading context) feeds four heads: multi-label focus areas and themes
(one logistic regression per label, calibrated by a sigmoid over out-of-fold
scores grouped by response), and single-label level and stance (multinomial
logistic regression). Each regression reads the features scaled by how
sharply they separate its label in the training data (naive-Bayes log-count
ratios, ``nb_scaling``), the scale folded into its coefficients afterwards.
A small neural network over the same features learns all four kinds at once;
its probabilities are averaged with the regressions' (then
one threshold, ``mlp_threshold``, decides focus areas and themes). Grouped CV
on the training split: +0.010 focus areas, +0.018 themes, +0.007 level, +0.005
stance. Without the network (``mlp_hidden=0``) each label keeps the threshold
chosen on its out-of-fold scores.
Where the response of each comment is known, a comment's focus-area and theme
probabilities are moved towards what the rest of its response is about
(``context_weight``), as a reader of the whole letter would; grouped CV
(``hearing train``): +0.011 focus areas, +0.006 themes.
The mix of levels differs between consultations (real responses hold about a
quarter ``tiltak``, the corpus two fifths), so the level probabilities are
adapted to the batch being classified: its share of each level is estimated by
EM (Saerens et al. 2002), shrunk towards the training shares for small batches.
The lemmas of nynorsk comments are read in their bokmål form (``bokmal_lemmas``), so
that what the corpus teaches in one written standard counts in the other.
``needs_review`` is set when a decision is close. ``explain`` shows the
regressions' side of the average.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..records import LEVELS, STANCES, Labels
from .features import Prepared

REVIEW_MARGIN = 0.05  # a multi-label score this close to its threshold is uncertain
REVIEW_MIN_PROB = 0.5  # a single-label winner below this is uncertain
THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.05), 2)


@dataclass
class Params:
    # Chosen by grouped CV on corpus/train.jsonl only (by response and by consultation): 16/8 beat 4/2, 8/4
    # and 2/1 on all four label kinds under both groupings (see the #4 issue note).
    C_multi: float = 16.0
    C_single: float = 8.0
    char_ngrams: tuple[int, int] = (3, 5)
    max_char_features: int = 40_000
    weights: dict[str, float] = field(default_factory=lambda: {"lemmas": 1.0, "text": 0.8, "signals": 1.0,
                                                                "context": 0.5})
    signals_binary: bool = True
    linear_svc: bool = False
    # Level and stance: sigmoid calibration over this many folds, or (below 2) the regression's own probabilities.
    # Averaged with the network, grouped CV is the same to three decimals without it (0.836 / 0.845), and
    # training takes eight fewer fits. Focus areas and themes calibrate on the threshold folds.
    calibration_folds: int = 0
    # Folds for the out-of-fold scores that calibrate each focus area and theme. Grouped CV on the 6,026
    # training comments gives the same scores to three decimals with 2, 3 or 5 folds; 2 need 60 % less
    # liblinear work than 5 (on 8,988 comments the 9 codes take 82 s on one thread with 3 folds).
    threshold_folds: int = 2
    # Share of training comments whose heading is hidden, so that comments without one (a bare e-mail,
    # `hearing classify` without "heading") are not misread; grouped CV: level 0.811 -> 0.823 without
    # headings, with headings unchanged.
    heading_dropout: float = 0.3
    # A small neural network over the same features, trained on all four label kinds at once (so the kinds
    # share what they learn), averaged with the logistic regressions. 0 hidden units turns it off.
    mlp_hidden: int = 64
    mlp_alpha: float = 1e-2
    mlp_epochs: int = 30
    mlp_batch: int = 800
    mlp_learning_rate: float = 0.004
    mlp_weight: float = 0.5  # share of the network in the averaged probabilities
    mlp_threshold: float = 0.35  # decision threshold of the averaged focus-area and theme probabilities
    # Response context: a comment's focus-area and theme probabilities plus this share of how far the mean
    # of the other comments in its response lies from the training prevalence. Grouped CV on the training
    # split (0.2-0.4 a plateau): focus 0.828 -> 0.836, themes 0.864 -> 0.871; no gain for level or stance.
    context_weight: float = 0.3
    # Level shares of the batch, estimated by EM over its level probabilities and shrunk towards the training
    # shares with the weight of this many comments (0 turns it off). Simulated on out-of-fold probabilities
    # of the training split, batches of 400: level macro-F1 0.825 -> 0.836 when the batch has the real mix
    # of the corpus guide (1/2 strategisk, 1/4 tiltak, 1/5 prosess), 0.834 -> 0.833 when it has the
    # training mix; with 100 comments 0.819 -> 0.830. Stance and focus areas gained nothing from it.
    level_prior_shrinkage: int = 100
    # Read the lemmas of nynorsk comments (and their headings) in bokmål form (``data/lemmas/nn_nb.tsv``,
    # 921 words), so both written standards feed the same features. Grouped CV on the training split, by
    # consultation / by response: focus areas +0.002 / +0.001, themes +0.001 / +0.003, level +0.006 /
    # +0.002, stance +0.002 / +0.002; level of the nynorsk comments +0.012 / +0.006.
    bokmal_lemmas: bool = True
    # Each focus-area and theme regression reads the features scaled by how sharply they separate its label in
    # the training data: |log-count ratio| ** nb_scaling (naive-Bayes features, Wang and Manning 2012), so the
    # regularisation spends itself on the many features that say little about the label. 0 turns it off. The
    # scale is folded into the fitted coefficients, so prediction reads the features as before. Grouped CV on
    # the training split (5 folds), by consultation: focus areas 0.830 -> 0.837 / 0.840 / 0.842 / 0.842 with
    # 0.5 / 1 / 2 / 3, themes 0.867 -> 0.871 / 0.874 / 0.880 / 0.884 (0.883 with 2.5); by response with 2.5
    # (and 2 below): focus areas 0.836 -> 0.845, themes 0.870 -> 0.890.
    nb_scaling: float = 2.5
    # The same for the level and stance regressions, with each feature's largest ratio over the values. By
    # consultation, level 0.873 -> 0.874 / 0.875 / 0.870 and stance 0.871 -> 0.881 / 0.885 / 0.886 with
    # 1 / 2 / 3 (3 also doubled their fitting time); by response with 2: level 0.872 -> 0.874, stance
    # 0.870 -> 0.883. Scaling the network's input as well lowered focus areas and level.
    nb_scaling_single: float = 2.0


# the settings that say how a fitted model's parts are combined at prediction time, saved with the model
SAVED_PARAMS = ("mlp_weight", "mlp_threshold", "context_weight", "level_prior_shrinkage", "bokmal_lemmas")
# what a model saved before a setting existed did (it was fitted that way)
LEGACY_PARAMS = {"bokmal_lemmas": False}


def make_features(params: Params):
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    tok = r"\S+"
    signals = (CountVectorizer(token_pattern=tok, lowercase=False, binary=True) if params.signals_binary
               else TfidfVectorizer(token_pattern=tok, lowercase=False, sublinear_tf=True))
    return ColumnTransformer(
        [
            ("lemmas", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=tok,
                                       lowercase=False), "lemmas"),
            ("text", TfidfVectorizer(analyzer="char_wb", ngram_range=params.char_ngrams, min_df=2, sublinear_tf=True,
                                     max_features=params.max_char_features), "text"),
            ("signals", signals, "signals"),
            ("context", TfidfVectorizer(token_pattern=tok, lowercase=False, sublinear_tf=True, min_df=2), "context"),
        ],
        transformer_weights=params.weights,
    )


def _base(C: float, seed: int, multinomial: bool, svc: bool = False):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if svc:
        return LinearSVC(C=C / 10, class_weight="balanced", random_state=seed, max_iter=10000)
    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed,
                              solver="lbfgs" if multinomial else "liblinear")


def _calibrated_lr(C: float, folds: int, seed: int, multinomial: bool, svc: bool = False):
    from sklearn.calibration import CalibratedClassifierCV

    if folds < 2:  # no calibration: the classifier's own probabilities
        return _base(C, seed, multinomial, svc)
    # ensemble=False: one classifier on all data, calibrated on out-of-fold scores (a quarter of the size)
    return CalibratedClassifierCV(_base(C, seed, multinomial, svc), cv=folds, method="sigmoid", ensemble=False)


def _nb_ratio(X, y: np.ndarray) -> np.ndarray:
    """|log-count ratio| of each feature between the comments with a label and those without (add-one
    smoothed; Wang and Manning 2012). Features with negative values (embeddings) get the median ratio."""
    import scipy.sparse as sp

    X = sp.csr_matrix(X)
    pos = 1.0 + np.asarray(X[y == 1].sum(axis=0)).ravel()
    neg = 1.0 + np.asarray(X[y == 0].sum(axis=0)).ravel()
    signed = np.zeros(X.shape[1], dtype=bool)
    if X.nnz and X.data.min() < 0:  # only the embedding backend's columns can be negative
        signed = np.asarray(X.min(axis=0).todense()).ravel() < 0
    pos[signed] = neg[signed] = 0.0
    ratio = np.ones(X.shape[1])
    ratio[~signed] = np.abs(np.log((pos[~signed] / pos.sum()) / (neg[~signed] / neg.sum())))
    if signed.any():
        ratio[signed] = np.median(ratio[~signed])
    return ratio


def _scaled(X, scale: np.ndarray):
    """The feature matrix (sparse or dense) with each column multiplied by its scale."""
    return X.multiply(scale).tocsr() if hasattr(X, "multiply") else np.asarray(X) * scale


def _fit_scaled(head, X, y, scale: np.ndarray):
    """``head`` fitted on the features times ``scale``, the scale then folded into its linear coefficients (of
    the calibrated estimator, if it is calibrated), so it reads the unscaled features as the scaled ones."""
    head.fit(_scaled(X, scale), y)
    for est in [c.estimator for c in head.calibrated_classifiers_] if hasattr(head, "calibrated_classifiers_") \
            else [head]:
        est.coef_ = est.coef_ * scale
    return head


def _sigmoid(scores: np.ndarray, y: np.ndarray):
    """A sigmoid from decision scores to probabilities, fitted on out-of-fold scores (Platt scaling)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1e6).fit(scores.reshape(-1, 1), y)


def _probabilities(head, X) -> np.ndarray:
    """(n, codes) probabilities of a head: per-label classifiers with their sigmoids (focus areas and themes),
    or a calibrated classifier (level and stance, and an older model's one-vs-rest multi-label heads)."""
    if not isinstance(head, list):
        return head.predict_proba(X)
    cols = [h["sigmoid"].predict_proba(h["estimator"].decision_function(X).reshape(-1, 1))[:, 1] for h in head]
    return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))


def _binary_matrix(values: list[list[str]], codes: list[str]) -> np.ndarray:
    return np.array([[int(c in v) for c in codes] for v in values], dtype=np.int64)


class HearingModel:
    """Classifiers for focus areas, themes, level and stance (scikit-learn contract: fit returns self)."""

    def __init__(self, focus_codes: list[str], theme_codes: list[str], params: Params | None = None, seed: int = 0,
                 embedding: dict | None = None):
        self.focus_codes = list(focus_codes)
        self.theme_codes = list(theme_codes)
        self.params = params or Params()
        self.seed = seed
        self.embedding = embedding  # spec of the embedding backend, or None for TF-IDF only
        self.mlp_: dict | None = None  # the network and its output columns, once fitted with ``mlp_hidden``
        # training share of each focus area, theme and level (what the context and the level mix start from)
        self.prior_: dict[str, dict[str, float]] = {}

    def _frame(self, prepared: Prepared):
        """The feature columns as the model reads them (with ``bokmal_lemmas``: nynorsk lemmas in bokmål)."""
        frame = prepared.frame()
        if self.params.bokmal_lemmas:
            from .features import bokmal_lemmas

            nn = [lang == "nn" for lang in prepared.languages]
            for column, prefix in (("lemmas", ""), ("context", "h_")):
                frame[column] = [bokmal_lemmas(v, prefix) if is_nn else v for v, is_nn in zip(frame[column], nn)]
        return frame

    def _matrix(self, prepared: Prepared, X=None):
        """The model's input: the fitted features of ``prepared`` (or ``X``, already transformed), with the
        embeddings beside them for an embedding backend."""
        if X is None:
            X = self.features_.transform(self._frame(prepared))
        if self.embedding:
            import scipy.sparse as sp

            if prepared.embeddings is None:
                raise ValueError("this model needs embeddings: prepare the comments with its embedder")
            X = sp.hstack([X, sp.csr_matrix(prepared.embeddings * self.embedding.get("weight", 2.0))]).tocsr()
        return X

    # -- training -----------------------------------------------------------
    def fit(self, prepared: Prepared, records: list[dict], groups: list[str] | None = None,
            n_jobs: int = 1) -> "HearingModel":
        """Fit every head; ``n_jobs`` threads share the per-label regressions and the network (the result is
        the same for any number)."""
        import sklearn.calibration  # noqa: F401
        import sklearn.linear_model  # noqa: F401
        import sklearn.neural_network  # noqa: F401
        from threadpoolctl import threadpool_limits

        # The imports above load scipy's BLAS and OpenMP before the limit is set: a library loaded inside the
        # limit keeps all its threads, so the first fit in a process summed in another order than every later
        # one (`hearing train --no-cv` gave level 0.877 where the shipped model, fitted after the CV folds,
        # has 0.878). One BLAS thread per fit: faster here (86 s against 108 s on two cores), and no fight over the
        # cores with another process; several fits run side by side in threads instead
        with threadpool_limits(1):
            return self._fit(prepared, records, groups, max(1, n_jobs))

    def _fit(self, prepared: Prepared, records: list[dict], groups: list[str] | None, n_jobs: int) -> "HearingModel":
        from sklearn.model_selection import GroupKFold, KFold

        p = self.params
        prepared = self._hide_headings(prepared)
        frame = self._frame(prepared)
        self.features_ = make_features(p).fit(frame)
        # fit, then transform (not fit_transform, whose floating-point rounding differs slightly and would no
        # longer reproduce the shipped models' scores exactly)
        X = self._matrix(prepared, self.features_.transform(frame))
        for _, vectorizer, _ in self.features_.transformers_:
            if hasattr(vectorizer, "stop_words_"):
                vectorizer.stop_words_ = None  # the pruned vocabulary is not needed to predict and is large
            if hasattr(vectorizer, "vocabulary_"):
                # plain ints: skops stores them in its JSON schema instead of one NumPy file per term
                vectorizer.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        splitter = GroupKFold(n_splits=p.threshold_folds) if groups is not None else \
            KFold(n_splits=p.threshold_folds, shuffle=True, random_state=self.seed)
        splits = list(splitter.split(X, groups=groups))
        codes_of: dict[str, list[str]] = {}
        tasks: dict[tuple, Callable] = {}  # independent fits, run side by side when n_jobs > 1
        for kind, codes in (("focus_areas", self.focus_codes), ("themes", self.theme_codes)):
            Y = _binary_matrix([r[kind] for r in records], codes)
            keep = [i for i in range(len(codes)) if 0 < Y[:, i].sum() < len(Y)]
            codes_of[kind] = [codes[i] for i in keep]
            self.prior_[kind] = {codes[i]: float(Y[:, i].mean()) for i in keep}
            for i in keep:  # the averaged probabilities of a model with the network share one threshold
                tasks[(kind, codes[i])] = partial(self._fit_label, X, Y[:, i], splits,
                                                  p.mlp_threshold if p.mlp_hidden else None)
        for kind in ("level", "stance"):
            y = [r[kind] for r in records]
            codes_of[kind] = sorted(set(y))  # the order of the regression's classes_
            tasks[(kind,)] = partial(self._fit_single, X, np.array(y))
        if p.mlp_hidden:  # the longest fit: first in the queue
            columns = [(kind, c) for kind, codes in codes_of.items() for c in codes]
            # float32 input halves the network's training time (46 s -> 23 s on 6,026 comments); its
            # probabilities move by less than 0.001
            tasks = {("mlp",): partial(self._fit_mlp, X.astype(np.float32), records, columns), **tasks}
        if n_jobs > 1:
            with ThreadPoolExecutor(n_jobs) as pool:
                done = dict(zip(tasks, pool.map(lambda fit: fit(), tasks.values())))
        else:
            done = {key: fit() for key, fit in tasks.items()}
        self.heads_, self.thresholds_ = {}, {}
        for kind in ("focus_areas", "themes"):
            fitted = [done[(kind, c)] for c in codes_of[kind]]
            self.heads_[kind] = ([head for head, _ in fitted], codes_of[kind])
            self.thresholds_[kind] = {c: th for c, (_, th) in zip(codes_of[kind], fitted)}
        for kind in ("level", "stance"):
            self.heads_[kind] = (done[(kind,)], [str(c) for c in done[(kind,)].classes_])
        levels = [r["level"] for r in records]
        self.prior_["level"] = {c: levels.count(c) / len(levels) for c in self.heads_["level"][1]}
        self.mlp_ = done.get(("mlp",))
        return self

    def _fit_mlp(self, X, records: list[dict], columns: list[tuple[str, str]]) -> dict:
        """One network for every label of the four kinds (a sigmoid output per ``(kind, code)`` column: each
        focus area, theme, level and stance value), seeded."""
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        p = self.params
        Y = np.array([[int(c in r[kind]) if kind in ("focus_areas", "themes") else int(r[kind] == c)
                       for kind, c in columns] for r in records], dtype=np.int64)
        mlp = MLPClassifier(hidden_layer_sizes=(p.mlp_hidden,), alpha=p.mlp_alpha, max_iter=p.mlp_epochs,
                            batch_size=min(p.mlp_batch, X.shape[0]), learning_rate_init=p.mlp_learning_rate,
                            random_state=self.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs is the setting
            mlp.fit(X, Y)
        # float16 weights: a quarter of the model file; probabilities move by less than 0.001
        mlp.coefs_ = [w.astype(np.float16) for w in mlp.coefs_]
        mlp.intercepts_ = [b.astype(np.float32) for b in mlp.intercepts_]
        # the optimiser's state and the best-so-far copy (four times the weights) are not needed to predict
        mlp._optimizer = mlp._best_coefs = mlp._best_intercepts = None
        return {"estimator": mlp, "columns": [list(c) for c in columns]}

    def _hide_headings(self, prepared: Prepared) -> Prepared:
        """The training comments with a seeded share of their headings hidden (``heading_dropout``)."""
        rate = self.params.heading_dropout
        if not rate:
            return prepared
        hide = np.random.default_rng(self.seed).random(len(prepared)) < rate
        columns = dict(prepared.columns)
        columns["context"] = ["h_none" if h else c for h, c in zip(hide, prepared.columns["context"])]
        return Prepared(columns, prepared.languages, prepared.embeddings, prepared.responses)

    def _fit_label(self, X, y, splits, threshold: float | None = None) -> tuple[dict, float]:
        """One multi-label code's classifier, its calibration and its decision threshold.

        Out-of-fold scores (folds grouped by response) serve twice: a sigmoid fitted on them turns
        scores into probabilities, and, unless a ``threshold`` is given, the threshold that maximises F1
        on those probabilities is kept. The classifier itself is then fitted on all the data: one fit per
        fold plus that one, per code.
        """
        from sklearn.metrics import f1_score

        estimator = self._fit_binary(X, y)
        scores = self._oof_scores(X, y, splits)
        scored = ~np.isnan(scores)
        if len(set(y[scored])) < 2:  # too few examples of the code to score any out of fold
            scores, scored = estimator.decision_function(X), np.ones(len(y), dtype=bool)
        sigmoid = _sigmoid(scores[scored], y[scored])
        if threshold is None:
            prob = sigmoid.predict_proba(scores[scored].reshape(-1, 1))[:, 1]
            f1 = [f1_score(y[scored], prob >= t, zero_division=0) for t in THRESHOLD_GRID]
            threshold = float(THRESHOLD_GRID[int(np.argmax(f1))])
        return {"estimator": estimator, "sigmoid": sigmoid}, threshold

    def _oof_scores(self, X, y, splits) -> np.ndarray:
        """Out-of-fold decision scores of one binary label (NaN where the training folds lack a class)."""
        scores = np.full(len(y), np.nan)
        for train, test in splits:
            if y[train].min() == y[train].max():
                continue
            scores[test] = self._fit_binary(X[train], y[train]).decision_function(X[test])
        return scores

    def _fit_binary(self, X, y):
        """One focus area's or theme's regression; with ``nb_scaling`` on the features scaled by their
        naive-Bayes ratio for the label."""
        p = self.params
        estimator = _base(p.C_multi, self.seed, False, p.linear_svc)
        if not p.nb_scaling:
            return estimator.fit(X, y)
        return _fit_scaled(estimator, X, y, _nb_ratio(X, y) ** p.nb_scaling)

    def _fit_single(self, X, y: np.ndarray):
        """The level or stance regression; with ``nb_scaling_single`` on the features scaled by their largest
        naive-Bayes ratio over the values (one value against the rest)."""
        p = self.params
        head = _calibrated_lr(p.C_single, p.calibration_folds, self.seed, True, p.linear_svc)
        if not p.nb_scaling_single:
            return head.fit(X, y)
        scale = np.max([_nb_ratio(X, (y == c).astype(int)) for c in np.unique(y)], axis=0) ** p.nb_scaling_single
        return _fit_scaled(head, X, y, scale)

    # -- prediction ----------------------------------------------------------
    def predict(self, prepared: Prepared) -> list[Labels]:
        X = self._matrix(prepared)
        probs = {}
        for kind, (head, codes) in self.heads_.items():
            probs[kind] = (_probabilities(head, X), codes)
        if self.mlp_:
            probs = self._with_mlp(probs, X)
        if prepared.responses is not None and self.params.context_weight and self.prior_:
            probs = self._with_context(probs, prepared.responses)
        if self.params.level_prior_shrinkage and "level" in self.prior_:
            probs = self._with_batch_levels(probs)
        out = []
        for i, lang in enumerate(prepared.languages):
            scores, chosen, review = {}, {}, False
            for kind in ("focus_areas", "themes"):
                P, codes = probs[kind]
                th = self.thresholds_[kind]
                scores[kind] = {c: round(float(P[i, j]), 3) for j, c in enumerate(codes)}
                chosen[kind] = tuple(c for j, c in enumerate(codes) if P[i, j] >= th[c])
                review = review or any(abs(P[i, j] - th[c]) < REVIEW_MARGIN for j, c in enumerate(codes))
            for kind in ("level", "stance"):
                P, codes = probs[kind]
                scores[kind] = {c: round(float(P[i, j]), 3) for j, c in enumerate(codes)}
                best = int(np.argmax(P[i]))
                chosen[kind] = codes[best]
                review = review or P[i, best] < REVIEW_MIN_PROB
            out.append(Labels(chosen["focus_areas"], chosen["themes"], chosen["level"], chosen["stance"], lang,
                              scores, bool(review)))
        return out

    def _with_mlp(self, probs: dict, X) -> dict:
        """The logistic regressions' probabilities averaged with the network's (``mlp_weight``); for level and
        stance the network's outputs are first scaled to sum to one."""
        w = self.params.mlp_weight
        Pm = self.mlp_["estimator"].predict_proba(X)
        where = {tuple(c): j for j, c in enumerate(self.mlp_["columns"])}
        out = {}
        for kind, (P, codes) in probs.items():
            M = Pm[:, [where[(kind, c)] for c in codes]] if codes else np.zeros_like(P)
            if kind in ("level", "stance"):
                M = M / np.clip(M.sum(axis=1, keepdims=True), 1e-9, None)
            out[kind] = ((1 - w) * P + w * M, codes)
        return out

    def _with_context(self, probs: dict, responses: list[str | None]) -> dict:
        """Focus-area and theme probabilities moved by ``context_weight`` times how far the mean of the other
        comments of the same response lies from the training prevalence. A comment alone in its response (or
        with no response) is unchanged."""
        members: dict[str, list[int]] = {}
        for i, r in enumerate(responses):
            if r is not None:
                members.setdefault(r, []).append(i)
        out = dict(probs)
        for kind in ("focus_areas", "themes"):
            P, codes = probs[kind]
            if not codes:
                continue
            prior = np.array([self.prior_[kind][c] for c in codes])
            shift = np.zeros_like(P)
            for idx in members.values():
                if len(idx) > 1:
                    others = (P[idx].sum(axis=0) - P[idx]) / (len(idx) - 1)
                    shift[idx] = others - prior
            out[kind] = (np.clip(P + self.params.context_weight * shift, 0.0, 1.0), codes)
        return out

    def _with_batch_levels(self, probs: dict) -> dict:
        """Level probabilities adapted to the batch's own mix of levels: EM estimates the mix (Saerens,
        Latinne and Decaestecker 2002), shrunk towards the training mix by ``level_prior_shrinkage``
        comments, and the probabilities are reweighted by estimated over training share."""
        P, codes = probs["level"]
        train = np.array([self.prior_["level"][c] for c in codes])
        mix = train.copy()
        for _ in range(200):
            q = P * (mix / train)
            q /= np.clip(q.sum(axis=1, keepdims=True), 1e-12, None)
            new = q.mean(axis=0)
            done = np.abs(new - mix).max() < 1e-6
            mix = new
            if done:
                break
        n, k = len(P), self.params.level_prior_shrinkage
        mix = (n * mix + k * train) / (n + k)
        Q = P * (mix / train)
        return {**probs, "level": (Q / np.clip(Q.sum(axis=1, keepdims=True), 1e-12, None), codes)}

    # -- explanation -----------------------------------------------------------
    def explain(self, prepared: Prepared, top: int = 6) -> list[dict[str, list[tuple[str, float]]]]:
        """For each comment, the features that pushed each predicted label most (weight × value) in the
        logistic regressions (the network's half of the average has no per-feature weights to show)."""
        import scipy.sparse as sp

        X = sp.csr_matrix(self._matrix(prepared))
        names = list(self.features_.get_feature_names_out())
        if self.embedding:
            names += [f"embedding__{i}" for i in range(X.shape[1] - len(names))]
        predicted = self.predict(prepared)
        out = []
        for i, labels in enumerate(predicted):
            row = X.getrow(i)
            reasons: dict[str, list[tuple[str, float]]] = {}
            targets = [("focus_areas", c) for c in labels.focus_areas] + [("themes", c) for c in labels.themes]
            targets += [("level", labels.level), ("stance", labels.stance)]
            for kind, code in targets:
                coef = self._coef(kind, code)
                contrib = [(names[j], float(v * coef[j])) for j, v in zip(row.indices, row.data)]
                contrib = sorted((c for c in contrib if c[1] > 0), key=lambda c: -c[1])[:top]
                reasons[f"{kind}:{code}"] = [(n.split("__", 1)[1], round(w, 3)) for n, w in contrib]
            out.append(reasons)
        return out

    def _coef(self, kind: str, code: str):
        head, codes = self.heads_[kind]
        if kind in ("focus_areas", "themes"):
            est = head[codes.index(code)]["estimator"] if isinstance(head, list) else \
                head.estimators_[codes.index(code)].calibrated_classifiers_[0].estimator
            return est.coef_[0]
        est = head.calibrated_classifiers_[0].estimator if hasattr(head, "calibrated_classifiers_") else head
        return est.coef_[codes.index(code)]

    # -- serialisation ---------------------------------------------------------
    def to_state(self) -> dict:
        """Everything needed to predict, as plain values and scikit-learn objects (for skops)."""
        return {
            # 4: with the training shares for the response context and the level mix; 3: with the network;
            # 2: multi-label heads are lists of {estimator, sigmoid}; 1: one-vs-rest
            "format": 4,
            "focus_codes": self.focus_codes, "theme_codes": self.theme_codes, "seed": self.seed,
            "embedding": self.embedding or {},
            "features": self.features_,
            "heads": {k: {"estimator": h, "codes": c} for k, (h, c) in self.heads_.items()},
            "thresholds": self.thresholds_,
            "mlp": self.mlp_ or {},
            "params": {key: getattr(self.params, key) for key in SAVED_PARAMS},
            "prior": self.prior_,
        }

    @classmethod
    def from_state(cls, state: dict) -> "HearingModel":
        if state.get("format", 1) not in (1, 2, 3, 4):
            from .io import ModelError

            raise ModelError(f"Modellfilen har format {state.get('format')}, som denne versjonen av hearing-analysis "
                             "ikke kjenner; oppdater programmet eller tren modellen på nytt med `hearing train`.")
        model = cls(state["focus_codes"], state["theme_codes"], seed=state["seed"],
                    embedding=dict(state.get("embedding") or {}) or None)
        model.features_ = state["features"]
        model.heads_ = {k: (v["estimator"], list(v["codes"])) for k, v in state["heads"].items()}
        model.thresholds_ = {k: dict(v) for k, v in state["thresholds"].items()}
        model.mlp_ = dict(state.get("mlp") or {}) or None
        saved = {**LEGACY_PARAMS, **(state.get("params") or {})}
        for key in SAVED_PARAMS:
            if key in saved:  # how the saved parts are combined
                setattr(model.params, key, type(getattr(model.params, key))(saved[key]))
        model.prior_ = {k: {c: float(x) for c, x in v.items()} for k, v in (state.get("prior") or {}).items()}
        for kind, allowed in (("level", LEVELS), ("stance", STANCES)):
            if not set(model.heads_[kind][1]) <= set(allowed):
                raise ValueError(f"the saved {kind} head has classes outside {allowed}: {model.heads_[kind][1]}")
        return model
