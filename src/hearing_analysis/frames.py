"""pandas views of a workspace for analysts, and helpers that count multi-label columns.

:func:`comments_frame`, :func:`responses_frame` and :func:`backlog_frame` build the DataFrames behind
``Workspace.comments()``, ``.responses()`` and ``.backlog()``. :func:`count_labels` and :func:`crosstab`
count list columns (``focus_areas``, ``themes``) without explode code and keep every code of the label
scheme, also those nobody used; :func:`plot_counts` and :func:`plot_crosstab` draw them with Norwegian
names. All work offline.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

from .names import LANGUAGE_NAMES, LEVEL_NAMES, RESPONDENT_TYPE_NAMES, STANCE_NAMES
from .records import LEVELS, STANCES, CommentKind, RespondentType, Role, Status
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .workspace import Workspace

__all__ = [
    "comments_frame", "responses_frame", "backlog_frame", "count_labels", "crosstab", "comments_of",
    "similar_comments", "with_names", "label_name", "plot_counts", "plot_crosstab",
]

MULTI_LABEL = ("focus_areas", "themes")
LANGUAGES = ("nb", "nn", "en", "other")
RESPONDENT_TYPES = tuple(str(t) for t in RespondentType)
DOCUMENT_STATUSES = (*(str(s) for s in Status), "duplicate")
DOCUMENT_KINDS = ("pdf", "docx", "odt", "html", "text", "email", "msg", "image", "ukjent")
ROLES = tuple(str(r) for r in Role)
COMMENT_KINDS = tuple(str(k) for k in CommentKind)

# Norwegian display names for codes that are not in the taxonomy file: see names.py.
STATUS_NAMES = {"ok": "Lest inn", "needs_ocr": "Venter på OCR", "failed": "Feilet", "duplicate": "Kopi"}
COLUMN_NAMES = {
    "focus_areas": "Innsatsområde", "themes": "Tema", "level": "Nivå", "stance": "Holdning",
    "respondent_type": "Respondenttype", "language": "Målform", "respondent": "Respondent",
    "status": "Status", "kind": "Filtype", "late": "For sent",
}
_FIXED_NAMES = {"respondent_type": RESPONDENT_TYPE_NAMES, "language": LANGUAGE_NAMES, "status": STATUS_NAMES,
                "level": LEVEL_NAMES, "stance": STANCE_NAMES}
# The full category set of the columns whose codes do not depend on the taxonomy.
_FIXED_CATEGORIES = {"level": LEVELS, "stance": STANCES, "respondent_type": RESPONDENT_TYPES,
                     "language": LANGUAGES, "status": DOCUMENT_STATUSES}

COMMENT_COLUMNS = (
    "id", "response_id", "n", "kind", "respondent", "respondent_type", "file", "page", "pages", "heading",
    "lead", "text", "start", "end", "language", "focus_areas", "themes", "level", "stance", "confidence",
    "stance_confidence", "needs_review", "reviewed", "reviewed_by", "reviewed_at", "predicted_focus_areas",
    "predicted_themes", "predicted_level", "predicted_stance", "human_focus_areas", "human_themes",
    "human_level", "human_stance", "scores", "model",
)


# -- frames -----------------------------------------------------------------------------------------
def _categorical(values: Iterable, categories: Sequence[str]) -> pd.Categorical:
    """A Categorical over ``categories``, extended by any other value seen (nothing turns into NaN)."""
    values = [None if v in ("", None) else v for v in values]
    extra = sorted({v for v in values if v is not None and v not in categories})
    return pd.Categorical(values, categories=[*categories, *extra])


def _score(scores: dict | None, kind: str, code: str | None) -> float:
    if not scores or not code:
        return float("nan")
    return float(scores.get(kind, {}).get(code, float("nan")))


def comments_frame(ws: "Workspace", include_furniture: bool = False) -> pd.DataFrame:
    """One row per comment, indexed by comment id, in document order.

    Columns:

    - ``id``, ``response_id``, ``n`` (position in the response), ``kind`` (category: comment, opening,
      furniture), ``respondent``, ``respondent_type`` (category with every respondent type), ``file``,
      ``page`` (first page, Int64), ``pages`` (list of int), ``heading``, ``lead``, ``text``, ``start``,
      ``end`` (character offsets in the response), ``language`` (category nb/nn/en/other).
    - Effective labels (a reviewer's label where there is one, else the model's): ``focus_areas`` and
      ``themes`` as lists of codes (``[]`` when none), ``level`` and ``stance`` as categoricals over
      every code of labels.md (NaN when the comment is not analysed yet).
    - ``confidence``: how sure the effective level is: the model's probability for it, or 1.0 where a
      reviewer set it (as in the backlog); ``stance_confidence`` likewise for the stance.
    - ``needs_review`` (bool: the model was unsure), ``reviewed`` (bool: some label set by a person),
      ``reviewed_by``, ``reviewed_at`` (datetime, UTC).
    - ``predicted_*``: the model's labels; ``human_*``: the reviewer's, None/NaN where not reviewed.
    - ``scores``: every per-label probability as a dict; ``model``: the model version (None before
      ``analyze``).

    ``df.attrs`` carries the workspace taxonomy name and its codes, which the count and plot helpers
    use for the full category set and for display names.
    """
    rows = ws.comment_rows(include_furniture)
    tax = ws.taxonomy
    col: dict[str, list] = {name: [] for name in COMMENT_COLUMNS}
    for r in rows:
        for name in COMMENT_COLUMNS:
            if name in ("confidence", "stance_confidence"):
                kind = "level" if name == "confidence" else "stance"
                value = 1.0 if r[f"human_{kind}"] is not None else _score(r["scores"], kind, r[kind])
            elif name in MULTI_LABEL or name in ("predicted_focus_areas", "predicted_themes"):
                value = list(r[name] or [])
            elif name == "needs_review":
                value = bool(r["needs_review"])
            else:
                value = r[name]
            col[name].append(value)
    df = pd.DataFrame({
        **col,
        "n": pd.array(col["n"], dtype="int64"),
        "kind": _categorical(col["kind"], COMMENT_KINDS),
        "respondent_type": _categorical(col["respondent_type"], RESPONDENT_TYPES),
        "page": pd.array(col["page"], dtype="Int64"),
        "start": pd.array(col["start"], dtype="int64"),
        "end": pd.array(col["end"], dtype="int64"),
        "language": _categorical(col["language"], LANGUAGES),
        "confidence": pd.array(col["confidence"], dtype="float64"),
        "stance_confidence": pd.array(col["stance_confidence"], dtype="float64"),
        "needs_review": pd.array(col["needs_review"], dtype="bool"),
        "reviewed": pd.array(col["reviewed"], dtype="bool"),
        "reviewed_at": pd.to_datetime(pd.Series(col["reviewed_at"], dtype="object"), utc=True).array,
        **{f"{p}{kind}": _categorical(col[f"{p}{kind}"], codes)
           for p in ("", "predicted_", "human_") for kind, codes in (("level", LEVELS), ("stance", STANCES))},
    }, columns=list(COMMENT_COLUMNS))
    df.index = pd.Index(col["id"], name=None, dtype="object")
    df.attrs["taxonomy"] = ws.config.taxonomy or DEFAULT_TAXONOMY
    df.attrs["label_codes"] = {"focus_areas": tax.focus_codes, "themes": tax.theme_codes}
    df.attrs["unit"] = "kommentarer"
    return df


def responses_frame(ws: "Workspace", include_text: bool = True) -> pd.DataFrame:
    """One row per stored document (as `hearing export responses`), indexed by document id.

    Dtypes: ``status`` (ok, needs_ocr, failed, duplicate), ``kind``, ``role``, ``respondent_type`` and
    ``language`` are categoricals over every known value; ``date`` (the letter's own date) and
    ``received`` are datetime64; ``late`` is nullable boolean (NA without a deadline or received date);
    ``ocr`` bool; ``size`` Int64; ``similarity`` float. ``comments`` (Int64) is the number of comments
    segmented from the document, without letter furniture. With ``include_text``: ``text`` and ``pages``
    (list of {"number", "text"}).
    """
    rows = ws.document_rows(include_text)
    counts = dict(ws.db.execute("SELECT response_id, COUNT(*) FROM comments WHERE kind != 'furniture' "
                                "GROUP BY response_id").fetchall())
    columns = ["id", "file", "sha256", "status", "reason", "kind", "role", "respondent", "respondent_type",
               "date", "received", "late", "language", "references", "duplicate_of", "group", "similarity",
               "parent", "supersedes", "superseded_by", "ocr", "size", "source_path", "comments"]
    if include_text:
        columns += ["text", "pages"]
    col = {name: [r.get(name) for r in rows] for name in columns if name != "comments"}
    col["comments"] = [counts.get(r["id"], 0) for r in rows]
    df = pd.DataFrame({
        **col,
        "status": _categorical(col["status"], DOCUMENT_STATUSES),
        "kind": _categorical(col["kind"], DOCUMENT_KINDS),
        "role": _categorical(col["role"], ROLES),
        "respondent_type": _categorical(col["respondent_type"], RESPONDENT_TYPES),
        "language": _categorical(col["language"], LANGUAGES),
        "date": pd.to_datetime(pd.Series(col["date"], dtype="object"), errors="coerce").array,
        "received": pd.to_datetime(pd.Series(col["received"], dtype="object"), errors="coerce").array,
        "late": pd.array(col["late"], dtype="boolean"),
        "ocr": pd.array([bool(v) for v in col["ocr"]], dtype="bool"),
        "size": pd.array(col["size"], dtype="Int64"),
        "similarity": pd.array([float("nan") if v is None else v for v in col["similarity"]], dtype="float64"),
        "comments": pd.array(col["comments"], dtype="Int64"),
    }, columns=columns)
    df.index = pd.Index(col["id"], dtype="object")
    df.attrs["taxonomy"] = ws.config.taxonomy or DEFAULT_TAXONOMY
    df.attrs["unit"] = "dokumenter"
    return df


def backlog_frame(ws: "Workspace", privacy: bool = True) -> pd.DataFrame:
    """The action-plan backlog: one row per measure-level comment (see :mod:`hearing_analysis.backlog`).

    ``respondent_type`` and ``status`` are categoricals, ``focus_areas``/``themes`` lists, ``page`` Int64,
    ``confidence`` float, ``reviewed`` bool. With ``privacy`` (the default) private persons are
    pseudonymised and quotes scrubbed, as in the exported backlog.
    """
    from . import backlog

    rows = backlog.backlog_rows(ws, privacy=privacy)
    columns = ["id", "respondent", "respondent_type", "quote", "focus_areas", "themes", "action", "page",
               "file", "confidence", "status", "note", "reviewed"]
    columns += [k for r in rows[:1] for k in r if k not in columns]
    col = {name: [r.get(name) for r in rows] for name in columns}
    statuses = tuple(getattr(backlog, "STATUSES", ()))
    df = pd.DataFrame({
        **col,
        "respondent_type": _categorical(col["respondent_type"], RESPONDENT_TYPES),
        "focus_areas": [list(v or []) for v in col["focus_areas"]],
        "themes": [list(v or []) for v in col["themes"]],
        "page": pd.array(col["page"], dtype="Int64"),
        "confidence": pd.array([float("nan") if v is None else v for v in col["confidence"]], dtype="float64"),
        "status": _categorical(col["status"], statuses),
        "reviewed": pd.array([bool(v) for v in col["reviewed"]], dtype="bool"),
    }, columns=columns)
    df.index = pd.Index(col["id"], dtype="object")
    df.attrs["taxonomy"] = ws.config.taxonomy or DEFAULT_TAXONOMY
    df.attrs["label_codes"] = {"focus_areas": ws.taxonomy.focus_codes, "themes": ws.taxonomy.theme_codes}
    df.attrs["unit"] = "tiltaksinnspill"
    return df


# -- counting ---------------------------------------------------------------------------------------
def _is_multi(s: pd.Series) -> bool:
    return s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple, set))).any()


def _long(df: pd.DataFrame, column: str) -> pd.Series:
    """The values of ``column`` one label per entry, indexed by row position (list columns exploded)."""
    s = df[column].reset_index(drop=True)
    if _is_multi(s):
        s = s.map(lambda v: sorted(set(v)) if isinstance(v, (list, tuple, set)) else v).explode()
    return s.dropna().astype(object)


def _categories(df: pd.DataFrame, column: str, given: Sequence[str] | None = None) -> list:
    """Every code ``column`` can hold: given, else the categorical's, else the frame's taxonomy or the
    fixed sets of labels.md; any other value seen is appended, so no count disappears."""
    if given is not None:
        base = list(given)
    elif isinstance(df[column].dtype, pd.CategoricalDtype):
        base = list(df[column].cat.categories)
    elif column in df.attrs.get("label_codes", {}):
        base = list(df.attrs["label_codes"][column])
    else:
        base = list(_FIXED_CATEGORIES.get(column, ()))
    seen = set(_long(df, column))
    return base + sorted(seen - set(base), key=str)


def _check(df: pd.DataFrame, *columns: str | None) -> None:
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"Kolonnen {', '.join(missing)} finnes ikke; kolonnene er {', '.join(map(str, df.columns))}")


def _total(df: pd.DataFrame, unique: str | None) -> int:
    return int(df[unique].nunique()) if unique else len(df)


def count_labels(df: pd.DataFrame, column: str, by: str | None = None, unique: str | None = None,
                 normalize: bool = False, categories: Sequence[str] | None = None,
                 drop_empty: bool = False) -> pd.Series | pd.DataFrame:
    """How many comments carry each code of ``column`` (a list column counts each of its codes).

    Every code of the label scheme is listed, also with 0. ``unique="respondent"`` counts respondents
    (with at least one such comment) instead of comments. ``by`` splits the counts into one column per
    value of another column (same as :func:`crosstab`). ``normalize`` gives the share of all comments
    (or respondents) instead; with a list column the shares may add up to more than 1. ``drop_empty``
    leaves out the codes nobody used.
    """
    _check(df, column, by, unique)
    if by is not None:
        return crosstab(df, column, by, normalize="columns" if normalize else None, unique=unique,
                        row_categories=categories, drop_empty=drop_empty)
    cats = _categories(df, column, categories)
    values = _long(df, column)
    if unique:
        keys = df[unique].reset_index(drop=True).reindex(values.index)
        pairs = pd.DataFrame({"v": values, "u": keys}).dropna().drop_duplicates()
        counts = pairs.groupby("v").size()
    else:
        counts = values.value_counts()
    out = counts.reindex(cats, fill_value=0).astype("int64")
    if normalize:
        total = _total(df, unique)
        out = out / total if total else out.astype("float64") * float("nan")
    out.index = pd.Index(cats, name=column, dtype="object")
    out.name = "andel" if normalize else "antall"
    out.attrs = {k: v for k, v in df.attrs.items() if k in ("taxonomy", "unit")}
    return out[out.index.isin(values)] if drop_empty else out


def crosstab(df: pd.DataFrame, row: str, col: str,
             normalize: Literal["index", "columns", "all"] | None = None, unique: str | None = None,
             row_categories: Sequence[str] | None = None, col_categories: Sequence[str] | None = None,
             drop_empty: bool = False) -> pd.DataFrame:
    """Counts of ``row`` × ``col`` with every code on both sides; either side may be a list column.

    A comment with two focus areas counts once under each. ``unique="respondent"`` counts respondents
    instead of comments. ``normalize``: ``"index"`` divides each cell by the number of comments (or
    respondents) with that row's code, ``"columns"`` by those with that column's code, ``"all"`` by all
    comments (or respondents). With a list column on the other side a row's shares may add up to more
    (or, for comments without any code there, less) than 1; a code nobody used gives NaN shares.
    ``drop_empty`` leaves out the codes nobody used (on either side).
    """
    _check(df, row, col, unique)
    if normalize not in (None, "index", "columns", "all"):
        raise ValueError(f"normalize må være None, 'index', 'columns' eller 'all', ikke {normalize!r}")
    rcats = _categories(df, row, row_categories)
    ccats = _categories(df, col, col_categories)
    pairs = pd.merge(_long(df, row).rename("r"), _long(df, col).rename("c"), left_index=True, right_index=True)
    if unique:
        pairs["u"] = df[unique].reset_index(drop=True).reindex(pairs.index)
        pairs = pairs.dropna().drop_duplicates()
    counts = pairs.groupby(["r", "c"]).size()
    table = (counts.unstack(fill_value=0) if len(counts) else pd.DataFrame())
    table = table.reindex(index=rcats, columns=ccats, fill_value=0).fillna(0).astype("int64")
    rtotal = count_labels(df, row, unique=unique, categories=rcats)
    ctotal = count_labels(df, col, unique=unique, categories=ccats)
    if normalize == "index":
        table = table.div(rtotal.replace(0, float("nan")).values, axis=0)
    elif normalize == "columns":
        table = table.div(ctotal.replace(0, float("nan")).values, axis=1)
    elif normalize == "all":
        total = _total(df, unique)
        table = table / total if total else table.astype("float64") * float("nan")
    table.index = pd.Index(rcats, name=row, dtype="object")
    table.columns = pd.Index(ccats, name=col, dtype="object")
    if drop_empty:
        table = table.loc[rtotal.values > 0, ctotal.values > 0]
    table.attrs = {k: v for k, v in df.attrs.items() if k in ("taxonomy", "unit")}
    return table


def comments_of(df: pd.DataFrame, respondent: str) -> pd.DataFrame:
    """The rows of one respondent: an exact name (case-insensitive), else every name containing it.

    Raises KeyError when no respondent matches.
    """
    _check(df, "respondent")
    wanted = respondent.casefold().strip()
    names = [n for n in df["respondent"].dropna().unique()]
    match = [n for n in names if n.casefold() == wanted] or [n for n in names if wanted in n.casefold()]
    if not wanted or not match:
        raise KeyError(f"Ingen respondent heter eller inneholder {respondent!r}.")
    return df[df["respondent"].isin(match)]


def similar_comments(df: pd.DataFrame, text: str, n: int = 10, column: str = "text") -> pd.DataFrame:
    """The ``n`` rows whose ``column`` is most like ``text``, most similar first, with ``similarity``.

    TF-IDF over character 3–5-grams within words, cosine similarity: inflected and compound Norwegian
    words still match ("regionbyene" ~ "regionby"), in bokmål and nynorsk alike. Offline, no model.
    """
    _check(df, column)
    if not text or not text.strip():
        raise ValueError("Teksten å sammenligne med er tom.")
    docs = df[column].fillna("").astype(str).tolist()
    if not any(d.strip() for d in docs):
        return df.iloc[:0].assign(similarity=pd.Series(dtype="float64"))
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform(docs)
    sims = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
    order = sorted(range(len(docs)), key=lambda i: -sims[i])[:max(n, 0)]
    return df.iloc[order].assign(similarity=sims[order])


# -- names and plots --------------------------------------------------------------------------------
def _taxonomy(obj, taxonomy: Taxonomy | str | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return load_taxonomy(taxonomy or getattr(obj, "attrs", {}).get("taxonomy") or DEFAULT_TAXONOMY)


def label_name(code, column: str | None = None, taxonomy: Taxonomy | str | None = None) -> str:
    """The Norwegian name of a code (focus area, theme, level, stance, respondent type, målform)."""
    if column in _FIXED_NAMES and code in _FIXED_NAMES[column]:
        return _FIXED_NAMES[column][code]
    try:
        return _taxonomy(None, taxonomy).label(str(code)).name
    except KeyError:
        for names in _FIXED_NAMES.values():
            if code in names:
                return names[code]
        return str(code)


def with_names(obj: pd.Series | pd.DataFrame, taxonomy: Taxonomy | str | None = None):
    """A copy of a count or cross table with codes replaced by Norwegian names (index and columns) and
    the axis names by what they hold ("Innsatsområde", "Holdning", …)."""
    tax = _taxonomy(obj, taxonomy)
    out = obj.copy()

    def rename(index: pd.Index) -> pd.Index:
        return pd.Index([label_name(v, index.name, tax) for v in index],
                        name=COLUMN_NAMES.get(index.name, index.name))

    out.index = rename(obj.index)
    if isinstance(obj, pd.DataFrame):
        out.columns = rename(obj.columns)
    return out


def _value_label(obj, unique: str | None, normalize) -> str:
    """"Antall kommentarer", "Andel respondenter", …: what a count of ``obj``'s rows counts."""
    who = "respondenter" if unique else getattr(obj, "attrs", {}).get("unit", "kommentarer")
    return f"Andel {who}" if normalize else f"Antall {who}"


def plot_counts(df: pd.DataFrame, column: str, by: str | None = None, unique: str | None = None,
                normalize: bool = False, drop_empty: bool = False, taxonomy: Taxonomy | str | None = None,
                ax: "Axes | None" = None, title: str | None = None) -> "Axes":
    """Horizontal bars of :func:`count_labels` (grouped by ``by`` if given), with Norwegian names."""
    import matplotlib.pyplot as plt

    counts = with_names(count_labels(df, column, by=by, unique=unique, normalize=normalize,
                                     drop_empty=drop_empty), _taxonomy(df, taxonomy))
    if ax is None:
        rows = len(counts) * (1 if by is None else max(1, len(counts.columns) // 3))
        _, ax = plt.subplots(figsize=(8, 1.5 + 0.45 * rows), layout="constrained")
    counts.plot.barh(ax=ax, legend=by is not None, width=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(_value_label(df, unique, normalize))
    ax.set_ylabel(COLUMN_NAMES.get(column, column))
    if by is not None:
        ax.legend(title=COLUMN_NAMES.get(by, by), bbox_to_anchor=(1.01, 1), loc="upper left")
    if normalize:
        ax.xaxis.set_major_formatter(_percent())
    if title:
        ax.set_title(title)
    return ax


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def plot_crosstab(df: pd.DataFrame, row: str, col: str,
                  normalize: Literal["index", "columns", "all"] | None = None, unique: str | None = None,
                  kind: Literal["heatmap", "bar"] = "heatmap", drop_empty: bool = False,
                  taxonomy: Taxonomy | str | None = None, ax: "Axes | None" = None,
                  title: str | None = None) -> "Axes":
    """:func:`crosstab` as a heat map with the number (or share) in each cell, or as stacked bars."""
    import matplotlib.pyplot as plt

    table = with_names(crosstab(df, row, col, normalize=normalize, unique=unique, drop_empty=drop_empty),
                       _taxonomy(df, taxonomy))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(table.columns) + 3), 1.2 + 0.5 * len(table)),
                             layout="constrained")
    if kind == "bar":
        table.plot.barh(ax=ax, stacked=True, width=0.8)
        ax.invert_yaxis()
        ax.set_xlabel(_value_label(df, unique, normalize))
        ax.set_ylabel(table.index.name)
        ax.legend(title=table.columns.name, bbox_to_anchor=(1.01, 1), loc="upper left")
        if normalize:
            ax.xaxis.set_major_formatter(_percent())
    elif kind == "heatmap":
        values = table.to_numpy(dtype="float64")
        ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
        top = pd.Series(values.ravel()).max()
        for (i, j), v in np.ndenumerate(values):
            text = "–" if pd.isna(v) else (f"{v:.0%}" if normalize else f"{int(v)}")
            dark = not pd.isna(v) and top and v > 0.6 * top
            ax.text(j, i, text, ha="center", va="center", color="white" if dark else "black", fontsize=9)
        ax.set_xticks(range(len(table.columns)), table.columns, rotation=30, ha="right")
        ax.set_yticks(range(len(table.index)), table.index)
        ax.set_xlabel(table.columns.name)
        ax.set_ylabel(table.index.name)
    else:
        raise ValueError(f"kind må være 'heatmap' eller 'bar', ikke {kind!r}")
    if title:
        ax.set_title(title)
    return ax
