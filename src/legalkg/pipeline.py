"""The pipeline: the one place that knows the order of the stages.

load (a loader per source) -> validate (the SHACL gate) -> commit with the inferences, or
quarantine. An ingest takes sources fifty at a time, each batch read ahead by a worker
process (see :mod:`legalkg.read_ahead`) and written while the next is validated; ``build``
starts from an empty store with the ontology and reference data, and writes the dump.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from legalkg import assets as assets_module
from legalkg.assets import Assets
from legalkg.behind import WriteBehind
from legalkg.compiled_gate import CompiledGate, UnsupportedShape
from legalkg.errors import InputError, LegalKGError, UsageError
from legalkg.garbage import collected_rarely
from legalkg.iris import content_key
from legalkg.loaders import LoadContext, Loader, LoadResult, Source, is_loadable, loader_for, open_source
from legalkg.loaders.base import Triple
from legalkg.loaders.rdf import RDFLoader, with_lines
from legalkg.namespaces import DEFAULT_BASE, LKG
from legalkg.quarantine import Quarantine, QuarantineEntry
from legalkg.read_ahead import ReadAhead, reads_in_worker
from legalkg.reasoning import Clash, Reasoner, RuleSet, compile_rules
from legalkg.reasoning.local import LocalStore
from legalkg.reasoning.report import clash_report
from legalkg.settings import Settings
from legalkg.store.base import SourceRecord, Store
from legalkg.validation import ValidationReport, conforming_report, load_shapes, validate

log = logging.getLogger(__name__)


@dataclass
class SourceOutcome:
    """What happened to one source."""

    path: Path
    status: str  # committed, replaced, unchanged, quarantined, failed
    graph: URIRef | None = None
    triples: int = 0
    message: str | None = None
    notes: list[str] = field(default_factory=list)
    report: ValidationReport | None = None


@dataclass
class IngestSummary:
    outcomes: list[SourceOutcome] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def exit_code(self) -> int:
        """2 when a source could not be read, 1 when one did not conform, else 0."""
        if self.count("failed"):
            return 2
        if self.count("quarantined"):
            return 1
        return 0


@dataclass
class CheckOutcome:
    """The reports of ``legalkg validate``: one per file, and the files that could not be read."""

    reports: list[tuple[Path, ValidationReport]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if any(not r.passes() for _, r in self.reports) else 0

    def render(self, fmt: str) -> str:
        if fmt == "json":
            import json

            data = {
                "files": [{"file": str(p), **json.loads(r.to_json())} for p, r in self.reports],
                "errors": self.errors,
            }
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if fmt == "turtle":
            merged = Graph()
            for _, r in self.reports:
                merged += r.graph
            return merged.serialize(format="turtle")
        lines = [r.to_text(str(p)) for p, r in self.reports] + [f"error: {e}" for e in self.errors]
        return "\n".join(lines) + "\n"


def documents_in(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the loadable files inside the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_loadable(p)))
        else:
            found.append(path)
    return found


class _Catalogue:
    """The store's sources during a run: each name with the graph that holds it, and the
    graphs themselves, so that finding whether bytes are stored is a lookup, not a walk
    through every source (an ingest asks it twice of each of thousands of sources)."""

    def __init__(self, graphs_by_name: dict[str, URIRef]) -> None:
        self._by_name = dict(graphs_by_name)
        self._graphs = set(graphs_by_name.values())

    def holds(self, name: str, graph: URIRef) -> bool:
        """Whether the store holds these bytes already: under this name, or under another."""
        return self._by_name.get(name) == graph or graph in self._graphs

    def replaced_by(self, name: str, graph: URIRef) -> list[URIRef]:
        """The graph that ``graph`` replaces: the one of an earlier file of the same name."""
        held = self._by_name.get(name)
        return [held] if held is not None and held != graph else []

    def record(self, name: str, graph: URIRef) -> None:
        """``graph`` now holds the source ``name``, in place of the graph it replaced."""
        replaced = self._by_name.get(name)
        self._by_name[name] = graph
        self._graphs.add(graph)
        if replaced is not None and replaced != graph:
            self._graphs.discard(replaced)


def _rebase(graph: Graph, base: str) -> Graph:
    """Reference data is written under the default base; move it under another base."""
    if base == DEFAULT_BASE:
        return graph
    old = f"{DEFAULT_BASE}id/"
    new = f"{base}id/"

    def move(term: Node) -> Node:
        if isinstance(term, URIRef) and str(term).startswith(old):
            return URIRef(new + str(term)[len(old) :])
        return term

    rebased = Graph()
    for s, p, o in graph:
        rebased.add((move(s), p, move(o)))
    return rebased


# What the shapes ask of an entity a source points to but does not describe (an event in
# the store that a new session is part of, a city): its types, dates and country.
NEIGHBOUR_FACTS = (RDF.type, LKG.startDate, LKG.endDate, LKG.inCountry)
# An ingest of at least so many sources ends by reorganizing the store's files for reading.
OPTIMIZE_AFTER = 100
# Sources are read, then validated and committed, so many at a time: the compiled gate runs its
# queries once for those that cannot see each other, their inferences are worked out together,
# and they go in one transaction (each source still whole or absent).
BATCH_SIZE = 50


@dataclass
class _Ready:
    """A source that passed the gate, waiting to be committed."""

    path: Path
    source: Source
    result: LoadResult
    report: ValidationReport
    record: SourceRecord


@dataclass
class _Loaded:
    """A source its loader has read, waiting for the gate."""

    path: Path
    loader: Loader
    source: Source
    result: LoadResult
    graph: URIRef  # the graph it would have in the store
    # The entities it points to that neither it nor the reference data describes.
    neighbours: frozenset[URIRef] = frozenset()
    # The compiled gate passed it where it was read, as if the store said nothing of its
    # neighbours: where the store says nothing, it passes.
    passed_alone: bool = False


@dataclass
class _Batch:
    """New sources waiting to be committed together, what they describe, and how to commit
    them (``commit`` commits the batch and empties it)."""

    commit: Callable[[], None]
    ready: list[_Ready] = field(default_factory=list)
    subjects: set[Node] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    graphs: set[URIRef] = field(default_factory=set)

    def add(self, ready: _Ready) -> None:
        self.ready.append(ready)
        self.subjects.update(s for s, _, _ in ready.result.triples)
        self.names.add(ready.source.name)
        self.graphs.add(ready.record.graph)

    def clear(self) -> None:
        self.ready.clear()
        self.subjects.clear()
        self.names.clear()
        self.graphs.clear()

    def make_way_for(self, name: str, candidate: Iterable[Triple]) -> None:
        """Commit the batch first when a source must wait for it: the source has the name of
        one of them, or points to what one describes (its gate reads the store's facts of that)."""
        described = {s for s, _, _ in candidate}
        if name in self.names or any(o in self.subjects and o not in described for _, _, o in candidate):
            self.commit()


class Pipeline:
    """The stages wired together for one store and one set of assets."""

    # Whether an ingest of more than one batch reads its sources in a worker process (where
    # one can be forked); reading them here instead gives the same outcome.
    read_in_worker = True

    def __init__(self, settings: Settings, store: Store | None, assets: Assets | None = None) -> None:
        self.settings = settings
        self.store = store
        self.assets = assets or assets_module.locate(settings.project_dir)
        self.iris = settings.iris
        self.quarantine = Quarantine(settings.quarantine_dir)
        self._reasoner: Reasoner | None = None

    @functools.cached_property
    def ontology(self) -> Graph:
        return assets_module.load_turtle(self.assets.ontology_file)

    @functools.cached_property
    def reference(self) -> Graph:
        graph = Graph()
        for path in self.assets.reference_files():
            graph += assets_module.load_turtle(path)
        return _rebase(graph, self.iris.base)

    @functools.cached_property
    def shapes(self) -> Graph:
        return load_shapes(self.assets.shapes_files())

    @functools.cached_property
    def load_context(self) -> LoadContext:
        return LoadContext(self.iris, self.reference)

    @functools.cached_property
    def known_types(self) -> Graph:
        """The ontology and the types of every reference entity: what a candidate is checked against."""
        known = Graph()
        known += self.ontology
        for triple in self.reference.triples((None, RDF.type, None)):
            known.add(triple)
        return known

    def install_model(self) -> dict[URIRef, int]:
        """Put the ontology and the reference data in their graphs; returns triples per graph."""
        assert self.store is not None
        self.store.replace_graph(self.iris.ontology_graph, self.ontology)
        self.store.replace_graph(self.iris.reference_graph, self.reference)
        self.reasoner.mark_stale()  # the closure of the new model is computed on next use
        return {self.iris.ontology_graph: len(self.ontology), self.iris.reference_graph: len(self.reference)}

    @functools.cached_property
    def compiled_gate(self) -> CompiledGate | None:
        """The shapes compiled to SPARQL, or None when they use what the compiler does not know."""
        try:
            return CompiledGate(self.shapes, known=self.known_types)
        except UnsupportedShape as exc:
            log.info("the shapes do not compile to SPARQL (%s): pyshacl validates every candidate", exc)
            return None

    @functools.cached_property
    def _known_entities(self) -> frozenset[Node]:
        """What the ontology and the reference data give a type."""
        return frozenset(self.known_types.subjects(RDF.type))

    def neighbours(self, *candidate: Iterable[Triple]) -> set[URIRef]:
        """The entities ``candidate`` (one graph, or several as one) points to that neither it
        nor the reference data describes."""
        described = {s for g in candidate for s, _, _ in g}
        pointed = {o for g in candidate for _, _, o in g if isinstance(o, URIRef)}
        return pointed - described - self._known_entities

    def neighbour_facts(self, *candidate: Iterable[Triple]) -> Graph:
        """What the store says (``NEIGHBOUR_FACTS``) of the :meth:`neighbours` of ``candidate``."""
        return self._facts_of(self.neighbours(*candidate))

    def _facts_of(self, nodes: Iterable[URIRef]) -> Graph:
        """What the store says (``NEIGHBOUR_FACTS``) of ``nodes``."""
        wanted = sorted(set(nodes))
        if wanted and self.store is not None:
            return self.store.facts(wanted, NEIGHBOUR_FACTS)
        return Graph()

    def check(self, candidate: Graph) -> ValidationReport:
        """Validate a candidate graph against the shapes, with its context: the ontology, the
        reference entities' types and its neighbours' facts.

        The compiled gate answers first; only a candidate it finds anything wrong with (a
        violation or a warning) is validated by pyshacl, whose report says what and where.
        """
        neighbours = self.neighbour_facts(candidate)
        compiled = self.compiled_gate
        if (
            compiled is not None
            and compiled.violating([candidate, neighbours], candidate.subjects(), strict=True) == set()
        ):
            return conforming_report()
        context = Graph()
        context += self.known_types
        context += neighbours
        return validate(candidate, shapes=self.shapes, context=context)

    def check_loaded(self, loader: Loader, source: Source, result: LoadResult) -> ValidationReport:
        """Validate what a loader made of a source; an RDF file's results name their lines.

        A document's results need none: they carry the sentence the fact was read from.
        """
        report = self.check(result.candidate())
        return with_lines(report, source) if isinstance(loader, RDFLoader) else report

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        published: dt.date | None = None,
        strict: bool = False,
        reason: bool = True,
        progress: Callable[[SourceOutcome], None] | None = None,
    ) -> IngestSummary:
        """Load, validate and commit each source, with its inferences unless ``reason`` is
        False; a failing source does not stop the others."""
        assert self.store is not None, "ingest needs a store"
        summary = IngestSummary()
        sources = _Catalogue(self.store.sources())
        if reason and not self.reasoner.up_to_date():
            self._catch_up()

        def emit(outcome: SourceOutcome) -> None:
            summary.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)

        def commit_batch(behind: WriteBehind[list[SourceOutcome]] | None = None) -> None:
            for outcome in self._commit_batch(batch, sources, behind):
                emit(outcome)
            batch.clear()

        def written() -> None:
            # The batch being written: once it is, what follows it and its outcomes.
            for outcome in writer.wait() or ():
                emit(outcome)

        batch = _Batch(commit_batch)

        documents = documents_in(paths)
        writer = WriteBehind[list[SourceOutcome]]()
        in_worker = reads_in_worker(documents, BATCH_SIZE, worker=self.read_in_worker)
        # Read in this process, a batch goes to the gate once, with what the store says.
        read = functools.partial(self._load_batch, sources=sources, published=published, check=in_worker)
        batches = ReadAhead(read, documents, BATCH_SIZE, worker=in_worker)
        if in_worker:
            # Built once here and shared with the worker, which reads and checks with them.
            self.compiled_gate  # noqa: B018
            self._known_entities  # noqa: B018
            if any(is_loadable(p) and not isinstance(loader_for(p), RDFLoader) for p in documents):
                self.load_context.gazetteer  # noqa: B018
        with collected_rarely(), batches, writer:
            # Each batch read and checked alone (by the worker) while the one before is
            # committed, and its check finished while the one before is written: reading does
            # not touch the store, and the gate only reads what the store says of the entities
            # a source points to (unless the batch being written says something of them: it
            # goes first).
            for loaded in batches:
                readable = [item for item in loaded if isinstance(item, _Loaded)]
                if writer.writing_about(str(n) for i in readable for n in i.neighbours):
                    written()
                passed = self._gate_read(readable)
                written()
                for item in loaded:
                    outcome = (
                        item
                        if isinstance(item, SourceOutcome)
                        else self._place(
                            item, sources, strict=strict, reason=reason, batch=batch if reason else None,
                            report=passed.get(item.path),
                        )
                    )
                    if outcome is not None:
                        emit(outcome)
                commit_batch(writer)
            written()
        if len(summary.outcomes) >= OPTIMIZE_AFTER:
            self.store.optimize()
        return summary

    def _ingest_one(
        self,
        path: Path,
        sources: _Catalogue,
        *,
        published: dt.date | None,
        strict: bool,
    ) -> SourceOutcome:
        """A source loaded, validated and committed (or quarantined)."""
        loaded = self._load(path, sources, published)
        if isinstance(loaded, SourceOutcome):
            return loaded
        outcome = self._place(loaded, sources, strict=strict)
        assert outcome is not None  # without a batch, a source's outcome comes at once
        return outcome

    def _load_batch(
        self, paths: Sequence[Path], *, sources: _Catalogue, published: dt.date | None, check: bool = True
    ) -> list[_Loaded | SourceOutcome]:
        """The sources read and, with ``check``, checked by the compiled gate as if the store
        said nothing of what they point to: that needs no store, so the worker that reads them
        does it, and :meth:`_gate_read` keeps its verdicts where the store indeed says nothing."""
        loaded = [self._load(path, sources, published) for path in paths]
        readable = [item for item in loaded if isinstance(item, _Loaded)]
        for item in readable:
            item.neighbours = frozenset(self.neighbours(item.result.triples, item.result.place_triples))
        if not check:
            return loaded
        passed = self._gate_together(readable, facts=Graph())
        for item in readable:
            item.passed_alone = item.path in passed
        return loaded

    def _gate_read(self, readable: list[_Loaded]) -> dict[Path, ValidationReport]:
        """The sources the compiled gate passes, of a batch :meth:`_load_batch` read: those it
        passed alone whose neighbours the store says nothing of, and those it passes now
        with what the store says."""
        alone = [item for item in readable if item.passed_alone]
        said = set(self._facts_of(n for item in alone for n in item.neighbours).subjects())
        passed = {item.path: conforming_report() for item in alone if not item.neighbours & said}
        passed.update(self._gate_together([item for item in readable if item.path not in passed]))
        return passed

    def _load(self, path: Path, sources: _Catalogue, published: dt.date | None) -> _Loaded | SourceOutcome:
        """A source read by its loader, or why it was not: it cannot be read, or it is in the
        store already."""
        try:
            loader, source = open_source(path, published=published)
        except InputError as exc:
            return SourceOutcome(path, "failed", message=str(exc))
        graph_iri = self.iris.graph(source.key)
        if sources.holds(source.name, graph_iri):
            return SourceOutcome(path, "unchanged", graph=graph_iri)
        try:
            result = loader.load(source, self.load_context)
        except LegalKGError as exc:
            return SourceOutcome(path, "failed", message=str(exc))
        return _Loaded(path, loader, source, result, graph_iri)

    def _place(
        self,
        loaded: _Loaded,
        sources: _Catalogue,
        *,
        strict: bool,
        reason: bool = True,
        batch: _Batch | None = None,
        report: ValidationReport | None = None,
    ) -> SourceOutcome | None:
        """A loaded source validated (unless ``report`` says it passed already) and committed;
        or, given a ``batch``, added to it when it is new (None: its outcome comes with the
        batch's commit)."""
        path, source, result, graph_iri = loaded.path, loaded.source, loaded.result, loaded.graph
        # Again: a source read in the same batch may have been committed with these bytes since.
        if sources.holds(source.name, graph_iri):
            return SourceOutcome(path, "unchanged", graph=graph_iri)
        if batch is not None and graph_iri in batch.graphs:
            return SourceOutcome(path, "unchanged", graph=graph_iri)
        if batch is not None:
            batch.make_way_for(source.name, result.triples)
        if report is None:
            report = self.check_loaded(loaded.loader, source, result)
        if not report.passes(strict=strict):
            self.quarantine.put(source, report)
            return SourceOutcome(
                path, "quarantined", message=report.to_text(source.name), report=report, notes=result.notes
            )
        replaces = sources.replaced_by(source.name, graph_iri)
        ready = _Ready(path, source, result, report, self.source_record(source, result))
        if batch is not None and not replaces:
            batch.add(ready)
            return None
        return self._commit_ready(ready, replaces, sources, reason=reason)

    def _gate_together(self, loaded: list[_Loaded], facts: Graph | None = None) -> dict[Path, ValidationReport]:
        """The sources the compiled gate passes when it validates them together, in one store:
        those that cannot see each other's triples (none describes what another describes or
        points to, but the places, which the gazetteer describes alike in every source). The
        others are validated one by one, in turn. What the store says of their neighbours is
        asked for, unless ``facts`` says it."""
        compiled = self.compiled_gate
        if compiled is None or len(loaded) < 2:
            return {}
        apart: list[tuple[_Loaded, set[Node]]] = []
        described: set[Node] = set()  # by the sources before, places apart
        pointed: set[Node] = set()  # by the sources before, described by none of them
        places: dict[Node, frozenset[Triple]] = {}
        for item in loaded:
            triples, where = item.result.triples, item.result.place_triples
            own = {s for s, _, _ in triples}
            grouped: dict[Node, set[Triple]] = defaultdict(set)
            for triple in where:
                grouped[triple[0]].add(triple)
            its_places = {s: frozenset(t) for s, t in grouped.items()}
            mentions = {o for g in (triples, where) for _, _, o in g if isinstance(o, URIRef)} - own - set(its_places)
            seen, taken = described | places.keys(), described | pointed
            alone = (
                not own & (seen | pointed)
                and not mentions & seen
                and all(s not in taken and places.get(s, t) == t for s, t in its_places.items())
            )
            if alone:
                apart.append((item, own | set(its_places)))
            described |= own
            pointed |= mentions
            for s, t in its_places.items():
                places.setdefault(s, t)
        if len(apart) < 2:
            return {}
        converted = [g for item, _ in apart for g in (item.result.ox_graph, item.result.ox_places)]
        focus = (n for _, nodes in apart for n in nodes)
        if facts is None:
            read = (g for item, _ in apart for g in (item.result.triples, item.result.place_triples))
            facts = self.neighbour_facts(*read)
        bad = compiled.violating([*converted, facts], focus, strict=True)
        if bad is None:
            return {}
        return {item.path: conforming_report() for item, nodes in apart if not nodes & bad}

    def _commit_ready(
        self, ready: _Ready, replaces: list[URIRef], sources: _Catalogue, *, reason: bool = True
    ) -> SourceOutcome:
        clashes = self._commit(ready.record, ready.result, replaces, reason=reason)
        if clashes is not None:
            self.quarantine.put(ready.source, clashes)
            return SourceOutcome(
                ready.path,
                "quarantined",
                message=clashes.to_text(ready.source.name),
                report=clashes,
                notes=ready.result.notes,
            )
        return self._committed(ready, sources, replaced=bool(replaces))

    def _committed(self, ready: _Ready, sources: _Catalogue, *, replaced: bool) -> SourceOutcome:
        sources.record(ready.source.name, ready.record.graph)
        self.quarantine.release(ready.source.key)
        return SourceOutcome(
            ready.path,
            "replaced" if replaced else "committed",
            graph=ready.record.graph,
            triples=len(ready.result.triples),
            notes=ready.result.notes,
            report=ready.report,
        )

    def _commit_batch(
        self, batch: _Batch, sources: _Catalogue, writer: WriteBehind[list[SourceOutcome]] | None = None
    ) -> list[SourceOutcome]:
        """Commit the batch's sources with their inferences, in one transaction; if they bring
        a clash, one at a time, so that the clash is put on the source it comes from. Given a
        ``writer``, the transaction may be left to it, and the outcomes come when it is done."""
        if not batch.ready:
            return []
        assert self.store is not None
        committed = self._commit_batch_here(batch, sources, writer)
        if committed is not None:
            return committed
        staged = [
            g for r in batch.ready for g in self.store.stage(r.record.graph, r.result.graph, r.result.places)
        ]
        preparation = self.reasoner.prepare(staged)
        if preparation.clashes:
            self.reasoner.abandon(preparation)
            for r in batch.ready:
                self.store.discard_staged(r.record.graph)
            return [self._commit_ready(r, [], sources) for r in batch.ready]
        self.store.commit_batch([r.record for r in batch.ready], also=preparation.operations())
        self.reasoner.settle(preparation.touched)
        return [self._committed(r, sources, replaced=False) for r in batch.ready]

    def _commit_batch_here(
        self, batch: _Batch, sources: _Catalogue, writer: WriteBehind[list[SourceOutcome]] | None
    ) -> list[SourceOutcome] | None:
        """The batch committed with its inferences worked out in this process, each triple
        written once; a clash sends its sources one at a time through the store's rules. None
        where the store applies the rules itself. Given a ``writer``, the sources' graphs are
        written while their inferences are worked out, and what commits them (their catalogue
        entries, places and inferences) is left to it: the outcomes come when it is done."""
        store = self.store
        if not isinstance(store, LocalStore) or not self.reasoner.works_here:
            return None
        ready = list(batch.ready)
        converted = [(r, r.result.ox_graph.triples, r.result.ox_places.triples) for r in ready]
        # Made here: the write thread would hold the interpreter's lock while making them.
        graphs = store.source_quads([(r.record, graph) for r, graph, _ in converted])
        self.reasoner.mark_stale()
        if writer is not None:
            writer.start(lambda: store.add_sources(graphs, {}), lambda: [])
        asserted = [t for _, graph, places in converted for t in (*graph, *places)]
        new = self.reasoner.prepare_new(asserted)
        if writer is not None:
            writer.wait()
        if new.clashes:
            if writer is not None:
                store.drop_graphs([r.record.graph for r in ready])
            return [self._commit_ready(r, [], sources) for r in ready]
        commits = store.catalogue_quads(
            [(r.record, places) for r, _, places in converted], also={self.iris.inferred_graph: new.added}
        )
        unwritten = commits if writer is not None else graphs + commits

        def write() -> None:
            store.add_sources(unwritten, removed={self.iris.inferred_graph: new.restated})

        def committed() -> list[SourceOutcome]:
            self.reasoner.settle(new.touched)
            return [self._committed(r, sources, replaced=False) for r in ready]

        if writer is None:
            write()
            return committed()
        # The sources' graphs are in the store already: the write says something only of what
        # it has not written yet.
        about = {q.subject.value for q in unwritten if isinstance(q.subject, ox.NamedNode)}
        writer.start(write, committed, about=about)
        return []

    def source_record(
        self, source: Source, result: LoadResult, loaded_at: dt.datetime | None = None
    ) -> SourceRecord:
        """The catalogue entry of a loaded source (loaded now, unless ``loaded_at`` says when)."""
        return SourceRecord(
            graph=self.iris.graph(source.key),
            document=result.document,
            name=source.name,
            sha256=source.sha256,
            media_type=source.media_type,
            loaded_at=loaded_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
            triples=len(result.triples),
        )

    def _commit(
        self, record: SourceRecord, result: LoadResult, replaces: list[URIRef], *, reason: bool
    ) -> ValidationReport | None:
        """Commit a conforming source with its inferences, or return the clashes it brings
        (and commit nothing)."""
        assert self.store is not None
        staged = self.store.stage(record.graph, result.graph, result.places)
        if not reason:
            self.reasoner.mark_stale()
            self.store.commit_staged(record, replaces)
            return None
        preparation = self.reasoner.prepare(staged, replaces)
        if preparation.clashes:
            self.reasoner.abandon(preparation)
            self.store.discard_staged(record.graph)
            return self.clash_report(preparation.clashes, {g: record.name for g in staged})
        self.store.commit_staged(record, replaces, also=preparation.operations())
        self.reasoner.settle(preparation.touched)
        return None

    def clash_report(self, clashes: list[Clash], staged: dict[URIRef, str] | None = None) -> ValidationReport:
        """The clashes as a report a steward reads, each naming the sources it comes from."""
        assert self.store is not None
        names = {g: name for name, g in self.store.sources().items()} | (staged or {})
        labels = {c: str(label) for c, label in self.ontology.subject_objects(RDFS.label)}
        for clash in clashes:
            for row in self.store.select(
                f"SELECT ?l WHERE {{ {clash.node.n3()} <{RDFS.label}> ?l }} LIMIT 1"
            ):
                labels[clash.node] = str(row["l"])
        return clash_report(clashes, names, labels)

    @functools.cached_property
    def rules(self) -> RuleSet:
        return compile_rules(self.ontology)

    @property
    def reasoner(self) -> Reasoner:
        """The reasoner of the current store (a pipeline may be given another store), made
        once for it: it reads its default rules and indexes its rules when it is made."""
        assert self.store is not None, "reasoning needs a store"
        if self._reasoner is None or self._reasoner.store is not self.store:
            self._reasoner = Reasoner(self.store, self.iris, self.rules, self.assets.default_rules())
        return self._reasoner

    def reason(self) -> list[Clash]:
        """The inferred graphs afresh; on a clash they stay as they were, and the clashes return."""
        clashes = self.reasoner.recompute()
        assert self.store is not None
        self.store.optimize()  # the whole inferred graph was rewritten
        return clashes

    def _catch_up(self) -> None:
        # An earlier run was cut short, or ingested without reasoning: start from a fresh closure.
        clashes = self.reason()
        if clashes:
            raise UsageError(
                f"the store holds {len(clashes)} clash(es), so its inferences cannot be brought up to "
                "date: run `legalkg reason` to see them, then remove or fix the sources they name"
            )

    def remove(self, names: Iterable[str]) -> list[URIRef]:
        """Take sources (by name) out of the store, with what only they supported.

        Raises:
            UsageError: when a name is not a source of the store.
        """
        assert self.store is not None
        sources = self.store.sources()
        unknown = [n for n in names if n not in sources]
        if unknown:
            known = ", ".join(sorted(sources)) or "none"
            raise UsageError(f"no source named {', '.join(unknown)} in the store (sources: {known})")
        graphs = [sources[n] for n in names]
        store = self.store
        self.reasoner.remove(graphs, drop=lambda: store.drop_graphs(graphs))
        return graphs

    def asserted_graphs(self) -> list[URIRef]:
        """The graphs of what was asserted: the ontology, the reference data, places, sources."""
        from legalkg.publish import asserted_graphs

        assert self.store is not None
        return asserted_graphs(self.store, self.iris)

    def retry(
        self, entry: QuarantineEntry, *, from_original: bool = False, strict: bool = False
    ) -> SourceOutcome:
        """Validate a quarantined source again, against the current shapes and reference data.

        Reads the copy in the quarantine (which a steward may have fixed there) or, with
        ``from_original``, the file it came from, and goes the way ``ingest`` goes: a source
        that now conforms is committed, replacing the graph of an earlier file of the same
        name, and leaves the quarantine; one that does not is kept with its new report. A
        source that cannot be read leaves the entry as it was (status ``failed``).
        """
        assert self.store is not None, "retry needs a store"
        path = Path(entry.original_path) if from_original else entry.input_file
        outcome = self._ingest_one(path, _Catalogue(self.store.sources()), published=entry.published_date, strict=strict)
        if outcome.status == "failed":
            return outcome
        # A fixed file has other bytes, hence another key: ingest released or refused it under
        # that key, and the entry of the old bytes would otherwise wait for a fix already made.
        # Bytes found already in the store ("unchanged") are not released by ingest either.
        key = content_key(path.read_bytes())
        if outcome.status != "quarantined" or key != entry.key:
            self.quarantine.release(entry.key)
        if outcome.status == "quarantined" and key != entry.key:
            outcome.notes.append(f"kept in the quarantine as {key}, in place of {entry.key}")
        log.info("retried quarantine entry %s (%s): %s", entry.key, entry.name, outcome.status)
        return outcome

    def preflight(self, paths: Iterable[Path]) -> list[Path]:
        """The documents under ``paths``, each read once to refuse bad input before any write.

        Raises:
            InputError: for the first file that no loader can read.
            UsageError: when ``paths`` hold no document at all.
        """
        documents = documents_in(paths)
        if not documents:
            raise UsageError("no documents to load in " + ", ".join(str(p) for p in paths))
        for path in documents:
            open_source(path)
        return documents

    def check_paths(self, paths: Iterable[Path]) -> CheckOutcome:
        """Validate each file (through its loader) without writing anything."""
        outcome = CheckOutcome()
        for path in documents_in(paths):
            try:
                loader, source = open_source(path)
                result = loader.load(source, self.load_context)
            except LegalKGError as exc:
                outcome.errors.append(str(exc))
                continue
            outcome.reports.append((path, self.check_loaded(loader, source, result)))
        return outcome

    def extract(self, paths: Iterable[Path], *, published: dt.date | None = None) -> list[dict[str, Any]]:
        """What the loaders read from each document, in the gold annotation form.

        Raises:
            InputError: for a file that cannot be read.
        """
        from legalkg.gold import gold_view

        views = []
        for path in documents_in(paths):
            loader, source = open_source(path, published=published)
            result = loader.load(source, self.load_context)
            text = source.text() if source.media_type.startswith("text/") else ""
            views.append(gold_view(result.candidate(), self.reference, file=source.name, text=text))
        return views

    def extract_turtle(self, paths: Iterable[Path], *, published: dt.date | None = None) -> str:
        """The graphs the loaders make of ``paths``, as Turtle."""
        from legalkg.namespaces import PREFIXES

        merged = Graph()
        for prefix, iri in PREFIXES.items():
            merged.bind(prefix, iri)
        for path in documents_in(paths):
            loader, source = open_source(path, published=published)
            merged += loader.load(source, self.load_context).candidate()
        return merged.serialize(format="turtle")

    def agency_names(self) -> dict[str, str]:
        """Every name of every reference agency (as the scorer folds it) -> the agency's IRI."""
        from legalkg.scoring import name_keys

        aliases: dict[str, str] = {}
        for agency in (
            set(self.reference.subjects(RDF.type, LKG.Agency))
            | set(self.reference.subjects(RDF.type, LKG.Unit))
            | set(self.reference.subjects(RDF.type, LKG.Programme))
        ):
            for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, LKG.acronym):
                for name in self.reference.objects(agency, prop):
                    for key in name_keys(str(name)):
                        aliases.setdefault(key, str(agency))
        return aliases

    def demonyms(self) -> set[str]:
        """The demonyms of the reference countries, folded as the scorer folds names."""
        from legalkg.scoring import fold

        return {fold(str(d)) for d in self.reference.objects(None, LKG.demonym)}

    def sample_documents(self) -> Path:
        return self.assets.documents_dir
