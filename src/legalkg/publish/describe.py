"""What a release holds, said in VoID and DCAT, and the ontology's HTML documentation.

Every figure is counted from the triples that were written, and every size and checksum read
from the file on disk, so that the description cannot drift from the dump it describes.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, XSD

from legalkg.iris import Iris
from legalkg.namespaces import DCAT, PREFIXES, VOID

if TYPE_CHECKING:
    from legalkg.publish import Dump

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# The datasets our IRIs link out to: name, the namespace of their IRIs.
LINK_TARGETS = (
    ("sdg", "http://metadata.un.org/sdg/"),
    ("wikidata", "http://www.wikidata.org/entity/"),
    ("geonames", "https://sws.geonames.org/"),
)


def dataset_iri(iris: Iris) -> URIRef:
    """The dataset as a whole, of which each release is a version."""
    return URIRef(f"{iris.base}dataset")


def release_iri(iris: Iris, version: str) -> URIRef:
    return URIRef(f"{iris.base}dataset/{version}")


def download_url(iris: Iris, version: str, name: str) -> URIRef:
    return URIRef(f"{iris.base}dumps/{version}/{name}")


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: up to its last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def void(
    iris: Iris,
    version: str,
    folder: Path,
    files: Sequence[Dump],
    triples: Sequence[ox.Triple],
    *,
    previous: str | None = None,
    endpoint: str | None = None,
) -> bytes:
    """The VoID and DCAT description of a release, as Turtle."""
    g = Graph()
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX), "foaf": str(FOAF)}.items():
        g.bind(prefix, namespace)
    release = release_iri(iris, version)
    dataset = dataset_iri(iris)
    publisher = URIRef(f"{iris.base}publisher")
    date = Literal(version[:10], datatype=XSD.date)
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("legalkg: legal instruments on firearms control and the events that discuss them")))
    g.add((dataset, DCAT.hasVersion, release))
    for p, o in (
        (RDF.type, VOID.Dataset),
        (RDF.type, DCAT.Dataset),
        (DCTERMS.title, Literal(f"legalkg, release {version}")),
        (DCTERMS.description, Literal(
            "Conferences, meetings, workshops and trainings, the legal instruments they covered and the "
            "SDG targets they addressed, read from reports of them; every fact keeps its source sentence."
        )),
        (DCTERMS.license, LICENSE),
        (DCTERMS.publisher, publisher),
        (DCTERMS.modified, date),
        (DCTERMS.issued, date),
        (DCAT.version, Literal(version)),
        (OWL.versionInfo, Literal(version)),
        (DCTERMS.isVersionOf, dataset),
        (VOID.uriSpace, Literal(f"{iris.base}id/")),
        (VOID.rootResource, URIRef(f"{iris.base}id/")),
    ):
        g.add((release, p, o))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("legalkg developers")))
    if previous:
        g.add((release, PROV.wasRevisionOf, release_iri(iris, previous)))
    if endpoint:
        g.add((release, VOID.sparqlEndpoint, URIRef(endpoint)))
    _distributions(g, iris, version, release, files)
    _statistics(g, release, triples)
    return g.serialize(format="turtle").encode("utf-8")


def _distributions(g: Graph, iris: Iris, version: str, release: URIRef, files: Sequence[Dump]) -> None:
    for dump in files:
        if dump.path.name == "void.ttl":
            continue  # a file cannot carry its own checksum
        name = dump.path.name
        url = download_url(iris, version, name)
        distribution = URIRef(f"{release}/{name}")
        checksum = URIRef(f"{distribution}#sha256")
        g.add((release, DCAT.distribution, distribution))
        if name.startswith("legalkg."):
            g.add((release, VOID.dataDump, url))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(dump.title)))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((distribution, DCTERMS["format"], Literal(dump.media_type)))
        if dump.compressed:
            g.add((distribution, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((distribution, DCAT.byteSize, Literal(dump.path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((distribution, DCTERMS.license, LICENSE))
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(sha256_of(dump.path), datatype=XSD.hexBinary)))


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _statistics(g: Graph, release: URIRef, triples: Sequence[ox.Triple]) -> None:
    by_property: Counter[str] = Counter()
    by_class: dict[str, set[str]] = {}
    subjects: set[str] = set()
    objects: set[str] = set()
    links: Counter[str] = Counter()
    for t in triples:
        subject, predicate = str(t.subject), t.predicate.value
        subjects.add(subject)
        objects.add(str(t.object))
        by_property[predicate] += 1
        if predicate == str(RDF.type) and isinstance(t.object, ox.NamedNode):
            by_class.setdefault(t.object.value, set()).add(subject)
        if isinstance(t.object, ox.NamedNode):
            for name, namespace in LINK_TARGETS:
                if t.object.value.startswith(namespace) and not subject.startswith(f"<{namespace}"):
                    links[name] += 1
    g.add((release, VOID.triples, _count(len(triples))))
    g.add((release, VOID.distinctSubjects, _count(len(subjects))))
    g.add((release, VOID.distinctObjects, _count(len(objects))))
    g.add((release, VOID.properties, _count(len(by_property))))
    g.add((release, VOID.classes, _count(len(by_class))))
    vocabularies = {namespace_of(p) for p in by_property} | {namespace_of(c) for c in by_class}
    for vocabulary in sorted(vocabularies):
        g.add((release, VOID.vocabulary, URIRef(vocabulary)))
    for i, (cls, members) in enumerate(sorted(by_class.items()), start=1):
        part = URIRef(f"{release}#class-{i}")
        g.add((release, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, _count(len(members))))
    for i, (prop, count) in enumerate(sorted(by_property.items()), start=1):
        part = URIRef(f"{release}#property-{i}")
        g.add((release, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, _count(count)))
    for name, namespace in LINK_TARGETS:
        if not links[name]:
            continue
        linkset = URIRef(f"{release}#links-{name}")
        target = URIRef(namespace)
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, release))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, _count(links[name])))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, VOID.uriSpace, Literal(namespace)))
        g.add((release, VOID.subset, linkset))


def ontology_html(ontology: Path, out: Path) -> None:
    """The ontology's documentation, written by pyLODE (it reads the ontology, fetches nothing)."""
    root = logging.getLogger()
    level = root.level
    try:
        from pylode import OntPub

        out.write_text(OntPub(ontology=str(ontology)).make_html(), encoding="utf-8")
    finally:
        root.setLevel(level)  # pyLODE turns the root logger up to DEBUG when imported
