"""The OWL 2 RL rules an ontology calls for, as SPARQL patterns the store evaluates.

Only the rules of the constructs the ontology uses are made (class and property hierarchies,
domains and ranges, inverse, symmetric and transitive properties, two-step property chains)
and the consistency checks it asks for (disjoint classes, functional properties). Hierarchies
are closed here, once, so that a type or a super-property is reached in one step rather than
one step per level: the same triples as rule by rule (owlrl's), in fewer rounds.

Not made, by design: the equality rules (``owl:sameAs``): legalkg names each thing once, so two
values of a functional property are a clash to report, not two names of one thing to merge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from legalkg.store.sparql import term

T = TypeVar("T")


@dataclass(frozen=True)
class Table:
    """The ontology terms a rule or a check is made for: rows of values of its variables."""

    variables: tuple[str, ...]
    rows: tuple[tuple[URIRef, ...], ...]

    @classmethod
    def of(cls, variables: tuple[str, ...], rows: Iterable[tuple[URIRef, ...]]) -> Table:
        return cls(variables, tuple(sorted(set(rows))))

    def sparql(self) -> str:
        """The table as a SPARQL VALUES clause ("" when it has no rows)."""
        if not self.rows:
            return ""
        body = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in self.rows)
        return f"VALUES ({' '.join('?' + v for v in self.variables)}) {{ {body} }}"


@dataclass(frozen=True)
class Rule:
    """``body`` (triple patterns, all to be matched) entails ``head``; ``table`` holds the
    ontology terms the rule is made for, so that one query serves every class or property."""

    name: str
    body: tuple[str, ...]
    head: str
    table: Table
    not_literal: tuple[str, ...] = ()  # variables whose value must not be a literal

    @property
    def values(self) -> str:
        return self.table.sparql()

    @property
    def condition(self) -> str:
        """A FILTER on the body's variables ("" when none)."""
        tests = [f"!isLiteral(?{v})" for v in self.not_literal]
        return f"FILTER ({' && '.join(tests)})" if tests else ""


@dataclass(frozen=True)
class Check:
    """Triple patterns that must never all match: a clash, with the axiom it breaks.

    Each check binds ``?node`` (the thing in two minds), ``?first`` and ``?second`` (its two
    types, or two values) and ``?axiom`` (the class pair's first class or the property)."""

    name: str
    atoms: tuple[str, ...]
    table: Table
    condition: str = ""

    @property
    def values(self) -> str:
        return self.table.sparql()


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    transitive: frozenset[URIRef] = frozenset()  # whose closure the rules keep in the store


def closure(pairs: Iterable[tuple[T, T]]) -> dict[T, set[T]]:
    """For each term, everything above it (not itself) through the pairs (below, above): a
    class's superclasses by rdfs:subClassOf pairs, a property's super-properties."""
    above: dict[T, set[T]] = defaultdict(set)
    for below, upper in pairs:
        above[below].add(upper)
    closed: dict[T, set[T]] = {}
    for start in list(above):
        seen: set[T] = set()
        frontier = list(above[start])
        while frontier:
            node = frontier.pop()
            if node not in seen:
                seen.add(node)
                frontier.extend(above.get(node, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


def _named(graph: Graph, predicate: URIRef) -> list[tuple[URIRef, URIRef]]:
    return [
        (s, o) for s, o in graph.subject_objects(predicate) if isinstance(s, URIRef) and isinstance(o, URIRef)
    ]


def compile_rules(ontology: Graph) -> RuleSet:
    """The rules and checks of ``ontology``'s axioms."""
    class_pairs = _named(ontology, RDFS.subClassOf)
    for a, b in _named(ontology, OWL.equivalentClass):
        class_pairs += [(a, b), (b, a)]
    property_pairs = _named(ontology, RDFS.subPropertyOf)
    for a, b in _named(ontology, OWL.equivalentProperty):
        property_pairs += [(a, b), (b, a)]
    supers = closure(class_pairs)
    super_properties = closure(property_pairs)

    def up(cls: URIRef) -> set[URIRef]:
        return {cls} | supers.get(cls, set())

    def up_property(prop: URIRef) -> set[URIRef]:
        return {prop} | super_properties.get(prop, set())

    ruleset = RuleSet()
    # cax-sco (with scm-sco closed): a member of a class is a member of all its superclasses.
    sco = [(c, d) for c, ds in supers.items() for d in ds]
    ruleset.rules.append(Rule("cax-sco", ("?x rdf:type ?c",), "?x rdf:type ?d", Table.of(("c", "d"), sco)))
    # prp-spo1 (with scm-spo closed).
    spo = [(p, q) for p, qs in super_properties.items() for q in qs]
    ruleset.rules.append(Rule("prp-spo1", ("?x ?p ?y",), "?x ?q ?y", Table.of(("p", "q"), spo)))

    # prp-dom and prp-rng, for each property and its sub-properties, with the classes above.
    domains = _named(ontology, RDFS.domain)
    ranges = _named(ontology, RDFS.range)
    sub_properties: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p in {p for p, _ in property_pairs} | {p for p, _ in domains + ranges}:
        for q in up_property(p):
            sub_properties[q].add(p)
    dom = [(p, d) for q, c in domains for p in sub_properties.get(q, {q}) for d in up(c)]
    rng = [
        (p, d) for q, c in ranges for p in sub_properties.get(q, {q}) for d in up(c) if not _is_datatype(c)
    ]
    ruleset.rules.append(Rule("prp-dom", ("?x ?p ?y",), "?x rdf:type ?c", Table.of(("p", "c"), dom)))
    # A literal value is not typed with a class (it could not be a subject in RDF).
    ruleset.rules.append(
        Rule("prp-rng", ("?x ?p ?y",), "?y rdf:type ?c", Table.of(("p", "c"), rng), not_literal=("y",))
    )

    inverse = []
    for p, q in _named(ontology, OWL.inverseOf):
        inverse += [(p, q), (q, p)]
    ruleset.rules.append(Rule("prp-inv", ("?x ?p ?y",), "?y ?q ?x", Table.of(("p", "q"), inverse)))
    symmetric = [(p,) for p in ontology.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(p, URIRef)]
    ruleset.rules.append(Rule("prp-symp", ("?x ?p ?y",), "?y ?p ?x", Table.of(("p",), symmetric)))
    transitive = [(p,) for p in ontology.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)]
    ruleset.rules.append(Rule("prp-trp", ("?x ?p ?y", "?y ?p ?z"), "?x ?p ?z", Table.of(("p",), transitive)))
    ruleset.transitive = frozenset(p for (p,) in transitive)

    chains: list[tuple[URIRef, URIRef, URIRef]] = []
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = (
            [s for s in Collection(ontology, head) if isinstance(s, URIRef)]
            if isinstance(head, BNode)
            else []
        )
        if len(steps) != 2 or not isinstance(prop, URIRef):
            raise ValueError(f"only chains of two named properties are supported: {prop}")
        chains.append((steps[0], steps[1], prop))
    ruleset.rules.append(
        Rule("prp-spo2", ("?x ?p1 ?y", "?y ?p2 ?z"), "?x ?q ?z", Table.of(("p1", "p2", "q"), chains))
    )
    ruleset.rules = [r for r in ruleset.rules if r.table.rows]  # a rule with no terms says nothing

    _add_checks(ontology, ruleset)
    return ruleset


def _is_datatype(cls: URIRef) -> bool:
    return str(cls).startswith("http://www.w3.org/2001/XMLSchema#") or cls == RDFS.Literal


def _add_checks(ontology: Graph, ruleset: RuleSet) -> None:
    disjoint = set()
    for a, b in _named(ontology, OWL.disjointWith):
        disjoint.add((a, b))
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(group, OWL.members)
        classes = [c for c in Collection(ontology, members) if isinstance(c, URIRef)] if members else []
        disjoint.update((a, b) for i, a in enumerate(classes) for b in classes[i + 1 :])
    # cax-dw (and cax-adc): a member of two disjoint classes.
    ruleset.checks.append(
        Check(
            "cax-dw",
            ("?node rdf:type ?first", "?node rdf:type ?second"),
            Table.of(("first", "second"), disjoint),
            "BIND (?first AS ?axiom)",
        )
    )
    # prp-fp, with unique names: two different values of a functional property.
    functional = [(p,) for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)]
    ruleset.checks.append(
        Check(
            "prp-fp",
            ("?node ?axiom ?first", "?node ?axiom ?second"),
            Table.of(("axiom",), functional),
            "FILTER (!sameTerm(?first, ?second) && STR(?first) <= STR(?second))",
        )
    )
    ruleset.checks = [c for c in ruleset.checks if c.table.rows]
