"""The ``legalkg`` command: parses arguments, builds Settings, calls one stage, renders.

Exit codes: 0 done; 1 data does not conform; 2 a user error (bad argument, unreadable file),
said in one line on stderr. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from legalkg.errors import LegalKGError, UsageError
from legalkg.settings import Settings


class _Group(click.Group):
    """Turns legalkg's errors into one line on stderr and the exit code they carry."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LegalKGError as exc:
            click.echo(f"legalkg: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


@contextmanager
def _store(settings: Settings, *, read_only: bool = False) -> Iterator[Any]:
    from legalkg.store import open_store

    store = open_store(settings.store, settings.iris, read_only=read_only, remote=settings.remote)
    try:
        yield store
    finally:
        store.close()


def _console(err: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=err, highlight=False, soft_wrap=True)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--published takes a date as YYYY-MM-DD, not '{value}'") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store",
    metavar="FOLDER|URL",
    help="The store: a folder for the embedded store, or a SPARQL server's URL. "
    "[default: .legalkg/store, or $LEGALKG_STORE]",
)
@click.option(
    "--query-endpoint", metavar="URL", help="The server's SPARQL Query endpoint, where it is not --store."
)
@click.option(
    "--update-endpoint", metavar="URL", help="The server's SPARQL Update endpoint, where it is elsewhere."
)
@click.option(
    "--graph-store-endpoint",
    metavar="URL",
    help="The server's Graph Store Protocol endpoint, where it is elsewhere.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A TOML config file. [default: $LEGALKG_CONFIG, or ./legalkg.toml when there is one]",
)
@click.option(
    "--base", metavar="IRI", help="The base of every IRI legalkg mints. [default: https://w3id.org/legalkg/]"
)
@click.option(
    "--project-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A legalkg checkout whose ontology, shapes, queries and reference data to use.",
)
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debugging).")
@click.version_option(package_name="legalkg")
@click.pass_context
def main(
    ctx: click.Context,
    store: str | None,
    query_endpoint: str | None,
    update_endpoint: str | None,
    graph_store_endpoint: str | None,
    config: Path | None,
    base: str | None,
    project_dir: Path | None,
    verbose: int,
) -> None:
    """legalkg: a knowledge graph of legal instruments and the events that discuss them.

    Read event reports into RDF, check them against SHACL shapes, and answer saved SPARQL
    questions such as "which sessions covered the Arms Trade Treaty?".

    The graph lives in a folder (the embedded store) or on a SPARQL 1.1 server (--store URL);
    credentials for a server come from LEGALKG_USER and LEGALKG_PASSWORD, or LEGALKG_TOKEN.
    """
    logging.basicConfig(level=logging.WARNING - 10 * verbose, format="%(levelname)s %(name)s: %(message)s")
    try:
        ctx.obj = Settings.from_environment(
            config=config,
            store=store,
            base=base,
            project_dir=project_dir,
            remote_query=query_endpoint,
            remote_update=update_endpoint,
            remote_graph_store=graph_store_endpoint,
        )
    except LegalKGError as exc:
        # The group's own callback runs before invoke() can catch it.
        click.echo(f"legalkg: {exc}", err=True)
        ctx.exit(exc.exit_code)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for reports without a dateline."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the dump. [default: dist]",
)
@click.option(
    "--no-reason",
    is_flag=True,
    help="Leave the inferences for a later `legalkg reason` (faster for many sources at once).",
)
@click.pass_context
def build(
    ctx: click.Context, paths: tuple[Path, ...], published: str | None, out_dir: Path | None, no_reason: bool
) -> None:
    """Build the graph afresh from the ontology, the reference data and PATHS.

    With no PATHS, builds from the sample documents. Prints what was loaded, that it passed
    validation and the answers to the headline questions, and writes a release of dumps.
    """
    from legalkg import terminal
    from legalkg.pipeline import Pipeline
    from legalkg.store import is_endpoint

    settings = _settings(ctx)
    console = _console()
    with _store(settings) as store:
        pipeline = Pipeline(settings, store)
        # Every input is read before the store is touched: bad input leaves it as it was.
        sources = pipeline.preflight(list(paths) or [pipeline.sample_documents()])
        kind = "remote" if is_endpoint(settings.store) else "embedded"
        console.print(f"Store: [bold]{store.location}[/] ({kind})")
        store.clear()
        loaded = pipeline.install_model()
        summary = pipeline.ingest(sources, published=_date(published), reason=not no_reason)
        terminal.print_loaded(console, store, loaded, summary)
        terminal.print_validation(console, summary)
        if not no_reason:
            terminal.print_inferred(console, store, settings.iris)
        terminal.print_headlines(console, store, pipeline.assets.queries_dir)
        from legalkg.publish import dump

        release = dump(store, out_dir or settings.dist_dir, settings.iris)
        console.print(f"Dumps: {release.folder} (release {release.version})")
    ctx.exit(summary.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for reports without a dateline."
)
@click.option("--strict", is_flag=True, help="Refuse sources with warnings too, not only violations.")
@click.option(
    "--no-reason",
    is_flag=True,
    help="Leave the inferences for a later `legalkg reason` (faster for many sources at once).",
)
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], published: str | None, strict: bool, no_reason: bool
) -> None:
    """Load PATHS (files or folders) into the store, each source in one transaction.

    A source that does not conform is not committed: it waits in the quarantine with its report.
    """
    from legalkg import terminal
    from legalkg.pipeline import Pipeline

    settings = _settings(ctx)
    console = _console()
    errors = _console(err=True)
    with _store(settings) as store:
        pipeline = Pipeline(settings, store)
        if pipeline.iris.ontology_graph not in store.graphs():
            pipeline.install_model()
        summary = pipeline.ingest(
            paths,
            published=_date(published),
            strict=strict,
            reason=not no_reason,
            progress=lambda outcome: terminal.print_outcome(console, outcome, errors),
        )
    terminal.print_ingest_summary(console, summary)
    ctx.exit(summary.exit_code)


@main.group()
def quarantine() -> None:
    """The sources the gate refused: list, show, retry or drop them.

    Each waits in the quarantine folder as it came, beside its report. Name an entry by its
    key, a unique prefix of the key, or its file name.
    """


@quarantine.command(name="list")
@click.pass_context
def quarantine_list(ctx: click.Context) -> None:
    """List what waits: key, file, when refused, violations, warnings and the first problem."""
    from legalkg import terminal
    from legalkg.quarantine import Quarantine

    terminal.print_quarantine(_console(), Quarantine(_settings(ctx).quarantine_dir).entries())


@quarantine.command(name="show")
@click.argument("key")
@click.pass_context
def quarantine_show(ctx: click.Context, key: str) -> None:
    """Print the report of the entry KEY and where its input and report.ttl are."""
    from legalkg import terminal
    from legalkg.quarantine import Quarantine

    terminal.print_quarantine_entry(_console(), Quarantine(_settings(ctx).quarantine_dir).find(key))


@quarantine.command(name="retry")
@click.argument("keys", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Retry every entry.")
@click.option(
    "--from-original",
    is_flag=True,
    help="Read the file each entry came from (fixed there), not its copy in the quarantine.",
)
@click.option("--strict", is_flag=True, help="Refuse sources with warnings too, not only violations.")
@click.pass_context
def quarantine_retry(
    ctx: click.Context, keys: tuple[str, ...], every: bool, from_original: bool, strict: bool
) -> None:
    """Validate the entries KEYS again and commit those that now conform.

    Reads the copy in the quarantine, where a steward may fix it, against the current shapes
    and reference data. Exit code 0 when all were committed, 1 when one is still refused, 2
    when one cannot be read.
    """
    from legalkg import terminal
    from legalkg.pipeline import IngestSummary, Pipeline
    from legalkg.quarantine import Quarantine

    settings = _settings(ctx)
    console = _console()
    # Names are resolved before the store is opened: a mistyped key changes nothing.
    entries = Quarantine(settings.quarantine_dir).select(keys, every=every)
    if not entries:
        console.print("the quarantine is empty")
        return
    summary = IngestSummary()
    with _store(settings) as store:
        pipeline = Pipeline(settings, store)
        if pipeline.iris.ontology_graph not in store.graphs():
            pipeline.install_model()
        for entry in entries:
            outcome = pipeline.retry(entry, from_original=from_original, strict=strict)
            summary.outcomes.append(outcome)
            terminal.print_retry(console, entry, outcome, _console(err=True))
    terminal.print_ingest_summary(console, summary)
    ctx.exit(summary.exit_code)


@quarantine.command(name="drop")
@click.argument("keys", nargs=-1, required=True)
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def quarantine_drop(ctx: click.Context, keys: tuple[str, ...], yes: bool) -> None:
    """Delete the entries KEYS, their input copies and reports; each drop goes to dropped.log."""
    from legalkg import terminal
    from legalkg.quarantine import Quarantine

    box = Quarantine(_settings(ctx).quarantine_dir)
    entries = box.select(keys)
    listing = ", ".join(f"{e.key} ({e.name})" for e in entries)
    if not yes:
        # A prompt nobody can answer would hang a script or fail it with a bare "Aborted!".
        if sys.stdin is None or not sys.stdin.isatty():
            raise UsageError(
                f"not dropping {listing} without a confirmation; pass --yes to drop without asking"
            )
        if not click.confirm(f"Drop {listing}? The input copy and its reports are deleted", default=False):
            click.echo("nothing dropped")
            return
    console = _console()
    for entry in entries:
        box.drop(entry)
        terminal.print_dropped(console, entry)


@main.command()
@click.pass_context
def reason(ctx: click.Context) -> None:
    """Compute the inferred graphs afresh: what follows from the sources by the ontology.

    Exit code 1 when the graph holds a clash (two things that cannot both hold): the clashes
    are printed, with the sources they come from, and the previous inferred graphs are kept.
    """
    from legalkg import terminal
    from legalkg.pipeline import Pipeline

    settings = _settings(ctx)
    with _store(settings) as store:
        pipeline = Pipeline(settings, store)
        if pipeline.iris.ontology_graph not in store.graphs():
            pipeline.install_model()
        clashes = pipeline.reason()
        if clashes:
            report = pipeline.clash_report(clashes)
            _console().print(report.to_text(store.location), markup=False)
            ctx.exit(1)
        terminal.print_inferred(_console(), store, settings.iris)


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.pass_context
def remove(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Take the sources NAMES (file names, as `ingest` loaded them) out of the store, with
    every inference that only they supported."""
    from legalkg.pipeline import Pipeline

    settings = _settings(ctx)
    with _store(settings) as store:
        removed = Pipeline(settings, store).remove(list(names))
    for name, graph in zip(names, removed, strict=True):
        _console().print(f"removed {name} ({graph})")


@main.command(name="queries")
@click.pass_context
def list_queries(ctx: click.Context) -> None:
    """List the saved queries, with their summaries and parameters."""
    from legalkg import assets, terminal
    from legalkg.queries import catalogue

    settings = _settings(ctx)
    folder = assets.locate(settings.project_dir).queries_dir
    terminal.print_catalogue(_console(), catalogue(folder))


@main.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the query (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
)
@click.option(
    "--asserted-only",
    is_flag=True,
    help="Only what sources said, without what the reasoner inferred from it.",
)
@click.pass_context
def query(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, asserted_only: bool) -> None:
    """Run the saved query NAME on the store: on what sources said and what follows from it."""
    from legalkg import assets, terminal
    from legalkg.publish import asserted_graphs
    from legalkg.queries import get, run
    from legalkg.reasoning import Reasoner
    from legalkg.results import render

    settings = _settings(ctx)
    values: dict[str, str] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key:
            raise UsageError(f"-p takes KEY=VALUE, not '{param}'")
        values[key.strip()] = value.strip()
    saved = get(assets.locate(settings.project_dir).queries_dir, name)
    with _store(settings, read_only=True) as store:
        graphs = asserted_graphs(store, settings.iris) if asserted_only else None
        result = run(store, saved, values, graphs=graphs)
        stale = not asserted_only and not Reasoner.inferences_up_to_date(store, settings.iris)
    if stale:
        _console(err=True).print(
            "[yellow]note:[/] the inferences are not up to date with the sources; "
            "run `legalkg reason` for complete answers"
        )
    if fmt == "table":
        terminal.print_result(_console(), result, title=saved.summary)
    else:
        sys.stdout.write(render(result, fmt))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check PATHS (documents or RDF files) against the shapes, writing nothing.

    Exit code 0 when all conform, 1 when one does not, 2 when one cannot be read.
    """
    from legalkg.pipeline import Pipeline
    from legalkg.store import is_endpoint

    settings = _settings(ctx)
    # Entities the files point to may be in the store; without one, the reference data suffices.
    if is_endpoint(settings.store) or Path(settings.store).is_dir():
        with _store(settings, read_only=True) as store:
            outcome = Pipeline(settings, store).check_paths(paths)
    else:
        outcome = Pipeline(settings, None).check_paths(paths)
    sys.stdout.write(outcome.render(fmt))
    ctx.exit(outcome.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["gold-json", "turtle"]), default="gold-json", show_default=True
)
@click.option(
    "--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for reports without a dateline."
)
@click.pass_context
def extract(ctx: click.Context, paths: tuple[Path, ...], fmt: str, published: str | None) -> None:
    """Print what the loaders read from PATHS, without writing to the store.

    gold-json: one JSON list, one object per file, in the form of the evaluation set; turtle:
    the triples ingest would commit.
    """
    import json

    from legalkg.pipeline import Pipeline

    settings = _settings(ctx)
    pipeline = Pipeline(settings, None)
    if fmt == "turtle":
        sys.stdout.write(pipeline.extract_turtle(paths, published=_date(published)))
        return
    views = pipeline.extract(paths, published=_date(published))
    sys.stdout.write(json.dumps(views, indent=1, ensure_ascii=False) + "\n")


@main.command(name="eval")
@click.option(
    "--gold",
    "gold_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Gold annotations: a JSON list, one object per document.",
)
@click.option(
    "--documents",
    "documents_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of the documents the gold file annotates.",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the scores as JSON here.",
)
@click.option("--mistakes", is_flag=True, help="List every difference from the gold annotations.")
@click.pass_context
def evaluate(
    ctx: click.Context, gold_file: Path, documents_dir: Path, json_out: Path | None, mistakes: bool
) -> None:
    """Score the text loader against gold annotations: precision, recall and F1 per field."""
    import json

    from legalkg import terminal
    from legalkg.pipeline import Pipeline
    from legalkg.scoring import AgencyResolver, score

    settings = _settings(ctx)
    pipeline = Pipeline(settings, None)
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{gold_file}: not a JSON file of gold annotations ({exc})") from exc
    missing = [g["file"] for g in gold if not (documents_dir / g["file"]).is_file()]
    if missing:
        raise UsageError(f"{documents_dir} lacks {len(missing)} annotated document(s), e.g. {missing[0]}")
    predicted = pipeline.extract([documents_dir / g["file"] for g in gold])
    scores = score(gold, predicted, AgencyResolver(pipeline.agency_names(), pipeline.demonyms()))
    console = _console()
    terminal.print_scores(console, scores)
    if mistakes:
        for line in scores.mistakes:
            console.print(line, markup=False)
    if json_out is not None:
        json_out.write_text(scores.to_json() + "\n", encoding="utf-8")


@main.command()
@click.option(
    "--documents", "count", type=click.IntRange(min=1), required=True, help="How many reports to write."
)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same reports.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.pass_context
def generate(ctx: click.Context, count: int, seed: int, out_dir: Path) -> None:
    """Write realistic event reports to OUT/documents/ and their gold annotations to OUT/gold.json.

    Drawn from the reference data, in the styles of the evaluation set; for benchmarks and tests.
    Then: legalkg eval --gold OUT/gold.json --documents OUT/documents/
    """
    from legalkg.generator import Vocabulary, write
    from legalkg.generator import generate as make_reports
    from legalkg.pipeline import Pipeline

    pipeline = Pipeline(_settings(ctx), None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    gold = write(make_reports(count, seed, vocabulary), out_dir)
    click.echo(f"wrote {count} reports to {gold.parent / 'documents'} and their annotations to {gold}")


@main.command(name="dump")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write. [default: dist]",
)
@click.option("--endpoint", metavar="URL", help="The SPARQL endpoint to name in the VoID description.")
@click.option("--no-ontology-docs", is_flag=True, help="Skip the ontology's HTML pages.")
@click.pass_context
def dump_command(ctx: click.Context, out_dir: Path | None, endpoint: str | None, no_ontology_docs: bool) -> None:
    """Write a release of the graph for Linked Data consumers, with its VoID/DCAT description.

    Turtle, N-Triples, N-Quads and JSON-LD in OUT/<date>-<hash>/, pointed at by OUT/latest;
    an unchanged graph keeps its release. Earlier releases stay.
    """
    from legalkg.publish import dump

    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        release = dump(
            store, out_dir or settings.dist_dir, settings.iris, endpoint=endpoint, ontology_docs=not no_ontology_docs
        )
    click.echo(f"release {release.version} in {release.folder}" + ("" if release.created else " (unchanged)"))
    for written in release.files:
        click.echo(f"  {written.path.name} ({written.media_type})")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds a SPARQL query may take.")
@click.option("--row-limit", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows a SPARQL query may return.")
@click.option("--allow-service", is_flag=True, help="Let SPARQL queries call other endpoints (SERVICE).")
@click.option(
    "--dumps",
    "dist_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of the dumps to serve. [default: dist]",
)
@click.option("--public-url", metavar="URL", help="How clients reach this server (for the VoID description).")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    row_limit: int,
    allow_service: bool,
    dist_dir: Path | None,
    public_url: str | None,
) -> None:
    """Serve the graph over HTTP: SPARQL, a page per IRI, saved queries, dumps, validation.

    Read-only unless $LEGALKG_TOKEN is set: then POST /ingest takes files from requests that
    carry it (Authorization: Bearer <token>).
    """
    import os

    from legalkg.server import ServerOptions
    from legalkg.server import serve as run_server

    options = ServerOptions(
        host=host,
        port=port,
        timeout=timeout,
        row_limit=row_limit,
        allow_service=allow_service,
        token=os.environ.get("LEGALKG_TOKEN") or None,
        dist_dir=dist_dir,
        public_url=public_url,
    )
    run_server(_settings(ctx), options)


def _copy(settings: Settings, origin: str, destination: str, graphs: tuple[str, ...], verb: str) -> None:
    from rdflib import URIRef

    from legalkg.store import open_store
    from legalkg.transfer import copy_graphs

    chosen = [URIRef(g) for g in graphs] or None
    source = open_store(origin, settings.iris, read_only=True, remote=settings.remote)
    try:
        target = open_store(destination, settings.iris, remote=settings.remote)
        try:
            errors = _console(err=True)
            with errors.status(f"copying graphs to {target.location}") as status:
                summary = copy_graphs(
                    source,
                    target,
                    settings.iris,
                    graphs=chosen,
                    chunk=settings.remote.chunk,
                    progress=lambda c: status.update(f"copied {c.graph} ({c.triples:,} triples)"),
                )
        finally:
            target.close()
    finally:
        source.close()
    console = _console()
    console.print(
        f"{verb} {len(summary.copied)} graphs, {summary.triples:,} triples, from {source.location} "
        f"to {target.location} in {summary.seconds:.1f} s ({summary.rate:,.0f} triples/s)"
    )
    if summary.dropped:
        console.print(f"dropped {len(summary.dropped)} graphs the target held and the source did not")


@main.command()
@click.option("--to", "destination", required=True, metavar="URL|FOLDER", help="The store to copy to.")
@click.option("--graph", "graphs", multiple=True, metavar="IRI", help="Copy only this graph (repeatable).")
@click.pass_context
def push(ctx: click.Context, destination: str, graphs: tuple[str, ...]) -> None:
    """Copy the store's named graphs to another store (a SPARQL server, or a folder).

    Each graph replaces its namesake there, atomically; large graphs travel in chunks. With no
    --graph, the target becomes a copy: graphs it holds that the store does not are dropped.
    """
    settings = _settings(ctx)
    _copy(settings, settings.store, destination, graphs, "pushed")


@main.command()
@click.option("--from", "origin", required=True, metavar="URL|FOLDER", help="The store to copy from.")
@click.option("--graph", "graphs", multiple=True, metavar="IRI", help="Copy only this graph (repeatable).")
@click.pass_context
def pull(ctx: click.Context, origin: str, graphs: tuple[str, ...]) -> None:
    """Copy another store's named graphs (a SPARQL server's, or a folder's) into the store.

    Each graph replaces its namesake here, atomically. With no --graph, the store becomes a
    copy: graphs it holds that the other does not are dropped.
    """
    settings = _settings(ctx)
    _copy(settings, origin, settings.store, graphs, "pulled")


if __name__ == "__main__":  # pragma: no cover
    main()
