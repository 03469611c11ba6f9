"""The ontology: every term documented, and its OWL 2 RL closure with the reference data consistent."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from legalkg import assets
from legalkg.namespaces import LKG

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology(repo_assets: assets.Assets) -> Graph:
    return assets.load_turtle(repo_assets.ontology_file)


def declared_terms(ontology: Graph) -> list[URIRef]:
    return sorted({s for kind in KINDS for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)})


def test_every_term_has_an_english_label_and_comment(ontology: Graph) -> None:
    terms = declared_terms(ontology)
    assert len(terms) > 60
    missing = [
        str(t)
        for t in terms
        if not any(getattr(o, "language", None) == "en" for o in ontology.objects(t, RDFS.label))
        or not any(getattr(o, "language", None) == "en" for o in ontology.objects(t, RDFS.comment))
    ]
    assert not missing, f"terms without an English label and comment: {missing}"


def test_the_core_the_design_names(ontology: Graph) -> None:
    for cls in (
        "Event",
        "Conference",
        "Meeting",
        "Workshop",
        "Training",
        "Seminar",
        "Session",
        "Agency",
        "Unit",
        "Programme",
        "Country",
        "City",
        "LegalInstrument",
        "LegallyBindingInstrument",
        "PoliticallyBindingInstrument",
        "GlobalInstrument",
        "RegionalInstrument",
        "Topic",
        "SourceDocument",
        "Evidence",
    ):
        assert (LKG[cls], RDF.type, OWL.Class) in ontology, cls
    assert (LKG.partOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert (LKG.partOf, OWL.inverseOf, LKG.hasPart) in ontology
    assert (LKG.Session, RDFS.subClassOf, LKG.Event) in ontology


@pytest.mark.parametrize(
    ("term", "aligned_to"),
    [
        (LKG.Event, "https://schema.org/Event"),
        (LKG.Agency, "http://www.w3.org/ns/org#Organization"),
        (LKG.SourceDocument, "http://www.w3.org/ns/prov#Entity"),
        (LKG.Evidence, "http://www.w3.org/ns/oa#Annotation"),
        (LKG.LegalInstrument, "http://data.europa.eu/eli/ontology#LegalResource"),
        (LKG.Topic, "http://www.w3.org/2004/02/skos/core#Concept"),
        (LKG.topic, "http://purl.org/dc/terms/subject"),
    ],
)
def test_aligned_to_standard_vocabularies(ontology: Graph, term: URIRef, aligned_to: str) -> None:
    linked = set(ontology.objects(term, RDFS.subClassOf)) | set(ontology.objects(term, RDFS.subPropertyOf))
    assert URIRef(aligned_to) in linked


def test_owl_rl_closure_with_the_reference_data_is_consistent(
    ontology: Graph, reference_graph: Graph
) -> None:
    import owlrl

    graph = Graph()
    graph += ontology
    graph += reference_graph
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    nothing = [s for s in graph.subjects(RDF.type, OWL.Nothing) if s != OWL.Nothing]
    assert not nothing, f"owl:Nothing members: {nothing[:5]}"
    # owlrl reports a clash as an error triple on the graph's own namespace.
    errors = [o for o in graph.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))]
    assert not errors, errors[:5]
