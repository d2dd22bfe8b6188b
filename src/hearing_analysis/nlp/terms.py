"""Compound-aware matching of taxonomy terms on lemmas.

Norwegian writes compounds as one word, so a term must match inside them:
"kollektivtransporttilbudet" (lemma "kollektivtransporttilbud") carries the term
"kollektivtransport" as its first part, "avløpsrenseanlegg" the term
"renseanlegg" as its head. A part only counts when the rest of the word is a
word too (after a linking s or e), so "naturlig" does not match "natur". When
several terms match one word, the longest wins ("næringstransport" is
grønn næringstransport, not næring).

A word is looked up by its lemma and then by its other readings (its own
form, the Ordbank noun reading), because a lemmatizer that picks the verb
reading of a noun ("buss" → busse, "flom" → flomme) must not hide the term.
Each word of a multi-word term may match by any of these readings too.
Road numbers and abbreviations ("e39", "rv.") are terms like any other.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MIN_PART = 4  # shortest term matched inside a compound
MIN_REST = 3  # shortest remaining part
LINKS = ("", "s", "e")


@dataclass(frozen=True)
class TermHit:
    start: int  # token index
    end: int
    term: str
    labels: tuple[str, ...]


class TermMatcher:
    """Match the terms of a taxonomy (label code -> terms) on a sequence of lemmas."""

    def __init__(self, terms_by_label: dict[str, tuple[str, ...]], is_word: Callable[[str], bool]):
        self.single: dict[str, tuple[str, ...]] = {}
        self.multi: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        labels_of: dict[str, list[str]] = {}
        for label, terms in terms_by_label.items():
            for term in terms:
                labels_of.setdefault(term.lower().strip(), []).append(label)
        for term, labels in labels_of.items():
            words = tuple(term.split())
            if len(words) == 1:
                self.single[term] = tuple(labels)
            else:
                self.multi.setdefault(words[0], []).append((words, tuple(labels)))
        for forms in self.multi.values():
            forms.sort(key=lambda wl: len(wl[0]), reverse=True)
        self.is_word = is_word
        self._cache: dict[str, str | None] = {}

    def word_term(self, lemma: str) -> str | None:
        """The longest term found in one word (whole, first part or head), or None."""
        if lemma in self._cache:
            return self._cache[lemma]
        best = lemma if lemma in self.single else None
        n = len(lemma)
        if best is None and n >= MIN_PART + MIN_REST:
            for i in range(n - MIN_REST, MIN_PART - 1, -1):  # first part: longest first
                part = lemma[:i]
                if part in self.single and self._rest_is_word(lemma[i:]):
                    best = part
                    break
            for i in range(MIN_REST, n - MIN_PART + 1):  # head: longest first
                head = lemma[i:]
                if head in self.single and (best is None or len(head) > len(best)) and self._modifier_is_word(lemma[:i]):
                    best = head
                    break
        self._cache[lemma] = best
        return best

    def _rest_is_word(self, rest: str) -> bool:
        """The part after a first-part term is a word, after an optional linking s/e."""
        return any(rest.startswith(link) and len(rest) - len(link) >= MIN_REST and self.is_word(rest[len(link):])
                   for link in LINKS)

    def _modifier_is_word(self, modifier: str) -> bool:
        """The part before a head term is a word, possibly with a linking s/e at its end."""
        return self.is_word(modifier) or (modifier[-1] in "se" and len(modifier) > MIN_REST
                                          and self.is_word(modifier[:-1]))

    def match(self, lemmas: list[str], readings: list[tuple[str, ...]] | None = None) -> list[TermHit]:
        """Term hits over a sentence or text given as lower-case lemmas (and, per word, other readings to try)."""
        hits: list[TermHit] = []
        i = 0
        while i < len(lemmas):
            lemma = lemmas[i]
            phrase = self._phrase_at(i, lemmas, readings)
            if phrase is not None:
                hits.append(phrase)
                i = phrase.end
                continue
            term = None
            for form in (lemma, *(readings[i] if readings else ())):
                key = form.rstrip(".") if len(form) > 1 else form
                if key.isalnum() or "-" in key:
                    term = self.word_term(key)
                    if term is not None:
                        break
            if term is not None:
                hits.append(TermHit(i, i + 1, term, self.single[term]))
            i += 1
        return hits

    def _phrase_at(self, i: int, lemmas: list[str], readings: list[tuple[str, ...]] | None) -> TermHit | None:
        """The longest multi-word term starting at word ``i``; each word may match by lemma or another reading
        ("ei tomt" where the lemmatizer read "tomt" as the adjective "tom")."""
        def forms(k: int) -> tuple[str, ...]:
            return (lemmas[k], *readings[k]) if readings else (lemmas[k],)

        starts = [f for f in forms(i) if f in self.multi]
        if not starts:  # most words: no multi-word term starts with any reading
            return None
        starts = list(dict.fromkeys(starts))
        candidates = self.multi[starts[0]] if len(starts) == 1 else \
            sorted((wl for f in starts for wl in self.multi[f]), key=lambda wl: len(wl[0]), reverse=True)
        for words, labels in candidates:  # longest first
            end = i + len(words)
            if end <= len(lemmas) and all(w in forms(i + k) for k, w in enumerate(words)):
                return TermHit(i, end, " ".join(words), labels)
        return None
