"""The Norwegian pipeline: sentences, lemmas, compound-aware taxonomy matching, cues, personal data."""
import csv
from pathlib import Path

import pytest

from hearing_analysis.nlp import analyse, load_nlp
from hearing_analysis.nlp.cues import fnr_valid, personal_data, redact
from hearing_analysis.nlp.lemmas import get_lemmatizer

LEMMAS = Path(__file__).parent / "data" / "lemmas.tsv"


def doc(text, lang=None):
    return next(analyse([text], [lang] if lang else None))


@pytest.mark.parametrize("text,sentences", [
    ("Vi ber om f.eks. bl.a. en utredning, jf. kap. 3 i utkastet. Neste setning.", 2),
    ("Det gjelder ca. 5 mill. kr mv. og nr. 4 i pkt. 2, jf. § 11-7. Ferdig.", 2),
    ("Tiltaket bør være på plass innen 2026. Vi mener også noe annet.", 2),
    ("Vi viser til brev av 17. mai 2024 om saken.", 1),
    ("Dette gjelder kommunene, fylkene osv. Vi har ingen flere merknader.", 2),
    ("Kap. 4 handler om transport. Jf. også kap. 5.", 2),
])
def test_sentences_respect_abbreviations_and_numbers(text, sentences):
    assert len(list(doc(text).sents)) == sentences


def test_year_at_sentence_end_is_split_but_ordinal_is_not():
    d = doc("Prosjektet skal være ferdig innen 2026. Den 17. mai er fridag.")
    assert [t.text for t in d][5:7] == ["2026", "."]
    assert "17." in [t.text for t in d]


def test_lemma_accuracy_on_hand_checked_list():
    lem = get_lemmatizer()
    rows = list(csv.DictReader(LEMMAS.open(encoding="utf-8"), delimiter="\t"))
    for lang, floor in (("nb", 0.95), ("nn", 0.92)):
        sub = [r for r in rows if r["lang"] == lang]
        right = sum(lem.lemma(r["form"], lang) == r["lemma"] for r in sub)
        assert len(sub) >= 150 and right / len(sub) >= floor, (lang, right / len(sub))


def test_lemmas_in_pipeline_for_both_written_standards():
    assert [t.lemma_ for t in doc("Kommunene mener tiltakene bør utredes.", "nb")][:5] == \
        ["kommune", "mene", "tiltak", "burde", "utrede"]
    assert [t.lemma_ for t in doc("Kommunane meiner tiltaka må greiast ut.", "nn")][:3] == ["kommune", "meine", "tiltak"]


@pytest.mark.parametrize("word,label", [
    ("kollektivtransporttilbudet", "transport"),
    ("næringstransporten", "gronn_transport"),
    ("avløpsrenseanlegg", "oslofjorden"),
    ("avløpsrenseanleggene", "oslofjorden"),
    ("kollektivtransporttilbodet", "transport"),
    ("nettkapasiteten", "kraft"),
    ("gjenbruksstasjonene", "sirkular"),
    ("busstilbudet", "transport"),  # the term "buss" is kept as written, not lemmatised to "busse"
    ("bygda", "by_region"),
    ("vannet", "oslofjorden"),  # found by its noun reading although the lemma is read as a verb
    ("E39", "transport"),  # road numbers are terms
    ("rv. 4", "transport"),
    ("ledige tomter", "by_region"),  # a plural the lemma lookup misses, listed as a term
    ("kollektivsatsinga", "transport"),  # a compound found through its first part
])
def test_compound_matching_positive(word, label):
    labels = tax_labels(f"Vi er opptatt av {word} i regionen.")
    assert label in labels, labels


def test_phrase_words_match_by_any_reading():
    from hearing_analysis.nlp.terms import TermMatcher

    m = TermMatcher({"by_region": ("ei tomt", "tomt til bustad")}, lambda w: False)
    # the lemmatizer read "ei tomt" as "ein tom"; the words' own forms still match the phrase
    hits = m.match(["vi", "kjøpte", "ein", "tom"], [("vi",), ("kjøpte",), ("ei", "ei"), ("tomt", "tomt")])
    assert [(h.start, h.end, h.term) for h in hits] == [(2, 4, "ei tomt")]
    assert m.match(["ein", "tom"]) == []  # without readings only the lemmas count
    # a phrase cut short by the end of the text does not match
    assert m.match(["tom", "til"], [("tomt",), ("til",)]) == []


def test_longest_term_wins_inside_a_compound():
    labels = tax_labels("Næringstransporten må bli utslippsfri.")
    assert "gronn_transport" in labels and "naering" not in labels


@pytest.mark.parametrize("text,not_label", [
    ("Det er naturlig at kommunen deltar.", "klima_miljo"),
    ("Arbeidskraft er en knapp ressurs.", "kraft"),
    ("Han havnet i en vanskelig situasjon.", "transport"),
    ("Vi ser selv at dette tar tid.", "oslofjorden"),
    ("Vi skal bygge flere skoler.", "by_region"),  # "bygd" must not match the verb it lemmatises to
    ("Vi må gå videre med saken.", "transport"),  # "gående" is a term, "gå" is not
    ("Nettverket og nettsiden vår er oppdatert.", "kraft"),
])
def test_compound_matching_negative(text, not_label):
    assert not_label not in tax_labels(text)


def cue_labels(text, lang=None):
    d = doc(text, lang)  # keep the Doc alive while its spans are read
    return [(s.text, s.label_) for s in d.spans["cues"]]


def tax_labels(text):
    d = doc(text)
    return {s.label_ for s in d.spans["taxonomy"]}


def test_negation_flips_support_and_objection():
    assert ("støtter", "support") in cue_labels("Vi støtter forslaget.")
    assert ("støtter", "negated_support") in cue_labels("Vi støtter ikke forslaget.")
    assert ("enige", "negated_support") in cue_labels("Vi er ikke enige i dette.")
    assert ("einige", "negated_support") in cue_labels("Vi er ikkje einige i dette.", "nn")
    assert ("savner", "objection") in cue_labels("Vi savner en omtale av havnene.")
    # "verken … eller" reaches to the end of the clause
    assert ("positive", "negated_support") in cue_labels("Vi er verken overbevist eller spesielt positive til dette.")
    # the scope ends at a clause break
    assert ("støtter", "support") in cue_labels("Vi har ikke sett analysen, men støtter forslaget.")


def test_measure_cues():
    labels = [lab for _, lab in cue_labels(
        "Osloregionen bør etablere et prosjekt innen 2026 med 5 mill. kr, og kartlegge 30 % av arealene.")]
    for want in ("actor", "action", "measure_noun", "deadline", "money", "percent"):
        assert want in labels, (want, labels)
    assert "deadline" not in [lab for _, lab in cue_labels("I 1990 var det annerledes.")]


def test_fodselsnummer_check_digits():
    assert fnr_valid("15076500565")
    assert not fnr_valid("15076500566")  # wrong second check digit
    assert not fnr_valid("01010112345")
    assert not fnr_valid("32076500565")  # no such day
    assert fnr_valid("55076500530") or not fnr_valid("55076500531")  # D-number shape is handled


def test_personal_data_spans_and_redaction():
    text = ("Kontakt Ola på ola.nordmann@asker.kommune.no eller tlf. 912 34 567 / +47 22 33 44 55, "
            "Storgata 12, 0155 Oslo. Fnr 15076500565, ikke 15076500566.")
    labels = [lab for _, _, lab in personal_data(text)]
    assert labels.count("pii_email") == 1 and labels.count("pii_phone") == 2
    assert labels.count("pii_fnr") == 1 and labels.count("pii_address") == 1
    red = redact(text)
    assert "ola.nordmann" not in red and "912 34 567" not in red and "15076500565" not in red
    assert "15076500566" in red  # an invalid number is not a fødselsnummer
    assert "innen 2026" in redact("Tiltaket skal være ferdig innen 2026.")  # years are not phone numbers


def test_language_is_detected_or_preset():
    assert doc("Vi meiner at kommunane bør få meir ansvar for dette arbeidet.")._.language == "nn"
    assert doc("Vi mener at kommunene bør få mer ansvar for dette arbeidet.")._.language == "nb"
    assert doc("Kort.", "nn")._.language == "nn"


def test_pipeline_is_registered_and_offline():
    import spacy

    nlp = load_nlp()
    assert nlp.pipe_names == ["hearing_tokenfix", "sentencizer", "hearing_sentfix", "hearing_language",
                              "hearing_lemmatizer", "hearing_taxonomy", "hearing_cues"]
    assert "hearing_cues" in spacy.registry.factories.get_all()
