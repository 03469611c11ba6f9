"""legalkg push to a local Oxigraph server: triples per second, beside the bar of 100,000.

It builds an embedded store of about 200,000 source triples (generated reports, read by the
text loader, committed without the gate, on top of the ontology and the reference data) and
their inferences (as `legalkg reason` computes them), starts `oxigraph serve` on 127.0.0.1, and
times `legalkg push`'s copy, each from the store opened afresh, read-only, as `push` opens it:

- the store as it is, a graph per source: small new graphs travel together, whole, in N-Quads
  requests of about 50,000 triples (one transaction each), while the large ones (inferred,
  reference) go in requests of their own;
- the same triples as one new graph: one POST whose body goes in HTTP chunks of 50,000 triples;
- that graph pushed again, over itself: chunks into a temporary graph, then one MOVE (the way a
  large graph is replaced atomically);
- each on an on-disk server (`--location`) and on an in-memory one;
- and back: `legalkg pull` from the on-disk server into a fresh embedded store;
- beside them, what bounds them: reading the embedded store (no server), and the server taking
  the whole store as one N-Quads request from memory (no legalkg).

    python benchmarks/push.py [--triples 200000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import servers
from machine import describe, one_line
from rdflib import URIRef
from results import record, table

from legalkg.generator import Vocabulary, generate
from legalkg.iris import Iris
from legalkg.loaders import open_source
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore
from legalkg.store.remote import RemoteStore
from legalkg.transfer import TransferSummary, copy_graphs

REPO = Path(__file__).resolve().parents[1]
BAR = 100_000


def build(work: Path, target: int) -> tuple[Path, Path]:
    """An embedded store of about ``target`` source triples, and one with the same as one graph."""
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    store = EmbeddedStore(work / "store", pipeline.iris)
    pipeline.store = store
    pipeline.install_model()
    (work / "documents").mkdir()
    triples, batch = 0, 0
    taken: set[URIRef] = set()  # the events told of so far: each report tells of its own
    while triples < target:
        for report in generate(200, batch, vocabulary, taken=taken):
            path = work / "documents" / report.name
            path.write_text(report.text, encoding="utf-8")
            loader, source = open_source(path)
            result = loader.load(source, pipeline.load_context)
            record_ = pipeline.source_record(source, result, time_now())
            store.commit_source(record_, result.graph, [], result.places)
            triples += len(result.graph)
            if triples >= target:
                break
        batch += 1
    # A store as it is pushed has its inferences: one large graph beside the sources' small ones.
    assert not pipeline.reason()
    one = EmbeddedStore(work / "one-graph", pipeline.iris)
    merged = [c for g in store.graphs() for c in store.export_chunks(g, 50_000)]
    one.replace_chunks(pipeline.iris.graph("all"), merged, atomic=False)
    store.close()
    one.close()
    return work / "store", work / "one-graph"


def opened(path: Path) -> EmbeddedStore:
    """The store at ``path`` as `legalkg push` opens its source: read-only, afresh."""
    return EmbeddedStore(path, Iris(), read_only=True)


def time_now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def start_server(folder: Path | None) -> tuple[str, subprocess.Popen[bytes]]:
    oxigraph = str(Path(sys.executable).parent / "oxigraph")

    def command(port: int) -> list[str]:
        return [oxigraph, "serve", "--bind", f"127.0.0.1:{port}"] + (
            ["--location", str(folder)] if folder is not None else []
        )

    return servers.start(command, "/query?query=ASK%7B%7D")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=200_000, help="source triples to generate")
    args = parser.parse_args()
    info = describe()
    work = Path(tempfile.mkdtemp(prefix="legalkg-push-"))
    try:
        started = time.perf_counter()
        store_path, one_path = build(work, args.triples)
        built = opened(store_path)
        triples, graphs = built.count(), len(built.graphs())
        built.close()
        print(f"built {triples:,} triples in {graphs} graphs in {time.perf_counter() - started:.0f} s")
        rows: list[list[str]] = []
        data: dict[str, Any] = {"machine": info, "bar_triples_per_s": BAR, "runs": []}

        def row(what: str, graphs: int, triples: int, seconds: float, bar: bool = True) -> None:
            rate = triples / seconds
            data["runs"].append(
                {
                    "what": what,
                    "graphs": graphs,
                    "triples": triples,
                    "seconds": seconds,
                    "triples_per_s": round(rate),
                }
            )
            print(f"{what}: {triples:,} triples in {seconds:.2f} s, {rate:,.0f} triples/s")
            verdict = ("yes" if rate >= BAR else "no") if bar else ""
            rows.append(
                [
                    what,
                    f"{graphs:,}",
                    f"{triples:,}",
                    f"{seconds:.2f}",
                    f"**{rate:,.0f}**" if bar else f"{rate:,.0f}",
                    verdict,
                ]
            )

        reading = opened(store_path)
        started = time.perf_counter()
        quads = reading._store.dump(format=ox.RdfFormat.N_QUADS)
        row(
            "read the embedded store (N-Quads, no server)",
            graphs,
            triples,
            time.perf_counter() - started,
            bar=False,
        )
        reading.close()

        def push(path: Path, target: RemoteStore) -> TransferSummary:
            source = opened(path)
            try:
                return copy_graphs(source, target, Iris())
            finally:
                source.close()

        for server in ("on disk", "in memory"):
            url, process = start_server(
                work / f"server-{server.replace(' ', '-')}" if server == "on disk" else None
            )
            try:
                target = RemoteStore(url, Iris())
                summary = push(store_path, target)
                row(
                    f"push to Oxigraph {server}, a graph per source",
                    len(summary.copied),
                    summary.triples,
                    summary.seconds,
                )
                if server == "on disk":
                    pulled = EmbeddedStore(work / "pulled", Iris())
                    back = copy_graphs(RemoteStore(url, Iris(), read_only=True), pulled, Iris())
                    row(
                        "pull from Oxigraph on disk into a new embedded store",
                        len(back.copied),
                        back.triples,
                        back.seconds,
                        bar=False,
                    )
                    pulled.close()
                target.clear()
                summary = push(one_path, target)
                row(f"push to Oxigraph {server}, one new graph", 1, summary.triples, summary.seconds)
                summary = push(one_path, target)
                row(f"push to Oxigraph {server}, one graph over itself", 1, summary.triples, summary.seconds)
                target.clear()
                request = urllib.request.Request(
                    f"{url}/store", data=quads, method="POST", headers={"Content-Type": "application/n-quads"}
                )
                started = time.perf_counter()
                urllib.request.urlopen(request, timeout=600).read()
                row(
                    f"Oxigraph {server} alone: the store in one N-Quads POST",
                    graphs,
                    triples,
                    time.perf_counter() - started,
                    bar=False,
                )
            finally:
                process.terminate()
                process.wait()
        markdown = (
            f"{one_line(info)}\n\n"
            + table(["copy", "graphs", "triples", "seconds", "triples/s", f"≥ {BAR:,}/s"], rows)
            + "\n\nThe store: the ontology, the reference data, generated reports read by the text loader "
            "and their inferences, in an embedded store on disk, opened afresh (read-only) for each copy; "
            "`oxigraph serve` on 127.0.0.1 (the PyPI package `oxigraph`). "
            "A graph per source: small new graphs together, each whole, in N-Quads POSTs of about 50,000 "
            "triples. One new graph: one POST in HTTP chunks of 50,000 triples (one transaction). Over "
            "itself: chunks into a temporary graph, then one `MOVE`. The rows without a verdict show what "
            "bounds the others: reading the embedded store, and the server loading the same quads sent "
            "from memory in one request."
        )
        record("push", "Pushing to a SPARQL server (Oxigraph)", markdown, data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
