"""The Norwegian NLP pipeline: a blank spaCy ``nb`` model with our own components.

``load_nlp()`` builds it (no model download): tokenizer with Norwegian
abbreviations, sentence splitting, målform, lemmas for bokmål and nynorsk,
compound-aware taxonomy matching, and cue detectors.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from importlib import resources

from ..taxonomy import DEFAULT_TAXONOMY

PIPELINE = ["hearing_tokenfix", "sentencizer", "hearing_sentfix", "hearing_language", "hearing_lemmatizer",
            "hearing_taxonomy", "hearing_cues"]


def _abbreviations() -> list[str]:
    text = (resources.files("hearing_analysis") / "data" / "cues" / "abbreviations.txt").read_text("utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out += [line, line[0].upper() + line[1:]]
    return out


@functools.lru_cache(maxsize=4)
def load_nlp(taxonomy: str = DEFAULT_TAXONOMY):
    """Build the pipeline for a taxonomy (a shipped name or a path to a TOML file)."""
    import spacy
    from spacy.symbols import ORTH

    from . import components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("nb")
    for abbr in _abbreviations():
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    for name in PIPELINE:
        config = {"taxonomy": str(taxonomy)} if name == "hearing_taxonomy" else {}
        if name == "sentencizer":
            config = {"punct_chars": [".", "!", "?", "…"]}
        nlp.add_pipe(name, config=config)
    return nlp


def analyse(texts: Iterable[str], languages: Iterable[str | None] | None = None,
            taxonomy: str = DEFAULT_TAXONOMY) -> Iterator:
    """Run the pipeline over texts; ``languages`` presets each text's målform (e.g. the response's)."""
    nlp = load_nlp(taxonomy)
    langs = iter(languages) if languages is not None else None
    for text in texts:
        doc = nlp.make_doc(text)
        if langs is not None:
            doc._.language = next(langs, None)
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        yield doc
