"""Publishing the graph: versioned dumps, their VoID/DCAT description, the ontology's pages.

``dump`` writes a release into ``OUT/<YYYY-MM-DD>-<hash8>/`` (the date of the dump and the first
8 hex digits of the SHA-256 of its canonical N-Quads) and points ``OUT/latest`` at it. The
same graph gives the same bytes, so a dump of an unchanged graph is the release already there;
earlier releases stay, and a new one lists what was added and removed since the last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from legalkg.iris import Iris
from legalkg.publish import canonical
from legalkg.store.base import Store

log = logging.getLogger(__name__)

LATEST = "latest"


@dataclass(frozen=True)
class Dump:
    """One file of a release."""

    path: Path
    media_type: str
    title: str
    compressed: bool = False


@dataclass(frozen=True)
class Release:
    """A folder of dumps of one state of the graph."""

    folder: Path
    version: str
    files: tuple[Dump, ...]
    created: bool  # False when the graph had not changed since the latest release

    def file(self, name: str) -> Path:
        return self.folder / name


# The distributions of a release: file name, media type, title, gzipped.
DUMPS = (
    ("legalkg.ttl.gz", "text/turtle", "What the sources said, with the ontology and reference data (Turtle)", True),
    ("legalkg.nt.gz", "application/n-triples", "The same triples as N-Triples, one per line, sorted", True),
    ("legalkg.nq.gz", "application/n-quads", "The same with their named graphs, one per source (N-Quads)", True),
    ("legalkg.jsonld.gz", "application/ld+json", "The same triples as JSON-LD, with the context inline", True),
    ("inferred.nt.gz", "application/n-triples", "What follows from them by the ontology (OWL 2 RL), apart", True),
)


def asserted_graphs(store: Store, iris: Iris) -> list[URIRef]:
    """The graphs of what was asserted: ontology, reference data, places and every source."""
    return [
        g
        for g in store.graphs()
        if g in (iris.ontology_graph, iris.reference_graph, iris.places_graph) or iris.is_source_graph(str(g))
    ]


def inferred_graphs(store: Store, iris: Iris) -> list[URIRef]:
    """The graphs the reasoner wrote."""
    return [g for g in store.graphs() if g in (iris.inferred_graph, iris.defaults_graph)]


def releases(out_dir: Path) -> list[Path]:
    """The release folders in ``out_dir``, oldest first."""
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.is_symlink() and p.name[:1].isdigit())


def latest_release(out_dir: Path) -> Path | None:
    """The folder ``out_dir/latest`` points to, if any."""
    pointer = out_dir / LATEST
    return pointer.resolve() if pointer.exists() else None


def _point_latest(out_dir: Path, folder: Path) -> None:
    # A new link renamed over the old one: a reader never sees no `latest` at all.
    tmp = out_dir / f".{LATEST}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(folder.name, target_is_directory=True)
    os.replace(tmp, out_dir / LATEST)


def _files(folder: Path) -> tuple[Dump, ...]:
    files = [Dump(folder / name, media, title, gz) for name, media, title, gz in DUMPS]
    extra = (
        ("ontology.ttl", "text/turtle", "The ontology (OWL 2 RL)"),
        ("ontology.html", "text/html", "The ontology's documentation"),
        ("context.jsonld", "application/ld+json", "The JSON-LD context of the JSON-LD dump"),
        ("added.nt", "application/n-triples", "Triples added since the previous release"),
        ("removed.nt", "application/n-triples", "Triples removed since the previous release"),
        ("void.ttl", "text/turtle", "This release described in VoID and DCAT"),
    )
    files += [Dump(folder / name, media, title) for name, media, title in extra if (folder / name).exists()]
    return tuple(f for f in files if f.path.exists())


def dump(
    store: Store,
    out_dir: Path,
    iris: Iris,
    *,
    today: dt.date | None = None,
    endpoint: str | None = None,
    ontology_docs: bool = True,
) -> Release:
    """Write a release of the graph in ``out_dir``, unless the latest release holds it already.

    ``endpoint`` is the SPARQL endpoint the VoID description names, where one is served;
    ``ontology_docs`` False skips the ontology's HTML pages (they take a few seconds).
    """
    from legalkg.publish import describe

    out_dir.mkdir(parents=True, exist_ok=True)
    asserted = canonical.snapshot(store, asserted_graphs(store, iris))
    inferred = canonical.snapshot(store, inferred_graphs(store, iris))
    nquads = asserted.nquads()
    inferred_lines = inferred.ntriples_lines()
    digest = hashlib.sha256(nquads + "".join(inferred_lines).encode()).hexdigest()[:8]
    previous = latest_release(out_dir)
    if previous is not None and previous.name.endswith(f"-{digest}"):
        log.info("the graph has not changed since release %s", previous.name)
        return Release(previous, previous.name, _files(previous), created=False)
    version = f"{(today or dt.datetime.now(dt.UTC).date()).isoformat()}-{digest}"
    folder = out_dir / version
    work = out_dir / f".{version}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    triples = asserted.triples()
    lines = [f"{t} .\n" for t in triples]
    canonical.write_gzip(work / "legalkg.ttl.gz", canonical.turtle(triples))
    canonical.write_gzip(work / "legalkg.nt.gz", "".join(lines).encode("utf-8"))
    canonical.write_gzip(work / "legalkg.nq.gz", nquads)
    canonical.write_gzip(work / "legalkg.jsonld.gz", canonical.jsonld(triples))
    canonical.write_gzip(work / "inferred.nt.gz", "".join(inferred_lines).encode("utf-8"))
    (work / "context.jsonld").write_text(json.dumps(canonical.context(), indent=2, sort_keys=True) + "\n")
    ontology = [q.triple for q in asserted.quads if q.graph_name == ox.NamedNode(str(iris.ontology_graph))]
    (work / "ontology.ttl").write_bytes(canonical.turtle(sorted(ontology, key=str)))
    if ontology_docs:
        describe.ontology_html(work / "ontology.ttl", work / "ontology.html")
    if previous is not None and (previous / "legalkg.nt.gz").exists():
        before = set(canonical.read_gzip_lines(previous / "legalkg.nt.gz"))
        after = set(lines)
        (work / "added.nt").write_text("".join(sorted(after - before)), encoding="utf-8")
        (work / "removed.nt").write_text("".join(sorted(before - after)), encoding="utf-8")
    description = describe.void(
        iris, version, work, _files(work), triples, previous=previous.name if previous else None, endpoint=endpoint
    )
    (work / "void.ttl").write_bytes(description)
    if folder.exists():  # the same state dumped earlier, then another, and now this again
        shutil.rmtree(folder)
    os.replace(work, folder)
    _point_latest(out_dir, folder)
    return Release(folder, version, _files(folder), created=True)
