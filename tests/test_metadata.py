import pytest

from hearing_analysis.ingest._metadata import (
    dates_in, infer_metadata, letter_date, references, type_from_name)
from hearing_analysis.language import detect_language
from hearing_analysis.records import Extracted, Page, RespondentType


def doc(text, sender="", furniture=""):
    return Extracted(kind="text", pages=[Page(1, text)], sender=sender, furniture=furniture)


def test_letterhead_respondent_and_type():
    text = "Råde kommune\n\nOsloregionen IPR\nPostboks 1\n\nRåde, 27. mai 2024\n\nVi viser til høringen om Osloregionen."
    m = infer_metadata(doc(text), "scan.pdf", exclude=("Osloregionen IPR",))
    assert (m.respondent, m.respondent_type) == ("Råde kommune", RespondentType.KOMMUNE)
    assert m.date == "2024-05-27"


@pytest.mark.parametrize("text,name,expected", [
    ("Kongsbergregionen\n\nFelles uttale frå regionrådet.", "x.docx", ("Kongsbergregionen IPR", "regionraad")),
    ("Brev\n\nMed vennlig hilsen\nStatens vegvesen\nTransport og samfunn", "x.pdf", ("Statens vegvesen", "stat")),
    ("Innspill.", "Høringsuttalelse Lørenskog kommune.pdf", ("Lørenskog kommune", "kommune")),
    ("Innspill.", "2024-05-28_mosseregionen_horingsinnspill.docx", ("Mosseregionen IPR", "regionraad")),
    ("Viken Logistikk AS\n\nVi mener …", "x.pdf", ("Viken Logistikk AS", "naeringsliv")),
    ("Naturvernforbundet i Asker\n\nVi mener …", "x.pdf", ("Naturvernforbundet i Asker", "organisasjon")),
    ("Jeg er sint på planen.\n\nMed vennlig hilsen\nPer Olav Hansen", "innspill.txt", ("Per Olav Hansen", "privat")),
])
def test_respondent_sources(text, name, expected):
    m = infer_metadata(doc(text), name)
    assert (m.respondent, str(m.respondent_type)) == expected


def test_email_sender_wins_over_body_mentions():
    m = infer_metadata(doc("Vi støtter Asker kommune og Bærum kommune i dette.", sender="Postmottak Nittedal kommune <postmottak@nittedal.kommune.no>"), "mail.eml")
    assert m.respondent == "Nittedal kommune"


def test_sender_domain():
    m = infer_metadata(doc("Kort tekst.", sender="<post@nesodden.kommune.no>"), "mail.eml")
    assert m.respondent == "Nesodden kommune"


def test_dates_and_references():
    assert dates_in("Dato: 03.06.2024") and dates_in("Dato: 03.06.2024")[0].isoformat() == "2024-06-03"
    assert dates_in("31.02.2024") == []
    assert letter_date(["Vi viser til brev av 29. april 2024 om høring av strategiske føringer for regionen", "Asker, 5. juni 2024"]).isoformat() == "2024-06-05"
    refs = references("Vår ref.: 24/01234-3   Deres ref.: 2024/77\nDato: 1.6.2024")
    assert refs == {"var": "24/01234-3", "deres": "2024/77"}


def test_type_from_unknown_names():
    assert type_from_name("Vestfold og Telemark fylkeskommune") is RespondentType.FYLKESKOMMUNE
    assert type_from_name("Miljødirektoratet") is RespondentType.STAT
    assert type_from_name("Hurum Sag ASA") is RespondentType.NAERINGSLIV
    assert type_from_name("Foreningen for fjordvern") is RespondentType.ORGANISASJON


def test_language_nb_nn_en():
    assert detect_language("Vi mener at kommunene må få et større ansvar for arbeidet, og at det ikke er riktig å vente.") == "nb"
    assert detect_language("Vi meiner at kommunane må få eit større ansvar for arbeidet, og at det ikkje er rett å venta.") == "nn"
    assert detect_language("We support the proposal and think the region should invest more in rail.") == "en"
    assert detect_language("Hei") == ""


@pytest.mark.parametrize("text,expected", [
    ("Vi støtter målet.", "nb"),                                    # lingua alone says Danish
    ("Husbanken har ingen ytterligere merknader.", "nb"),           # lingua alone says Swedish
    ("Vi har ingen merknader til kapitla om investering og talent.", "nn"),
    ("Vi stödjer målet och tycker att regionen ska växa.", "other"),  # real Swedish stays other
])
def test_short_norwegian_is_not_read_as_danish_or_swedish(text, expected):
    assert detect_language(text) == expected
