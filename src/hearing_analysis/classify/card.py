"""The model card in Markdown, rendered from card.json."""
from __future__ import annotations

from .metrics import HEADLINE


def _table(scores: dict) -> list[str]:
    rows = ["| etikett | presisjon | treff | F1 | antall |", "|---|---|---|---|---|"]
    for label, s in scores.items():
        rows.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return rows


def render_card(card: dict) -> str:
    lines = [f"# Modellkort: {card['name']}", "",
             f"- Laget: {card['created']}", f"- Bakside (backend): {card['backend']}",
             f"- Taksonomi: {card['taxonomy']}", f"- Treningsdata: {card['corpus']} "
             f"({card.get('n_corpus', card['n_train'])} innspill), SHA-256 {card['corpus_sha256'][:16]}…",
             *([f"- Vurderte innspill fra arbeidsområdet {card['reviews'].get('workspace', '?')}: "
                f"{card['reviews']['n']} innspill fra {card['reviews'].get('responses', '?')} svar, vurdert til og med "
                f"{card['reviews'].get('reviewed_until', '?')} (til sammen {card['n_train']} treningsinnspill)"]
               if card.get("reviews") else []),
             f"- Frø (seed): {card['seed']}; treningstid {card['train_seconds']:.0f} s",
             f"- Modellfil: SHA-256 {card.get('model_sha256', '')[:16]}…", "",
             "## Trekk", "", card["features"], "", "## Resultater", ""]
    for split in ("cv", "test"):
        res = card.get(split)
        if not res:
            continue
        title = ("Kryssvalidering på treningsdelen (5 deler, gruppert etter høringssvar)" if split == "cv"
                 else f"Holdt-ut testdel ({res.get('n', '?')} innspill)")
        lines += [f"### {title}", "", "| mål | modell | regelbasert |", "|---|---|---|"]
        for key, label in HEADLINE.items():
            base = res.get("baseline", {}).get(key)
            lines.append(f"| {label} | {res[key]:.3f} | {base:.3f} |" if base is not None else f"| {label} | {res[key]:.3f} | – |")
        lines.append("")
        if "per_label" in res:
            lines += ["Per etikett:", "", *_table(res["per_label"]), ""]
    lines += ["## Bruk", "", card.get("usage", ""), ""]
    return "\n".join(lines)
