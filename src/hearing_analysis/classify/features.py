"""Turn comments into the feature columns the classifiers read.

The NLP pipeline runs once per comment; what it finds becomes plain text
columns, so the trained models are ordinary scikit-learn pipelines (safe to
save with skops) and need no custom code to load:

- ``text``: the comment, lower-cased (for character n-grams);
- ``lemmas``: its lemmas, numbers normalised ("<år>", "<tall>");
- ``signals``: one token per taxonomy match and cue (``tax_transport``,
  ``cue_deadline``, ``cue_negated_support`` …) plus shape tokens (item, length,
  named things);
- ``context``: the heading and list lead-in, as lemmas, prefixed ``h_``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..taxonomy import DEFAULT_TAXONOMY

COLUMNS = ("text", "lemmas", "signals", "context")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Prepared:
    """Feature columns for a batch of comments, plus the language each was read in and, where known, the
    response each comment belongs to (the trained models read a comment in the light of its response)."""

    columns: dict[str, list[str]]
    languages: list[str]
    embeddings: object = None  # an (n, d) array when the model uses an embedding backend
    responses: list[str | None] | None = None

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.columns)

    def __len__(self) -> int:
        return len(self.languages)

    def subset(self, idx) -> "Prepared":
        cols = {k: [v[i] for i in idx] for k, v in self.columns.items()}
        emb = self.embeddings[idx] if self.embeddings is not None else None
        resp = [self.responses[i] for i in idx] if self.responses is not None else None
        return Prepared(cols, [self.languages[i] for i in idx], emb, resp)


def bokmal_lemmas(lemmas: str, prefix: str = "") -> str:
    """A column of space-separated lemmas (each after ``prefix``) with nynorsk lemmas in their bokmål form,
    so that a word's evidence is shared between the two written standards ("fråsegn" and "uttalelse")."""
    from ..nlp.lemmas import nynorsk_to_bokmal

    table = nynorsk_to_bokmal()
    n = len(prefix)
    return " ".join(prefix + table.get(t[n:], t[n:]) if t.startswith(prefix) else t for t in lemmas.split())


def _norm(lemma: str) -> str | None:
    if not lemma.strip() or all(not ch.isalnum() for ch in lemma):
        return None
    if lemma.isdigit():
        return "<år>" if _YEAR.match(lemma) else "<tall>"
    return lemma


def _name_signals(doc) -> list[str]:
    """``name_1``, ``name_2``, ``name_3``: how many capitalised words stand inside a sentence.

    Named places, projects and actors ("E39 Lyngdal–Sandnes", "Innovasjon
    Norge") mark concrete measures, whichever name it is.
    """
    n, prev = 0, None
    for t in doc:
        if prev is not None and t.text[:1].isupper() and not t.is_sent_start \
                and prev.text not in ":•-–«\"(" and not prev.is_space:
            n += 1
        prev = t
    return [f"name_{k}" for k in range(1, min(n, 3) + 1)]


def prepare(texts: Sequence[str], headings: Sequence[str] | None = None, leads: Sequence[str] | None = None,
            languages: Sequence[str | None] | None = None, taxonomy: str = DEFAULT_TAXONOMY,
            embedder=None, responses: Sequence[str | None] | None = None) -> Prepared:
    """Run the NLP pipeline over comments and build the feature columns (and embeddings, given an embedder).
    ``responses`` names the response each comment comes from (None where unknown)."""
    from ..nlp import analyse
    from ..nlp.components import doc_words

    n = len(texts)
    headings = list(headings) if headings is not None else [""] * n
    leads = list(leads) if leads is not None else [""] * n
    contexts = [" ".join(x for x in (h, ld) if x) for h, ld in zip(headings, leads)]
    cols: dict[str, list[str]] = {c: [] for c in COLUMNS}
    langs: list[str] = []
    docs = analyse(list(texts), list(languages) if languages is not None else None, taxonomy=taxonomy)
    for text, doc in zip(texts, docs):
        lemmas = [x for x in map(_norm, doc_words(doc)[1]) if x]
        signals = [f"tax_{s.label_}" for s in doc.spans["taxonomy"]]
        signals += [f"cue_{s.label_}" for s in doc.spans["cues"] if s.label_ != "negation"]
        words = len(text.split())
        signals.append("len_short" if words < 12 else "len_long" if words > 60 else "len_mid")
        if text.lstrip()[:1] in "•-–" or re.match(r"^\s*(\d{1,2}|[a-z])[.)]\s", text):
            signals.append("shape_item")
        if "?" in text:
            signals.append("shape_question")
        signals += _name_signals(doc)
        cols["text"].append(text.lower())
        cols["lemmas"].append(" ".join(lemmas))
        cols["signals"].append(" ".join(signals) or "none")
        langs.append(doc._.language or "nb")
    # headings and leads: lemmas and taxonomy hits, marked as context. The comments of a response share
    # their heading, so each distinct (context, language) is analysed once.
    where: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(contexts, langs)):
        if key[0]:
            where.setdefault(key, []).append(i)
    cols["context"] = ["h_none"] * n
    ctx_docs = analyse([c for c, _ in where], [lang for _, lang in where], taxonomy=taxonomy)
    for rows, doc in zip(where.values(), ctx_docs):
        toks = [f"h_{x}" for x in map(_norm, doc_words(doc)[1]) if x]
        toks += [f"htax_{s.label_}" for s in doc.spans["taxonomy"]]
        value = " ".join(toks) or "h_none"
        for i in rows:
            cols["context"][i] = value
    embeddings = embedder.encode(list(texts)) if embedder is not None else None
    return Prepared(cols, langs, embeddings, list(responses) if responses is not None else None)
