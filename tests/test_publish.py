"""Dumps: deterministic, versioned, with changes listed; and the VoID/DCAT figures that describe them."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from legalkg.iris import Iris
from legalkg.namespaces import DCAT, LKG, VOID
from legalkg.publish import DUMPS, Release, dump, latest_release
from legalkg.publish.describe import SPDX, download_url
from legalkg.store import EmbeddedStore

DAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def release(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Release:
    store = EmbeddedStore(built_store_dir, read_only=True)
    try:
        return dump(store, tmp_path_factory.mktemp("dist"), Iris(), today=DAY, ontology_docs=False)
    finally:
        store.close()


def _reloaded(release: Release, folder: Path) -> EmbeddedStore:
    """A fresh store loaded from the release's N-Quads: another insertion order, new blank nodes."""
    store = EmbeddedStore(folder)
    quads = list(ox.parse(gzip.decompress(release.file("legalkg.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS))
    store._store.extend(reversed(quads))
    inferred = gzip.decompress(release.file("inferred.nt.gz").read_bytes())
    store._store.load(inferred, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(Iris().inferred_graph)))
    return store


def test_the_same_graph_gives_the_same_bytes_after_reloading(release: Release, tmp_path: Path) -> None:
    store = _reloaded(release, tmp_path / "store")
    try:
        again = dump(store, tmp_path / "dist", Iris(), today=DAY, ontology_docs=False)
    finally:
        store.close()
    assert again.version == release.version
    for name, *_ in DUMPS:
        assert again.file(name).read_bytes() == release.file(name).read_bytes(), name
    assert again.file("void.ttl").read_bytes() == release.file("void.ttl").read_bytes()


def test_every_format_holds_the_same_triples(release: Release) -> None:
    nt = Graph().parse(data=gzip.decompress(release.file("legalkg.nt.gz").read_bytes()), format="nt")
    ttl = Graph().parse(data=gzip.decompress(release.file("legalkg.ttl.gz").read_bytes()), format="turtle")
    assert len(nt) > 9000 and isomorphic(nt, ttl)
    # The JSON-LD carries its context inline: reading it fetches nothing.
    document = json.loads(gzip.decompress(release.file("legalkg.jsonld.gz").read_bytes()))
    assert isinstance(document["@context"], dict)
    assert document["@context"] == json.loads(release.file("context.jsonld").read_text())["@context"]
    jsonld = Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(nt, jsonld)
    quads = list(ox.parse(gzip.decompress(release.file("legalkg.nq.gz").read_bytes()), ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name.value) for q in quads} >= {str(Iris().ontology_graph), str(Iris().reference_graph)}


def test_an_unchanged_graph_keeps_its_release_and_a_new_state_lists_its_changes(
    writable_sample_store: EmbeddedStore, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    first = dump(writable_sample_store, out, Iris(), today=DAY, ontology_docs=False)
    same = dump(writable_sample_store, out, Iris(), today=DAY + dt.timedelta(days=1), ontology_docs=False)
    assert not same.created and same.folder == first.folder
    extra = Graph()
    extra.add((URIRef("https://w3id.org/legalkg/id/agency/unodc"), LKG.acronym, Literal("ONUDD")))
    reference = Iris().reference_graph
    writable_sample_store.replace_graph(reference, writable_sample_store.graph(reference) + extra)
    second = dump(writable_sample_store, out, Iris(), today=DAY + dt.timedelta(days=2), ontology_docs=False)
    assert second.created and second.version.startswith("2026-01-17-")
    assert latest_release(out) == second.folder and first.folder.is_dir()
    added = second.file("added.nt").read_text().splitlines()
    assert added == ['<https://w3id.org/legalkg/id/agency/unodc> <https://w3id.org/legalkg/ontology#acronym> "ONUDD" .']
    assert second.file("removed.nt").read_text() == ""


def test_the_void_figures_are_those_of_the_dump(release: Release) -> None:
    void = Graph().parse(release.file("void.ttl"), format="turtle")
    dataset = URIRef(f"https://w3id.org/legalkg/dataset/{release.version}")
    lines = gzip.decompress(release.file("legalkg.nt.gz").read_bytes()).decode().splitlines()
    triples = [tuple(t) for t in Graph().parse(data="\n".join(lines), format="nt")]

    def figure(node: URIRef, prop: URIRef) -> int:
        return int(void.value(node, prop))  # type: ignore[arg-type]

    assert figure(dataset, VOID.triples) == len(lines) == len(triples)
    assert figure(dataset, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert figure(dataset, VOID.distinctObjects) == len({o for _, _, o in triples})
    assert figure(dataset, VOID.properties) == len({p for _, p, _ in triples})
    assert figure(dataset, VOID.classes) == len({o for _, p, o in triples if p == RDF.type})
    per_property = Counter(p for _, p, _ in triples)
    partitions = {void.value(part, VOID.property): figure(part, VOID.triples) for part in void.objects(dataset, VOID.propertyPartition)}
    assert partitions == per_property
    per_class: dict[URIRef, set[object]] = {}
    for s, p, o in triples:
        if p == RDF.type:
            per_class.setdefault(o, set()).add(s)  # type: ignore[arg-type]
    classes = {void.value(part, VOID["class"]): figure(part, VOID.entities) for part in void.objects(dataset, VOID.classPartition)}
    assert classes == {c: len(members) for c, members in per_class.items()}
    assert URIRef("https://w3id.org/legalkg/ontology#") in set(void.objects(dataset, VOID.vocabulary))
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    sdg_links = sum(1 for s, _, o in triples if str(o).startswith("http://metadata.un.org/sdg/") and not str(s).startswith("http://metadata.un.org/sdg/"))
    linkset = URIRef(f"{dataset}#links-sdg")
    assert sdg_links > 0 and figure(linkset, VOID.triples) == sdg_links
    # Each distribution: its URL, media type, size and checksum are those of the file.
    distributions = list(void.objects(dataset, DCAT.distribution))
    assert len(distributions) >= len(DUMPS)
    for distribution in distributions:
        url = void.value(distribution, DCAT.downloadURL)
        name = str(url).rsplit("/", 1)[-1]
        assert url == download_url(Iris(), release.version, name)
        data = release.file(name).read_bytes()
        size = void.value(distribution, DCAT.byteSize)
        assert size == Literal(len(data), datatype=XSD.nonNegativeInteger), name
        checksum = void.value(void.value(distribution, SPDX.checksum), SPDX.checksumValue)
        assert str(checksum) == hashlib.sha256(data).hexdigest(), name
        media = dict((n, m) for n, m, *_ in DUMPS).get(name)
        if media:
            assert str(void.value(distribution, DCAT.mediaType)).endswith("/" + media)
