"""The annex as a sequence of blocks (headings, text, tables, charts, quotes) that every writer renders.

All wording of the annex lives here, once; the DOCX, HTML and Markdown writers only lay it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..names import LEVEL_NAMES
from .model import STANCE_NAMES, TYPE_NAMES, Report, Section, join_names, norwegian_date
from .points import strip_marker


@dataclass
class Heading:
    level: int  # 0 = document title, 1 = chapter, 2 = section, 3 = point
    text: str


@dataclass
class Para:
    text: str
    style: str = ""  # "", "lead", "small", "meta"


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths
    caption: str = ""


@dataclass
class Chart:
    name: str
    png: bytes
    caption: str


@dataclass
class Quote:
    text: str
    source: str


@dataclass
class PageBreak:
    pass


Block = Heading | Para | Bullets | Table | Chart | Quote | PageBreak
MEASURE_ROWS = 500  # rows of the measures table in the annex; the backlog file always has all
QUOTE_LIMIT = 700  # characters; a longer quote is cut at a sentence or word boundary with " […]"


def _cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    cut = cut[:end + 1] if end > limit // 2 else cut[:cut.rfind(" ")]
    return cut.rstrip() + " […]"


def _page(page: int | None) -> str:
    return f", s. {page}" if page else ""


def _share(n: int, total: int) -> str:
    return f"{round(100 * n / total)} %" if total else "–"


def _stance_line(stance: dict[str, int]) -> str:
    total = sum(stance.values())
    return ", ".join(f"{STANCE_NAMES[k].lower()} {v} ({_share(v, total)})" for k, v in stance.items() if v) or "–"


def _point_blocks(n: int, point, section: Section) -> list[Block]:
    rep = point.representative
    many = len(point.respondents) > 1
    if many:
        who = join_names(point.respondents) if len(point.respondents) <= 5 else (
            ", ".join(point.respondents[:5]) + f" og {len(point.respondents) - 5} til")
        lead = f"Flere instanser ({who}) peker på dette:"
    else:
        lead = f"{point.respondents[0]} peker på dette:"
    blocks: list[Block] = [Heading(3, f"{n}. {point.sentence}"), Para(lead, "meta")]
    blocks.append(Quote(_cut(strip_marker(rep["text"])), f"{rep['display']}{_page(rep.get('page'))}"))
    if point.others:
        refs = "; ".join(f"{name}{_page(page)}" for name, page in point.others)
        blocks.append(Para(f"Samme poeng også hos: {refs}.", "small"))
    blocks.append(Para(f"{len(point.comment_ids)} kommentarer · holdning: {_stance_line(point.stance)}", "small"))
    return blocks


def _section_blocks(s: Section, chapter: str) -> list[Block]:
    blocks: list[Block] = [Heading(2, s.name)]
    if s.description:
        blocks.append(Para(f"Omfatter: {s.description}", "small"))
    if not s.comments:
        blocks.append(Para(f"Ingen av de inkluderte høringssvarene har kommentarer om {s.name.lower()}."))
        return blocks
    blocks.append(Para(f"{s.respondents} høringsinstanser tar opp {chapter} i {s.comments} kommentarer. "
                       f"Holdning: {_stance_line(s.stance)}."))
    for n, p in enumerate(s.points, 1):
        blocks += _point_blocks(n, p, s)
    if s.more_points:
        blocks.append(Para(f"I tillegg kommer {s.more_points} enkeltinnspill som ikke er gjengitt her; "
                           "alle finnes i arbeidsområdet og i eksporten av kommentarer.", "small"))
    return blocks


def layout(report: Report) -> list[Block]:
    """The annex, top to bottom."""
    r = report
    blocks: list[Block] = []
    title = "Oppsummering av høringsinnspill" if not r.is_delta else "Nye høringsinnspill"
    blocks.append(Heading(0, title))
    blocks.append(Para(r.title, "lead"))
    meta = [
        f"Høringsfrist: {norwegian_date(r.deadline)}" if r.deadline else "Høringsfrist: ikke satt",
        (f"Svar mottatt: {norwegian_date(r.first_received)} – {norwegian_date(r.last_received)}"
         if r.first_received else "Svar mottatt: ingen"),
        f"Rapportdato: {norwegian_date(r.created.date())}",
        f"Rapport-id: {r.id}",
        f"Omfatter {len(r.response_ids)} høringssvar med {r.comments} kommentarer.",
    ]
    if r.is_delta:
        meta.insert(0, f"Nye innspill siden rapport {r.since['id']} ({norwegian_date(r.since['created'])}). "
                       "Bare høringssvar som er kommet inn etter den rapporten er med.")
    blocks += [Para(m, "meta") for m in meta]
    if r.pseudonymised:
        blocks.append(Para("Privatpersoner er anonymisert (Privatperson 1, 2, …), og e-postadresser, "
                           "telefonnumre og fødselsnumre er fjernet fra sitatene.", "small"))

    # -- Om høringen ------------------------------------------------------------
    blocks.append(Heading(1, "Om høringen"))
    total = sum(r.by_type.values())
    blocks.append(Para(f"Det er lest inn {total} høringssvar"
                       + (" som er nye siden forrige rapport." if r.is_delta else ".")))
    if total:
        blocks.append(Table(["Type instans", "Antall svar"],
                            [[TYPE_NAMES.get(k, k), str(v)] for k, v in r.by_type.items()] + [["Sum", str(total)]],
                            [3, 1], "Høringssvar etter type instans"))
    t = r.timeliness
    timing = [f"{t['i_tide']} innen fristen"]
    if t["utsatt_frist"]:
        timing.append(f"{t['utsatt_frist']} innen en utsatt frist som var avtalt på forhånd")
    timing.append(f"{t['for_sent']} etter fristen")
    sentence = "Av svarene kom " + join_names(timing) + "."
    if t["ukjent"]:
        sentence += f" For {t['ukjent']} er mottaksdatoen ukjent."
    if t["for_sent"]:
        sentence += (" Også svarene som kom for sent, er tatt med i oppsummeringen; de er merket i oversikten "
                     "over høringsinstansene.")
    blocks.append(Para(sentence))
    if r.joint:
        blocks.append(Para("Felles uttalelser (nesten like svar fra flere instanser, regnet som egne svar):"))
        blocks.append(Bullets([join_names(g) for g in r.joint]))
    if r.problems:
        blocks.append(Para(f"{len(r.problems)} filer kunne ikke leses automatisk og må behandles manuelt. "
                           "Ingen innspill er forkastet; disse filene er listet her og i vedlegget:"))
        blocks.append(Table(["Fil", "Status", "Årsak"], [[f.file, f.status, f.note] for f in r.problems], [2, 1, 3]))
    else:
        blocks.append(Para("Alle innkomne filer er lest inn; ingen trenger manuell behandling."))
    blocks.append(Para(
        f"Svarene er delt opp i {r.comments} kommentarer, og hver kommentar er klassifisert etter innsatsområde, "
        "tverrgående tema, nivå (strategisk, tiltak eller prosess) og holdning av hearing-analysis. "
        + (f"{r.reviewed} kommentarer er kontrollert av saksbehandler; der gjelder saksbehandlers vurdering. "
           if r.reviewed else "Ingen kommentarer er ennå kontrollert av saksbehandler. ")
        + (f"{r.needs_review} maskinelle vurderinger er usikre og bør kontrolleres."
           if r.needs_review else ""), "small"))

    # -- Hovedinntrykk ----------------------------------------------------------
    blocks.append(Heading(1, "Hovedinntrykk"))
    so = r.stance_overall
    n = sum(so.values())
    if n:
        blocks.append(Para(f"Av {n} kommentarer uttrykker {so['stotte']} ({_share(so['stotte'], n)}) støtte, "
                           f"{so['innvending']} ({_share(so['innvending'], n)}) innvendinger eller ønsker om "
                           f"endring, og {so['noytral']} ({_share(so['noytral'], n)}) er nøytrale."))
        rows = []
        for k in TYPE_NAMES:
            if k in r.stance_by_type:
                s = r.stance_by_type[k]
                rows.append([TYPE_NAMES[k]] + [str(s[c]) for c in STANCE_NAMES] + [str(sum(s.values()))])
        blocks.append(Table(["Type instans"] + list(STANCE_NAMES.values()) + ["Sum"], rows, [3, 1, 1, 1, 1],
                            "Holdning i kommentarene etter type instans"))
        if "holdning" in r.charts:
            blocks.append(Chart("holdning", r.charts["holdning"], "Figur 1: Holdning i kommentarene."))
        ranked = sorted(r.focus_sections + r.theme_sections, key=lambda s: -s.respondents)
        top = [f"{s.name} ({s.respondents} instanser)" for s in ranked if s.respondents][:4]
        if top:
            blocks.append(Para("Flest høringsinstanser er opptatt av " + join_names(top) + "."))
    else:
        blocks.append(Para("Ingen kommentarer er klassifisert ennå. Kjør `hearing analyze` før rapporten."))

    # -- Innsatsområder og temaer --------------------------------------------------
    blocks.append(Heading(1, "Innspill per innsatsområde"))
    blocks.append(Para("Kommentarer på strategisk nivå og tiltaksnivå er gruppert: like poenger fra ulike "
                       "instanser er slått sammen til ett punkt med et representativt sitat. Punktene står i "
                       "rekkefølge etter hvor mange instanser som tar dem opp.", "small"))
    if "innsatsomrader" in r.charts:
        blocks.append(Chart("innsatsomrader", r.charts["innsatsomrader"], "Figur 2: Holdning per innsatsområde."))
    for s in r.focus_sections:
        blocks += _section_blocks(s, "innsatsområdet")
    blocks.append(Heading(1, "Innspill per tverrgående tema"))
    if "temaer" in r.charts:
        blocks.append(Chart("temaer", r.charts["temaer"], "Figur 3: Holdning per tverrgående tema."))
    for s in r.theme_sections:
        blocks += _section_blocks(s, "temaet")

    # -- Tiltak ----------------------------------------------------------------
    blocks.append(PageBreak())
    blocks.append(Heading(1, "Innspill på tiltaksnivå til handlingsplanen"))
    if r.measures:
        blocks.append(Para(f"{len(r.measures)} kommentarer foreslår konkrete tiltak, prosjekter, indikatorer eller "
                           "ansvar. De hører hjemme i den årlige handlingsplanen og er overført til tiltakslisten "
                           "(`hearing backlog`), der sekretariatet kan følge dem opp."))
        shown = r.measures[:MEASURE_ROWS]
        blocks.append(Table(
            ["Instans", "Foreslått tiltak", "Innsatsområder og temaer", "Side"],
            [[m.respondent, m.action[:1].upper() + m.action[1:], "; ".join(m.focus_areas + m.themes) or "–",
              str(m.page or "")] for m in shown], [2, 5, 2.4, 0.8]))
        if len(r.measures) > len(shown):
            blocks.append(Para(f"Tabellen viser de første {len(shown)} av {len(r.measures)} innspillene; "
                               "hele listen finnes i tiltakslisten fra `hearing backlog`.", "small"))
    else:
        blocks.append(Para("Ingen kommentarer er vurdert som innspill på tiltaksnivå."))

    # -- Høringsinstansene ---------------------------------------------------------
    blocks.append(Heading(1, "Høringsinstansene"))
    blocks.append(Table(
        ["Instans", "Type", "Mottatt", "Holdning", "Innsatsområder og temaer", "Tiltak"],
        [[p.name, p.type, f"{p.received} ({p.timeliness.lower()})", p.stance,
          "; ".join(p.focus_areas + p.themes) or "–", str(p.measures)] for p in r.respondents],
        [2.2, 1.4, 1.8, 1.7, 3.6, 0.8]))

    # -- Vedlegg ---------------------------------------------------------------
    blocks.append(PageBreak())
    blocks.append(Heading(1, "Vedlegg: innkomne filer"))
    blocks.append(Para("Alle filer som er mottatt" + (" siden forrige rapport" if r.is_delta else "")
                       + ", med status. Kopier av samme fil er lest inn bare én gang.", "small"))
    blocks.append(Table(["Fil", "Instans", "Mottatt", "Status"],
                        [[f.file, f.respondent, norwegian_date(f.received) if f.received else "", f.status]
                         for f in r.files], [3, 2.2, 1.4, 1.6]))
    return blocks


__all__ = ["Block", "Heading", "Para", "Bullets", "Table", "Chart", "Quote", "PageBreak", "layout",
           "LEVEL_NAMES"]
