"""The SHACL gate compiled to SPARQL: which nodes break a shape, answered by Oxigraph.

pyshacl evaluates each constraint of each shape on each node in Python, a fifth of a second
for a report; the same shapes, compiled once to a few queries a shape, run in Oxigraph in a few
milliseconds. The compiled gate only decides: a candidate it finds conforming passes, and one it
does not goes to pyshacl, whose report (messages, paths, values) is what a steward reads.

It knows the constraint components legalkg's shapes use. A shapes graph with any other fails to
compile (:class:`UnsupportedShape`), and the pipeline then leaves every candidate to pyshacl.
A literal whose text is not of its datatype is left to pyshacl too (SPARQL cannot tell).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from legalkg.reasoning.rules import closure
from legalkg.store.sparql import masked, term, where_openings
from legalkg.store.terms import OxGraph, OxTerm, quads_of, to_ox


class UnsupportedShape(Exception):
    """A shape uses what this compiler does not translate."""


# What describes a shape rather than constrains its nodes.
_DESCRIPTIVE = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.targetClass,
    SH.target,
    SH.property,
    SH.path,
}
# Counted over a property's values; handled where a property shape is compiled.
_COUNTED = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.hasValue,
    SH.lessThanOrEquals,
    SH.sparql,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
}
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.IRIOrLiteral: "isBlank({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
}


# Oxigraph keeps a literal by its value: "5"^^xsd:nonNegativeInteger comes back as an
# xsd:integer, "5.0"^^xsd:decimal as "5". Each typed literal is loaded a second time, in a graph
# of its own and with its datatype wrapped in an IRI Oxigraph does not know (so kept as
# written): sh:datatype reads that copy, and every other check the value.
_AS_WRITTEN = ox.NamedNode("urn:legalkg:as-written")
_WRAPPED = "urn:legalkg:datatype:"
_TEXT = (XSD.string, RDF.langString)


# The candidate's own nodes, the only ones checked, are marked in a graph of their own.
_FOCUS_GRAPH = ox.NamedNode("urn:legalkg:focus")
_FOCUS = ox.NamedNode("urn:legalkg:Focus")
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_FOCUS_GRAPH_TERM = f"<{_FOCUS_GRAPH.value}>"
_FOCUS_PATTERN = f"GRAPH {_FOCUS_GRAPH_TERM} {{ ?this a <{_FOCUS.value}> }}"
# Every node's classes, their superclasses included (what rdf:type/rdfs:subClassOf* reaches),
# are worked out in Python and marked in a graph of their own, and a focus node's in the focus
# graph too: a shape's target and an sh:class check are then one lookup each. Followed in each
# query, the path cost about 10 ms a query on a batch of fifty reports, and the sh:class checks
# of the sentences' and the evidence's values two thirds of all the queries' time.
_CLASSES_GRAPH = ox.NamedNode("urn:legalkg:classes")
_CLASSES_GRAPH_TERM = f"<{_CLASSES_GRAPH.value}>"
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))


@dataclass(frozen=True)
class Branch:
    """What one node shape checks at one severity: a group that binds the ``?this`` breaking it."""

    shape: Node
    severity: URIRef
    group: str
    # Its target classes, when it has no other target: a candidate with no instance of one
    # of them cannot break it, and its query need not run.
    classes: frozenset[URIRef] | None = None


class CompiledGate:
    """The shapes as SPARQL queries, and the nodes of a candidate graph that break them.

    ``known`` is what every candidate is validated with (the ontology, the reference entities'
    types): converted for Oxigraph once, not for each candidate.
    """

    def __init__(self, shapes: Graph, known: Graph | None = None) -> None:
        compiler = _Compiler(shapes)
        self.branches = [b for node in compiler.node_shapes() for b in compiler.compile(node)]
        # A query a branch: Oxigraph plans a union of them all worse than each alone.
        prologue = compiler.prologue()
        self.queries = [(b, f"{prologue}SELECT DISTINCT ?this WHERE {b.group}\n") for b in self.branches]
        base = list(quads_of(known, None)) if known is not None else []
        self._base = base + list(_as_written(base))
        self._base_subclasses = _pairs(base, _SUBCLASS_OF)
        self._base_types = _pairs(base, _TYPE)
        self._superclasses = _Superclasses(self._base_subclasses)
        self._base_classes = self._superclasses.of(self._base_types)
        self._base_marks = list(_marks(self._base_classes, _CLASSES_GRAPH))

    def violating(
        self, graphs: Iterable[Graph | OxGraph], focus: Iterable[Node], *, strict: bool = False
    ) -> set[URIRef] | None:
        """The ``focus`` IRIs that break a shape in ``graphs`` with what is known (with a
        warning too, when ``strict``), or None when a literal is not of its datatype (which
        only pyshacl tells)."""
        wanted = {f for f in focus if isinstance(f, URIRef)}
        if not wanted:
            return set()
        converted = [g if isinstance(g, OxGraph) else OxGraph.of(g) for g in graphs]
        if any(g.ill_typed for g in converted):
            return None
        quads = [ox.Quad(s, p, o) for g in converted for s, p, o in g.triples]  # type: ignore[arg-type]
        store = ox.Store()
        store.extend(self._base)
        store.extend(quads)
        store.extend(_as_written(quads))
        types = _pairs(quads, _TYPE)
        subclasses = _pairs(quads, _SUBCLASS_OF)
        if subclasses:  # the candidate's own class hierarchy: every node's classes again
            classes = _Superclasses(self._base_subclasses + subclasses).of(self._base_types + types)
            known: dict[OxTerm, frozenset[OxTerm]] = {}
        else:
            classes, known = self._superclasses.of(types), self._base_classes
            store.extend(self._base_marks)
        store.extend(_marks(classes, _CLASSES_GRAPH))
        none: frozenset[OxTerm] = frozenset()
        focused = {n: classes.get(n, none) | known.get(n, none) for n in map(to_ox, wanted)}
        store.extend(ox.Quad(n, _TYPE, _FOCUS, _FOCUS_GRAPH) for n in focused)  # type: ignore[arg-type]
        store.extend(_marks(focused, _FOCUS_GRAPH))
        present = {URIRef(c.value) for c in set().union(*focused.values()) if isinstance(c, ox.NamedNode)}
        found: set[URIRef] = set()
        for branch, query in self.queries:
            if branch.classes is not None and not branch.classes & present:
                continue
            if strict or branch.severity == SH.Violation:
                answer = store.query(query)
                assert isinstance(answer, ox.QuerySolutions)
                found.update(URIRef(row[0].value) for row in answer)
        return found


class _Superclasses:
    """Each class with its superclasses, itself included, by a hierarchy's rdfs:subClassOf pairs."""

    def __init__(self, pairs: Iterable[tuple[OxTerm, OxTerm]]) -> None:
        self._above = closure(pairs)

    def of(self, types: Iterable[tuple[OxTerm, OxTerm]]) -> dict[OxTerm, frozenset[OxTerm]]:
        """Each node of ``types`` (node, class pairs) with every class it is an instance of."""
        classes: dict[OxTerm, set[OxTerm]] = defaultdict(set)
        for node, cls in types:
            classes[node] |= self._above.get(cls, set())
            classes[node].add(cls)
        return {node: frozenset(its) for node, its in classes.items()}


def _pairs(quads: Iterable[ox.Quad], predicate: ox.NamedNode) -> list[tuple[OxTerm, OxTerm]]:
    """The subjects and objects of ``quads`` with ``predicate``."""
    return [(q.subject, q.object) for q in quads if q.predicate == predicate]  # type: ignore[misc]


def _marks(classes: dict[OxTerm, frozenset[OxTerm]], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for node, its in classes.items():
        for cls in its:
            yield ox.Quad(node, _TYPE, cls, graph)  # type: ignore[arg-type]


def _as_written(quads: list[ox.Quad]) -> Iterator[ox.Quad]:
    for quad in quads:
        value = quad.object
        if (
            isinstance(value, ox.Literal)
            and value.language is None
            and value.datatype.value not in map(str, _TEXT)
        ):
            wrapped = ox.Literal(value.value, datatype=ox.NamedNode(_WRAPPED + value.datatype.value))
            yield ox.Quad(quad.subject, quad.predicate, wrapped, _AS_WRITTEN)


def _count(node: Node) -> int:
    if not isinstance(node, Literal) or not isinstance(node.toPython(), int):
        raise UnsupportedShape(f"a count that is not an integer: {node}")
    return int(node.toPython())


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.counter = itertools.count()
        self.prefixes: dict[str, str] = {}

    def prologue(self) -> str:
        prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), **self.prefixes}
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))

    def node_shapes(self) -> list[Node]:
        targeted = set(self.shapes.subjects(SH.targetClass, None)) | set(
            self.shapes.subjects(SH.target, None)
        )
        return sorted(targeted, key=str)

    def fresh(self) -> str:
        return f"?_v{next(self.counter)}"

    # -- one node shape: a branch per severity, and one per SPARQL constraint ------------

    def compile(self, shape: Node) -> list[Branch]:
        if self.shapes.value(shape, SH.deactivated) == Literal(True):
            return []
        for extra in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            if self.shapes.value(shape, extra) is not None:
                raise UnsupportedShape(f"{shape}: {extra}")
        classes = frozenset(c for c in self.shapes.objects(shape, SH.targetClass) if isinstance(c, URIRef))
        targeted = [self._sparql_target(t) for t in self.shapes.objects(shape, SH.target)]
        only_classes = None if targeted else classes
        # A class target is a lookup of the marks (see _CLASSES_GRAPH); a SPARQL target's nodes
        # are checked where they are focus nodes.
        marked = [f"{{ GRAPH {_FOCUS_GRAPH_TERM} {{ ?this a {term(c)} }} }}" for c in sorted(classes)]
        head = (f"{_FOCUS_PATTERN} " if targeted else "") + " UNION ".join(marked + targeted)
        # Expressions on ?this go in one FILTER; a SPARQL constraint is a subquery of its own,
        # joined on ?this (inside a FILTER it would be evaluated again for every node).
        expressions: dict[URIRef, list[str]] = {}
        joins: list[tuple[URIRef, str]] = []
        own = self.severity(shape)
        expressions.setdefault(own, []).extend(self.value_checks(shape, "?this"))
        joins.extend((own, j) for j in self._sparql_checks(shape, None, head))
        for prop in self.shapes.objects(shape, SH.property):
            if self.shapes.value(prop, SH.deactivated) == Literal(True):
                continue
            severity = self.severity(prop)
            expressions.setdefault(severity, []).extend(self.property_checks(prop, "?this", top=True))
            path = self.shapes.value(prop, SH.path)
            assert path is not None  # property_checks refuses a property shape without one
            joins.extend((severity, j) for j in self._sparql_checks(prop, self.path(path), head))
        branches = []
        for severity, found in expressions.items():
            if found:
                test = "\n      || ".join(found)
                group = f"{{ {head}\n    FILTER (\n      {test}\n    )\n }}"
                branches.append(Branch(shape, severity, group, only_classes))
        for severity, join in joins:
            branches.append(Branch(shape, severity, f"{{ {head}\n    {join}\n }}", only_classes))
        return branches

    def severity(self, shape: Node) -> URIRef:
        value = self.shapes.value(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def _declared(self, holder: Node) -> None:
        for ontology in self.shapes.objects(holder, SH.prefixes):
            for declaration in self.shapes.objects(ontology, SH.declare):
                prefix = str(self.shapes.value(declaration, SH.prefix))
                namespace = str(self.shapes.value(declaration, SH.namespace))
                if self.prefixes.setdefault(prefix, namespace) != namespace:
                    raise UnsupportedShape(f"prefix {prefix}: declared with two namespaces")

    def _select(self, holder: Node) -> str:
        select = self.shapes.value(holder, SH.select)
        if select is None:
            raise UnsupportedShape(f"{holder}: a SPARQL target or constraint without sh:select")
        self._declared(holder)
        return str(select)

    def _sparql_target(self, target: Node) -> str:
        if (target, RDF.type, SH.SPARQLTarget) not in self.shapes:
            raise UnsupportedShape(f"{target}: a target that is not a sh:SPARQLTarget")
        return "{ " + self._select(target) + " }"

    def _sparql_checks(self, shape: Node, path: str | None, head: str) -> list[str]:
        checks = []
        for constraint in self.shapes.objects(shape, SH.sparql):
            if self.shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            select = self._select(constraint)
            if "$PATH" in select:
                if path is None:
                    raise UnsupportedShape(f"{constraint}: $PATH in a node shape")
                select = select.replace("$PATH", path)
            # $this is bound before the constraint is evaluated (SHACL's pre-binding): the
            # shape's focus nodes open its WHERE clause, where a filter on $this alone then
            # sees them.
            openings = where_openings(select)
            selects = [m.start() for m in _SELECT.finditer(masked(select))]
            if not openings or (len(selects) > 1 and "$this" in select[selects[1] :]):
                raise UnsupportedShape(f"{constraint}: $this inside a subquery")
            where = openings[0]
            select = (select[:where] + " " + head + " " + select[where:]).replace("$this", "?this")
            # The constraint's own variables stay in its subquery: only ?this comes out.
            checks.append("{ SELECT ?this WHERE { { " + select + " } } }")
        return checks

    # -- a property shape: what breaks it, as expressions on the focus node ----------------

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return term(node)
        inverse = self.shapes.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        if (node, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(step) for step in Collection(self.shapes, node)) + ")"
        raise UnsupportedShape(f"path {node}")

    def property_checks(self, prop: Node, x: str, *, top: bool = False) -> list[str]:
        """Expressions true when ``x`` breaks the property shape ``prop``."""
        path_node = self.shapes.value(prop, SH.path)
        if path_node is None:
            raise UnsupportedShape(f"{prop}: a property shape without sh:path")
        path = self.path(path_node)
        checks = []
        datatype = self.shapes.value(prop, SH.datatype)
        typed = datatype is not None and datatype not in _TEXT
        if typed:
            if (prop, SH.pattern, None) in self.shapes or (prop, SH.minLength, None) in self.shapes:
                raise UnsupportedShape(
                    f"{prop}: a pattern or length on typed literals, which Oxigraph rewrites"
                )
            w, s = self.fresh(), self.fresh()
            checks.append(
                f"EXISTS {{ {x} {path} {w} FILTER (!isLiteral({w}) || datatype({w}) IN ({', '.join(term(t) for t in _TEXT)})) }}"
            )
            checks.append(
                f"EXISTS {{ GRAPH <{_AS_WRITTEN.value}> {{ {x} {path} {s} }} "
                f"FILTER (datatype({s}) != {term(URIRef(_WRAPPED + str(datatype)))}) }}"
            )
        value_checks = self.value_checks(prop, "?_value", typed_datatype=typed)
        if value_checks:
            w = self.fresh()
            checks.append(
                f"EXISTS {{ {x} {path} {w} FILTER ({' || '.join(c.replace('?_value', w) for c in value_checks)}) }}"
            )
        minimum = self.shapes.value(prop, SH.minCount)
        if minimum is not None:
            checks.append(self._fewer_than(x, path, _count(minimum), "true"))
        maximum = self.shapes.value(prop, SH.maxCount)
        if maximum is not None:
            checks.append(self._more_than(x, path, _count(maximum), "true"))
        if self.shapes.value(prop, SH.uniqueLang) == Literal(True):
            a, b = self.fresh(), self.fresh()
            checks.append(
                f'EXISTS {{ {x} {path} {a}, {b} FILTER (!sameTerm({a}, {b}) && lang({a}) != "" '
                f"&& LCASE(lang({a})) = LCASE(lang({b}))) }}"
            )
        for value in self.shapes.objects(prop, SH.hasValue):
            w = self.fresh()
            checks.append(f"NOT EXISTS {{ {x} {path} {w} FILTER (sameTerm({w}, {term(value)})) }}")
        for other in self.shapes.objects(prop, SH.lessThanOrEquals):
            a, b = self.fresh(), self.fresh()
            checks.append(
                f"EXISTS {{ {x} {path} {a} . {x} {term(other)} {b} FILTER (!COALESCE({a} <= {b}, false)) }}"
            )
        qualified = self.shapes.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            conforming = self.conforms(qualified, "?_value")
            least = self.shapes.value(prop, SH.qualifiedMinCount)
            most = self.shapes.value(prop, SH.qualifiedMaxCount)
            if least is not None:
                checks.append(self._fewer_than(x, path, _count(least), conforming))
            if most is not None:
                checks.append(self._more_than(x, path, _count(most), conforming))
        if self.shapes.value(prop, SH.sparql) is not None and not top:
            raise UnsupportedShape(f"{prop}: a SPARQL constraint inside another shape")
        return checks

    def _fewer_than(self, x: str, path: str, count: int, condition: str) -> str:
        """``x`` has fewer than ``count`` values that meet ``condition`` (on ?_value)."""
        if count == 0:
            return "false"
        if count > 1:
            raise UnsupportedShape(f"a minimum count of {count}")
        w = self.fresh()
        return f"NOT EXISTS {{ {x} {path} {w} FILTER ({condition.replace('?_value', w)}) }}"

    def _more_than(self, x: str, path: str, count: int, condition: str) -> str:
        """``x`` has more than ``count`` distinct values that meet ``condition`` (on ?_value)."""
        if count > 3:
            raise UnsupportedShape(f"a maximum count of {count}")
        values = [self.fresh() for _ in range(count + 1)]
        distinct = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2)]
        meets = [condition.replace("?_value", v) for v in values if condition != "true"]
        tests = " && ".join(distinct + meets) or "true"
        return f"EXISTS {{ {x} {path} {', '.join(values)} FILTER ({tests}) }}"

    # -- constraints on one value node -----------------------------------------------------

    def value_checks(self, shape: Node, v: str, *, typed_datatype: bool = False) -> list[str]:
        """Expressions true when the value node ``v`` breaks a value constraint of ``shape``
        (its sh:datatype apart when ``typed_datatype``: the property shape checks it)."""
        checks = []
        for predicate, obj in self.shapes.predicate_objects(shape):
            if predicate in _DESCRIPTIVE or predicate in _COUNTED or predicate in (SH.deactivated, SH.flags):
                continue
            if predicate == SH.datatype:
                if typed_datatype:
                    continue
                if obj not in _TEXT:
                    raise UnsupportedShape(f"{shape}: sh:datatype {obj} outside a property shape")
                checks.append(f"!(isLiteral({v}) && datatype({v}) = {term(obj)})")
            elif predicate == SH["class"]:
                checks.append(f"NOT EXISTS {{ GRAPH {_CLASSES_GRAPH_TERM} {{ {v} a {term(obj)} }} }}")
            elif predicate == SH.nodeKind:
                if not isinstance(obj, URIRef) or obj not in _NODE_KINDS:
                    raise UnsupportedShape(f"node kind {obj}")
                checks.append(_NODE_KINDS[obj].format(v=v))
            elif predicate == SH.pattern:
                flags = self.shapes.value(shape, SH.flags)
                regex = f"REGEX(STR({v}), {term(obj)}" + (f", {term(flags)})" if flags is not None else ")")
                checks.append(f"(isBlank({v}) || !{regex})")
            elif predicate == SH["in"]:
                members = list(Collection(self.shapes, obj))
                checks.append(
                    "!(" + (" || ".join(f"sameTerm({v}, {term(m)})" for m in members) or "false") + ")"
                )
            elif predicate == SH.minInclusive:
                checks.append(f"!COALESCE({v} >= {term(obj)}, false)")
            elif predicate == SH.minLength:
                checks.append(f"(isBlank({v}) || STRLEN(STR({v})) < {_count(obj)})")
            elif predicate == SH["or"]:
                members = list(Collection(self.shapes, obj))
                checks.append("!(" + " || ".join(self.conforms(m, v) for m in members) + ")")
            elif predicate == SH.xone:
                members = list(Collection(self.shapes, obj))
                checks.append(
                    "(" + " + ".join(f"IF({self.conforms(m, v)}, 1, 0)" for m in members) + ") != 1"
                )
            elif predicate == SH.node:
                checks.append(f"!{self.conforms(obj, v)}")
            elif predicate == SH["not"]:
                checks.append(self.conforms(obj, v))
            else:
                raise UnsupportedShape(f"{shape}: {predicate}")
        return checks

    def conforms(self, shape: Node, v: str) -> str:
        """An expression true when the value node ``v`` conforms to ``shape`` (a nested one)."""
        if isinstance(shape, Literal) or shape == OWL.Thing:
            raise UnsupportedShape(f"nested shape {shape}")
        breaks = self.value_checks(shape, v)
        for prop in self.shapes.objects(shape, SH.property):
            breaks.extend(self.property_checks(prop, v))
        if self.shapes.value(shape, SH.path) is not None:
            breaks.extend(self.property_checks(shape, v))
        if self.shapes.value(shape, SH.sparql) is not None and self.shapes.value(shape, SH.path) is None:
            raise UnsupportedShape(f"{shape}: a SPARQL constraint inside another shape")
        return "!(" + (" || ".join(breaks) or "false") + ")"


__all__ = ["Branch", "CompiledGate", "UnsupportedShape"]
