"""The compiled gate decides as pyshacl does: the same nodes break the shapes, on every case
of tests/data/shapes and on generated reports, as loaded and with mistakes put in them."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, XSD
from rdflib.term import Node

from legalkg.compiled_gate import CompiledGate, UnsupportedShape
from legalkg.generator import Vocabulary, generate
from legalkg.loaders import open_source
from legalkg.namespaces import LKG
from legalkg.pipeline import Pipeline
from legalkg.validation import validate

from .conftest import REPO, make_settings

CASES = sorted((REPO / "tests" / "data" / "shapes").glob("*.ttl"))


@cache
def pipeline() -> Pipeline:
    return Pipeline(make_settings(Path("/nonexistent")), None)


@cache
def gate(known: str) -> CompiledGate:
    """The gate with what every candidate is validated with: the ontology alone (as the shape
    cases are written), or with the reference entities' types (as the pipeline validates)."""
    return CompiledGate(pipeline().shapes, known=known_graph(known))


def known_graph(known: str) -> Graph:
    return pipeline().ontology if known == "ontology" else pipeline().known_types


def pyshacl_breaking(candidate: Graph, context: Graph) -> tuple[set[Node], set[Node]]:
    """The nodes pyshacl finds a violation on, and those it finds anything on."""
    focus = {s for s in candidate.subjects() if isinstance(s, URIRef)}
    report = validate(candidate, shapes=pipeline().shapes, context=context, focus=focus)
    return {r.focus for r in report.violations}, {r.focus for r in report.results}


def assert_same(candidate: Graph, context: Graph, known: str, what: object) -> set[Node]:
    """Both gates give the same answer on ``candidate``, with ``context`` beside what is known."""
    everything = Graph()
    everything += known_graph(known)
    everything += context
    violations, anything = pyshacl_breaking(candidate, everything)
    compiled = gate(known)
    assert compiled.violating([candidate, context], candidate.subjects()) == violations, what
    assert compiled.violating([candidate, context], candidate.subjects(), strict=True) == anything, what
    return violations


def split_case(path: Path) -> tuple[Graph, Graph]:
    """A case as test_shapes reads it: the nodes it gives only a type are context."""
    graph = Graph().parse(path)
    described = {s for s in graph.subjects() if any(p != RDF.type for p in graph.predicates(s))}
    candidate, context = Graph(), Graph()
    for triple in graph:
        (candidate if triple[0] in described else context).add(triple)
    return candidate, context


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_same_nodes_break_the_shapes_as_with_pyshacl(path: Path) -> None:
    candidate, context = split_case(path)
    violations = assert_same(candidate, context, "ontology", path.name)
    if path.name.startswith("invalid-") and "# severity: sh:Warning" not in path.read_text():
        assert violations, "the case breaks a shape"


def mutants(candidate: Graph, rng: random.Random, count: int) -> list[tuple[str, Graph]]:
    """``candidate`` with one mistake each: a triple dropped, added or its object swapped."""
    triples = sorted(candidate, key=str)
    objects = sorted({o for _, _, o in triples}, key=str)
    found = []
    for _ in range(count):
        graph = Graph()
        graph += candidate
        kind = rng.choice(["drop", "add", "swap"])
        s, p, o = rng.choice(triples)
        if kind in ("drop", "swap"):
            graph.remove((s, p, o))
        if kind in ("add", "swap"):
            graph.add((s, p, rng.choice(objects)))
        found.append((f"{kind} {p}", graph))
    return found


def test_generated_reports_and_their_mistakes_break_the_same_nodes(tmp_path: Path) -> None:
    pipe = pipeline()
    vocabulary = Vocabulary.from_reference(pipe.reference, pipe.load_context.gazetteer)
    rng = random.Random(7)
    broken = 0
    for report in generate(15, 21, vocabulary):
        path = tmp_path / report.name
        path.write_text(report.text, encoding="utf-8")
        loader, source = open_source(path)
        candidate = loader.load(source, pipe.load_context).candidate()
        for what, graph in [("as loaded", candidate), *mutants(candidate, rng, 4)]:
            broken += bool(assert_same(graph, Graph(), "reference", (report.name, what)))
    assert broken > 15, "enough of the mistakes break a shape for the comparison to mean something"


def test_a_class_the_candidate_makes_a_subclass_counts_as_its_superclass(tmp_path: Path) -> None:
    # The gate works out each node's classes from the known hierarchy; a candidate that adds to
    # it (here: its sentences are of a class it declares a subclass of lkg:Sentence) must be
    # judged with its own hierarchy, as pyshacl does.
    pipe = pipeline()
    vocabulary = Vocabulary.from_reference(pipe.reference, pipe.load_context.gazetteer)
    report = next(iter(generate(1, 5, vocabulary)))
    path = tmp_path / report.name
    path.write_text(report.text, encoding="utf-8")
    loader, source = open_source(path)
    candidate = loader.load(source, pipe.load_context).candidate()
    subclass = URIRef("urn:example:ReportedSentence")
    for sentence in list(candidate.subjects(RDF.type, LKG.Sentence)):
        candidate.remove((sentence, RDF.type, LKG.Sentence))
        candidate.add((sentence, RDF.type, subclass))
    assert assert_same(candidate, Graph(), "reference", "sentences of an unknown class")
    candidate.add((subclass, RDFS.subClassOf, LKG.Sentence))
    assert not assert_same(candidate, Graph(), "reference", "sentences of a subclass of lkg:Sentence")


def test_a_literal_not_of_its_datatype_is_left_to_pyshacl() -> None:
    candidate, context = split_case(REPO / "tests" / "data" / "shapes" / "valid-event-conference.ttl")
    event = next(candidate.subjects(RDF.type, URIRef("https://w3id.org/legalkg/ontology#Conference")))
    candidate.set(
        (
            event,
            URIRef("https://w3id.org/legalkg/ontology#startDate"),
            Literal("2019-13-45", datatype=XSD.date),
        )
    )
    assert gate("ontology").violating([candidate, context], candidate.subjects()) is None
    everything = Graph()
    everything += pipeline().ontology
    everything += context
    assert event in pyshacl_breaking(candidate, everything)[0]
    report = pipeline().check(candidate)
    assert not report.passes() and any("start date" in r.message for r in report.violations)


def test_shapes_it_cannot_translate_do_not_compile() -> None:
    shapes = Graph()
    shape = URIRef("urn:shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, URIRef("urn:C")))
    shapes.add((shape, SH.closed, Literal(True)))
    with pytest.raises(UnsupportedShape, match="closed"):
        CompiledGate(shapes)
