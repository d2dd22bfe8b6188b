"""Lemmas for bokmål and nynorsk.

simplemma's ``nb`` and ``nn`` dictionaries give the lemma of known forms
("mener" → mene, "saken" → sak, "kommunane" → kommune). For forms it does not
know, Norsk Ordbank's full-form table as spaCy's ``spacy-lookups-data`` ships
it (``nb_lemma_exc``, about 615,000 forms) is tried, and then the longest known
head of a compound ("kollektivtransporttilbudet" → "kollektivtransport" +
"tilbud"). The Ordbank table also tells whether a string is a Norwegian word,
which compound-aware taxonomy matching needs.
"""
from __future__ import annotations

import functools
import gzip
import json
from importlib import resources

MIN_HEAD = 4
MIN_MODIFIER = 3


def _lookups(name: str) -> dict:
    try:
        path = resources.files("spacy_lookups_data") / "data" / name
        with path.open("rb") as f:
            return json.loads(gzip.decompress(f.read()))
    except (ModuleNotFoundError, FileNotFoundError):
        return {}


@functools.lru_cache(maxsize=1)
def _ordbank() -> dict[str, str]:
    """form -> a lemma, over all parts of speech (nouns win ties)."""
    raw = _lookups("nb_lemma_exc.json.gz")
    table: dict[str, str] = {}
    for pos in ("adv", "adj", "verb", "noun"):
        for form, lemmas in raw.get(pos, {}).items():
            table[form] = lemmas[0]
    for form, lemma in _lookups("nb_lemma_lookup.json.gz").items():
        table[form.lower()] = lemma.lower()
    return table


@functools.lru_cache(maxsize=1)
def _overrides() -> dict[tuple[str, str], str]:
    text = (resources.files("hearing_analysis") / "data" / "lemmas" / "overrides.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines()[1:]:
        if line.strip():
            form, lemma, lang = line.split("\t")
            for code in (("nb", "nn") if lang == "*" else (lang,)):
                out[(form, code)] = lemma
    return out


@functools.lru_cache(maxsize=1)
def nynorsk_to_bokmal() -> dict[str, str]:
    """Nynorsk lemma -> the bokmål lemma of the same word (``data/lemmas/nn_nb.tsv``), for the trained
    models' features (``Params.bokmal_lemmas``)."""
    text = (resources.files("hearing_analysis") / "data" / "lemmas" / "nn_nb.tsv").read_text("utf-8")
    return dict(line.split("\t") for line in text.splitlines()[1:] if line.strip())


class Lemmatizer:
    """Lower-case lemma of a word for ``nn``, or ``nb`` (any other code but ``en``)."""

    def __init__(self) -> None:
        import simplemma

        self._simplemma = simplemma
        self.ordbank = _ordbank()
        self.overrides = _overrides()
        self.lemma = functools.lru_cache(maxsize=300_000)(self._lemma)
        self._known = functools.lru_cache(maxsize=300_000)(self._is_word)
        for code in ("nb", "nn"):  # load both dictionaries now, not on the first word of each
            simplemma.is_known("kommune", lang=code)

    def is_word(self, word: str, lang: str = "nb") -> bool:
        """Whether a lower-case string is a known Norwegian word form."""
        return self._known(word, lang)

    def _is_word(self, word: str, lang: str) -> bool:
        return word in self.ordbank or self._simplemma.is_known(word, lang="nn" if lang == "nn" else "nb")

    def _lemma(self, word: str, lang: str) -> str:
        low = word.lower()
        if not low.isalpha():
            return low
        if lang == "en":
            return low  # other and unknown languages are read as bokmål: short texts are often misjudged
        code = "nn" if lang == "nn" else "nb"
        fixed = self.overrides.get((low, code))
        if fixed is not None:
            return fixed
        lemma = self._simplemma.lemmatize(low, lang=code).lower()
        if lemma == low and not self._simplemma.is_known(low, lang=code):
            if low in self.ordbank:
                lemma = self.ordbank[low]
            elif low.endswith("s") and len(low) > 4 and self._is_word(low[:-1], code):
                return self.lemma(low[:-1], lang)  # genitive: "statens" → stat
            else:
                lemma = self._compound(low, code) or low
        return self._tidy(low, lemma, code)

    def _tidy(self, form: str, lemma: str, code: str) -> str:
        """Dictionary conventions: participles in -ert to -ere; nynorsk e-infinitives."""
        if lemma == form and form.endswith("ert") and self._is_word(form[:-1] + "e", code):
            return form[:-1] + "e"
        if code == "nn" and len(lemma) > 4 and lemma.endswith("a") and lemma != form and self._simplemma.is_known(lemma[:-1] + "e", lang="nn"):
            return lemma[:-1] + "e"
        return lemma

    def _compound(self, word: str, code: str) -> str | None:
        """Lemmatise an unknown compound on its longest known head."""
        for i in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
            head = word[i:]
            if self._simplemma.is_known(head, lang=code):
                return word[:i] + self._simplemma.lemmatize(head, lang=code).lower()
            if head in self.ordbank:
                return word[:i] + self.ordbank[head]
        return None


@functools.lru_cache(maxsize=1)
def get_lemmatizer() -> Lemmatizer:
    return Lemmatizer()
