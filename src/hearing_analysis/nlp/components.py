"""spaCy components of the hearing-analysis pipeline, registered as factories ``hearing_*``.

Each component declares what it assigns. Data (lemma tables, taxonomy terms,
cue lists) is loaded when the pipeline is built, from the package and from
spacy-lookups-data; nothing is downloaded.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..language import detect_language
from .cues import level_cues, measure_cues, personal_data, stance_cues
from .lemmas import get_lemmatizer
from .terms import TermMatcher

if not Doc.has_extension("language"):
    Doc.set_extension("language", default=None)


def doc_text(doc: Doc) -> str:
    """The text of a Doc, read once (``Doc.text`` rebuilds it from the tokens on every call).

    The components split tokens and set sentence starts but never change the text; a Doc that
    inherited another's user data (``Span.as_doc(copy_user_data=True)``) is caught by the length.
    """
    text = doc.user_data.get("hearing_text")
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != end:
        text = doc.user_data["hearing_text"] = doc.text
    return text


def doc_words(doc: Doc) -> tuple[list[str], list[str]]:
    """Each token's lower-case form and lemma, as lists. The lemmatizer leaves them in the Doc's user data so
    the components after it do not walk the tokens again (each walk makes a new Token object per word)."""
    cached = doc.user_data.get("hearing_words")
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    return [t.lower_ for t in doc], [t.lemma_ for t in doc]


NUMBER_WITH_STOP = re.compile(r"^\d[\d\-–/]*\.$")
NUMBER_STOP = re.compile(r"\d[\d\-–/]*\.")  # what NUMBER_WITH_STOP needs somewhere in the text
ENDING_ABBREVIATIONS = frozenset({"osv.", "m.m.", "mv.", "o.l.", "m.fl.", "etc.", "o.a.", "e.l.", "mfl.", "m.v."})


@Language.factory("hearing_tokenfix", assigns=["token.is_sent_start"])
def make_tokenfix(nlp: Language, name: str):
    """Split the full stop off a number that ends a sentence ("innen 2026. Vi …", "jf. kap. 3. Kontakt …").

    The blank Norwegian tokenizer keeps "2026." whole, as it must for ordinals
    ("17. mai") and list numbers ("1. Innledning"); a number inside a line that
    is followed by a capital letter or the end of the text ends a sentence.
    """

    def tokenfix(doc: Doc) -> Doc:
        if not NUMBER_STOP.search(doc_text(doc)):
            return doc
        to_split = [t for t in doc if NUMBER_WITH_STOP.match(t.text) and t.i > 0 and not doc[t.i - 1].is_space
                    and (t.i + 1 == len(doc) or doc[t.i + 1].text[:1].isupper() or doc[t.i + 1].is_space)]
        if to_split:
            with doc.retokenize() as retok:
                for t in to_split:
                    retok.split(t, [t.text[:-1], "."], heads=[(t, 1), (t, 1)])
        return doc

    return tokenfix


@Language.factory("hearing_sentfix", assigns=["token.is_sent_start"])
def make_sentfix(nlp: Language, name: str):
    """Start a sentence after an abbreviation that can end one ("… osv. Vi") and after line breaks."""

    def sentfix(doc: Doc) -> Doc:
        low = doc_text(doc).lower()
        if "\n" not in low and not any(a in low for a in ENDING_ABBREVIATIONS):
            return doc
        for t in doc[:-1]:
            nxt = doc[t.i + 1]
            if (t.lower_ in ENDING_ABBREVIATIONS and nxt.text[:1].isupper()) or ("\n" in t.text and t.is_space):
                nxt.is_sent_start = True
        return doc

    return sentfix


@Language.factory("hearing_language", assigns=["doc._.language"])
def make_language(nlp: Language, name: str):
    """Målform of the text (nb, nn, en, other), unless the caller set ``doc._.language``."""

    def language(doc: Doc) -> Doc:
        if not doc._.language:
            doc._.language = detect_language(doc_text(doc)) or "nb"
        return doc

    return language


@Language.factory("hearing_lemmatizer", assigns=["token.lemma"])
def make_lemmatizer(nlp: Language, name: str):
    """Lemmas for bokmål and nynorsk (simplemma, Norsk Ordbank), compound-aware."""
    lemmatizer = get_lemmatizer()

    def lemmatize(doc: Doc) -> Doc:
        lang = doc._.language or "nb"
        lowers, lemmas = [], []
        for t in doc:
            lemma = lemmatizer.lemma(t.text, lang)
            t.lemma_ = lemma
            lowers.append(t.lower_)
            lemmas.append(lemma)
        doc.user_data["hearing_words"] = (lowers, lemmas)
        return doc

    return lemmatize


@Language.factory("hearing_taxonomy", default_config={"taxonomy": "osloregionen-2025-2028"},
                  assigns=["doc.spans"])
def make_taxonomy(nlp: Language, name: str, taxonomy: str):
    """Spans in ``doc.spans["taxonomy"]`` labelled with the focus area or theme code their term belongs to."""
    from ..taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    lemmatizer = get_lemmatizer()
    terms = {lab.code: term_forms(lab.terms, lemmatizer) for lab in (*tax.focus_areas, *tax.themes)}
    matcher = TermMatcher(terms, lambda w: lemmatizer.is_word(w, "nb") or lemmatizer.is_word(w, "nn"))
    ordbank = lemmatizer.ordbank

    def match(doc: Doc) -> Doc:
        words, lemmas = doc_words(doc)
        readings = [(w, ordbank.get(w, w)) for w in words]
        spans = []
        for hit in matcher.match(lemmas, readings):
            for label in hit.labels:
                spans.append(Span(doc, hit.start, hit.end, label=label, kb_id=hit.term))
        doc.spans["taxonomy"] = spans
        return doc

    match.matcher = matcher
    return match


def lemmatize_term(term: str, lemmatizer) -> str:
    """A taxonomy term in lemma form, word by word, so "kommunene" in a term file still matches."""
    return " ".join(lemmatizer.lemma(w, "nb") if w.isalpha() else w for w in term.lower().split())


def term_forms(terms: tuple[str, ...], lemmatizer) -> tuple[str, ...]:
    """The forms a taxonomy's terms are matched in.

    A one-word term is a base form already and is kept as written: its lemma
    may be another word ("bygd" → bygge, "gående" → gå). A phrase is also
    matched in lemma form ("dyrka mark" → dyrke mark).
    """
    out: list[str] = []
    for term in terms:
        out.append(term)
        if " " in term.strip():
            out.append(lemmatize_term(term, lemmatizer))
    return tuple(dict.fromkeys(out))


@Language.factory("hearing_cues", assigns=["doc.spans"])
def make_cues(nlp: Language, name: str):
    """Measure, level, stance and personal-data cues in ``doc.spans["cues"]`` and ``doc.spans["pii"]``."""

    def cues(doc: Doc) -> Doc:
        words, lemmas = doc_words(doc)
        spans = []
        for start, end, label in measure_cues(doc_text(doc)):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        spans += [Span(doc, s, e, label=label) for s, e, label in stance_cues(words, lemmas)]
        spans += [Span(doc, s, e, label=label) for s, e, label in level_cues(lemmas, words)]
        doc.spans["cues"] = spans
        pii = []
        for start, end, label in personal_data(doc_text(doc)):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                pii.append(span)
        doc.spans["pii"] = pii
        return doc

    return cues
