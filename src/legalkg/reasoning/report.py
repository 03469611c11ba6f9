"""Clashes as a validation report: a steward reads them the way they read a shape's results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from legalkg.reasoning.engine import Clash
from legalkg.validation import ValidationReport, ValidationResult

_COMPONENT = {"cax-dw": OWL.disjointWith, "prp-fp": OWL.FunctionalProperty}


def clash_report(
    clashes: Sequence[Clash], names: Mapping[URIRef, str], labels: Mapping[Node, str]
) -> ValidationReport:
    """One violation per clash: the node, the axiom and the sources that describe the node
    (``names`` maps graphs to source names; graphs without a name are left out)."""
    results = []
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not clashes)))
    for clash in clashes:
        said_by = sorted({names[g] for g in clash.graphs if g in names})
        sources = f"; said by {', '.join(said_by)}" if said_by else ""
        if clash.check == "cax-dw":
            path: Node = RDF.type
            message = f"is both {_name(clash.first, labels)} and {_name(clash.second, labels)}, which nothing can be ({clash.axiom}){sources}"
        else:
            path = URIRef(_expand(clash.axiom.split(" ", 1)[0]))
            message = f"has two values, {_show(clash.first)} and {_show(clash.second)}, where it can have one ({clash.axiom}){sources}"
        results.append(
            ValidationResult(
                focus=clash.node,
                focus_label=labels.get(clash.node),
                path=path,
                value=clash.second,
                message=message,
                severity="violation",
                shape=None,
                component=_COMPONENT[clash.check],
            )
        )
        node = BNode()
        graph.add((report, SH.result, node))
        for p, o in (
            (RDF.type, SH.ValidationResult),
            (SH.focusNode, clash.node),
            (SH.resultPath, path),
            (SH.value, clash.second),
            (SH.resultSeverity, SH.Violation),
            (SH.sourceConstraintComponent, _COMPONENT[clash.check]),
            (SH.resultMessage, Literal(message, lang="en")),
        ):
            graph.add((node, p, o))
    return ValidationReport(conforms=not clashes, results=results, graph=graph)


def _name(node: Node, labels: Mapping[Node, str]) -> str:
    return labels.get(node) or _short(node)


def _short(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


def _show(node: Node) -> str:
    return f'"{node}"' if isinstance(node, Literal) else f"<{node}>"


def _expand(name: str) -> str:
    if name.startswith("lkg:"):
        return "https://w3id.org/legalkg/ontology#" + name[4:]
    return name.strip("<>")
