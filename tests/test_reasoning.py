"""OWL 2 RL reasoning: the same triples as owlrl, the axioms the questions need, clashes refused,
and inferred graphs that stay equal to a fresh closure as sources come and go."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from legalkg.namespaces import LKG
from legalkg.pipeline import Pipeline
from legalkg.reasoning.defaults import DefaultRule, properties_read
from legalkg.store import EmbeddedStore

from .conftest import SAMPLE, make_settings, model_pipeline, open_remote

DATA = Path(__file__).parent / "data" / "reasoning"
ID = "https://w3id.org/legalkg/id/"
EX = "https://example.org/"
SDG = "http://metadata.un.org/sdg/"
W3C = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
)


@pytest.fixture()
def pipeline(tmp_path: Path) -> Iterator[Pipeline]:
    ready = model_pipeline(tmp_path)
    yield ready
    ready.store.close()  # type: ignore[union-attr]


def ingest(pipeline: Pipeline, *names: str) -> list[str]:
    return [o.status for o in pipeline.ingest([DATA / name for name in names]).outcomes]


def asserted(pipeline: Pipeline) -> Graph:
    graph = Graph()
    for name in pipeline.asserted_graphs():
        graph += pipeline.store.graph(name)  # type: ignore[union-attr]
    return graph


def inferred(pipeline: Pipeline) -> set[tuple[Node, Node, Node]]:
    store = pipeline.store
    assert store is not None
    return set(store.graph(pipeline.iris.inferred_graph)) | set(store.graph(pipeline.iris.defaults_graph))


def holds(pipeline: Pipeline, s: str, p: URIRef, o: Node) -> bool:
    store = pipeline.store
    assert store is not None
    node = URIRef(s) if not s.startswith("lkg:") else LKG[s[4:]]
    return bool(store.select(f"ASK {{ {node.n3()} {p.n3()} {o.n3()} }}").boolean)


def owlrl_data_closure(pipeline: Pipeline) -> set[tuple[Node, Node, Node]]:
    """What owlrl adds to the asserted graphs (with the defaults), without its tautologies:
    x owl:sameAs x, x a owl:Thing, literals typed with their datatype, and what it says of
    the ontology's own terms and of the W3C vocabularies."""
    store = pipeline.store
    assert store is not None
    defaults = store.graph(pipeline.iris.defaults_graph)
    base = asserted(pipeline)
    closure = Graph()
    closure += base
    closure += defaults
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    terms = set(pipeline.ontology.subjects())

    def kept(triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return not (
            isinstance(s, Literal)
            or p == OWL.sameAs
            or (p == RDF.type and o == OWL.Thing)
            or s in terms
            or str(s).startswith(W3C)
        )

    return {t for t in set(closure) - set(base) if kept(t)}


def assert_as_fresh(pipeline: Pipeline) -> None:
    """The inferred graphs are what a closure computed afresh gives (owlrl's, as the test
    above shows): the incremental updates left nothing behind and missed nothing."""
    kept = inferred(pipeline)
    assert pipeline.reasoner.up_to_date()
    assert pipeline.reason() == []
    assert kept == inferred(pipeline)


def test_the_closure_is_owlrls_on_the_test_data(pipeline: Pipeline) -> None:
    assert ingest(pipeline, "conference.ttl", "unit-and-protocol.ttl") == ["committed", "committed"]
    assert inferred(pipeline) == owlrl_data_closure(pipeline)


def test_a_session_is_an_event_and_part_of_is_transitive_with_its_inverse(pipeline: Pipeline) -> None:
    ingest(pipeline, "conference.ttl")
    conference = f"{ID}event/conf-2020"
    session, panel = f"{conference}/session/1", f"{conference}/session/1/session/panel"
    assert holds(pipeline, session, RDF.type, LKG.Event)
    assert holds(pipeline, session, RDF.type, URIRef("https://schema.org/Event"))
    assert holds(pipeline, panel, LKG.partOf, URIRef(conference))
    assert holds(pipeline, conference, LKG.hasPart, URIRef(panel))


def test_an_event_covers_what_its_sessions_covered(pipeline: Pipeline) -> None:
    ingest(pipeline, "conference.ttl")
    assert holds(pipeline, f"{ID}event/conf-2020", LKG.covers, URIRef(f"{ID}instrument/att"))
    assert not holds(pipeline, f"{ID}event/conf-2020/session/1", LKG.covers, URIRef(f"{ID}instrument/poa"))


def test_a_session_takes_place_where_its_event_does_unless_it_says_otherwise(pipeline: Pipeline) -> None:
    ingest(pipeline, "conference.ttl")
    vienna = URIRef("https://sws.geonames.org/2761369/")
    assert holds(pipeline, f"{ID}event/conf-2020/session/1", LKG.city, vienna)
    assert holds(
        pipeline, f"{ID}event/conf-2020/session/1/session/panel", LKG.country, URIRef(f"{ID}country/AUT")
    )
    online = f"{ID}event/conf-2020/session/2"
    assert not holds(pipeline, online, LKG.city, vienna), "an online session takes place nowhere"
    elsewhere = f"{ID}event/conf-2020/session/3"
    assert holds(pipeline, elsewhere, LKG.country, URIRef(f"{ID}country/CHE"))
    assert not holds(pipeline, elsewhere, LKG.country, URIRef(f"{ID}country/AUT"))


def test_a_session_takes_the_place_its_event_is_given_by_a_later_source(pipeline: Pipeline) -> None:
    assert ingest(pipeline, "placeless-conference.ttl") == ["committed"]
    session = f"{ID}event/conf-2021/session/1"
    assert not holds(pipeline, session, LKG.country, URIRef(f"{ID}country/AUT"))
    # A new source about the event alone: the session's place follows all the same.
    assert ingest(pipeline, "conference-venue.ttl") == ["committed"]
    assert holds(pipeline, session, LKG.city, URIRef("https://sws.geonames.org/2761369/"))
    assert holds(pipeline, session, LKG.country, URIRef(f"{ID}country/AUT"))
    assert_as_fresh(pipeline)


@pytest.mark.parametrize(
    ("where", "read"),
    [
        ("?s ex:a ?o . ?o ex:b ?x", {"a", "b"}),
        ("?s ^ex:a/ex:b* ?o FILTER NOT EXISTS { ?o ex:c|ex:d ?x }", {"a", "b", "c", "d"}),
        ("?s ex:a ?o OPTIONAL { ?o ?p ?x }", None),  # any property
        ("?s !ex:a ?o", None),  # any property but one
    ],
)
def test_a_default_rule_reads_the_properties_of_its_patterns(where: str, read: set[str] | None) -> None:
    query = f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ex:concluded ?o }} WHERE {{ {where} }}"
    found = properties_read(prepareQuery(query).algebra)
    assert found == (None if read is None else {URIRef(EX + name) for name in read})


def test_a_default_rule_rdflib_cannot_parse_is_taken_to_read_any_property(tmp_path: Path) -> None:
    rule = tmp_path / "lateral.rq"
    rule.write_text(f"CONSTRUCT {{ ?s <{EX}c> ?o }} WHERE {{ ?s <{EX}a> ?x LATERAL {{ ?x <{EX}b> ?o }} }}")
    assert DefaultRule.read(rule).reads is None


def test_the_reasoner_is_made_once_for_a_store(pipeline: Pipeline, tmp_path: Path) -> None:
    first = pipeline.reasoner
    assert pipeline.reasoner is first, "its rules are read and indexed once"
    kept = pipeline.store
    pipeline.store = EmbeddedStore(tmp_path / "other", pipeline.iris)
    try:
        assert pipeline.reasoner is not first and pipeline.reasoner.store is pipeline.store
    finally:
        pipeline.store.close()
        pipeline.store = kept


def test_involving_a_unit_involves_its_organization(pipeline: Pipeline) -> None:
    ingest(pipeline, "unit-and-protocol.ttl")
    event = f"{ID}event/workshop-2021"
    assert holds(pipeline, event, LKG.involves, URIRef(f"{ID}agency/unodc-gfp"))
    assert holds(pipeline, event, LKG.involves, URIRef(f"{ID}agency/unodc"))


def test_addressing_a_target_or_indicator_addresses_its_goal(pipeline: Pipeline) -> None:
    ingest(pipeline, "unit-and-protocol.ttl")
    event = f"{ID}event/workshop-2021"
    assert holds(pipeline, event, LKG.addresses, URIRef(f"{SDG}16.4"))
    assert holds(pipeline, event, LKG.addresses, URIRef(f"{SDG}16"))


def test_covering_a_protocol_concerns_its_convention_but_does_not_cover_it(pipeline: Pipeline) -> None:
    ingest(pipeline, "unit-and-protocol.ttl")
    event = f"{ID}event/workshop-2021"
    untoc = URIRef(f"{ID}instrument/untoc")
    assert holds(pipeline, event, LKG.concerns, untoc)
    assert holds(pipeline, event, LKG.concerns, URIRef(f"{ID}instrument/firearms-protocol"))
    assert not holds(pipeline, event, LKG.covers, untoc)


@pytest.mark.parametrize(
    ("name", "axiom", "sources"),
    [
        ("clash-disjoint.ttl", "lkg:Event owl:disjointWith lkg:Agency", ["clash-disjoint.ttl"]),
        (
            "clash-functional.ttl",
            "lkg:startDate a owl:FunctionalProperty",
            ["clash-functional.ttl", "conference.ttl"],
        ),
    ],
)
def test_a_source_that_brings_a_clash_is_quarantined(
    pipeline: Pipeline, name: str, axiom: str, sources: list[str]
) -> None:
    ingest(pipeline, "conference.ttl")
    before = inferred(pipeline), pipeline.store.count()  # type: ignore[union-attr]
    outcome = pipeline.ingest([DATA / name]).outcomes[0]
    assert outcome.status == "quarantined"
    assert outcome.message is not None and axiom in outcome.message
    for source in sources:
        assert source in outcome.message, "the report names the sources the clash comes from"
    assert (inferred(pipeline), pipeline.store.count()) == before  # type: ignore[union-attr]


def test_sources_that_clash_in_one_ingest_are_told_apart(pipeline: Pipeline) -> None:
    # Committed together as one batch they would clash; the clash goes to the one that brings it.
    summary = pipeline.ingest([DATA / "conference.ttl", DATA / "clash-functional.ttl"])
    assert [o.status for o in summary.outcomes] == ["committed", "quarantined"]
    message = summary.outcomes[1].message
    assert message is not None and "clash-functional.ttl" in message and "conference.ttl" in message
    assert pipeline.reasoner.up_to_date()
    assert list(pipeline.store.sources()) == ["conference.ttl"]  # type: ignore[union-attr]
    # The batch's graphs were written while its inferences were worked out: gone with the clash.
    graphs = {g for g in pipeline.store.graphs() if pipeline.iris.is_source_graph(str(g))}  # type: ignore[union-attr]
    assert graphs == set(pipeline.store.sources().values())  # type: ignore[union-attr]


def test_reason_keeps_the_previous_inferred_graphs_on_a_clash(pipeline: Pipeline) -> None:
    ingest(pipeline, "conference.ttl")
    before = inferred(pipeline)
    pipeline.ingest([DATA / "clash-functional.ttl"], reason=False)
    clashes = pipeline.reason()
    assert [c.axiom for c in clashes] == ["lkg:startDate a owl:FunctionalProperty"]
    assert inferred(pipeline) == before


def test_removing_a_source_removes_what_only_it_supported(pipeline: Pipeline) -> None:
    ingest(pipeline, "unit-and-protocol.ttl", "conference.ttl")
    untoc = URIRef(f"{ID}instrument/untoc")
    assert holds(pipeline, f"{ID}event/workshop-2021", LKG.concerns, untoc)
    pipeline.remove(["unit-and-protocol.ttl"])
    assert not holds(pipeline, f"{ID}event/workshop-2021", LKG.concerns, untoc)
    assert_as_fresh(pipeline)


def test_a_replaced_source_leaves_the_inferences_of_its_new_version(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    ingest(pipeline, "conference.ttl")
    changed = tmp_path / "conference.ttl"
    text = (DATA / "conference.ttl").read_text(encoding="utf-8")
    shutil.copy(DATA / "conference.ttl", changed)
    without_att = text.replace(" ;\n    lkg:covers instrument:att .", " .")
    assert without_att != text
    changed.write_text(without_att, encoding="utf-8")
    assert [o.status for o in pipeline.ingest([changed]).outcomes] == ["replaced"]
    assert not holds(pipeline, f"{ID}event/conf-2020", LKG.covers, URIRef(f"{ID}instrument/att"))
    assert holds(pipeline, f"{ID}event/conf-2020", LKG.covers, URIRef(f"{ID}instrument/poa"))
    assert_as_fresh(pipeline)


def test_the_catalogue_keeps_every_source_through_replacements_and_removals(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    # Reasoning a source away reads the store without the catalogue: it must not drop it.
    ingest(pipeline, "unit-and-protocol.ttl", "conference.ttl")
    assert pipeline.store is not None
    unit = pipeline.store.sources()["unit-and-protocol.ttl"]
    changed = tmp_path / "conference.ttl"
    changed.write_text(
        (DATA / "conference.ttl").read_text(encoding="utf-8").replace(" ;\n    lkg:covers instrument:att .", " ."),
        encoding="utf-8",
    )
    (outcome,) = pipeline.ingest([changed]).outcomes
    assert outcome.status == "replaced"
    assert pipeline.store.sources() == {"unit-and-protocol.ttl": unit, "conference.ttl": outcome.graph}
    pipeline.remove(["unit-and-protocol.ttl"])
    assert pipeline.store.sources() == {"conference.ttl": outcome.graph}
    assert [o.status for o in pipeline.ingest([changed]).outcomes] == ["unchanged"]
    assert_as_fresh(pipeline)


def test_a_version_of_a_source_comes_back_in_the_same_ingest(pipeline: Pipeline, tmp_path: Path) -> None:
    # Three files of one name, the third with the bytes of the first: the store holds the
    # first version again, not the second (the first's graph went when it was replaced).
    text = (DATA / "conference.ttl").read_text(encoding="utf-8")
    versions = [text, text.replace(" ;\n    lkg:covers instrument:att .", " ."), text]
    assert versions[1] != text
    for n, version in enumerate(versions):
        (tmp_path / str(n)).mkdir()
        (tmp_path / str(n) / "conference.ttl").write_text(version, encoding="utf-8")
    outcomes = pipeline.ingest([tmp_path / str(n) for n in range(3)]).outcomes
    assert [o.status for o in outcomes] == ["committed", "replaced", "replaced"]
    assert outcomes[2].graph == outcomes[0].graph
    assert holds(pipeline, f"{ID}event/conf-2020", LKG.covers, URIRef(f"{ID}instrument/att"))
    assert_as_fresh(pipeline)


def normalised(graph: Graph | set[tuple[Node, Node, Node]]) -> Graph:
    # Oxigraph keeps xsd:nonNegativeInteger as xsd:integer; Virtuoso keeps it as written.
    same = Graph()
    for s, p, o in graph:
        same.add((s, p, Literal(int(o)) if isinstance(o, Literal) and type(o.value) is int else o))
    return same


def assert_same(remote: Pipeline, embedded: Pipeline) -> None:
    """The same graphs, each by name (blank nodes matched), the same inferences and catalogue."""
    there, here = remote.store, embedded.store
    assert there is not None and here is not None
    assert remote.asserted_graphs() == embedded.asserted_graphs()
    for name in embedded.asserted_graphs():
        assert isomorphic(normalised(there.graph(name)), normalised(here.graph(name))), name
    assert isomorphic(normalised(inferred(remote)), normalised(inferred(embedded))), "the same inferences"
    assert there.sources() == here.sources()
    assert remote.reasoner.up_to_date() and embedded.reasoner.up_to_date()


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_the_gate_and_the_reasoner_do_the_same_on_a_server(
    request: pytest.FixtureRequest, kind: str, pipeline: Pipeline, tmp_path: Path
) -> None:
    server = open_remote(request, kind)
    remote = Pipeline(make_settings(tmp_path / "remote", store=server.location), server)
    remote.install_model()
    remote.reason()
    files = [
        DATA / n
        for n in ("conference.ttl", "unit-and-protocol.ttl", "clash-disjoint.ttl", "clash-functional.ttl")
    ]
    files.append(SAMPLE)
    here, there = pipeline.ingest(files).outcomes, remote.ingest(files).outcomes
    assert (
        [o.status for o in there]
        == [o.status for o in here]
        == [
            "committed",
            "committed",
            "quarantined",
            "quarantined",
            "committed",
        ]
    )
    assert [o.message for o in there] == [o.message for o in here], "the same reports"
    assert sorted(p.name for p in remote.quarantine.entries()) == sorted(
        p.name for p in pipeline.quarantine.entries()
    )
    assert_same(remote, pipeline)
    pipeline.remove(["unit-and-protocol.ttl"])
    remote.remove(["unit-and-protocol.ttl"])
    assert_same(remote, pipeline)  # after a source leaves
    assert remote.reason() == []
    assert_same(remote, pipeline)  # and afresh
