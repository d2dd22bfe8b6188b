"""Målform: bokmål, nynorsk or English, for a whole response or a single comment.

Distinctive function words decide most texts (nynorsk "ikkje", "eit", "frå",
"kva" against bokmål "ikke", "et", "fra", "hva"). Lingua (the slowest step of
the language analysis) is asked only when they are close, or when English
function words appear: it tells English and other languages apart, and a short
English text can carry a stray marker ("methane", "et al.").
"""
from __future__ import annotations

import functools
import re

NN = frozenset("""
ikkje eit dei kva frå vere vore òg kommunane meiner korleis kvar berre mykje noko nokre sjølv sjølve
difor heile fleire særleg vidare høyring høyringa høyringsfråsegn fråsegn fråsegna eigen eiga eige
eigne ho hjå medan verksemd verksemder tilhøve dessutan vert vart me ynskjer ynskje gje gjev døme tenleg
framleis saman ein innan elles tidlegare innspel vedteke hushald avgjerande innbyggjarane opnar opne fylkeskommunane regionane kommunen_nn nokon nokså einig usemje kjem
betre meir utan heilt mogleg moglegheit moglegheiter naudsynt sidan særskilt
fyrst tiltaka innspela innspelet vegar skular dykk dykkar korleis
""".split())
NB = frozenset("""
ikke et de hva fra være vært kommunene mener hvordan hver bare mye noe noen selv derfor hele flere
særlig videre høring høringen høringsuttalelse uttalelse uttalelsen egen egne eget hun hos mens
virksomhet virksomheter dessuten ble ønsker ønske gi gir eksempel hensiktsmessig
fortsatt sammen fylkeskommunene regionene enig uenighet kommer bedre mer uten helt mulig mulighet
muligheter nødvendig spesielt først tiltakene disse denne dette
innspillene innspillet veier skoler hvilke hvis hvorfor en ellers følgende
""".split())
_WORD = re.compile(r"[a-zæøåòôéü]+")
# Plural and derivational endings that differ: kommunane/kommunene, høyringa/høringen, naudsynleg/nødvendig.
_SUFFIX_NN = re.compile(r"(ane|inga|ingar|leg|lege|legt|asjonar)$")
_SUFFIX_NB = re.compile(r"(ene|ingen|inger|lig|lige|ligt|asjoner)$")


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_languages(
        Language.BOKMAL, Language.NYNORSK, Language.ENGLISH, Language.DANISH, Language.SWEDISH, Language.GERMAN)
        .with_low_accuracy_mode().with_preloaded_language_models().build())


def marker_score(text: str) -> int:
    """Nynorsk markers minus bokmål markers (positive: nynorsk)."""
    return _marker_score(_WORD.findall(text.casefold()))


def _marker_score(words: list[str]) -> int:
    score = 0
    for w in words:
        if w in NN:
            score += 1
        elif w in NB:
            score -= 1
        elif len(w) > 5:
            score += _SUFFIX_NN.search(w) is not None
            score -= _SUFFIX_NB.search(w) is not None
    return score


EN = frozenset("the and of to is that we for are with this be not have".split())
DECISIVE = 3  # markers ahead by this many, and no English words: no need to ask lingua

# Words that Danish or Swedish use and Norwegian does not.
DA_SV = frozenset("af os efter mellem nogle meget hvad udvikling och inte att är för till".split())


def _looks_danish_or_swedish(words: list[str]) -> bool:
    return any("ä" in w or "ö" in w for w in words) or sum(w in DA_SV for w in words) >= 2


def _bokmal_or_nynorsk(text: str) -> str:
    from lingua import Language

    conf = {v.language: v.value for v in _detector().compute_language_confidence_values(text)}
    return "nn" if conf.get(Language.NYNORSK, 0.0) > conf.get(Language.BOKMAL, 0.0) else "nb"


def detect_language(text: str) -> str:
    """``nb``, ``nn``, ``en``, ``other``, or ``""`` when there is too little text."""
    sample = text[:6000]
    if len(sample.split()) < 3:
        return ""
    words = _WORD.findall(sample.casefold())
    score = _marker_score(words)
    if abs(score) >= DECISIVE and sum(w in EN for w in words) < 2:
        return "nn" if score > 0 else "nb"
    lang = _detector().detect_language_of(sample)
    code = {"BOKMAL": "nb", "NYNORSK": "nn", "ENGLISH": "en"}.get(lang.name, "other") if lang else "other"
    if code in ("nb", "nn", "other"):
        if score > 0:
            return "nn"
        if score < 0:
            return "nb"
    if lang is not None and lang.name in ("DANISH", "SWEDISH") and not _looks_danish_or_swedish(words):
        # Lingua reads many short Norwegian sentences ("Vi støtter målet.") as Danish or Swedish; in a
        # Norwegian consultation that takes positive evidence (ä/ö, Danish-only words).
        return _bokmal_or_nynorsk(sample)
    return code


def warm_up() -> None:
    """Build the detector with its language models once (before worker processes fork, so that each worker
    does not build its own: 30 ms per file). Detecting a sample would not do: a text with clear markers never
    reaches the detector."""
    _detector()
