"""The board annex: DOCX structure, self-contained HTML, delta reports, human labels and personal data."""
from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from html.parser import HTMLParser

import pytest
from builders import make_eml
from conftest import EXAMPLE
from typer.testing import CliRunner

from hearing_analysis import Workspace
from hearing_analysis.cli import app
from hearing_analysis.report import build_report, reports, write_report
from hearing_analysis.report.points import group_points

FIXED_SECTIONS = ["Om høringen", "Hovedinntrykk", "Innspill per innsatsområde", "Innspill per tverrgående tema",
                  "Innspill på tiltaksnivå til handlingsplanen", "Høringsinstansene", "Vedlegg: innkomne filer"]


def docx_text(path) -> tuple[list[tuple[str, str]], str]:
    """(style, text) of every paragraph, and all text including tables."""
    from docx import Document

    doc = Document(str(path))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paras, "\n".join([t for _, t in paras] + cells)


@pytest.fixture(scope="module")
def written(analysed_example, tmp_path_factory):
    target = tmp_path_factory.mktemp("report") / "ws"
    shutil.copytree(analysed_example, target)
    ws = Workspace.open(target)
    result = write_report(ws, ("docx", "html", "md"))
    yield ws, result
    ws.close()


def test_docx_has_sections_headings_charts_and_every_respondent(written):
    ws, result = written
    docx = next(f for f in result.files if f.suffix == ".docx")
    paras, text = docx_text(docx)
    headings = {t: s for s, t in paras if s.startswith("Heading") or s == "Title"}
    for name in FIXED_SECTIONS:
        assert headings.get(name) == "Heading 1", name
    for lab in (*ws.taxonomy.focus_areas, *ws.taxonomy.themes):
        assert headings.get(lab.name) == "Heading 2", lab.code
    responses = [d for d in ws.document_rows(include_text=False)
                 if d["role"] == "response" and d["status"] == "ok" and not d["superseded_by"]]
    assert result.responses == len(responses) == 14
    for d in responses:
        assert d["respondent"] in text, d["respondent"]
    with zipfile.ZipFile(docx) as z:
        assert sum(n.startswith("word/media/") for n in z.namelist()) >= 2  # the charts are embedded
    # Points quote a respondent with a page, and group respondents who make the same point.
    assert re.search(r"– [^,\n]+, s\. \d+", text)
    assert "Flere instanser (" in text


def test_html_is_one_self_contained_file(written):
    _, result = written
    html = next(f for f in result.files if f.suffix == ".html").read_text(encoding="utf-8")

    class Refs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.refs, self.tags = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            for k, v in attrs:
                if k in ("src", "href"):
                    self.refs.append(v)

    p = Refs()
    p.feed(html)
    assert p.refs and all(r.startswith("data:image/png;base64,") for r in p.refs)
    assert "link" not in p.tags and "script" not in p.tags
    for name in FIXED_SECTIONS:
        assert f">{name}</h2>" in html


def test_report_is_recorded_with_its_responses(written):
    ws, result = written
    recorded = [r for r in reports(ws) if r["id"] == result.id]
    assert len(recorded) == 1 and len(recorded[0]["responses"]) == result.responses
    assert any(e["command"] == "report" and e["counts"]["id"] == result.id for e in ws.events())


def test_markdown_measures_table_lists_every_measure_comment(written):
    ws, result = written
    md = next(f for f in result.files if f.suffix == ".md").read_text(encoding="utf-8")
    chapter = md.split("# Innspill på tiltaksnivå til handlingsplanen")[1].split("\n## ")[0]
    rows = [ln for ln in chapter.splitlines() if ln.startswith("| ") and not ln.startswith("| Instans")]
    measures = [r for r in ws.comment_rows() if r["level"] == "tiltak"]
    assert len(rows) == len(measures) == result.measures > 0


def test_delta_report_has_only_the_new_responses(tmp_path):
    manifest = tomllib.loads((EXAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    ws = Workspace.create(tmp_path / "ws", deadline=manifest["deadline"], extensions=manifest["extensions"])
    waves = sorted(p for p in (EXAMPLE / "inbox").iterdir() if p.is_dir())
    ws.ingest(waves[:1], received_from_folder=True)
    ws.segment()
    ws.analyze()
    first = write_report(ws, ("md",))
    old = {d["respondent"] for d in ws.document_rows(include_text=False) if d["role"] == "response"}
    ws.ingest(waves[1:], received_from_folder=True)
    ws.segment()
    ws.analyze()
    new = {d["respondent"] for d in ws.document_rows(include_text=False)
           if d["role"] == "response" and d["status"] == "ok"} - old
    assert new
    delta = build_report(ws, since="last", charts=False)
    assert delta.since["id"] == first.id
    names = {r.name for r in delta.respondents}
    assert names == new
    assert all(r.new for r in delta.respondents)
    result = write_report(ws, ("md",), since=first.id)
    md = result.files[0].read_text(encoding="utf-8")
    assert f"Nye innspill siden rapport {first.id}" in md
    table = md.split("# Høringsinstansene")[1].split("\n## ")[0]
    for name in old - new:
        assert f"| {name} |" not in table
    ws.close()


def test_human_labels_take_precedence(example_copy):
    ws = example_copy
    target = next(r for r in ws.comment_rows() if r["level"] == "prosess" and len(r["text"]) > 40)
    ws.set_labels(target["id"], "Saksbehandler", level="tiltak", focus_areas=["transport"])
    report = build_report(ws, charts=False)
    assert target["id"] in {m.id for m in report.measures}
    assert report.reviewed == 1
    transport = next(s for s in report.focus_sections if s.code == "transport")
    assert target["id"] in {cid for p in transport.points for cid in p.comment_ids} or transport.more_points
    ws.set_labels(target["id"], "Saksbehandler", level="prosess")
    assert target["id"] not in {m.id for m in build_report(ws, charts=False).measures}


FNR = "01010101006"  # valid check digits, not a real person's


@pytest.fixture
def private_ws(ws, tmp_path):
    body = ("Innspill til strategien\n\n"
            "Jeg bor på Jessheim og pendler hver dag til Oslo. Bussene går for sjelden om kvelden, og jeg mener "
            "strategien må prioritere et bedre kollektivtilbud mellom regionbyene og hovedstaden.\n\n"
            "Jeg foreslår at Osloregionen setter av penger til en prøveordning med nattbuss fra Jessheim "
            "innen 2026.\n\n"
            f"Ta gjerne kontakt på kari.nordmann@example.no eller 912 34 567. Fødselsnummer {FNR}.\n\n"
            "Med vennlig hilsen\nKari Nordmann\n")
    path = tmp_path / "innspill fra Kari Nordmann.eml"
    path.write_bytes(make_eml(body, "Kari Nordmann <kari.nordmann@example.no>", "Mon, 20 May 2024 10:00:00 +0200"))
    ws.ingest([path])
    ws.segment()
    ws.analyze()
    doc = ws.document_rows(include_text=False)[0]
    assert doc["respondent_type"] == "privat" and "nordmann" not in doc["id"].lower()
    return ws


SECRETS = ("Kari", "Nordmann", "kari.nordmann@example.no", "912 34 567", FNR)


def test_no_personal_data_in_any_report_format(private_ws, tmp_path):
    result = write_report(private_ws, ("docx", "html", "md"), out_dir=tmp_path / "out")
    for f in result.files:
        text = docx_text(f)[1] if f.suffix == ".docx" else f.read_text(encoding="utf-8")
        assert "Privatperson 1" in text, f.name
        for secret in SECRETS:
            assert secret not in text, (f.name, secret)


def test_show_personal_data_is_explicit(private_ws, tmp_path):
    result = write_report(private_ws, ("md",), out_dir=tmp_path / "out", pseudonymise=False)
    text = result.files[0].read_text(encoding="utf-8")
    assert "Kari Nordmann" in text


def test_points_group_similar_comments_from_different_respondents():
    rows = [
        {"id": "a#1", "respondent": "Asker kommune", "respondent_type": "kommune", "page": 2, "stance": "innvending",
         "text": "Strategien må gi regionbyene en tydeligere rolle som motorer for sine omland."},
        {"id": "b#1", "respondent": "Råde kommune", "respondent_type": "kommune", "page": 1, "stance": "innvending",
         "text": "Vi mener strategien må gi regionbyene en tydelig rolle som motor for omlandet sitt."},
        {"id": "c#1", "respondent": "Lørenskog kommune", "respondent_type": "kommune", "page": 3, "stance": "stotte",
         "text": "Nettkapasiteten er en flaskehals for nye næringsetableringer; kraft må prioriteres."},
    ]
    points, total = group_points(rows, lambda r: r["respondent"])
    assert len(points) == total == 2
    assert sorted(points[0].respondents) == ["Asker kommune", "Råde kommune"]
    assert points[0].stance == {"innvending": 2}
    assert points[1].respondents == ["Lørenskog kommune"]


def test_cli_report_and_unknown_since(analysed_example, tmp_path):
    target = tmp_path / "ws"
    shutil.copytree(analysed_example, target)
    runner = CliRunner()
    res = runner.invoke(app, ["-w", str(target), "report", "-f", "md", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "out").glob("*.md"))) == 1
    res = runner.invoke(app, ["-w", str(target), "report", "--since", "R99-x", "-f", "md"])
    assert res.exit_code != 0 and "R99-x" in res.output + str(res.exception)
    res = runner.invoke(app, ["-w", str(target), "report", "-f", "pdf"])
    assert res.exit_code != 0 and "pdf" in res.output + str(res.exception)


def test_rerun_replaces_the_same_report(example_copy, tmp_path):
    first = write_report(example_copy, ("md",), out_dir=tmp_path)
    again = write_report(example_copy, ("md",), out_dir=tmp_path)
    assert again.id == first.id and len(reports(example_copy)) == 1
    assert len(list(tmp_path.glob("*.md"))) == 1
    empty = write_report(example_copy, ("md",), out_dir=tmp_path, since="last")
    assert empty.responses == 0 and empty.since == first.id
