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


def sentences(text: str) -> list[str]:
    """Sentences of a comment, by punctuation (light, no model needed)."""
    parts = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    return parts or [text.strip()]


def _lemma_text(texts: list[str]) -> list[str]:
    import simplemma

    out = []
    for t in texts:
        words = re.findall(r"[A-Za-zÆØÅæøåÉé]+", t.lower())
        out.append(" ".join(simplemma.lemmatize(w, lang=("nb", "nn")) for w in words if len(w) > 2))
    return out


def _vectors(texts: list[str]):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    lemmas = _lemma_text(texts)
    words = TfidfVectorizer(min_df=1, sublinear_tf=True, max_df=0.5 if len(texts) > 20 else 1.0)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), min_df=1, sublinear_tf=True)
    try:
        w = words.fit_transform(lemmas)
    except ValueError:  # no words left (all stop words or empty)
        w = None
    c = chars.fit_transform([t.lower() for t in texts])
    m = c if w is None else hstack([w, c * 0.7]).tocsr()
    return normalize(m)


def group_points(rows: list[dict], name_of) -> list[Point]:
    """Group comment rows into points, ordered by how many respondents make them.

    ``rows`` are comment rows (``id``, ``text``, ``respondent``, ``respondent_type``, ``page``,
    ``stance``); ``name_of(row)`` gives the display name (pseudonymised where needed).
    """
    if not rows:
        return []
    texts = [r["text"] for r in rows]
    X = _vectors(texts)
    if len(rows) == 1:
        labels = np.array([0])
    else:
        from sklearn.cluster import AgglomerativeClustering

        sim = (X @ X.T).toarray()
        dist = np.clip(1.0 - sim, 0.0, 2.0)
        # Comments of one respondent are never merged with each other on their own account.
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=DISTANCE)
        labels = model.fit_predict(dist)
    points: list[Point] = []
    for label in sorted(set(labels.tolist())):
        idx = [i for i, lab in enumerate(labels) if lab == label]
        centre = np.asarray(X[idx].mean(axis=0)).ravel()
        scores = np.asarray(X[idx] @ centre).ravel()
        # Representative: close to the centre, not a fragment, not a wall of text.
        lengths = np.array([len(texts[i]) for i in idx])
        penalty = np.where(lengths < 60, 0.15, 0.0) + np.where(lengths > 900, 0.1, 0.0)
        best = idx[int(np.argmax(scores - penalty))]
        rep = rows[best]
        sents = sentences(rep["text"])
        if len(sents) > 1:
            sv = _vectors(sents + [rep["text"]])
            sent = sents[int(np.argmax(np.asarray((sv[:-1] @ sv[-1].T).toarray()).ravel()))]
        else:
            sent = sents[0]
        names: list[str] = []
        stance: dict[str, int] = {}
        others: list[tuple[str, int | None]] = []
        for i in idx:
            name = name_of(rows[i])
            if name not in names:
                names.append(name)
                if i != best and name != name_of(rep):
                    others.append((name, rows[i].get("page")))
            stance[rows[i]["stance"]] = stance.get(rows[i]["stance"], 0) + 1
        sent = _MARKER.sub("", sent).strip()
        sent = sent[:1].upper() + sent[1:]
        stance = {k: stance[k] for k in ("stotte", "innvending", "noytral") if k in stance}
        points.append(Point([rows[i]["id"] for i in idx], names, rep, sent, stance, others))
    points.sort(key=lambda p: (-len(p.respondents), -len(p.comment_ids), p.comment_ids[0]))
    return points
