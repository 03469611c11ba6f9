"""Copying named graphs between two stores: ``legalkg push`` and ``legalkg pull``.

Any two stores will do: a folder and a server, or two servers. Each graph is replaced in the
target atomically (the store sees to it: one request, or chunks in a temporary graph then one
move), so a copy cut short leaves every graph whole, in its old version or its new one. Terms
travel as pyoxigraph terms and N-Triples, never as rdflib terms, which cost more to build than
to send.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from legalkg.errors import UsageError
from legalkg.iris import Iris
from legalkg.store.base import Store

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


class _Counting:
    """Counts the triples that pass, on their way to the target."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.triples = triples
        self.count = 0

    def __iter__(self) -> Iterator[ox.Triple]:
        for triple in self.triples:
            self.count += 1
            yield triple


def _order(graphs: Iterable[URIRef], iris: Iris) -> list[URIRef]:
    # The catalogue last: it names the sources and says whether the inferences follow them, which
    # is true only once everything else has arrived.
    return sorted(graphs, key=lambda g: (g == iris.sources_graph, str(g)))


def copy_graphs(
    source: Store,
    target: Store,
    iris: Iris,
    *,
    graphs: Sequence[URIRef] | None = None,
    progress: Callable[[Copied], None] | None = None,
) -> TransferSummary:
    """Copy ``graphs`` (every graph of ``source`` when None) into ``target``, each replacing
    the graph of the same name there.

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
    for name in names:
        counting = _Counting(source.export_triples(name))
        target.replace_triples(name, counting, exists=name in present)
        copied = Copied(name, counting.count)
        summary.copied.append(copied)
        log.debug("copied %s (%d triples)", name, copied.triples)
        if progress is not None:
            progress(copied)
    if graphs is None:
        summary.dropped = sorted(g for g in present - set(names) if not str(g).startswith(staging))
        target.drop_graphs(summary.dropped)
    summary.seconds = time.perf_counter() - started
    return summary
