"""legalkg at three sizes of store, side by side with the plain rdflib way of doing the same job.

For each size (about 10,000, 100,000 and 1,000,000 triples of sources, on top of the ontology
and the reference data) it generates reports until their graphs reach the size, then measures:

- documents per second for extract (the loader), validate (the SHACL gate), commit (the
  embedded store) and reason (OWL 2 RL), separately and together;
- triples per second for loading an N-Triples file, and for writing Turtle and N-Triples dumps;
- the latency of every saved query (median of several runs, and the first run apart);
- the peak resident memory of a process that opens the store and runs every saved query.

The baseline does the same on the same data the plain way: an rdflib in-memory Graph, pyshacl
and owlrl over the whole graph, rdflib's SPARQL engine (the same saved query from the same
parameters, a name found through rdflib's index) and rdflib's Turtle serializer. Each
figure is printed with the ratio legalkg / baseline (above 1: legalkg is faster). Baselines that
would take many minutes at 1,000,000 triples are projected from 100,000, and said to be.

    python benchmarks/scale.py --sizes 10000 100000          # what `make bench` runs
    python benchmarks/scale.py --sizes 1000000               # what `make bench-large` adds
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import describe, one_line
from results import record, table

from legalkg import queries as saved_queries
from legalkg.generator import Vocabulary, generate
from legalkg.loaders import open_source
from legalkg.loaders.base import Source
from legalkg.namespaces import PREFIXES
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore
from legalkg.store.sparql import with_values

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).parent / "out"
# The plain way may not finish: past these many seconds an operation is cut short, and its
# figure is then a lower bound of the ratio (reported with "≥").
RDFLIB_QUERY_TIMEOUT = 10.0
BASELINE_TIMEOUT = 60.0


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def median_latency(run: Any, repeat: int = 15) -> tuple[float, float]:
    """The first run's time and the median of the next ``repeat`` runs, in milliseconds."""
    started = time.perf_counter()
    run()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times)


# The entity parameter of these queries is given the entity the most events point to (by
# these properties): the longest answer. The other queries run with their header's examples.
BUSIEST = {
    "events-in-country": ("country", "?e lkg:country ?x"),
    "events-by-agency": ("agency", "?e lkg:organizer|lkg:participant|lkg:host ?x"),
    "sessions-covering-instrument": ("instrument", "?e a lkg:Session ; lkg:covers ?x"),
    "events-addressing-sdg": ("sdg", "?e lkg:addresses/<http://www.w3.org/2004/02/skos/core#notation> ?x"),
}


def example_parameters(saved: saved_queries.SavedQuery, store: Any) -> dict[str, str]:
    """The parameters a query is timed with; for the evidence query, a conference of the store."""
    values = {p.name: p.example for p in saved.parameters if p.required and p.example}
    if saved.name in BUSIEST:
        name, pattern = BUSIEST[saved.name]
        answer = store.select(
            "PREFIX lkg: <https://w3id.org/legalkg/ontology#> SELECT ?x (COUNT(*) AS ?n) "
            f"WHERE {{ {pattern} }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 1"
        )
        if answer.rows:
            values[name] = str(answer.rows[0]["x"])
    if "subject" in values:
        answer = store.select(
            "SELECT ?e WHERE { ?e a <https://w3id.org/legalkg/ontology#Conference> } LIMIT 1"
        )
        values["subject"] = str(answer.rows[0]["e"])
    return values


class Scale:
    """One size: its corpus, its store, and every figure measured on them."""

    def __init__(self, size: int, pipeline: Pipeline, vocabulary: Vocabulary, work: Path) -> None:
        self.size = size
        self.pipeline = pipeline
        self.vocabulary = vocabulary
        self.work = work
        self.figures: dict[str, Any] = {"size_target": size}
        self.taken: set[Any] = set()  # the events told of so far: each report tells of its own

    def build(self) -> None:
        """Generate reports and load them until their graphs hold ``size`` triples."""
        documents = self.work / "documents"
        documents.mkdir(parents=True)
        context = self.pipeline.load_context
        self.loaded: list[tuple[Source, Any]] = []
        triples, batch, seed = 0, 0, self.size
        extract_seconds = 0.0
        while triples < self.size:
            for report in generate(200, seed + batch, self.vocabulary, taken=self.taken):
                path = documents / report.name
                path.write_text(report.text, encoding="utf-8")
                loader, source = open_source(path)
                started = time.perf_counter()
                result = loader.load(source, context)
                extract_seconds += time.perf_counter() - started
                self.loaded.append((source, result))
                triples += len(result.graph)
                if triples >= self.size:
                    break
            batch += 1
        self.figures["documents"] = len(self.loaded)
        self.figures["source_triples"] = triples
        self.figures["extract_docs_per_s"] = rate(len(self.loaded), extract_seconds)

    def validate(self, sample: int = 8) -> None:
        """The gate on a sample of documents (each validated alone, as ingest does)."""
        step = max(1, len(self.loaded) // sample)
        chosen = self.loaded[::step][:sample]
        started = time.perf_counter()
        for _, result in chosen:
            report = self.pipeline.check(result.candidate())
            assert report.passes(), report.to_text()
        self.figures["validate_docs_per_s"] = rate(len(chosen), time.perf_counter() - started)
        self.figures["validate_sample"] = len(chosen)

    def new_documents(self, sample: int = 8) -> list[tuple[Source, Any]]:
        """Reports the store does not hold yet (the same ones for every measure of a new source)."""
        if not hasattr(self, "_new"):
            self._new = [
                open_source_text(self.work / "new" / report.name, report.text)
                for report in generate(sample, 10**9 + self.size, self.vocabulary, taken=self.taken)
            ]
        return self._new

    def validate_new_documents(self) -> None:
        """The gate on documents the store does not hold yet, against this store and against an
        empty one: what a new source costs should not grow with what the store holds."""
        timings = {}
        for where, store in (("empty", None), ("in_store", self.store)):
            self.pipeline.store = store
            started = time.perf_counter()
            for source, loader in self.new_documents():
                report = self.pipeline.check(loader.load(source, self.pipeline.load_context).candidate())
                assert report.passes(), report.to_text()
            timings[where] = (time.perf_counter() - started) / len(self.new_documents())
        self.pipeline.store = None
        self.figures["validate_new_empty_s"] = timings["empty"]
        self.figures["validate_new_in_store_s"] = timings["in_store"]

    def commit(self) -> None:
        store_dir = self.work / "store"
        store = EmbeddedStore(store_dir, self.pipeline.iris)
        self.pipeline.store = store
        self.pipeline.install_model()
        started = time.perf_counter()
        for source, result in self.loaded:
            record_ = self.pipeline.source_record(source, result, time_now())
            store.commit_source(record_, result.graph, [], result.places)
        self.figures["commit_docs_per_s"] = rate(len(self.loaded), time.perf_counter() - started)
        self.figures["store_quads"] = store.count()
        # The inferences of the whole store at once, as `legalkg reason` computes them; the
        # queries below then see what users see.
        started = time.perf_counter()
        clashes = self.pipeline.reason()
        assert not clashes, clashes
        self.figures["reason_store_s"] = time.perf_counter() - started
        self.figures["inferred_triples"] = store.count(self.pipeline.iris.inferred_graph)
        self.store = store

    def reason(self) -> None:
        """The inferences of a new document, worked out and committed with it: in this store,
        and in an empty one (the ontology and reference data only)."""
        empty = EmbeddedStore(self.work / "empty", self.pipeline.iris)
        timings = {}
        for where, store in (("empty", empty), ("in_store", self.store)):
            self.pipeline.store = store
            if where == "empty":
                self.pipeline.install_model()
                assert not self.pipeline.reason()
            reasoner = self.pipeline.reasoner
            seconds = []
            for source, loader in self.new_documents():
                result = loader.load(source, self.pipeline.load_context)
                record_ = self.pipeline.source_record(source, result, time_now())
                staged = store.stage(record_.graph, result.graph, result.places)
                started = time.perf_counter()
                preparation = reasoner.prepare(staged)
                assert not preparation.clashes, preparation.clashes
                preparing = time.perf_counter() - started
                store.commit_staged(record_, [], also=preparation.operations())
                started = time.perf_counter()
                reasoner.settle(preparation.touched)
                seconds.append(preparing + time.perf_counter() - started)
            timings[where] = statistics.median(seconds)
        self.pipeline.store = self.store
        empty.close()
        shutil.rmtree(self.work / "empty")
        self.figures["reason_new_empty_s"] = timings["empty"]
        self.figures["reason_new_in_store_s"] = timings["in_store"]
        self.figures["reason_docs_per_s"] = 1 / timings["in_store"]

    def together(self) -> None:
        stages = ("extract", "validate", "commit", "reason")
        per_document = sum(1 / self.figures[f"{s}_docs_per_s"] for s in stages)
        self.figures["pipeline_docs_per_s"] = 1 / per_document

    def dumps_and_loads(self) -> None:
        """The dumps of what was asserted (as `legalkg dump` writes them): the baseline reads
        the N-Triples one, and reasons and validates it itself."""
        from legalkg.publish import asserted_graphs

        store = self.store
        graphs = asserted_graphs(store, self.pipeline.iris)
        total = sum(store.count(g) for g in graphs)
        for name, media_type in (("turtle", "text/turtle"), ("ntriples", "application/n-triples")):
            path = self.work / f"dump.{name}"
            started = time.perf_counter()
            store.dump(path, media_type, graphs)
            self.figures[f"dump_{name}_triples_per_s"] = rate(total, time.perf_counter() - started)
        # What was inferred, for the baseline's queries: both engines answer the same question.
        inferred = [self.pipeline.iris.inferred_graph, self.pipeline.iris.defaults_graph]
        store.dump(self.work / "inferred.ntriples", "application/n-triples", inferred)
        fresh = EmbeddedStore(self.work / "loaded", self.pipeline.iris)
        started = time.perf_counter()
        fresh.load_file(
            self.work / "dump.ntriples", "application/n-triples", self.pipeline.iris.graph("bulk")
        )
        self.figures["load_ntriples_triples_per_s"] = rate(total, time.perf_counter() - started)
        fresh.close()
        shutil.rmtree(self.work / "loaded")

    def queries(self) -> None:
        catalogue = saved_queries.catalogue(self.pipeline.assets.queries_dir)
        latencies = {}
        # The store as `legalkg query` and the server open it: read-only, its recent writes
        # flushed by the writer that closed it.
        self.store.close()
        store = EmbeddedStore(self.work / "store", self.pipeline.iris, read_only=True)
        for name, saved in sorted(catalogue.items()):
            params = example_parameters(saved, store)
            first, median = median_latency(lambda s=saved, p=params: saved_queries.run(store, s, p))
            latencies[name] = {
                "first_ms": first,
                "median_ms": median,
                "rows": len(saved_queries.run(store, saved, params)),
                "parameters": params,
            }
        self.figures["queries"] = latencies
        store.close()
        # Memory: a fresh process that opens the store and runs every saved query.
        run = subprocess.run(
            [sys.executable, __file__, "--query-memory", str(self.work / "store")],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        self.figures["query_process_peak_rss_mib"] = json.loads(run.stdout)["peak_rss_mib"]

    # -- the plain rdflib way ----------------------------------------------------------------

    def baseline(self, *, project_from: dict[str, Any] | None) -> None:
        from rdflib import Graph

        base: dict[str, Any] = {}
        ntriples = self.work / "dump.ntriples"
        total = self.figures["store_quads"]
        gc.collect()
        started = time.perf_counter()
        graph = Graph()
        graph.parse(ntriples, format="nt")
        base["load_ntriples_triples_per_s"] = rate(len(graph), time.perf_counter() - started)
        started = time.perf_counter()
        graph.serialize(self.work / "rdflib.ttl", format="turtle")
        base["dump_turtle_triples_per_s"] = rate(len(graph), time.perf_counter() - started)
        if project_from is not None:
            # pyshacl, owlrl and rdflib's SPARQL would take many minutes here: projected
            # linearly from the 100,000 size (MEASUREMENTS.md: they grow at least linearly).
            factor = total / project_from["store_quads"]
            base["projected_from"] = project_from["size_target"]
            for key in ("validate_whole_graph_s", "reason_whole_graph_s"):
                base[key] = project_from["baseline"][key] * factor
            for key in ("validate_cut", "reason_cut", "queries_cut"):
                base[key] = project_from["baseline"].get(key, False)
            base["queries_ms"] = {k: v * factor for k, v in project_from["baseline"]["queries_ms"].items()}
        else:
            base.update(self._whole_graph_baselines(graph))
        self.figures["baseline"] = base
        del graph
        gc.collect()

    def _whole_graph_baselines(self, graph: Any) -> dict[str, Any]:
        import owlrl
        import pyshacl
        from rdflib import Graph

        figures: dict[str, Any] = {}
        shapes = self.pipeline.shapes

        def validate() -> None:
            pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)

        def reason() -> None:
            closure = Graph()
            closure += graph
            owlrl.DeductiveClosure(
                owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
            ).expand(closure)

        timings = timed_side_by_side({"validate": validate, "reason": reason}, BASELINE_TIMEOUT)
        for what, (seconds, cut) in timings.items():
            figures[f"{what}_whole_graph_s"], figures[f"{what}_cut"] = seconds, cut
        # rdflib's engine answers on what was asserted and what the store inferred, as the
        # saved queries do on the store.
        answered = Graph()
        answered += graph
        answered.parse(self.work / "inferred.ntriples", format="nt")
        catalogue = saved_queries.catalogue(self.pipeline.assets.queries_dir)
        figures["queries_ms"], figures["queries_cut"] = {}, {}
        store = EmbeddedStore(self.work / "store", self.pipeline.iris, read_only=True)
        for name, saved in sorted(catalogue.items()):
            # The same job as legalkg's, from the parameter as typed ("UNTOC") to the answer:
            # the plain way finds a name's IRI through rdflib's index (the same IRI legalkg's
            # resolution binds), then runs the same query on rdflib's engine.
            params = example_parameters(saved, store)
            names = [params[p.name] for p in saved.parameters if p.kind == "iri" and p.name in params]
            query = with_values(saved.text, saved_queries.bind(store, saved, params))

            def plainly(q: str = query, names: list[str] = names) -> None:
                for value in names:
                    if "://" not in value:
                        assert named(answered, value), value
                list(answered.query(q))

            seconds, cut = timed_in_fork(plainly, RDFLIB_QUERY_TIMEOUT, repeat=5)
            figures["queries_ms"][name], figures["queries_cut"][name] = seconds * 1000, cut
        store.close()
        return figures


def named(graph: Any, value: str) -> set[Any]:
    """The subjects ``graph`` names ``value`` (plain or in a language names are kept in), as a
    plain rdflib script finds them: a lookup per naming property and form."""
    from rdflib import Literal, URIRef

    forms = [Literal(value), *(Literal(value, lang=lang) for lang in saved_queries.NAME_LANGUAGES)]
    properties = [URIRef(PREFIXES[p.split(":")[0]] + p.split(":")[1]) for p in saved_queries.NAME_PROPERTIES]
    return {s for p in properties for form in forms for s in graph.subjects(p, form)}


def open_source_text(path: Path, text: str) -> tuple[Source, Any]:
    """Write ``text`` to ``path`` and open it as ingest would: the source and its loader."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    loader, source = open_source(path)
    return source, loader


def timed_in_fork(work: Any, timeout: float, repeat: int = 1) -> tuple[float, bool]:
    """Seconds ``work`` takes in a forked process (which shares the loaded graph), and whether it
    was cut short at ``timeout``: a plain-way operation that runs for many minutes is stopped."""
    return timed_side_by_side({"work": work}, timeout, repeat)["work"]


def timed_side_by_side(
    works: dict[str, Any], timeout: float, repeat: int = 1
) -> dict[str, tuple[float, bool]]:
    """``timed_in_fork`` for several single-threaded works at once, a forked process each: two
    whole-graph baselines that may each run to the timeout take one timeout on two cores."""
    import multiprocessing

    context = multiprocessing.get_context("fork")

    def child(work: Any, sending: Any) -> None:
        # Like legalkg's figures, the median of several runs; a run of over a second is
        # measured once (its noise is small beside it, and repeating it costs minutes).
        runs: list[float] = []
        while len(runs) < repeat:
            started = time.perf_counter()
            work()
            runs.append(time.perf_counter() - started)
            if runs[-1] > 1.0:
                break
        sending.send(statistics.median(runs))

    running = {}
    for name, work in works.items():
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=child, args=(work, sending))
        process.start()
        running[name] = (process, receiving)
    deadline = time.monotonic() + timeout + (repeat - 1)
    timings = {}
    for name, (process, receiving) in running.items():
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
            timings[name] = (timeout, True)
        else:
            timings[name] = (receiving.recv() if receiving.poll() else timeout, False)
    return timings


def time_now() -> Any:
    import datetime as dt

    return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def query_memory(store_dir: Path) -> int:
    """Open the store and run every saved query; print the peak resident memory."""
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    store = EmbeddedStore(store_dir, pipeline.iris, read_only=True)
    for saved in saved_queries.catalogue(pipeline.assets.queries_dir).values():
        saved_queries.run(store, saved, example_parameters(saved, store))
    store.close()
    print(json.dumps({"peak_rss_mib": round(peak_resident_mib(), 1)}))
    return 0


def peak_resident_mib() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it over
    exec, so a child would report its parent's peak; VmHWM is the process image's own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio(mine: float, theirs: float, *, higher_is_better: bool, cut: bool = False) -> str:
    if not mine or not theirs:
        return "–"
    value = mine / theirs if higher_is_better else theirs / mine
    return f"{'≥ ' if cut else ''}{value:.1f}×"


def described(parameters: dict[str, str]) -> str:
    """``country=MEX``-style text of the parameters a query ran with (IRIs by their last step)."""
    if not parameters:
        return ""
    shown = (f"{k}={v.rstrip('/').rsplit('/', 1)[-1] if '://' in v else v}" for k, v in parameters.items())
    return " " + ", ".join(shown)


def cut_mark(base: dict[str, Any], what: str) -> str:
    return "> " if base.get(f"{what}_cut") else ""


def report(figures: dict[str, Any]) -> str:
    base = figures.get("baseline", {})
    projected = f" (projected from {base['projected_from']:,})" if "projected_from" in base else ""

    def against_whole_graph(label: str, shown: str, seconds: float, tool: str, what: str) -> list[str]:
        """A row beside ``tool`` over the whole graph (``what``: validate or reason)."""
        theirs = base.get(f"{what}_whole_graph_s", 0)
        cut = base.get(f"{what}_cut", False)
        beside = f"{tool}, whole graph: {cut_mark(base, what)}{theirs:.1f} s{projected}"
        return [label, shown, beside, ratio(seconds, theirs, higher_is_better=False, cut=cut)]

    def against_empty(label: str, what: str, beside: str) -> list[str]:
        """A row for a new document in this store beside the same in an empty one."""
        mine, empty = figures[f"{what}_new_in_store_s"], figures[f"{what}_new_empty_s"]
        return [
            label,
            f"{mine * 1000:,.0f} ms",
            f"{beside}: {empty * 1000:,.0f} ms",
            f"{mine / empty:.2f}× the time",
        ]

    rows = [
        ["extract (text loader)", f"{figures['extract_docs_per_s']:.1f} docs/s", "–", "–"],
        against_whole_graph(
            "validate (SHACL gate, per document)",
            f"{figures['validate_docs_per_s']:.2f} docs/s",
            1 / figures["validate_docs_per_s"],
            "pyshacl",
            "validate",
        ),
        ["commit (embedded store)", f"{figures['commit_docs_per_s']:.1f} docs/s", "–", "–"],
        against_whole_graph(
            "reason (a new document's inferences, in this store)",
            f"{figures['reason_new_in_store_s'] * 1000:,.0f} ms",
            figures["reason_new_in_store_s"],
            "owlrl",
            "reason",
        ),
        against_empty(
            "reason a new document, in this store vs. in an empty one", "reason", "in an empty store"
        ),
        against_whole_graph(
            f"reason the whole store afresh ({figures['inferred_triples']:,} triples inferred)",
            f"{figures['reason_store_s']:.1f} s",
            figures["reason_store_s"],
            "owlrl",
            "reason",
        ),
        ["all four, per document", f"{figures['pipeline_docs_per_s']:.2f} docs/s", "–", "–"],
        against_empty("validate a new document, against this store", "validate", "against an empty store"),
        [
            "load N-Triples",
            f"{figures['load_ntriples_triples_per_s']:,.0f} triples/s",
            f"rdflib Graph: {base.get('load_ntriples_triples_per_s', 0):,.0f} triples/s",
            ratio(
                figures["load_ntriples_triples_per_s"],
                base.get("load_ntriples_triples_per_s", 0),
                higher_is_better=True,
            ),
        ],
        [
            "dump Turtle",
            f"{figures['dump_turtle_triples_per_s']:,.0f} triples/s",
            f"rdflib serializer: {base.get('dump_turtle_triples_per_s', 0):,.0f} triples/s",
            ratio(
                figures["dump_turtle_triples_per_s"],
                base.get("dump_turtle_triples_per_s", 0),
                higher_is_better=True,
            ),
        ],
        ["dump N-Triples", f"{figures['dump_ntriples_triples_per_s']:,.0f} triples/s", "–", "–"],
    ]
    for name, latency in figures["queries"].items():
        theirs = base.get("queries_ms", {}).get(name, 0)
        was_cut = base.get("queries_cut", {}).get(name, False)
        rows.append(
            [
                f"query {name}{described(latency.get('parameters', {}))} ({latency['rows']} rows)",
                f"{latency['median_ms']:.1f} ms median, first {latency['first_ms']:.1f} ms",
                f"rdflib SPARQL: {'> ' if was_cut else ''}{theirs:,.0f} ms{projected}",
                ratio(latency["median_ms"], theirs, higher_is_better=False, cut=was_cut),
            ]
        )
    rows.append(
        [
            "peak memory, a process running every saved query",
            f"{figures['query_process_peak_rss_mib']:.0f} MiB",
            "–",
            "–",
        ]
    )
    head = (
        f"{figures['documents']:,} generated reports, {figures['source_triples']:,} source triples, "
        f"{figures['store_quads']:,} asserted quads in the store (with the ontology and reference data), "
        f"{figures['inferred_triples']:,} inferred."
    )
    return head + "\n\n" + table(["measure", "legalkg", "plain rdflib way", "legalkg / baseline"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--query-memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_memory:
        return query_memory(args.query_memory)
    started_all = time.perf_counter()
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    info = describe()
    print(one_line(info))
    previous = (
        json.loads((Path(__file__).parent / "results" / "scale-100000.json").read_text())
        if (Path(__file__).parent / "results" / "scale-100000.json").exists()
        else None
    )
    for size in args.sizes:
        started = time.perf_counter()
        work = OUT / f"scale-{size}"
        shutil.rmtree(work, ignore_errors=True)
        pipeline.store = None  # each size validates against its own store, not the last one
        scale = Scale(size, pipeline, vocabulary, work)
        scale.build()
        scale.validate()
        scale.commit()
        scale.validate_new_documents()
        scale.reason()
        scale.together()
        scale.dumps_and_loads()
        scale.queries()
        project = previous["figures"] if size > 100_000 and previous else None
        scale.baseline(project_from=project)
        scale.figures["seconds"] = time.perf_counter() - started
        text = report(scale.figures)
        print(f"\n== about {size:,} triples ({scale.figures['seconds']:.0f} s)\n{text}")
        record(
            f"scale-{size}",
            f"At about {size:,} triples",
            f"{one_line(info)}\n\n{text}",
            {"machine": info, "figures": scale.figures},
        )
        if size == 100_000:
            previous = {"figures": scale.figures}
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nall sizes in {time.perf_counter() - started_all:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
