"""The SHACL shapes (shapes/*.ttl): valid data passes, each invalid case fails as it says it does.

Test cases live in tests/data/shapes/:

- ``valid-<shape>-<case>.ttl`` must conform;
- ``invalid-<shape>-<case>.ttl`` must not, and starts with comment lines that say how:
  ``# breaks: sh:XConstraintComponent`` (the component of the result the case is about),
  optionally ``# also: sh:YConstraintComponent`` (a component the same mistake also breaks),
  ``# focus: <iri>`` (the node the result is about) and ``# severity: sh:Warning``;
- ``valid-source-*.ttl`` are loader output, checked with the reference context they point to.

``<shape>`` is the local name of the shape without "Shape", in lower case (``lksh:EventShape`` ->
``event``, ``lksh:ReviewedAgencyShape`` -> ``reviewedagency``).

How a case file is validated, as the pipeline validates a source graph (src/legalkg/validation.py):
the data graph is the file plus the ontology (for rdfs:subClassOf), inference "none",
advanced=True. A node that appears in the file only with an ``rdf:type`` is context (a reference
entity the case points to, as the pipeline adds them); every other subject of the file is
described by the case, and only described nodes are checked. Two ways are used to keep to them:

- ``focus_nodes`` (what the pipeline does), for the valid cases and the warning cases;
- the whole graph, keeping the results whose focus node is described, for the violation cases
  (and as a second check of the loader output). pyshacl 0.40.1 also filters by ``focus_nodes``
  the nodes that nested shapes (sh:or, sh:xone, sh:qualifiedValueShape) are evaluated on, so
  with ``focus_nodes`` an sh:or about a value that is not itself a focus node (a literal label,
  a reference agency as funder) passes without being checked; validating the whole graph checks
  it. A violation case must break what its header says and nothing else, so every violation case
  also shows that the nested constraints accept the valid values it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.term import Node

REPO = Path(__file__).resolve().parents[1]
SHAPES_DIR = REPO / "shapes"
CASES_DIR = REPO / "tests" / "data" / "shapes"
ONTOLOGY = REPO / "ontology" / "legalkg.ttl"
REFERENCE_DIR = REPO / "data" / "reference"

LKG = Namespace("https://w3id.org/legalkg/ontology#")
LKSH = Namespace("https://w3id.org/legalkg/shapes#")

SHAPES_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
SOURCE_CASES = sorted(CASES_DIR.glob("valid-source-*.ttl"))
VALID_CASES = sorted(set(CASES_DIR.glob("valid-*.ttl")) - set(SOURCE_CASES))
INVALID_CASES = sorted(CASES_DIR.glob("invalid-*.ttl"))


def ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


# ---------------------------------------------------------------------------------------------
# Graphs, parsed once
# ---------------------------------------------------------------------------------------------


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPES_FILES:
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@cache
def reference() -> Graph:
    graph = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def shacl_shacl() -> Graph:
    """The W3C SHACL-SHACL shapes graph (shapes for shapes), as pyshacl ships it."""
    source = resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    with resources.as_file(source) as path:
        return Graph().parse(path, format="turtle")


def with_ontology(*graphs: Graph) -> Graph:
    data = Graph()
    data += ontology()
    for graph in graphs:
        data += graph
    return data


# ---------------------------------------------------------------------------------------------
# Validation and reports
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def parse_each_query_once() -> Iterator[None]:
    """Let rdflib parse each SPARQL text once in this module, not once per focus node.

    pyshacl evaluates a SPARQL-based constraint (and a SPARQL target) by handing rdflib the same
    query text for every focus node, and rdflib parses and translates it every time (some 10 to
    30 ms; two thirds of this module's time). Parsing is a function of the text alone, and a
    translated query is made to be evaluated many times (rdflib's prepared queries), so the
    results are the same; only the time changes. The patch is undone after the module.
    """
    original = SPARQLProcessor.query
    prepared: dict[tuple[object, ...], object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SPARQLProcessor, "query", query)
        yield


def validate(data: Graph, *, focus: list[URIRef] | None = None, allow_warnings: bool = False):
    """pyshacl as the pipeline calls it; returns (conforms, report graph, report text)."""
    return pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        inplace=True,  # as the pipeline: no inference, no rules, so the data is not changed
        allow_warnings=allow_warnings,
        focus_nodes=focus,
    )


def results(report: Graph) -> list[dict[str, Node | None]]:
    return [
        {
            "focus": report.value(r, SH.focusNode),
            "component": report.value(r, SH.sourceConstraintComponent),
            "severity": report.value(r, SH.resultSeverity),
            "path": report.value(r, SH.resultPath),
            "value": report.value(r, SH.value),
            "message": report.value(r, SH.resultMessage),
        }
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def show(found: list[dict[str, Node | None]]) -> str:
    return (
        "\n".join(
            f"  {_short(r['severity'])} {_short(r['component'])} on <{r['focus']}>"
            f" path {_short(r['path'])} value {r['value']}: {r['message']}"
            for r in found
        )
        or "  (no results)"
    )


def _short(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1] if node is not None else "-"


def described(graph: Graph) -> list[URIRef]:
    """The IRIs a case file says something about beyond a type (type-only nodes are context)."""
    return sorted({s for s, p in graph.subject_predicates() if isinstance(s, URIRef) and p != RDF.type})


def results_on(data: Graph, nodes: set[Node]) -> list[dict[str, Node | None]]:
    """The results on ``nodes`` when the whole data graph is validated (nested shapes included)."""
    _, report, _ = validate(data)
    return [r for r in results(report) if r["focus"] in nodes]


def header(path: Path) -> dict[str, list[str]]:
    """The ``# key: value`` lines at the top of a case file."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*(breaks|also|focus|severity):\s*(\S+)\s*$", line)
        if match:
            found.setdefault(match.group(1), []).append(match.group(2))
    return found


def expand(curie: str) -> URIRef:
    if curie.startswith("sh:"):
        return SH[curie[3:]]
    return URIRef(curie.strip("<>"))


# ---------------------------------------------------------------------------------------------
# The shapes themselves
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHAPES_FILES, ids=ids(SHAPES_FILES))
def test_shapes_file_is_valid_shacl(path: Path) -> None:
    """Each shapes file conforms to the W3C SHACL-SHACL shapes (SHACL's shapes for shapes)."""
    graph = Graph().parse(path, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shacl_shacl(), inference="none", inplace=True)
    assert conforms, text


def node_shapes() -> list[URIRef]:
    return sorted(s for s in shapes_graph().subjects(RDF.type, SH.NodeShape) if str(s).startswith(str(LKSH)))


def case_name(shape: URIRef) -> str:
    return str(shape)[len(str(LKSH)) :].removesuffix("Shape").lower()


def test_every_shape_is_named_and_every_property_shape_speaks() -> None:
    graph = shapes_graph()
    problems = []
    for shape in node_shapes():
        if graph.value(shape, RDFS.label) is None and graph.value(shape, SH.name) is None:
            problems.append(f"{shape} has no rdfs:label or sh:name")
        if graph.value(shape, RDFS.comment) is None:
            problems.append(f"{shape} has no rdfs:comment")
    for prop in set(graph.objects(None, SH.property)):
        if graph.value(prop, SH.name) is None:
            problems.append(f"a property shape on {graph.value(prop, SH.path)} has no sh:name")
        if graph.value(prop, SH.message) is None:
            problems.append(f"a property shape on {graph.value(prop, SH.path)} has no sh:message")
    assert not problems, "\n".join(problems)


def test_every_shape_has_valid_and_invalid_cases() -> None:
    shapes = node_shapes()
    assert len(shapes) >= 20
    missing = []
    for shape in shapes:
        name = case_name(shape)
        for kind in ("valid", "invalid"):
            if not list(CASES_DIR.glob(f"{kind}-{name}-*.ttl")):
                missing.append(f"{kind}-{name}-*.ttl (for {shape})")
    assert not missing, "no test case: " + ", ".join(missing)


def test_every_case_names_a_shape() -> None:
    names = {case_name(shape) for shape in node_shapes()} | {"source"}
    strays = [
        path.name
        for path in VALID_CASES + INVALID_CASES + SOURCE_CASES
        if path.stem.split("-")[1] not in names
    ]
    assert not strays, f"case files named after no shape: {strays}"


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID_CASES, ids=ids(VALID_CASES))
def test_valid_case_conforms(path: Path) -> None:
    case = Graph().parse(path, format="turtle")
    data = with_ontology(case)
    focus = described(case)
    assert focus, f"{path.name} describes no node"
    conforms, _, text = validate(data, focus=focus)
    assert conforms, text


@pytest.mark.parametrize("path", INVALID_CASES, ids=ids(INVALID_CASES))
def test_invalid_case_fails_as_it_says(path: Path) -> None:
    meta = header(path)
    assert meta.get("breaks"), f"{path.name} has no '# breaks:' line"
    breaks = {expand(c) for c in meta["breaks"]}
    allowed = breaks | {expand(c) for c in meta.get("also", [])}
    focus_iris = {expand(f) for f in meta.get("focus", [])}
    warning = meta.get("severity") == ["sh:Warning"]

    case = Graph().parse(path, format="turtle")
    data = with_ontology(case)
    nodes = set(described(case)) | focus_iris

    if warning:
        # The pipeline's call: conforms when warnings are allowed, and reports the warning.
        conforms, report, text = validate(data, focus=sorted(nodes), allow_warnings=True)
        assert conforms, text
        found = results(report)
        assert all(r["severity"] == SH.Warning for r in found), show(found)
    else:
        conforms, report, text = validate(data)
        assert not conforms, f"{path.name} conforms"
        found = [r for r in results(report) if r["focus"] in nodes]
        assert all(r["severity"] == SH.Violation for r in found), show(found)

    hits = [r for r in found if r["component"] in breaks]
    assert hits, f"{path.name}: no result of {sorted(breaks)}:\n{show(found)}"
    if focus_iris:
        assert any(r["focus"] in focus_iris for r in hits), (
            f"{path.name}: no result of {sorted(breaks)} on {sorted(focus_iris)}:\n{show(found)}"
        )
    # The case breaks what it says and nothing else (so it proves that constraint fires).
    others = [r for r in found if r["component"] not in allowed]
    assert not others, f"{path.name} also breaks:\n{show(others)}"


# ---------------------------------------------------------------------------------------------
# Loader output and reference data
# ---------------------------------------------------------------------------------------------


def reference_context(graph: Graph) -> Graph:
    """The rdf:type triples of the reference entities ``graph`` points to, and of every country.

    For every object IRI of ``graph`` that is a subject of the reference data, its rdf:type
    triples. The pipeline hands the validator the types of every reference entity
    (Pipeline.known_types); of those beyond the ones pointed to, only the countries change a
    result: lkg:participantCountryCount is compared with the number of lkg:Country nodes.
    """
    ref = reference()
    context = Graph()
    for obj in set(graph.objects()):
        if isinstance(obj, URIRef):
            for cls in ref.objects(obj, RDF.type):
                context.add((obj, RDF.type, cls))
    for country in ref.subjects(RDF.type, LKG.Country):
        context.add((country, RDF.type, LKG.Country))
    return context


@pytest.mark.parametrize("path", SOURCE_CASES, ids=ids(SOURCE_CASES))
def test_loader_output_conforms(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    data = with_ontology(graph, reference_context(graph))
    focus = sorted({s for s in graph.subjects() if isinstance(s, URIRef)})
    conforms, _, text = validate(data, focus=focus)
    assert conforms, text
    found = results_on(data, set(focus))
    assert not found, f"{path.name}, whole graph validated:\n{show(found)}"


def test_reference_data_conforms() -> None:
    conforms, _, text = validate(with_ontology(reference()))
    assert conforms, text
