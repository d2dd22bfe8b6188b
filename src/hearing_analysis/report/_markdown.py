"""The annex as Markdown, for version control and quick reading (charts are in DOCX and HTML)."""
from __future__ import annotations

from .layout import Bullets, Chart, Heading, PageBreak, Para, Quote, Table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * (b.level + 1) + " " + b.text)
        elif isinstance(b, Para):
            out.append(f"*{b.text}*" if b.style == "small" else f"**{b.text}**" if b.style == "lead" else b.text)
        elif isinstance(b, Bullets):
            out.append("\n".join(f"- {i}" for i in b.items))
        elif isinstance(b, Quote):
            out.append("> " + b.text.replace("\n", "\n> ") + f"\n>\n> — {b.source}")
        elif isinstance(b, Table):
            lines = ([f"*{b.caption}*", ""] if b.caption else []) + [
                "| " + " | ".join(_cell(h) for h in b.header) + " |",
                "|" + "|".join("---" for _ in b.header) + "|",
            ] + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out.append("\n".join(lines))
        elif isinstance(b, Chart):
            out.append(f"*{b.caption} (figuren finnes i DOCX- og HTML-utgaven)*")
        elif isinstance(b, PageBreak):
            continue
    return "\n\n".join(out) + "\n"
