"""Label review round-trip: Excel export → edit with openpyxl → import → effective labels; agreement; retraining."""
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from hearing_analysis.classify import train
from hearing_analysis.classify.corpus import CorpusError, read_records
from hearing_analysis.classify.model import Params
from hearing_analysis.cli import app
from hearing_analysis.errors import ReviewError
from hearing_analysis.review import (export_review, import_review, kind_confidence, resolve_reviewer,
                                     review_agreement, reviewed_records, train_with_reviews)
from hearing_analysis.store.reviews import human_labels, record_label

ROOT = Path(__file__).resolve().parents[1]
FOCUS = ["naering", "by_region", "klima_miljo", "transport"]
THEMES = ["sirkular", "gronn_transport", "kraft", "oslofjorden", "profilering"]
FAST = Params(calibration_folds=2, threshold_folds=2, max_char_features=5000)
KINDS = ("focus_areas", "themes", "level", "stance")


def _sheet(path):
    wb = load_workbook(path)
    sh = wb["Gjennomgang"]
    header = {c.value: c.column for c in sh[1]}
    rows = {sh.cell(row=i, column=1).value: i for i in range(2, sh.max_row + 1)}
    return wb, sh, header, rows


def _other(value, choices):
    return next(c for c in choices if c != value)


def _review_count(ws) -> int:
    return ws.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]


def test_round_trip_changes_exactly_what_was_edited(example_copy, tmp_path):
    ws = example_copy
    before = {r["id"]: r for r in ws.comment_rows()}
    path = tmp_path / "review.xlsx"
    exported = export_review(ws, path, only="all")
    assert exported.rows == len(before)

    wb, sh, col, row_of = _sheet(path)
    ids = list(row_of)
    with_focus = [i for i in ids if before[i]["predicted_focus_areas"]]
    a = ids[0]                                      # level changed
    b = next(i for i in with_focus if i != a)       # one focus area removed, another added
    c = next(i for i in ids if i not in (a, b))     # marked Kontrollert, nothing changed
    d = next(i for i in ids if i not in (a, b, c))  # invalid stance (and a level change that must not be stored)

    new_level = _other(before[a]["level"], ("strategisk", "tiltak", "prosess"))
    sh.cell(row=row_of[a], column=col["nivå"], value=new_level)
    removed = before[b]["focus_areas"][0]
    added = next(f for f in FOCUS if f not in before[b]["focus_areas"])
    sh.cell(row=row_of[b], column=col[f"innsatsområde: {removed}"]).value = None  # cell(value=None) keeps the old value
    sh.cell(row=row_of[b], column=col[f"innsatsområde: {added}"], value="X")  # case does not matter
    sh.cell(row=row_of[c], column=col["Kontrollert"], value="ja")
    sh.cell(row=row_of[d], column=col["holdning"], value="positiv")
    sh.cell(row=row_of[d], column=col["nivå"], value=_other(before[d]["level"], ("strategisk", "tiltak", "prosess")))
    sh.append(["finnes-ikke#1"] + [None] * (sh.max_column - 1))
    sh.cell(row=sh.max_row, column=col["nivå"], value="tiltak")
    wb.save(path)

    result = import_review(ws, path, reviewer="Kari Nordmann")
    assert (result.changed, result.confirmed) == (2, 1)
    assert result.unchanged == len(before) - 4
    assert result.unknown_ids == ["finnes-ikke#1"]
    assert [(r, colname, v) for r, colname, v, _ in result.invalid] == [(row_of[d], "holdning", "positiv")]
    assert not result.ok
    assert result.labels_stored == 3 * 4  # all four kinds of the three reviewed rows

    after = {r["id"]: r for r in ws.comment_rows()}
    assert after[a]["level"] == new_level and after[a]["human_level"] == new_level
    assert sorted(after[b]["focus_areas"]) == sorted(set(before[b]["focus_areas"]) - {removed} | {added})
    for cid in (a, b, c):
        assert after[cid]["reviewed"] and after[cid]["reviewed_by"] == "Kari Nordmann"
        assert all(after[cid][f"human_{k}"] is not None for k in KINDS)
        for k in KINDS:  # the model's labels are kept beside the human ones
            assert after[cid][f"predicted_{k}"] == before[cid][f"predicted_{k}"]
    assert all(after[c][k] == before[c][k] for k in KINDS)
    assert not after[d]["reviewed"] and after[d]["level"] == before[d]["level"]
    assert [i for i in after if after[i]["reviewed"]] == [i for i in after if i in (a, b, c)]

    stored = human_labels(ws.db)
    assert stored[a]["level"].predicted == before[a]["predicted_level"]
    assert stored[a]["level"].source == "review.xlsx"

    # the same file again: nothing stored, nothing changed
    n = _review_count(ws)
    again = import_review(ws, path, reviewer="Kari Nordmann")
    assert (again.changed, again.confirmed, again.labels_stored) == (0, 0, 0)
    assert again.unchanged == len(before) - 1  # the invalid row is reported again and not counted
    assert _review_count(ws) == n
    assert {r["id"]: r for r in ws.comment_rows()} == after
    logged = [e for e in ws.events() if e["command"] == "review import"]
    assert [e["counts"]["changed"] for e in logged] == [2, 0]


def test_export_layout_drop_downs_and_selection(example_copy, tmp_path):
    ws = example_copy
    rows = ws.comment_rows()
    path = tmp_path / "r.xlsx"
    result = export_review(ws, path)
    flagged = [r for r in rows if r["needs_review"]]
    assert result.rows == len(flagged) > 0
    wb, sh, col, row_of = _sheet(path)
    assert list(row_of) == [r["id"] for r in flagged]
    assert "Slik gjør du" in wb.sheetnames
    assert sh.freeze_panes == "B2" and sh.auto_filter.ref.startswith("A1:")
    lists = {sh.cell(row=1, column=_first_col(dv)).value: dv.formula1 for dv in sh.data_validations.dataValidation}
    assert lists["nivå"] == '"strategisk,tiltak,prosess"'
    assert lists["holdning"] == '"stotte,innvending,noytral"'
    assert lists["innsatsområde: transport"] == '"x"' and lists["Kontrollert"] == '"ja"'
    # prefilled with the current labels, and the confidence is the weakest of the kinds
    first = flagged[0]
    i = row_of[first["id"]]
    assert sh.cell(row=i, column=col["nivå"]).value == first["level"]
    marks = [f for f in FOCUS if sh.cell(row=i, column=col[f"innsatsområde: {f}"]).value == "x"]
    assert marks == [f for f in FOCUS if f in first["focus_areas"]]
    expected = min(kind_confidence(first["scores"], first[f"predicted_{k}"], k) for k in KINDS)
    assert sh.cell(row=i, column=col["sikkerhet"]).value == pytest.approx(expected, abs=1e-3)

    # --label level: one editable kind, rows where the model's level winner is below 50 %
    only_level = export_review(ws, tmp_path / "l.xlsx", label="level")
    _, sh2, col2, rows2 = _sheet(tmp_path / "l.xlsx")
    assert "nivå" in col2 and "holdning" not in col2 and not any(str(h).startswith("innsatsområde") for h in col2)
    unsure = [r["id"] for r in rows if r["needs_review"] and max(r["scores"]["level"].values()) < 0.5]
    assert list(rows2) == unsure and only_level.rows == len(unsure)

    # a reviewed comment leaves the needs-review selection
    cid = flagged[0]["id"]
    ws.set_labels(cid, "Kari", focus_areas=[], themes=[], level="prosess", stance="noytral")
    assert export_review(ws, tmp_path / "r2.xlsx").rows == len(flagged) - 1


def _first_col(dv) -> int:
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(str(dv.sqref).split()[0])[0]


def test_label_limited_import_stores_only_that_kind(example_copy, tmp_path):
    ws = example_copy
    path = tmp_path / "s.xlsx"
    export_review(ws, path, only="all", label="stance")
    wb, sh, col, row_of = _sheet(path)
    cid = next(iter(row_of))
    old = sh.cell(row=row_of[cid], column=col["holdning"]).value
    sh.cell(row=row_of[cid], column=col["holdning"], value=_other(old, ("stotte", "innvending", "noytral")))
    wb.save(path)
    result = import_review(ws, path, "Ola")
    assert result.changed == 1 and result.labels_stored == 1
    assert set(human_labels(ws.db)[cid]) == {"stance"}
    assert reviewed_records(ws) == []  # not all four kinds reviewed: not a training record


def test_unreadable_workbook_is_a_typed_error(example_copy, tmp_path):
    bad = tmp_path / "ikke.xlsx"
    bad.write_text("dette er ikke excel", encoding="utf-8")
    with pytest.raises(ReviewError, match="ikke.xlsx"):
        import_review(example_copy, bad, "Kari")
    with pytest.raises(ReviewError, match="--only"):
        export_review(example_copy, tmp_path / "x.xlsx", only="noen")


def test_reviewer_from_option_config_or_user(example_copy):
    ws = example_copy
    assert resolve_reviewer(ws, "  Per ") == "Per"
    cfg = ws.path / "hearing.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('# reviewer = "Kari Nordmann"', 'reviewer = "Sekretariatet"'),
                   encoding="utf-8")
    from hearing_analysis import Workspace

    with Workspace.open(ws.path) as again:
        assert resolve_reviewer(again, None) == "Sekretariatet"
        assert resolve_reviewer(again, "Per") == "Per"


def test_cli_round_trip_exit_codes(example_copy, tmp_path):
    ws = example_copy
    runner = CliRunner()
    path = tmp_path / "cli.xlsx"
    res = runner.invoke(app, ["-w", str(ws.path), "review", "export", "-o", str(path), "--only", "all"])
    assert res.exit_code == 0, res.output
    wb, sh, col, row_of = _sheet(path)
    first, second = list(row_of)[:2]
    sh.cell(row=row_of[first], column=col["Kontrollert"], value="ja")
    sh.cell(row=row_of[second], column=col["holdning"], value="positiv")
    wb.save(path)
    res = runner.invoke(app, ["-w", str(ws.path), "review", "import", str(path), "--reviewer", "Kari"])
    assert res.exit_code == 1
    assert "positiv" in res.output and str(row_of[second]) in res.output
    assert ws.comment_rows()[0]["reviewed_by"] == "Kari"
    sh.cell(row=row_of[second], column=col["holdning"], value="noytral")
    wb.save(path)
    res = runner.invoke(app, ["-w", str(ws.path), "review", "import", str(path), "--reviewer", "Kari"])
    assert res.exit_code == 0, res.output


def test_agreement_hand_worked(ws, tmp_path):
    con = ws.db
    # level: agree, disagree, agree (the newest entry per comment counts: c2 was first agreed, then changed)
    record_label(con, "c1", "level", "tiltak", "K", predicted="tiltak")
    record_label(con, "c2", "level", "tiltak", "K", predicted="tiltak")
    record_label(con, "c2", "level", "strategisk", "K", predicted="tiltak")
    record_label(con, "c3", "level", "prosess", "K", predicted="prosess")
    # focus areas: {naering,transport} vs {naering}; {} vs {}; {klima_miljo} vs {by_region}
    record_label(con, "c1", "focus_areas", ["naering", "transport"], "K", predicted=["naering"])
    record_label(con, "c2", "focus_areas", [], "K", predicted=[])
    record_label(con, "c3", "focus_areas", ["klima_miljo"], "K", predicted=["by_region"])
    record_label(con, "c1", "stance", "stotte", "K", predicted="stotte")
    record_label(con, "c4", "stance", "noytral", "K")  # no prediction recorded: not counted
    report = review_agreement(ws, tmp_path / "ev")
    k = report["kinds"]
    assert report["comments"] == 4
    assert k["level"]["n"] == 3 and k["level"]["agreement"] == pytest.approx(2 / 3, abs=1e-4)
    assert k["level"]["confusion"]["strategisk"]["tiltak"] == 1
    # focus: tp 1 (naering), fp 1 (by_region), fn 2 (transport, klima_miljo): P .5, R 1/3, F1 .4
    assert k["focus_areas"]["n"] == 3 and k["focus_areas"]["agreement"] == pytest.approx(1 / 3, abs=1e-4)
    assert k["focus_areas"]["micro_f1"] == pytest.approx(0.4)
    assert k["stance"] == {**k["stance"], "n": 1, "agreement": 1.0}
    assert k["themes"]["n"] == 0 and k["themes"]["agreement"] is None and k["themes"]["micro_f1"] is None
    on_disk = json.loads((tmp_path / "ev" / "review-agreement.json").read_text(encoding="utf-8"))
    assert on_disk == report
    assert "| nivå | 3 | 66.7% |" in (tmp_path / "ev" / "review-agreement.md").read_text(encoding="utf-8")

    res = CliRunner().invoke(app, ["-w", str(ws.path), "evaluate", "--reviews", "-o", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    assert "66.7%" in res.output
    assert json.loads((tmp_path / "cli" / "review-agreement.json").read_text(encoding="utf-8"))["kinds"] == k


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    records = read_records(ROOT / "corpus" / "train.jsonl", FOCUS, THEMES)[::8]
    path = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_train_with_extra_records(small_corpus):
    n = len(read_records(small_corpus, FOCUS, THEMES))
    word = "zorblaxtiltak"
    extra = [{"id": f"ekstra#{i}", "response_id": "ekstra", "text": f"Vi foreslår {word} nummer {i} i regionen.",
              "heading": "", "language": "nb", "focus_areas": ["naering"], "themes": [], "level": "tiltak",
              "stance": "noytral"} for i in range(3)]
    res = train(small_corpus, params=FAST, cross_validate=True, extra_records=extra,
                extra_source={"workspace": "ws", "n": 3})
    assert res.card["n_train"] == n + 3 and res.card["n_corpus"] == n
    assert res.card["reviews"] == {"workspace": "ws", "n": 3}
    assert res.card["cv"]["n"] == n + 3
    lemmas = dict(res.model.features_.named_transformers_["lemmas"].vocabulary_)
    assert any(word in term for term in lemmas)  # the extra records were part of the training data
    without = train(small_corpus, params=FAST, cross_validate=False)
    assert "reviews" not in without.card
    assert not any(word in term for term in without.model.features_.named_transformers_["lemmas"].vocabulary_)

    bad = [{**extra[0], "stance": "positiv"}]
    with pytest.raises(CorpusError, match="ekstra#0"):
        train(small_corpus, params=FAST, cross_validate=False, extra_records=bad)


def test_train_with_reviews_uses_fully_reviewed_comments(example_copy, small_corpus):
    ws = example_copy
    with pytest.raises(ReviewError, match="hearing review"):
        train_with_reviews(ws, corpus=small_corpus, params=FAST, cross_validate=False)
    rows = ws.comment_rows()
    for r in rows[:4]:
        ws.set_labels(r["id"], "Kari", focus_areas=r["focus_areas"], themes=r["themes"], level="tiltak",
                      stance=r["stance"])
    ws.set_labels(rows[4]["id"], "Kari", level="prosess")  # only one kind: not a training record
    records = reviewed_records(ws)
    assert [r["id"] for r in records] == [r["id"] for r in rows[:4]]
    assert all(r["level"] == "tiltak" for r in records)

    from hearing_analysis.classify.io import default_model_dir

    with pytest.raises(ReviewError, match="standardmodellen"):
        train_with_reviews(ws, default_model_dir(), corpus=small_corpus, params=FAST, cross_validate=False)
    res = train_with_reviews(ws, corpus=small_corpus, params=FAST, cross_validate=False)
    assert res.folder == ws.path / "models" / "med-vurderinger"
    card = json.loads((res.folder / "card.json").read_text(encoding="utf-8"))
    assert card["reviews"]["n"] == 4 and card["reviews"]["workspace"] == ws.path.name
    assert card["reviews"]["responses"] == len({r["response_id"] for r in rows[:4]})
    text = json.dumps(card, ensure_ascii=False)
    assert not any(r["respondent"] in text for r in rows[:4])  # no personal data on the card
    assert "Vurderte innspill fra arbeidsområdet" in (res.folder / "card.md").read_text(encoding="utf-8")


def test_label_for_multi_kind_uses_the_models_thresholds(example_copy, tmp_path):
    from hearing_analysis.classify import load_model

    ws = example_copy
    th = load_model().thresholds_["themes"]  # the example was analysed with the default model
    rows = {r["id"]: r for r in ws.comment_rows()}
    result = export_review(ws, tmp_path / "t.xlsx", label="themes")
    _, _, col, picked = _sheet(tmp_path / "t.xlsx")
    near = [cid for cid, r in rows.items() if r["needs_review"]
            and any(abs(p - th[c]) < 0.05 for c, p in r["scores"]["themes"].items())]
    assert near and list(picked) == near and result.note == ""
    assert [h for h in col if str(h).startswith("tema: ")] == [f"tema: {c}" for c in THEMES]
    # predictions from a model that is not at hand: every flagged comment, and a note that says so
    ws.db.execute("UPDATE predictions SET model = 'borte@000000000000'")
    fallback = export_review(ws, tmp_path / "f.xlsx", label="themes")
    assert fallback.rows == sum(1 for r in rows.values() if r["needs_review"]) and "Fant ikke modellen" in fallback.note


def test_cli_train_include_reviews(example_copy, small_corpus):
    ws = example_copy
    runner = CliRunner()
    args = ["-w", str(ws.path), "train", "--include-reviews", "--corpus", str(small_corpus), "--no-cv"]
    res = runner.invoke(app, args)
    assert isinstance(res.exception, ReviewError)  # nothing reviewed yet; main() prints it and exits 2
    for r in ws.comment_rows()[:3]:
        ws.set_labels(r["id"], "Kari", focus_areas=r["focus_areas"], themes=r["themes"], level=r["level"],
                      stance=r["stance"])
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    card = json.loads((ws.path / "models" / "med-vurderinger" / "card.json").read_text(encoding="utf-8"))
    assert card["reviews"]["n"] == 3 and card["taxonomy"] == ws.taxonomy.name and "cv" not in card
    assert "La til 3 vurderte innspill" in res.output
