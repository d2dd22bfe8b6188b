"""Segmentation of responses into comments: furniture, openings, headings, lists, tables, provenance."""
import json

import pytest

from conftest import EXAMPLE
from hearing_analysis import Workspace
from hearing_analysis.records import CommentKind, Page
from hearing_analysis.segment import split_comments

LETTER = [
    Page(1, "Råde kommune\n\nPostboks 10, 1641 Råde\n\nOsloregionen IPR\nv/sekretariatet\n\n"
            "Vår ref.: 24/1\n\nRåde, 27. mai 2024\n\nHøringsuttalelse – strategiske føringer\n\n"
            "Vi viser til høringsbrev av 29. april 2024. Saken ble behandlet i formannskapet 23. mai.\n\n"
            "Transport og mobilitet\n\n"
            "Kommunen er opptatt av et godt togtilbud. Vi ber om at Osloregionen arbeider for at Råde får stopp for "
            "regiontogene, og at busstilbudet styrkes fram til den nye stasjonen er ferdig og kan tas i bruk av nærings-"),
    Page(2, "livet og innbyggerne.\n\nVi foreslår at følgende tas med i handlingsplanen:\n\n"
            "• et felles kunnskapsgrunnlag om avrenning\n\n• en årlig rapport om fjorden\n\n"
            "Vi mener regionen bør satse på\n\n• sykkel,\n\n• gange og\n\n• buss.\n\n"
            "Tiltak | Ansvar\nKartlegge arealer | Fylket\nNettverk for havner | Sekretariatet\n\n"
            "Dette gjelder også Moss.\n\n"
            "Med vennlig hilsen\n\nKari Fjeld\nordfører\n\nKontakt: kari@rade.kommune.no"),
]


@pytest.fixture(scope="module")
def units():
    return split_comments("rade-2024", LETTER, "nb")


def comments(units):
    return [u for u in units if u.kind is not CommentKind.FURNITURE]


def test_furniture_is_split_off_and_marked(units):
    furniture = [u.text for u in units if u.kind is CommentKind.FURNITURE]
    for piece in ("Råde kommune", "Postboks 10, 1641 Råde", "Vår ref.: 24/1", "Råde, 27. mai 2024",
                  "Med vennlig hilsen", "Kari Fjeld\nordfører", "Kontakt: kari@rade.kommune.no",
                  "Høringsuttalelse – strategiske føringer"):
        assert piece in furniture, piece
    assert not any("Postboks" in c.text or "hilsen" in c.text for c in comments(units))


def test_opening_is_its_own_unit(units):
    first, second = comments(units)[:2]
    assert first.kind is CommentKind.OPENING and first.text == "Vi viser til høringsbrev av 29. april 2024."
    assert second.text == "Saken ble behandlet i formannskapet 23. mai." and second.heading == ""


def test_heading_context_and_page_join(units):
    train = comments(units)[2]
    assert train.heading == "Transport og mobilitet"
    assert train.text.endswith("næringslivet og innbyggerne.") and train.pages == (1, 2)


def test_items_become_comments_with_their_lead(units):
    items = [c for c in comments(units) if c.text.startswith("• et") or c.text.startswith("• en")]
    assert [c.lead for c in items] == ["Vi foreslår at følgende tas med i handlingsplanen:"] * 2
    assert not any(c.text == "Vi foreslår at følgende tas med i handlingsplanen:" for c in comments(units))


def test_sentence_fragments_stay_one_comment(units):
    merged = [c for c in comments(units) if c.text.startswith("Vi mener regionen bør satse på")]
    assert len(merged) == 1 and "• sykkel," in merged[0].text and "• buss." in merged[0].text


def test_table_rows_become_comments_with_the_header_as_lead(units):
    rows = [c for c in comments(units) if c.lead == "Tiltak | Ansvar"]
    assert [r.text for r in rows] == ["Kartlegge arealer | Fylket", "Nettverk for havner | Sekretariatet"]
    assert any(c.text == "Dette gjelder også Moss." for c in comments(units))  # a table row is not merged into


def test_short_continuation_merges_with_the_point_before():
    units = split_comments("x", [Page(1, "Innspill\n\nKommunen ber om at jordvernet styrkes i hele regionen, "
                                        "særlig rundt de nye stasjonene.\n\nDette gjelder også Moss.\n\n"
                                        "Vi har ingen flere merknader til planen.")], "nb")
    texts = [c.text for c in comments(units)]
    assert texts == ["Kommunen ber om at jordvernet styrkes i hele regionen, særlig rundt de nye stasjonene.\n\n"
                     "Dette gjelder også Moss.", "Vi har ingen flere merknader til planen."]


def test_provenance_offsets_point_into_the_text(units):
    text = "\n\n".join(p.text for p in LETTER)
    for u in units:
        if len(u.pages) == 1 and "\n" not in u.text and not u.lead.startswith("Tiltak"):
            assert text[u.start:u.end] == u.text, u.id
    ids = [u.id for u in comments(units)]
    assert ids == [f"rade-2024#{n}" for n in range(1, len(ids) + 1)]


def test_nynorsk_comment_language_detected():
    units = split_comments("x", [Page(1, "Innspel\n\nVi meiner at kommunane må få meir ansvar for dette arbeidet.")], "nb")
    assert comments(units)[0].language == "nn"


# Expectations for the example inbox, written down by reading the responses.
EXPECTED = {
    # response id: (number of comments, {comment n: (heading, start of text, pages)})
    "rade-kommune-2024-05-27": (11, {
        1: ("", "Vi viser til høringsbrev av 29. april 2024.", [1]),
        5: ("By- og regionutvikling", "Råde er en landbrukskommune", [1]),
        7: ("Klima, miljø og natur og Oslofjorden", "Kurefjorden naturreservat", [1, 2]),
        8: ("Klima, miljø og natur og Oslofjorden", "• et felles kunnskapsgrunnlag", [2]),
        11: ("Øvrige merknader", "Råde kommune har ingen merknader", [2]),
    }),
    "mosseregionen-ipr-2024-05-27": (25, {
        2: ("", "Styret i Mosseregionen IPR behandlet saken", [1]),
        3: ("", "1. Styret i Mosseregionen IPR slutter seg til", [1]),
        13: ("Tverrgående temaer > Grønn næringstransport", "Moss havn er en viktig containerhavn", [1]),
        17: ("Forslag til tiltak i handlingsplanen", "Felles kartlegging av næringsarealer", [1]),
        25: ("Oppsummering", "Vi ser fram til det videre samarbeidet.", [1]),
    }),
    "kongsbergregionen-ipr-2024-06-17": (19, {
        1: ("", "Vi viser til høyringsbrev frå Osloregionen IPR", [1]),
        10: ("Kraft", "• arbeide for at kommunar som er vertskap", [1]),
        15: ("Oppsummering", "Kongsbergregionen IPR og Rollag kommune sluttar seg til", [1]),
        16: ("Oppsummering", "• distrikta blir ein tydelegare del", [1]),
    }),
}


@pytest.fixture(scope="module")
def example_ws(tmp_path_factory):
    import tomllib

    manifest = tomllib.loads((EXAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    ws = Workspace.create(tmp_path_factory.mktemp("seg") / "ws", deadline=manifest["deadline"],
                          extensions=manifest["extensions"])
    ws.ingest([EXAMPLE / "inbox"], received_from_folder=True)
    ws.segment()
    yield ws
    ws.close()


@pytest.mark.parametrize("response_id", sorted(EXPECTED))
def test_example_responses_segment_as_expected(example_ws, response_id):
    count, checks = EXPECTED[response_id]
    rows = [r for r in example_ws.comment_rows() if r["response_id"] == response_id]
    assert len(rows) == count, [r["text"][:40] for r in rows]
    by_n = {r["n"]: r for r in rows}
    for n, (heading, start, pages) in checks.items():
        assert by_n[n]["heading"] == heading, (n, by_n[n]["heading"])
        assert by_n[n]["text"].startswith(start), (n, by_n[n]["text"][:60])
        assert by_n[n]["pages"] == pages


def test_every_comment_is_clean_and_traceable(example_ws):
    docs = {d["id"]: d for d in example_ws.document_rows()}
    rows = example_ws.comment_rows()
    assert len(rows) > 150
    for r in rows:
        assert not r["text"].startswith(("Med vennlig hilsen", "Postboks", "Vår ref")), r["id"]
        doc_text = docs[r["response_id"]]["text"]
        if len(r["pages"]) == 1 and not r["lead"].count("|"):
            assert doc_text[r["start"]:r["end"]] == r["text"], r["id"]
        page_text = {p["number"]: p["text"] for p in docs[r["response_id"]]["pages"]}[r["pages"][0]]
        assert r["text"][:30] in page_text or len(r["pages"]) > 1 or "|" in r["text"]


def test_segment_is_idempotent_and_redo_replaces(example_ws):
    before = [r["id"] for r in example_ws.comment_rows()]
    assert example_ws.segment().responses == 0
    again = example_ws.segment(redo=True)
    assert again.responses == 14 and [r["id"] for r in example_ws.comment_rows()] == before


def test_export_comments_fields(example_ws):
    rec = json.loads(example_ws.export_comments("jsonl").splitlines()[0])
    for key in ("id", "response_id", "respondent", "respondent_type", "heading", "text", "page", "start", "end",
                "language"):
        assert key in rec


@pytest.mark.skipif(not (EXAMPLE.parents[1] / "models" / "default" / "model.skops").is_file(), reason="ingen levert modell")
def test_analyze_labels_every_comment_once(example_ws):
    report = example_ws.analyze()
    rows = example_ws.comment_rows()
    assert report.comments == len(rows) > 150
    for r in rows:
        assert r["level"] in ("strategisk", "tiltak", "prosess") and r["stance"] in ("stotte", "innvending", "noytral")
        assert isinstance(r["focus_areas"], list) and r["model"] == report.model
    assert example_ws.analyze().comments == 0  # nothing new
    assert example_ws.analyze(redo=True).comments == len(rows)
    openings = [r for r in rows if r["kind"] == "opening"]
    assert sum(r["level"] == "prosess" for r in openings) >= 0.8 * len(openings)
    # each response is classified as a whole: its stored focus-area scores are those of its comments read together
    from hearing_analysis.classify import load_model, predict_labels

    rid = max({r["response_id"] for r in rows}, key=lambda x: sum(r["response_id"] == x for r in rows))
    got = [dict(r) for r in example_ws.db.execute(
        "SELECT c.text, c.heading, c.lead, c.language, p.scores FROM comments c JOIN predictions p ON p.comment_id = c.id "
        "WHERE c.response_id = ? AND c.kind != 'furniture' ORDER BY c.position", (rid,))]
    args = ([g["text"] for g in got], [g["heading"] for g in got], [g["lead"] for g in got], [g["language"] for g in got])
    model = load_model()
    together = predict_labels(model, *args, responses=[rid] * len(got))
    alone = predict_labels(model, *args)
    stored = [json.loads(g["scores"])["focus_areas"] for g in got]
    assert stored == [x.scores["focus_areas"] for x in together] != [x.scores["focus_areas"] for x in alone]
