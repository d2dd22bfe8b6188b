"""Key points: similar comments from different respondents grouped into one point.

Comments are compared by TF-IDF over lemmas and character n-grams (offline, fast), grouped by
average-linkage clustering on cosine distance, and each group gets a representative comment (the one
closest to the group's centre) and a key sentence (the sentence of that comment closest to the centre).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

# Cosine distance under which two comments count as making the same point. Chosen by reading the
# groups made on the example inbox and the corpus: lower merges too little, higher merges unrelated text.
DISTANCE = 0.82
CHAR_LIMIT = 6000  # comments in a report; above this, lemma uni- and bigrams only
EXACT_LIMIT = 1500  # above this many comments in a section, a linear single-pass grouping is used

_MARKER = re.compile(r"^\s*(?:[•▪◦·*\-–—]+|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÆØÅ«\"0-9–-])")


@dataclass
class Point:
    """One point in a section: the comments that make it and who made them."""

    comment_ids: list[str]
    respondents: list[str]  # display names, in order of first appearance, each once
    representative: dict  # the comment row chosen as quote
    sentence: str  # the key sentence of the representative comment
    stance: dict[str, int] = field(default_factory=dict)
    others: list[tuple[str, int | None]] = field(default_factory=list)  # (respondent, page) besides the quote


def strip_marker(text: str) -> str:
    """Text without a leading list mark ("•", "-", "2.", "b)")."""
    return _MARKER.sub("", text, count=1).strip()


def sentences(text: str) -> list[str]:
    """Sentences of a comment, by punctuation (light, no model needed)."""
    parts = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    return parts or [text.strip()]


def _lemma_text(texts: list[str]) -> list[str]:
    import simplemma

    cache: dict[str, str] = {}
    out = []
    for t in texts:
        lemmas = []
        for w in re.findall(r"[A-Za-zÆØÅæøåÉé]{3,}", t.lower()):
            lemma = cache.get(w)
            if lemma is None:
                lemma = cache[w] = simplemma.lemmatize(w, lang=("nb", "nn"))
            lemmas.append(lemma)
        out.append(" ".join(lemmas))
    return out


class Vectoriser:
    """TF-IDF over lemmas and character n-grams, fitted once on all comments of a report.

    ``matrix`` holds the fitted texts' vectors (row per text, unit length).
    """

    def __init__(self, texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        large = len(texts) > CHAR_LIMIT  # character n-grams cost most; lemma bigrams stand in for them
        self.words = TfidfVectorizer(min_df=1, sublinear_tf=True, max_df=0.5 if len(texts) > 20 else 1.0,
                                     ngram_range=(1, 2) if large else (1, 1))
        self.chars = None if large else TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), min_df=1,
                                                        sublinear_tf=True)
        try:
            w = self.words.fit_transform(_lemma_text(texts))
        except ValueError:  # no words left (all stop words or empty)
            self.words, w = None, None
            if self.chars is None:
                self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), min_df=1, sublinear_tf=True)
        c = self.chars.fit_transform([t.lower() for t in texts]) if self.chars is not None else None
        self.matrix = self._combine(w, c)

    @staticmethod
    def _combine(w, c):
        from scipy.sparse import hstack
        from sklearn.preprocessing import normalize

        if c is None:
            return normalize(w)
        return normalize(c if w is None else hstack([w, c * 0.7]).tocsr())

    def transform(self, texts: list[str]):
        w = self.words.transform(_lemma_text(texts)) if self.words is not None else None
        c = self.chars.transform([t.lower() for t in texts]) if self.chars is not None else None
        return self._combine(w, c)


def _sampled_clusters(X) -> np.ndarray:
    """Grouping for large sections, linear in the number of comments.

    An evenly spaced sample of ``EXACT_LIMIT`` comments is grouped exactly; every other comment joins
    the group whose centre it is most similar to (if at least ``1 - DISTANCE``), else stands alone.
    Large groups, the ones the report lists, are found the same way; only rare points may be missed.
    """
    from scipy.sparse import csr_matrix
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.preprocessing import normalize

    n = X.shape[0]
    sample = np.unique(np.linspace(0, n - 1, EXACT_LIMIT).round().astype(int))
    S = X[sample]
    dist = np.clip(1.0 - (S @ S.T).toarray(), 0.0, 2.0)
    sample_labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                            distance_threshold=DISTANCE).fit_predict(dist)
    k = int(sample_labels.max()) + 1
    member = csr_matrix((np.ones(len(sample)), (sample_labels, np.arange(len(sample)))), shape=(k, len(sample)))
    centres = normalize(member @ S)  # sparse: the mean of sparse rows, unit length
    labels = np.full(n, -1, dtype=int)
    labels[sample] = sample_labels
    rest = np.setdiff1d(np.arange(n), sample)
    next_label = k
    for i in range(0, len(rest), 2000):
        idx = rest[i:i + 2000]
        sims = (X[idx] @ centres.T).toarray()
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(idx)), best] >= 1.0 - DISTANCE
        labels[idx[ok]] = best[ok]
        for j in idx[~ok]:
            labels[j] = next_label
            next_label += 1
    return labels


def group_points(rows: list[dict], name_of, limit: int | None = None, vectoriser: "Vectoriser | None" = None,
                 vectors=None) -> tuple[list[Point], int]:
    """Group comment rows into points, ordered by how many respondents make them.

    ``rows`` are comment rows (``id``, ``text``, ``respondent``, ``respondent_type``, ``page``,
    ``stance``); ``name_of(row)`` gives the display name (pseudonymised where needed). Returns the
    first ``limit`` points (all without a limit) and the total number of points. A ``vectoriser`` fitted
    on all comments of the report (and the rows' ``vectors`` from it) saves fitting one per section.
    """
    if not rows:
        return [], 0
    texts = [r["text"] for r in rows]
    if vectoriser is None:
        vectoriser = Vectoriser(texts)
        vectors = vectoriser.matrix
    X = vectoriser.transform(texts) if vectors is None else vectors
    if len(rows) == 1:
        labels = np.array([0])
    elif len(rows) <= EXACT_LIMIT:
        from sklearn.cluster import AgglomerativeClustering

        dist = np.clip(1.0 - (X @ X.T).toarray(), 0.0, 2.0)
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=DISTANCE)
        labels = model.fit_predict(dist)
    else:
        labels = _sampled_clusters(X)
    members: dict[int, list[int]] = {}
    for i, lab in enumerate(labels.tolist()):
        members.setdefault(lab, []).append(i)
    names_of = [name_of(r) for r in rows]
    order = sorted(members.values(), key=lambda idx: (-len({names_of[i] for i in idx}), -len(idx), rows[idx[0]]["id"]))
    points = [_point(rows, texts, X, idx, names_of, vectoriser)
              for idx in (order if limit is None else order[:limit])]
    return points, len(order)


def _point(rows: list[dict], texts: list[str], X, idx: list[int], names_of: list[str],
           vectoriser: Vectoriser) -> Point:
    centre = np.asarray(X[idx].mean(axis=0)).ravel()
    scores = np.asarray(X[idx] @ centre).ravel()
    # Representative: close to the centre, not a fragment, not a wall of text.
    lengths = np.array([len(texts[i]) for i in idx])
    penalty = np.where(lengths < 60, 0.15, 0.0) + np.where(lengths > 900, 0.1, 0.0)
    best = idx[int(np.argmax(scores - penalty))]
    rep = rows[best]
    sents = sentences(rep["text"])
    if len(sents) > 1:
        sv = vectoriser.transform(sents + [rep["text"]])
        sent = sents[int(np.argmax(np.asarray((sv[:-1] @ sv[-1].T).toarray()).ravel()))]
    else:
        sent = sents[0]
    names: list[str] = []
    stance: dict[str, int] = {}
    others: list[tuple[str, int | None]] = []
    for i in idx:
        name = names_of[i]
        if name not in names:
            names.append(name)
            if i != best and name != names_of[best]:
                others.append((name, rows[i].get("page")))
        stance[rows[i]["stance"]] = stance.get(rows[i]["stance"], 0) + 1
    sent = _MARKER.sub("", sent).strip()
    sent = sent[:1].upper() + sent[1:]
    stance = {k: stance[k] for k in ("stotte", "innvending", "noytral") if k in stance}
    return Point([rows[i]["id"] for i in idx], names, rep, sent, stance, others)
