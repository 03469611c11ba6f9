"""Copying named graphs between two stores: ``legalkg push`` and ``legalkg pull``.

Any two stores will do: a folder and a server, or two servers. Each graph is replaced in the
target atomically (the store sees to it: one request, or chunks in a temporary graph then one
move), so a copy cut short leaves every graph whole, in its old version or its new one. Graphs
travel as N-Triples text, cut into chunks by lines, never as rdflib terms, which cost more to
build than to send; a server is sent several graphs at once, so that it loads one while the
next is on its way.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from rdflib import URIRef

from legalkg.errors import UsageError
from legalkg.iris import Iris
from legalkg.store.base import Store
from legalkg.store.terms import Chunk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Copied:
    """One graph copied, and how many triples it holds."""

    graph: URIRef
    triples: int


@dataclass
class TransferSummary:
    """What a copy did: the graphs copied, those dropped from the target, and how long it took."""

    copied: list[Copied] = field(default_factory=list)
    dropped: list[URIRef] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(c.triples for c in self.copied)

    @property
    def rate(self) -> float:
        """Triples per second."""
        return self.triples / self.seconds if self.seconds else 0.0


def _order(graphs: Iterable[URIRef], iris: Iris) -> list[URIRef]:
    # The catalogue last: it names the sources and says whether the inferences follow them, which
    # is true only once everything else has arrived. The graphs that are not a source's first:
    # the inferred and reference graphs are the largest, and the many small sources' graphs
    # travel while they are being written.
    return sorted(graphs, key=lambda g: (g == iris.sources_graph, iris.is_source_graph(str(g)), str(g)))


# Graphs read ahead of the writers, per reader, and requests under way or waiting, per writer:
# enough to keep both sides busy, while a slow target holds a few requests' worth of the source
# in memory, not all of it.
READ_AHEAD = 4
WRITES_QUEUED = 2


def _read_ahead(
    pool: ThreadPoolExecutor, read: Callable[[URIRef], list[Chunk]], graphs: Sequence[URIRef], ahead: int
) -> Iterator[list[Chunk]]:
    """``read(graph)`` for each graph, in order, run on ``pool`` at most ``ahead`` graphs ahead."""
    waiting = iter(graphs)
    pending: deque[Future[list[Chunk]]] = deque(
        pool.submit(read, g) for _, g in zip(range(ahead), waiting, strict=False)
    )
    while pending:
        chunks = pending.popleft().result()
        following = next(waiting, None)
        if following is not None:
            pending.append(pool.submit(read, following))
        yield chunks


def copy_graphs(
    source: Store,
    target: Store,
    iris: Iris,
    *,
    graphs: Sequence[URIRef] | None = None,
    chunk: int = 50_000,
    progress: Callable[[Copied], None] | None = None,
) -> TransferSummary:
    """Copy ``graphs`` (every graph of ``source`` when None) into ``target``, each replacing
    the graph of the same name there.

    Graphs travel in chunks of at most ``chunk`` triples (a server may take fewer a request).
    Copying everything makes ``target`` a copy of ``source``: its other legalkg graphs are
    dropped, since the catalogue and the inferred graphs only make sense with the sources they
    describe. Copying chosen graphs leaves the others alone.

    Raises:
        UsageError: when a chosen graph is not in ``source``.
        EndpointError: when a server fails; the graphs copied so far stay copied.
    """
    staging = str(iris.staging_graph(""))
    held = [g for g in source.graphs() if not str(g).startswith(staging)]
    if graphs is not None:
        missing = [str(g) for g in graphs if g not in held]
        if missing:
            raise UsageError(f"{source.location} has no graph {', '.join(missing)}")
    names = _order(graphs if graphs is not None else held, iris)
    present = set(target.graph_names())
    summary = TransferSummary()
    started = time.perf_counter()

    def replace(name: URIRef, chunks: list[Chunk]) -> list[Copied]:
        target.replace_chunks(name, chunks, exists=name in present)
        return [Copied(name, sum(c.triples for c in chunks))]

    def add(batch: list[tuple[URIRef, list[Chunk]]]) -> list[Copied]:
        target.add_graphs(batch)
        return [Copied(name, sum(c.triples for c in chunks)) for name, chunks in batch]

    def done(copied: list[Copied]) -> None:
        for one in copied:
            log.debug("copied %s (%d triples)", one.graph, one.triples)
            summary.copied.append(one)
            if progress is not None:
                progress(one)

    catalogue = [g for g in names if g == iris.sources_graph]
    others = [g for g in names if g not in catalogue]
    reader = ThreadPoolExecutor(max_workers=max(1, source.parallel_reads))
    writer = ThreadPoolExecutor(max_workers=max(1, target.parallel_writes))
    try:
        writes: set[Future[list[Copied]]] = set()
        limit = WRITES_QUEUED * max(1, target.parallel_writes)

        def write(work: Callable[..., list[Copied]], *args: object) -> None:
            writes.add(writer.submit(work, *args))
            while len(writes) >= limit:
                finished, _ = wait(writes, return_when=FIRST_COMPLETED)
                for future in finished:
                    writes.discard(future)
                    done(future.result())

        batch: list[tuple[URIRef, list[Chunk]]] = []
        batched = 0
        exported = _read_ahead(
            reader,
            lambda g: list(source.export_chunks(g, chunk)),
            others,
            READ_AHEAD * max(1, source.parallel_reads),
        )
        for name, chunks in zip(others, exported, strict=True):
            triples = sum(c.triples for c in chunks)
            # Small new graphs travel together, each whole, in as few requests as the target needs.
            if name not in present and len(chunks) == 1:
                if batch and batched + triples > chunk:
                    write(add, batch)
                    batch, batched = [], 0
                batch.append((name, chunks))
                batched += triples
            else:
                write(replace, name, chunks)
        if batch:
            write(add, batch)
        for future in wait(writes).done:
            done(future.result())
    finally:
        # The first failure stops the copy: what is under way ends (each graph whole), what
        # waits does not start.
        reader.shutdown(wait=True, cancel_futures=True)
        writer.shutdown(wait=True, cancel_futures=True)
    for name in catalogue:
        done(replace(name, list(source.export_chunks(name, chunk))))
    if graphs is None:
        summary.dropped = sorted(g for g in present - set(names) if not str(g).startswith(staging))
        target.drop_graphs(summary.dropped)
    summary.seconds = time.perf_counter() - started
    return summary
