"""The analyst DataFrames and the helpers that count multi-label columns."""
from __future__ import annotations

import pandas as pd
import pytest

import hearing_analysis
from hearing_analysis import count_labels, crosstab
from hearing_analysis.frames import comments_of, plot_counts, plot_crosstab, similar_comments, with_names
from hearing_analysis.records import LEVELS, STANCES, RespondentType

FOCUS = ["naering", "by_region", "klima_miljo", "transport"]
THEMES = ["sirkular", "gronn_transport", "kraft", "oslofjorden", "profilering"]


@pytest.fixture
def small():
    """Five comments by three respondents, counted by hand in the tests below."""
    df = pd.DataFrame({
        "respondent": ["A", "A", "B", "C", "C"],
        "respondent_type": ["kommune", "kommune", "stat", "kommune", "kommune"],
        "focus_areas": [["transport", "klima_miljo"], ["transport"], ["klima_miljo"], [], ["transport"]],
        "themes": [["kraft"], [], ["kraft", "oslofjorden", "kraft"], ["oslofjorden"], ["kraft"]],
        "stance": ["innvending", "stotte", "innvending", "noytral", "innvending"],
    }, index=["x", "x", "y", "z", "w"])  # a repeated index must not confuse the counting
    df.attrs["label_codes"] = {"focus_areas": FOCUS, "themes": THEMES}
    return df


# -- hand-counted helpers ----------------------------------------------------------------------------
def test_count_labels_multi_label_with_zero_codes(small):
    counts = count_labels(small, "focus_areas")
    assert list(counts.index) == FOCUS
    assert counts.to_dict() == {"naering": 0, "by_region": 0, "klima_miljo": 2, "transport": 3}
    # "kraft" twice in one comment counts once
    assert count_labels(small, "themes").to_dict() == {
        "sirkular": 0, "gronn_transport": 0, "kraft": 3, "oslofjorden": 2, "profilering": 0}


def test_count_labels_unique_respondents_and_shares(small):
    assert count_labels(small, "focus_areas", unique="respondent").to_dict() == {
        "naering": 0, "by_region": 0, "klima_miljo": 2, "transport": 2}
    assert count_labels(small, "themes", unique="respondent")[["kraft", "oslofjorden"]].tolist() == [3, 2]
    shares = count_labels(small, "focus_areas", normalize=True)
    assert shares["transport"] == pytest.approx(3 / 5) and shares["naering"] == 0
    assert count_labels(small, "focus_areas", unique="respondent", normalize=True)["transport"] == pytest.approx(2 / 3)


def test_count_labels_of_single_label_lists_every_code(small):
    counts = count_labels(small, "stance")
    assert list(counts.index) == list(STANCES)
    assert counts.to_dict() == {"stotte": 1, "innvending": 3, "noytral": 1}
    by_type = count_labels(small, "respondent_type")
    assert list(by_type.index) == [str(t) for t in RespondentType]
    assert by_type["kommune"] == 4 and by_type["stat"] == 1 and by_type["privat"] == 0


def test_crosstab_multi_label_rows_single_label_columns(small):
    t = crosstab(small, "focus_areas", "stance")
    assert list(t.index) == FOCUS and list(t.columns) == list(STANCES)
    assert t.loc["transport"].to_dict() == {"stotte": 1, "innvending": 2, "noytral": 0}
    assert t.loc["klima_miljo"].to_dict() == {"stotte": 0, "innvending": 2, "noytral": 0}
    assert t.loc["naering"].sum() == 0 and t.values.sum() == 5
    u = crosstab(small, "focus_areas", "stance", unique="respondent")
    assert u.loc["transport", "innvending"] == 2 and u.loc["klima_miljo", "innvending"] == 2
    assert u.loc["transport", "stotte"] == 1
    # A objects to transport twice: two comments, one respondent
    twice = small.assign(stance=["innvending", "innvending", "innvending", "noytral", "innvending"])
    assert crosstab(twice, "focus_areas", "stance").loc["transport", "innvending"] == 3
    assert crosstab(twice, "focus_areas", "stance", unique="respondent").loc["transport", "innvending"] == 2


def test_crosstab_normalize(small):
    rows = crosstab(small, "focus_areas", "stance", normalize="index")
    assert rows.loc["transport"].tolist() == pytest.approx([1 / 3, 2 / 3, 0])
    assert rows.loc["klima_miljo", "innvending"] == 1.0
    assert rows.loc["naering"].isna().all()  # nobody wrote about it: no share to give
    cols = crosstab(small, "focus_areas", "stance", normalize="columns")
    assert cols.loc["transport", "innvending"] == pytest.approx(2 / 3)
    assert cols.loc["transport", "stotte"] == 1.0
    assert cols["noytral"].sum() == 0  # the only neutral comment has no focus area
    everything = crosstab(small, "focus_areas", "stance", normalize="all")
    assert everything.loc["transport", "innvending"] == pytest.approx(2 / 5)
    with pytest.raises(ValueError):
        crosstab(small, "focus_areas", "stance", normalize="rows")


def test_crosstab_multi_label_on_both_sides(small):
    t = crosstab(small, "focus_areas", "themes")
    assert t.loc["transport"].to_dict() == {"sirkular": 0, "gronn_transport": 0, "kraft": 2, "oslofjorden": 0,
                                            "profilering": 0}
    assert t.loc["klima_miljo", "kraft"] == 2 and t.loc["klima_miljo", "oslofjorden"] == 1
    assert t.values.sum() == 5
    u = crosstab(small, "focus_areas", "themes", unique="respondent")
    assert u.loc["transport", "kraft"] == 2 and u.loc["klima_miljo", "oslofjorden"] == 1
    shares = crosstab(small, "focus_areas", "themes", normalize="index")
    assert shares.loc["transport", "kraft"] == pytest.approx(2 / 3)  # of the three transport comments
    assert shares.loc["klima_miljo"].sum() == pytest.approx(1.5)  # multi-label: rows may exceed 1


def test_crosstab_multi_label_rows_by_respondent_type(small):
    t = crosstab(small, "themes", "respondent_type")
    assert list(t.columns) == [str(x) for x in RespondentType]
    assert t.loc["kraft", "kommune"] == 2 and t.loc["oslofjorden", "kommune"] == 1
    assert t.loc["kraft", "stat"] == 1 and t["privat"].sum() == 0
    assert t.equals(count_labels(small, "themes", by="respondent_type"))
    per_type = crosstab(small, "themes", "respondent_type", normalize="columns")
    assert per_type.loc["kraft", "kommune"] == pytest.approx(2 / 4)
    assert per_type.loc["kraft", "stat"] == 1.0 and per_type.loc["oslofjorden", "stat"] == 1.0
    assert per_type["privat"].isna().all()
    assert crosstab(small, "themes", "respondent_type", unique="respondent").loc["kraft", "kommune"] == 2
    used = crosstab(small, "themes", "respondent_type", normalize="columns", drop_empty=True)
    assert list(used.index) == ["kraft", "oslofjorden"] and list(used.columns) == ["kommune", "stat"]
    assert used.loc["oslofjorden", "kommune"] == pytest.approx(1 / 4)
    assert count_labels(small, "focus_areas", drop_empty=True).to_dict() == {"klima_miljo": 2, "transport": 3}


def test_unknown_codes_are_kept_not_dropped(small):
    small = small.assign(stance=["innvending", "stotte", "tvil", "noytral", "innvending"])
    counts = count_labels(small, "stance")
    assert list(counts.index) == [*STANCES, "tvil"] and counts["tvil"] == 1 and counts.sum() == 5


def test_helpers_name_missing_columns(small):
    with pytest.raises(KeyError, match="levle"):
        count_labels(small, "levle")


def test_comments_of(small):
    assert comments_of(small, "a")["respondent"].tolist() == ["A", "A"]  # exact name wins over substring
    df = small.assign(respondent=["Asker kommune", "Asker kommune", "Statens vegvesen", "Bærum kommune",
                                  "Bærum kommune"])
    assert comments_of(df, "asker")["respondent"].unique().tolist() == ["Asker kommune"]
    assert len(comments_of(df, "kommune")) == 4
    with pytest.raises(KeyError):
        comments_of(df, "Oslo")


def test_similar_comments_on_small_texts():
    df = pd.DataFrame({"text": [
        "Vi støtter satsingen på kollektivtrafikk og flere togavganger.",
        "Kommunen ber om at avløpsrenseanleggene rundt Oslofjorden oppgraderes raskt.",
        "Regionen må markedsføres internasjonalt for å tiltrekke seg investorer.",
    ]})
    hits = similar_comments(df, "Rensing av avløp rundt fjorden må bli bedre", n=2)
    assert len(hits) == 2 and "avløpsrenseanleggene" in hits.iloc[0]["text"]
    assert hits["similarity"].is_monotonic_decreasing and 0 < hits["similarity"].iloc[0] <= 1


# -- the workspace frames -----------------------------------------------------------------------------
def test_comments_frame_columns_and_dtypes(example_copy):
    df = example_copy.comments()
    assert len(df) > 100 and df.index.is_unique and (df.index == df["id"]).all()
    for col in ("id", "response_id", "respondent", "respondent_type", "file", "page", "pages", "heading", "text",
                "focus_areas", "themes", "level", "stance", "confidence", "needs_review", "reviewed",
                "predicted_level", "human_level", "scores", "language"):
        assert col in df.columns, col
    assert list(df["level"].cat.categories) == list(LEVELS)
    assert list(df["stance"].cat.categories) == list(STANCES)
    assert list(df["predicted_stance"].cat.categories) == list(STANCES)
    assert set(str(t) for t in RespondentType) <= set(df["respondent_type"].cat.categories)
    assert {"nb", "nn"} <= set(df["language"].cat.categories)
    assert df["needs_review"].dtype == bool and df["reviewed"].dtype == bool and not df["reviewed"].any()
    assert str(df["page"].dtype) == "Int64" and df["confidence"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(df["reviewed_at"])
    assert all(isinstance(v, list) for v in df["focus_areas"]) and all(isinstance(v, list) for v in df["themes"])
    assert df["human_focus_areas"].isna().all()
    assert df["confidence"].between(0, 1).all()
    row = df.iloc[0]
    assert row["confidence"] == pytest.approx(row["scores"]["level"][row["level"]])
    # every stance code is listed even if the model never used one of them
    assert list(count_labels(df, "stance").index) == list(STANCES)
    assert list(count_labels(df, "themes").index) == example_copy.taxonomy.theme_codes


def test_responses_frame_dtypes(example_copy):
    df = example_copy.responses(include_text=False)
    assert len(df) >= 14 and (df.index == df["id"]).all()
    for col in ("status", "kind", "role", "respondent_type", "language"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert {"ok", "failed", "needs_ocr", "duplicate"} <= set(df["status"].cat.categories)
    assert pd.api.types.is_datetime64_any_dtype(df["date"]) and pd.api.types.is_datetime64_any_dtype(df["received"])
    assert str(df["late"].dtype) == "boolean" and df["late"].any() and not df["late"].all()
    assert "text" not in df.columns
    comments = example_copy.comments()
    counted = comments.groupby("response_id").size()
    assert (df.loc[counted.index, "comments"] == counted).all()
    assert (df.loc[df["status"] == "duplicate", "comments"] == 0).all()


def test_empty_workspace_frames_keep_columns(ws):
    comments, responses = ws.comments(), ws.responses()
    assert comments.empty and "level" in comments.columns and "focus_areas" in comments.columns
    assert list(comments["level"].cat.categories) == list(LEVELS)
    assert responses.empty and str(responses["late"].dtype) == "boolean"
    assert count_labels(comments, "level").sum() == 0


def test_human_labels_are_the_effective_labels(example_copy):
    before = example_copy.comments()
    target = before[(before["kind"] == "comment") & (before["level"] != "tiltak")].iloc[0]
    changed = example_copy.set_labels(target["id"], "Kari", level="tiltak", themes=["kraft"],
                                      focus_areas=[])
    assert changed == 3
    after = example_copy.comments()
    row = after.loc[target["id"]]
    assert row["level"] == "tiltak" and row["human_level"] == "tiltak"
    assert row["predicted_level"] == target["predicted_level"] == target["level"]
    assert row["themes"] == ["kraft"] and row["focus_areas"] == [] and row["human_focus_areas"] == []
    assert row["reviewed"] and row["reviewed_by"] == "Kari" and not pd.isna(row["reviewed_at"])
    assert row["confidence"] == 1.0 and pd.isna(row["human_stance"])  # stance was not reviewed
    assert after["reviewed"].sum() == 1
    assert count_labels(after, "level")["tiltak"] == count_labels(before, "level")["tiltak"] + 1
    backlog = example_copy.backlog()
    assert target["id"] in set(backlog["id"])


def test_backlog_frame_dtypes(example_copy):
    df = example_copy.backlog()
    assert len(df) > 0
    assert isinstance(df["respondent_type"].dtype, pd.CategoricalDtype)
    assert isinstance(df["status"].dtype, pd.CategoricalDtype) and df["status"].notna().all()
    assert str(df["page"].dtype) == "Int64" and df["confidence"].dtype == "float64" and df["reviewed"].dtype == bool
    assert all(isinstance(v, list) for v in df["themes"])
    comments = example_copy.comments()
    assert set(df["id"]) <= set(comments.index)
    assert (comments.loc[df["id"], "level"] == "tiltak").all()


def test_similar_comments_finds_a_paraphrase_first(example_copy):
    df = example_copy.comments()
    hits = similar_comments(df, "Vi mener at regionbyene burde bli nevnt med navn når innsatsområdet omtales.",
                            n=5)
    assert "Regionbyene bør nevnes ved navn" in hits.iloc[0]["text"]
    assert hits["similarity"].is_monotonic_decreasing and len(hits) == 5


def test_names_and_plots(example_copy):
    import matplotlib

    matplotlib.use("Agg")
    df = example_copy.comments()
    named = with_names(crosstab(df, "focus_areas", "stance"))
    assert "Transport og mobilitet" in named.index and "Innvending" in named.columns
    assert named.index.name == "Innsatsområde" and named.columns.name == "Holdning"
    ax = plot_crosstab(df, "focus_areas", "stance", normalize="index")
    assert ax.get_ylabel() == "Innsatsområde" and ax.get_xlabel() == "Holdning"
    assert "Transport og mobilitet" in [t.get_text() for t in ax.get_yticklabels()]
    ax = plot_counts(df, "themes", unique="respondent")
    assert ax.get_xlabel() == "Antall respondenter" and ax.get_ylabel() == "Tema"
    ax = plot_crosstab(df, "respondent_type", "level", normalize="index", kind="bar", drop_empty=True)
    types = [t.get_text() for t in ax.get_yticklabels()]
    assert "Kommune" in types and "Privatperson" not in types  # nobody private answered the example
    ax = plot_counts(example_copy.responses(include_text=False), "respondent_type")
    assert ax.get_xlabel() == "Antall dokumenter" and ax.get_ylabel() == "Respondenttype"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_package_exports_the_analyst_api():
    for name in ("Workspace", "classify_texts", "count_labels", "crosstab", "comments_of", "similar_comments",
                 "plot_counts", "plot_crosstab", "comments_frame"):
        assert name in hearing_analysis.__all__ and callable(getattr(hearing_analysis, name))
    with pytest.raises(AttributeError):
        hearing_analysis.no_such_helper  # noqa: B018


def test_classify_texts_outside_a_workspace():
    labels = hearing_analysis.classify_texts([
        "Vi takker for muligheten til å komme med innspill til strategien.",
        "Vi foreslår at det etableres et regionalt prosjekt for ombruk av byggematerialer innen 2026.",
    ])
    assert len(labels) == 2
    assert labels[0].level == "prosess" and labels[1].level == "tiltak"
    assert "sirkular" in labels[1].themes
    assert set(labels[1].scores["level"]) == set(LEVELS)
