from hearing_analysis.ingest._clean import clean_pages, dehyphenate, rebuild_paragraphs


def test_repeated_header_footer_and_page_numbers_removed():
    pages = [
        ["Råde kommune – Høringsuttalelse", "Første side tekst som er lang nok til å være brødtekst her.", "Side 1 av 3"],
        ["Råde kommune – Høringsuttalelse", "Andre side med mer brødtekst som fortsetter resonnementet.", "Side 2 av 3"],
        ["Råde kommune – Høringsuttalelse", "Tredje side avslutter brevet med en oppsummering av alt.", "Side 3 av 3"],
    ]
    texts, furniture = clean_pages(pages)
    assert all("Høringsuttalelse" not in t and "Side" not in t for t in texts)
    assert texts[1].startswith("Andre side")
    assert "Råde kommune – Høringsuttalelse" in furniture


def test_bare_page_number_lines_removed_even_on_two_pages():
    texts, _ = clean_pages([["Tekst på første side som er helt vanlig.", "- 1 -"], ["Mer tekst på side to.", "2"]])
    assert texts == ["Tekst på første side som er helt vanlig.", "Mer tekst på side to."]


def test_dehyphenation_joins_words_but_keeps_suspended_hyphen():
    assert dehyphenate("et godt kollektiv-", "tilbud mellom byene") == "et godt kollektivtilbud mellom byene"
    assert dehyphenate("ber om at nærings-", "og samfunnsutvikling") == "ber om at nærings- og samfunnsutvikling"
    assert dehyphenate("Oslo-", "Akershus") is None  # capital after the hyphen: a real hyphen


def test_paragraphs_rebuilt_and_bullets_kept_as_items():
    lines = [
        "Dette er en lang linje i et avsnitt som fortsetter på neste linje uten",
        "brudd, og slutter her.",
        "Nytt avsnitt begynner her og er også ganske langt for å ligne brødtekst.",
        "• første punkt",
        "– andre punkt som går over",
        "to linjer",
        "1. nummerert punkt",
    ]
    text = rebuild_paragraphs(lines)
    paras = text.split("\n\n")
    assert paras[0] == "Dette er en lang linje i et avsnitt som fortsetter på neste linje uten brudd, og slutter her."
    assert paras[1].startswith("Nytt avsnitt")
    assert paras[2] == "• første punkt"
    assert paras[3] == "• andre punkt som går over to linjer"
    assert paras[4] == "1. nummerert punkt"
