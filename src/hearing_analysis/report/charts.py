"""Charts for the annex, drawn with matplotlib (Agg) and returned as PNG bytes."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Report

# Colour-blind-safe (Okabe–Ito): support blue-green, objection vermilion, neutral grey.
COLOURS = {"stotte": "#009E73", "innvending": "#D55E00", "noytral": "#999999"}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def stacked_stance(rows: list[tuple[str, dict[str, int]]], title: str, xlabel: str = "Antall kommentarer") -> bytes:
    """Horizontal stacked bars of stance counts, one bar per row label (first row on top)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from .model import STANCE_NAMES

    labels = [r[0] for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(rows) + 1.3))
    left = [0] * len(rows)
    for code, name in STANCE_NAMES.items():
        values = [r[1].get(code, 0) for r in rows][::-1]
        bars = ax.barh(labels, values, left=left, color=COLOURS[code], label=name, height=0.6)
        for bar, v in zip(bars, values):
            if v and bar.get_width() >= max(1, 0.06 * max(sum(r[1].values()) for r in rows)):
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(v),
                        ha="center", va="center", fontsize=8, color="white")
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.5 / (0.45 * len(rows) + 1.3) - 0.12),
              frameon=False, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def make_charts(report: "Report") -> dict[str, bytes]:
    """The annex's charts: stance overall and by respondent type; stance per focus area and per theme."""
    from .model import TYPE_NAMES

    by_type = [("Alle", report.stance_overall)] + [
        (TYPE_NAMES.get(t, t), report.stance_by_type[t]) for t in TYPE_NAMES if t in report.stance_by_type]
    charts = {"holdning": stacked_stance(by_type, "Holdning i kommentarene, samlet og etter type instans")}
    focus = [(s.name, s.stance) for s in report.focus_sections]
    if any(sum(s.values()) for _, s in focus):
        charts["innsatsomrader"] = stacked_stance(focus, "Holdning per innsatsområde")
    themes = [(s.name, s.stance) for s in report.theme_sections]
    if any(sum(s.values()) for _, s in themes):
        charts["temaer"] = stacked_stance(themes, "Holdning per tverrgående tema")
    return charts
