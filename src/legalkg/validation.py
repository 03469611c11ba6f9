"""The SHACL gate: does a candidate graph conform to the shapes?

``validate`` checks one source's graph together with the context it is handed (the ontology,
for the class hierarchy, and the types of the entities the graph points to), focusing on the
source's own nodes: what it costs depends on the source, not on the size of the store.
Non-conformance is a result (a :class:`ValidationReport`), not an exception.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from legalkg.namespaces import LKG, OA

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    """One thing a shape found wrong, said so that a person can act on it."""

    focus: Node
    focus_label: str | None
    path: Node | None
    value: Node | None
    message: str
    severity: str
    shape: Node | None
    component: Node | None
    sentence: str | None = None
    line: int | None = None  # in the RDF file the triple came from, where its format says

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "focus": str(self.focus),
            "focus_label": self.focus_label,
            "path": str(self.path) if self.path is not None else None,
            "value": str(self.value) if self.value is not None else None,
            "message": self.message,
            "severity": self.severity,
            "shape": str(self.shape) if isinstance(self.shape, URIRef) else None,
            "constraint": str(self.component) if self.component is not None else None,
            "sentence": self.sentence,
            "line": self.line,
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph; not changed once made (one report of a graph with
    nothing wrong serves every such graph)."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "violation"]

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the graph may be committed: no violation, and no warning when strict."""
        return not self.violations and not (strict and self.warnings)

    def by_node(self) -> dict[Node, list[ValidationResult]]:
        grouped: dict[Node, list[ValidationResult]] = defaultdict(list)
        for result in self.results:
            grouped[result.focus].append(result)
        return dict(sorted(grouped.items(), key=lambda item: str(item[0])))

    def to_text(self, name: str = "") -> str:
        """A report for a person: results grouped by node, sorted, counted."""
        head = f"{name}: " if name else ""
        if not self.results:
            return f"{head}conforms"
        lines = [
            f"{head}{len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
            f"on {len(self.by_node())} node(s)"
        ]
        for node, results in self.by_node().items():
            label = results[0].focus_label
            lines.append(f"  {label!r} <{node}>" if label else f"  <{node}>")
            for r in sorted(results, key=lambda r: (r.severity, str(r.path), r.message)):
                path = _short(r.path) if r.path is not None else "(the node itself)"
                value = f" value {_show(r.value)}" if r.value is not None else ""
                where = f" (line {r.line})" if r.line is not None else ""
                shape = f" [shape {_short(r.shape)}]" if isinstance(r.shape, URIRef) else ""
                lines.append(f"    {r.severity}: {path}{value}{where}: {r.message}{shape}")
                if r.sentence:
                    lines.append(f'      from the sentence: "{r.sentence}"')
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "results": [r.as_dict() for r in self.results],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def _short(node: Node | None) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            return text.rsplit(sep, 1)[-1] or text
    return text


def _show(node: Node | None) -> str:
    if isinstance(node, Literal):
        return f'"{node}"'
    return f"<{node}>"


@functools.lru_cache(maxsize=8)
def _shapes(paths: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def load_shapes(paths: Iterable[Path]) -> Graph:
    """The shapes graph of some shapes files (parsed once per process)."""
    return _shapes(tuple(sorted(paths)))


def validate(
    candidate: Graph,
    *,
    shapes: Graph,
    context: Graph,
    focus: Iterable[Node] | None = None,
) -> ValidationReport:
    """Validate ``candidate`` with ``context`` (ontology and referenced entities' types) mixed in.

    Only the candidate's own subjects (or ``focus`` when given) are validated: the context is
    there to answer the candidate's questions (is this IRI a country?), not to be checked again.
    """
    data = _PreparedQueriesGraph()
    for triple in context:
        data.add(triple)
    for triple in candidate:
        data.add(triple)
    wanted = {s for s in (focus if focus is not None else candidate.subjects()) if isinstance(s, URIRef)}
    if not wanted:
        return ValidationReport(conforms=True)
    report_graph = _validate_targets(data, shapes, wanted)
    results = [r for r in _results(report_graph, data) if r.focus in wanted]
    return ValidationReport(conforms=not results, results=results, graph=_report_graph(report_graph, wanted))


def _validate_targets(data: Graph, shapes: Graph, wanted: set[URIRef]) -> Graph:
    """pyshacl's validation of the shapes' targets that are among ``wanted``, as a report graph.

    This is pyshacl's own run, with one difference: each shape's targets are cut to the wanted
    nodes before it is evaluated. The context's entities are targets too (a country in the
    context is a lkg:Country), and checking them again on every source cost most of the time.
    pyshacl's focus-node option cannot do this: it also drops the values (literals, blank
    nodes) that nested shapes (sh:or, sh:node) are evaluated on.
    """
    from pyshacl import Validator
    from pyshacl.functions import apply_functions, gather_functions, unapply_functions
    from pyshacl.graph_abstraction import DataGraph
    from pyshacl.target import apply_target_types, gather_target_types

    graph = DataGraph.from_rdflib(data)
    validator = Validator(
        graph,
        shacl_graph=shapes,
        options={"inference": "none", "advanced": True, "inplace": True, "allow_warnings": True},
    )
    executor = validator.make_executor()
    apply_target_types(gather_target_types(validator.shacl_graph))  # SPARQL-based targets
    functions = gather_functions(executor, validator.shacl_graph)
    apply_functions(executor, functions, graph)
    shapes_found = validator.shacl_graph.shapes
    for shape in shapes_found:
        shape.set_advanced(True)
    conforms, reports = True, []
    try:
        for shape in shapes_found:
            targets = [n for n in shape.focus_nodes(graph) if n in wanted]
            if targets:
                shape_conforms, shape_reports = shape.validate(executor, graph, focus=targets)
                conforms = conforms and shape_conforms
                reports.extend(shape_reports)
    finally:
        unapply_functions(functions, graph)
    report: Graph = validator.create_validation_report(validator.shacl_graph, conforms, reports)[0]
    return report


_PREPARED: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}


class _PreparedQueriesGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl evaluates a SPARQL-based constraint by handing the same query text to the data
    graph for every focus node, and rdflib parses and translates it every time (most of the
    time a validation takes). A translated query is made to be evaluated many times, so the
    results are the same.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            from rdflib.plugins.sparql import prepareQuery

            namespaces = kwargs.get("initNs") or {}
            key = (query_object, tuple(sorted((str(k), str(v)) for k, v in namespaces.items())))
            if key not in _PREPARED:
                _PREPARED[key] = prepareQuery(query_object, initNs=dict(namespaces))
            query_object = _PREPARED[key]
        return super().query(query_object, *args, **kwargs)


@functools.cache
def conforming_report() -> ValidationReport:
    """The report of a graph with nothing wrong: no result, and a sh:ValidationReport that says
    so. The same one each time: an ingest keeps the report of each of thousands of sources."""
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(True)))
    return ValidationReport(conforms=True, graph=graph)


def _report_graph(report: Graph, wanted: set[URIRef]) -> Graph:
    """The sh:ValidationReport with only the results about the wanted nodes."""
    kept = Graph()
    for prefix, namespace in report.namespaces():
        kept.bind(prefix, namespace)
    root = next(report.subjects(RDF.type, SH.ValidationReport), None)
    results = [
        r for r in report.subjects(RDF.type, SH.ValidationResult) if report.value(r, SH.focusNode) in wanted
    ]
    violations = [r for r in results if report.value(r, SH.resultSeverity) == SH.Violation]
    node = root if root is not None else BNode()
    kept.add((node, RDF.type, SH.ValidationReport))
    kept.add((node, SH.conforms, Literal(not violations)))
    for result in results:
        kept.add((node, SH.result, result))
        _copy_tree(report, kept, result)
    return kept


def _copy_tree(source: Graph, target: Graph, node: Node) -> None:
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_tree(source, target, o)


def _results(report: Graph, data: Graph) -> Iterable[ValidationResult]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus is None:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        yield ValidationResult(
            focus=focus,
            focus_label=_label(data, focus),
            path=path if not isinstance(path, BNode) else None,
            value=value,
            message=str(message) if message is not None else "does not conform",
            severity=_SEVERITY.get(severity, "violation") if isinstance(severity, URIRef) else "violation",
            shape=report.value(result, SH.sourceShape),
            component=report.value(result, SH.sourceConstraintComponent),
            sentence=_sentence(data, focus, path, value),
        )


def _label(data: Graph, node: Node) -> str | None:
    for prop in (RDFS.label, SKOS.prefLabel):
        value = data.value(node, prop)
        if value is not None:
            return str(value)
    return None


def _sentence(data: Graph, focus: Node, path: Node | None, value: Node | None) -> str | None:
    """The sentence a fact was read from, when the data holds its evidence."""
    for evidence in data.subjects(RDF.subject, focus):
        if path is not None and (evidence, RDF.predicate, path) not in data:
            continue
        if value is not None and path is not None and (evidence, RDF.object, value) not in data:
            continue
        target = data.value(evidence, OA.hasTarget)
        for selector in data.objects(target, OA.hasSelector):
            exact = data.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None


def type_context(graph: Graph, known: Graph) -> Graph:
    """The ``rdf:type`` triples in ``known`` of the IRIs ``graph`` points to."""
    context = Graph()
    for obj in set(graph.objects()):
        if isinstance(obj, URIRef):
            for cls in known.objects(obj, RDF.type):
                context.add((obj, RDF.type, cls))
    return context


__all__ = [
    "LKG",
    "ValidationReport",
    "ValidationResult",
    "conforming_report",
    "load_shapes",
    "type_context",
    "validate",
]
