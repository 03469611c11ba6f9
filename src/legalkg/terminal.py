"""What the CLI prints for people: summaries, tables, catalogues (with rich)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.table import Table

from legalkg.iris import Iris
from legalkg.pipeline import IngestSummary, SourceOutcome
from legalkg.quarantine import QuarantineEntry
from legalkg.queries import SavedQuery, catalogue, run
from legalkg.results import cell
from legalkg.store.base import QueryResult, Store

_STATUS_STYLE = {
    "committed": "green",
    "replaced": "green",
    "unchanged": "dim",
    "quarantined": "yellow",
    "failed": "red",
}


def print_loaded(console: Any, store: Store, model: Mapping[Any, int], summary: IngestSummary) -> None:
    table = Table(title="Loaded", show_edge=False, title_justify="left")
    table.add_column("graph")
    table.add_column("source")
    table.add_column("triples", justify="right")
    for graph, count in model.items():
        table.add_row(str(graph).rsplit("/", 1)[-1], "", f"{count:,}")
    for outcome in summary.outcomes:
        if outcome.graph is not None and outcome.status != "unchanged":
            table.add_row(str(outcome.graph).rsplit("/", 1)[-1], outcome.path.name, f"{outcome.triples:,}")
    console.print(table)
    console.print(f"Total: {store.count():,} quads in {len(store.graphs())} graphs")
    for outcome in summary.outcomes:
        for note in outcome.notes:
            console.print(f"[dim]note: {note}[/]")


def print_inferred(console: Any, store: Store, iris: Iris) -> None:
    owl, defaults = store.count(iris.inferred_graph), store.count(iris.defaults_graph)
    console.print(
        f"Reasoning: [green]consistent[/], {owl:,} triples inferred by the OWL 2 RL rules, "
        f"{defaults:,} by the default rules (graphs inferred and inferred/defaults)"
    )


def print_validation(console: Any, summary: IngestSummary) -> None:
    checked = [o for o in summary.outcomes if o.report is not None]
    warnings = sum(len(o.report.warnings) for o in checked if o.report is not None)
    refused = [o for o in summary.outcomes if o.status == "quarantined"]
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if not refused and not failed:
        console.print(f"Validation: [green]passed[/] ({len(checked)} source(s), {warnings} warning(s))")
    for outcome in refused:
        console.print(f"Validation: [yellow]{outcome.path.name} refused[/], kept in the quarantine")
        console.print(outcome.message or "")
    for outcome in failed:
        console.print(f"[red]{outcome.message}[/]")


def print_outcome(console: Any, outcome: SourceOutcome, errors: Any) -> None:
    if outcome.status == "failed":
        # One line on stderr: the message names the file and the problem.
        errors.print(f"legalkg: {outcome.message}", markup=False)
        return
    style = _STATUS_STYLE.get(outcome.status, "")
    detail = f" ({outcome.triples:,} triples)" if outcome.triples else ""
    console.print(f"[{style}]{outcome.status}[/] {outcome.path}{detail}")
    if outcome.status == "quarantined" and outcome.message:
        console.print(outcome.message, markup=False)
    for note in outcome.notes:
        console.print(f"[dim]note: {note}[/]")


def print_ingest_summary(console: Any, summary: IngestSummary) -> None:
    parts = [
        f"{summary.count(s)} {s}"
        for s in ("committed", "replaced", "unchanged", "quarantined", "failed")
        if summary.count(s)
    ]
    console.print(", ".join(parts) or "nothing to ingest")


def print_result(console: Any, result: QueryResult, *, title: str | None = None) -> None:
    if result.boolean is not None:
        console.print("yes" if result.boolean else "no")
        return
    # IRIs are for programs: the table shows the labels, csv and json carry the IRIs too.
    shown = [v for v in result.variables if not v.endswith("Iri")] or result.variables
    table = Table(title=title, title_justify="left", show_lines=False)
    for variable in shown:
        table.add_column(variable, overflow="fold")
    for row in result.rows:
        table.add_row(*[cell(row.get(v)) for v in shown])
    console.print(table)
    hidden = " (IRIs in --format csv or json)" if len(shown) < len(result.variables) else ""
    console.print(f"[dim]{len(result)} row(s){hidden}[/]")


def print_catalogue(console: Any, queries: Mapping[str, SavedQuery]) -> None:
    table = Table(show_lines=True)
    table.add_column("query")
    table.add_column("summary")
    table.add_column("parameters")
    for name, saved in queries.items():
        params = ", ".join(
            f"{p.name}{'' if p.required else '?'} ({p.kind}{', e.g. ' + p.example if p.example else ''})"
            for p in saved.parameters
        )
        table.add_row(name, saved.summary, params or "-")
    console.print(table)


def headline_queries(folder: Path) -> list[tuple[str, SavedQuery, dict[str, str]]]:
    """The questions ``build`` answers: saved queries whose header has a ``headline``."""
    found = []
    for saved in catalogue(folder).values():
        header = _header(saved)
        headline = header.get("headline")
        if isinstance(headline, dict) and "question" in headline:
            params = {str(k): str(v) for k, v in (headline.get("parameters") or {}).items()}
            found.append((int(headline.get("order", 99)), str(headline["question"]), saved, params))
    found.sort(key=lambda item: (item[0], item[2].name))
    return [(question, saved, params) for _, question, saved, params in found]


def _header(saved: SavedQuery) -> dict[str, Any]:
    from legalkg.queries import parse_header

    return parse_header(saved.text)


def print_headlines(console: Any, store: Store, folder: Path) -> None:
    for question, saved, params in headline_queries(folder):
        result = run(store, saved, params)
        console.print(f"\n[bold]{question}[/]")
        if not result.rows:
            console.print("  (no answer in the graph)")
            continue
        print_result(console, result)


def print_scores(console: Any, scores: Any) -> None:
    table = Table(title="Extraction against the gold annotations", title_justify="left")
    for column in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, tally in scores.fields.items():
        table.add_row(
            name,
            f"{tally.precision:.3f}",
            f"{tally.recall:.3f}",
            f"{tally.f1:.3f}",
            str(tally.tp),
            str(tally.fp),
            str(tally.fn),
        )
    console.print(table)


def print_quarantine(console: Any, entries: list[QuarantineEntry]) -> None:
    if not entries:
        console.print("the quarantine is empty")
        return
    table = Table(title="Waiting in the quarantine (times in UTC)", title_justify="left", show_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("file", overflow="fold", min_width=10)
    table.add_column("refused", no_wrap=True)
    table.add_column("violations", justify="right")
    table.add_column("warnings", justify="right")
    # The gist is what a steward scans the list for: it keeps room on a narrow terminal.
    table.add_column("first problem", overflow="fold", min_width=24)
    for entry in entries:
        table.add_row(
            entry.key,
            entry.name,
            _minute(entry.refused_at),
            str(entry.violations),
            str(entry.warnings),
            entry.first_problem,
        )
    console.print(table)
    console.print(f"[dim]{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}[/]")


def _minute(timestamp: str) -> str:
    """``2024-05-01T09:30:12+00:00`` as ``2024-05-01 09:30``: the seconds only take room."""
    return timestamp[:16].replace("T", " ")


def print_quarantine_entry(console: Any, entry: QuarantineEntry) -> None:
    console.print(entry.report_text.rstrip("\n"), markup=False)
    console.print()
    console.print(f"key:       {entry.key}", markup=False)
    console.print(f"refused:   {entry.refused_at}", markup=False)
    # Absolute, to open in an editor from any folder.
    console.print(f"input:     {entry.input_file.absolute()}", markup=False)
    console.print(f"report:    {entry.report_turtle.absolute()}", markup=False)
    console.print(f"came from: {entry.original_path}", markup=False)


def print_retry(console: Any, entry: QuarantineEntry, outcome: SourceOutcome, errors: Any) -> None:
    what = f"{entry.key} ({entry.name})"
    if outcome.status == "failed":
        # One line on stderr, as ingest says it; the entry stays as it was.
        errors.print(f"legalkg: {outcome.message}", markup=False)
        return
    style = _STATUS_STYLE.get(outcome.status, "")
    if outcome.status == "quarantined":
        console.print(f"[{style}]still refused[/] {what}, kept in the quarantine")
        console.print(outcome.message or "", markup=False)
    else:
        detail = f", {outcome.triples:,} triples" if outcome.triples else ", already in the store"
        console.print(f"[{style}]{outcome.status}[/] {what}{detail}; left the quarantine")
    for note in outcome.notes:
        console.print(f"[dim]note: {note}[/]")


def print_dropped(console: Any, entry: QuarantineEntry) -> None:
    console.print(f"dropped {entry.key} ({entry.name})", markup=False)
