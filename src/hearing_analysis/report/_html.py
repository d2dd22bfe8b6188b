"""The annex as one self-contained HTML file (styles and charts inline), rendered with Jinja2."""
from __future__ import annotations

import base64
from dataclasses import asdict

from .layout import Bullets, Chart, Heading, PageBreak, Para, Quote, Table

_KINDS = {Heading: "heading", Para: "para", Bullets: "bullets", Quote: "quote", Table: "table", Chart: "chart",
          PageBreak: "pagebreak"}


def render_html(blocks, title: str) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from .. import __version__

    env = Environment(loader=PackageLoader("hearing_analysis.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    items = []
    for b in blocks:
        d = asdict(b) if not isinstance(b, Chart) else {"caption": b.caption,
                                                         "data": base64.b64encode(b.png).decode("ascii")}
        d["kind"] = _KINDS[type(b)]
        items.append(d)
    return env.get_template("annex.html.j2").render(blocks=items, title=title, version=__version__)
