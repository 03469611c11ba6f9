"""The rules applied in this process, to a store it can read pattern by pattern.

The same rules and the same fixpoint as the SPARQL the reasoner sends a store (what follows from
a few new triples, semi-naively, against everything else), for the embedded store: its quads
are looked up one pattern at a time in microseconds, where a rule written as SPARQL Update costs
the store a query plan over every named graph and a write of each new triple to a work graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from legalkg.reasoning.rules import RuleSet, Table
from legalkg.store.base import SourceRecord
from legalkg.store.terms import OxTerm as Term
from legalkg.store.terms import OxTriple as Triple

# A pattern's place: a variable (its name) or a term.
Slot = str | ox.NamedNode
# Triples matching a pattern (None: any term there).
Matcher = Callable[[Term | None, Term | None, Term | None], Iterable[Triple]]

_PREFIXES = {"rdf:": str(RDF)}
_XSD_STRING = ox.NamedNode(str(XSD.string))


def _slot(token: str) -> Slot:
    if token.startswith("?"):
        return token[1:]
    if token.startswith("<") and token.endswith(">"):
        return ox.NamedNode(token[1:-1])
    for prefix, namespace in _PREFIXES.items():
        if token.startswith(prefix):
            return ox.NamedNode(namespace + token[len(prefix) :])
    raise ValueError(f"a rule's atom holds what is neither a variable nor a term: {token}")


Pattern = tuple[Slot, Slot, Slot]


def _pattern(atom: str) -> Pattern:
    tokens = atom.split()
    if len(tokens) != 3:
        raise ValueError(f"a rule's atom is not a triple pattern: {atom}")
    return _slot(tokens[0]), _slot(tokens[1]), _slot(tokens[2])


Binding = dict[str, Term]


def _bind(pattern: Pattern, triple: Triple, given: Binding) -> Binding | None:
    """``given`` extended so that ``pattern`` matches ``triple``, or None when it cannot."""
    binding = given
    for slot, value in zip(pattern, triple, strict=True):
        if isinstance(slot, str):
            bound = binding.get(slot)
            if bound is None:
                if binding is given:
                    binding = dict(given)
                binding[slot] = value
            elif bound != value:
                return None
        elif slot != value:
            return None
    return binding


def _ground(pattern: Pattern, binding: Binding) -> tuple[Term | None, Term | None, Term | None]:
    return tuple(binding.get(s) if isinstance(s, str) else s for s in pattern)  # type: ignore[return-value]


@dataclass(frozen=True)
class _Entry:
    """A rule (or a check) entered through one of its atoms: the atom a new triple matches,
    the rows of its table by the values that atom gives, and the atoms left to match."""

    atom: Pattern
    variables: tuple[str, ...]  # the table's
    keys: tuple[str, ...]  # the table's variables the atom binds
    rows: dict[tuple[Term, ...], list[tuple[Term, ...]]]
    others: tuple[Pattern, ...]
    head: Pattern | None = None  # a rule's
    not_literal: tuple[str, ...] = ()  # a rule's variables whose value must not be a literal
    differ: tuple[str, ...] = ()  # a check's variables whose values must differ for a clash
    direct: _Direct | None = None  # a rule of this atom alone, made ready


# A place of a head made ready: the position of a term in the triple that enters, or a term.
Place = int | Term


@dataclass(frozen=True)
class _Direct:
    """A rule of one atom, of three different places (``?x ?p ?y``, ``?x rdf:type ?c``), made
    ready: its heads read off the triple that enters it and its table's row, with no binding
    made. Most rules are of this form, and most of the rules' time went to making bindings."""

    key: tuple[int, ...]  # the positions of the triple's terms the table's rows are keyed by
    heads: dict[tuple[Term, ...], list[tuple[Place, Place, Place]]]
    not_literal: tuple[int, ...]  # the positions that must not hold a literal

    @classmethod
    def of(cls, entry: _Entry) -> _Direct | None:
        """``entry`` made ready, or None when it is not of this form."""
        atom, head = entry.atom, entry.head
        if entry.others or head is None or not isinstance(atom[0], str) or not isinstance(atom[2], str):
            return None
        places = {slot: i for i, slot in enumerate(atom) if isinstance(slot, str)}
        if len(places) != sum(isinstance(slot, str) for slot in atom):
            return None  # a variable in two places: the triple must be matched against itself
        heads: dict[tuple[Term, ...], list[tuple[Place, Place, Place]]] = {}
        for key, rows in entry.rows.items():
            made = heads.setdefault(key, [])
            for row in rows:
                values = dict(zip(entry.variables, row, strict=True))
                made.append(tuple(_place(slot, places, values) for slot in head))  # type: ignore[arg-type]
        return cls(
            key=tuple(places[k] for k in entry.keys),
            heads=heads,
            # A variable of the table only holds an ontology term, never a literal.
            not_literal=tuple(places[v] for v in entry.not_literal if v in places),
        )

    def heads_of(self, triple: Triple) -> Iterator[Triple]:
        if any(isinstance(triple[i], ox.Literal) for i in self.not_literal):
            return
        for places in self.heads.get(tuple(triple[i] for i in self.key), ()):
            yield tuple(triple[p] if isinstance(p, int) else p for p in places)  # type: ignore[misc]


def _place(slot: Slot, places: dict[str, int], values: dict[str, Term]) -> Place:
    if not isinstance(slot, str):
        return slot
    return places[slot] if slot in places else values[slot]


class _Entries:
    """Entries by the predicates of the triples that can enter them."""

    def __init__(self) -> None:
        self._by_predicate: dict[Term, list[_Entry]] = defaultdict(list)
        self._any_predicate: list[_Entry] = []

    def add(self, atoms: Sequence[str], table: Table, **more: Any) -> None:
        patterns = [_pattern(a) for a in atoms]
        variables = table.variables
        for index, atom in enumerate(patterns):
            keys = tuple(v for v in variables if v in atom)
            rows: dict[tuple[Term, ...], list[tuple[Term, ...]]] = defaultdict(list)
            for row in table.rows:
                terms = tuple(ox.NamedNode(str(t)) for t in row)
                rows[tuple(terms[variables.index(k)] for k in keys)].append(terms)
            others = tuple(a for i, a in enumerate(patterns) if i != index)
            entry = _Entry(atom, variables, keys, dict(rows), others, **more)
            entry = replace(entry, direct=_Direct.of(entry))
            # The atom's predicate, or those of the table when it is one of its variables.
            predicate = atom[1]
            if not isinstance(predicate, str):
                self._by_predicate[predicate].append(entry)
            elif predicate in keys:
                position = keys.index(predicate)
                for value in {key[position] for key in entry.rows}:
                    self._by_predicate[value].append(entry)
            else:
                self._any_predicate.append(entry)

    def entries(self, predicate: Term) -> Sequence[_Entry]:
        """The entries a triple of ``predicate`` may enter."""
        entries = self._by_predicate.get(predicate, ())
        return (*entries, *self._any_predicate) if self._any_predicate else entries

    def entered(self, triple: Triple, match: Matcher) -> Iterator[tuple[_Entry, Binding]]:
        """Each entry ``triple`` enters, with each binding of all its atoms (the others found
        by ``match``) that agrees with a row of its table."""
        for entry in self.entries(triple[1]):
            yield from ((entry, binding) for binding in _bindings(entry, triple, match))


def _bindings(entry: _Entry, triple: Triple, match: Matcher) -> Iterator[Binding]:
    binding = _bind(entry.atom, triple, {})
    if binding is None:
        return
    for row in entry.rows.get(tuple(binding[k] for k in entry.keys), ()):
        with_row = _bind(entry.variables, row, binding)  # type: ignore[arg-type]
        if with_row is not None:
            yield from _join(entry.others, with_row, match)


def _join(atoms: tuple[Pattern, ...], binding: Binding, match: Matcher) -> Iterator[Binding]:
    if not atoms:
        yield binding
        return
    first, rest = atoms[0], atoms[1:]
    subject, predicate, obj = _ground(first, binding)
    if isinstance(subject, ox.Literal):
        return
    for found in match(subject, predicate, obj):
        extended = _bind(first, found, binding)
        if extended is not None:
            yield from _join(rest, extended, match)


# The checks this process knows, with the variables whose values must differ for a clash; a
# rule set with another check is checked by the store.
_CHECKS_HERE = {"cax-dw": (), "prp-fp": ("first", "second")}


class LocalRules:
    """A rule set's rules and checks, ready to be applied to triples in this process."""

    def __init__(self, ruleset: RuleSet) -> None:
        self._rules = _Entries()
        for rule in ruleset.rules:
            self._rules.add(rule.body, rule.table, head=_pattern(rule.head), not_literal=rule.not_literal)
        self._checks = _Entries()
        for check in ruleset.checks:
            if check.name in _CHECKS_HERE:
                self._checks.add(check.atoms, check.table, differ=_CHECKS_HERE[check.name])
        self.checks_everything = all(c.name in _CHECKS_HERE for c in ruleset.checks)

    def consequences(self, triple: Triple, match: Matcher, *, direct: bool = True) -> Iterator[Triple]:
        """The heads of every rule application with one body atom matched by ``triple`` and
        the others by ``match`` (the conditions checked, the head not necessarily new).
        ``direct``: the rules made ready used as such (False: every rule through bindings, as
        the tests compare)."""
        for entry in self._rules.entries(triple[1]):
            if direct and entry.direct is not None:
                heads: Iterable[Triple] = entry.direct.heads_of(triple)
            else:
                heads = self._heads(entry, triple, match)
            for subject, predicate, obj in heads:
                if not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode):
                    yield subject, predicate, obj

    @staticmethod
    def _heads(entry: _Entry, triple: Triple, match: Matcher) -> Iterator[Triple]:
        assert entry.head is not None
        for binding in _bindings(entry, triple, match):
            if not any(isinstance(binding[v], ox.Literal) for v in entry.not_literal):
                yield _ground(entry.head, binding)  # type: ignore[misc]

    def clashing(self, new: Iterable[Triple], match: Matcher) -> bool:
        """Whether a consistency check finds a clash that one of the ``new`` triples is part of
        (``match`` finds them and the rest): the only clashes a clash-free store can gain."""
        for triple in new:
            for entry, binding in self._checks.entered(triple, match):
                if len({binding[v] for v in entry.differ}) == len(entry.differ):
                    return True
        return False

    def follow(self, given: set[Triple], rest: Matcher) -> Following:
        """What follows from ``given``, triples held in this process, beside the store's that
        ``rest`` finds, and not held by either already. The nodes of ``given`` that ``rest`` has
        never seen need no lookup there. ``given`` may be written to the store meanwhile: what
        follows is the same whether ``rest`` finds them or not."""
        new_nodes = unseen(given, rest)
        stored = without(rest, new_nodes)
        world = Overlay(stored, given)
        # The same consequence is worked out from every source of the batch that names the
        # same thing (a country, an instrument): the store is asked once.
        in_store: set[Triple] = set()

        def known(triple: Triple) -> bool:
            if triple in given or triple in in_store:
                return True
            if next(iter(stored(*triple)), None) is None:
                return False
            in_store.add(triple)
            return True

        found = self.derive(given, world, known)
        return Following(found, world, frozenset(new_nodes))

    def derive(self, start: Iterable[Triple], world: Overlay, known: Callable[[Triple], bool]) -> set[Triple]:
        """Every triple that follows from ``start`` and the ``world``, and that ``known`` does
        not hold already: round by round, each round from the triples the one before found.

        The ``world`` must hold the triples of ``start``; the triples found are added to it.
        """
        found: set[Triple] = set()
        frontier = set(start)
        while frontier:
            fresh: set[Triple] = set()
            for triple in frontier:
                for consequence in self.consequences(triple, world):
                    if consequence not in found and consequence not in fresh and not known(consequence):
                        fresh.add(consequence)
                        world.add(consequence)
            found |= fresh
            frontier = fresh
        return found


def unseen(triples: Iterable[Triple], match: Matcher) -> set[Term]:
    """The nodes of ``triples`` that no triple ``match`` finds has as its subject or object."""
    nodes = {n for s, _, o in triples for n in (s, o) if not isinstance(n, ox.Literal)}
    return {
        n
        for n in nodes
        if next(iter(match(n, None, None)), None) is None and next(iter(match(None, None, n)), None) is None
    }


def without(match: Matcher, absent: set[Term]) -> Matcher:
    """``match``, answering at once for a pattern with a node of ``absent`` (nodes in no
    triple it finds, see :func:`unseen`): the nodes of new triples are mostly new, and a store
    lookup costs more than a set's."""

    def lookup(s: Term | None, p: Term | None, o: Term | None) -> Iterable[Triple]:
        return () if s in absent or o in absent else match(s, p, o)

    return lookup


def as_stored(triples: Iterable[Triple]) -> set[Triple]:
    """The triples as a store keeps them: Oxigraph writes a literal of a datatype it knows by
    its value and reads it back so (an xsd:nonNegativeInteger as an xsd:integer, "5.0" as
    "5"), and the rules compare what they are given with what they read."""
    kept: set[Triple] = set()
    typed = ox.Store()
    for triple in triples:
        value = triple[2]
        if isinstance(value, ox.Literal) and value.language is None and value.datatype != _XSD_STRING:
            typed.add(ox.Quad(*triple, ox.DefaultGraph()))  # type: ignore[arg-type]
        else:
            kept.add(triple)
    kept.update((q.subject, q.predicate, q.object) for q in typed)
    return kept


class Overlay:
    """What ``match`` finds, and triples not in the store yet, kept in memory beside it (in
    dictionaries: a few thousand triples a batch, looked up far more often than added)."""

    def __init__(self, match: Matcher, triples: Iterable[Triple] = ()) -> None:
        self._match = match
        self._held: set[Triple] = set()
        self._by_subject: dict[Term, list[Triple]] = defaultdict(list)
        self._by_object: dict[Term, list[Triple]] = defaultdict(list)
        self._by_predicate: dict[Term, list[Triple]] = defaultdict(list)
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        if triple in self._held:
            return
        self._held.add(triple)
        self._by_subject[triple[0]].append(triple)
        self._by_predicate[triple[1]].append(triple)
        self._by_object[triple[2]].append(triple)

    def __call__(self, s: Term | None, p: Term | None, o: Term | None) -> Iterator[Triple]:
        yield from self._match(s, p, o)
        if s is not None:
            held: Iterable[Triple] = self._by_subject.get(s, ())
        elif o is not None:
            held = self._by_object.get(o, ())
        elif p is not None:
            held = self._by_predicate.get(p, ())
        else:
            held = self._held
        for triple in held:
            if (s is None or triple[0] == s) and (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple


@dataclass(frozen=True)
class Following:
    """What :meth:`LocalRules.follow` found, with what it read it in."""

    found: set[Triple]  # the triples that follow, not held already
    world: Overlay  # the store beside the given triples and those found
    new_nodes: frozenset[Term]  # the given triples' nodes the store has never seen


@runtime_checkable
class LocalStore(Protocol):
    """A store whose quads this process reads pattern by pattern (the embedded store)."""

    def matcher(self, excluded: Iterable[URIRef] = ()) -> Matcher: ...

    def triples_in(self, graph: URIRef) -> Iterator[Triple]: ...

    def add_triples(self, graph: URIRef, triples: Collection[Triple]) -> None: ...

    def holder(self, graph: URIRef) -> Callable[[Triple], bool]: ...

    def source_quads(self, sources: Sequence[tuple[SourceRecord, Sequence[Triple]]]) -> list[ox.Quad]: ...

    def catalogue_quads(
        self,
        sources: Sequence[tuple[SourceRecord, Sequence[Triple]]],
        also: Mapping[URIRef, Iterable[Triple]],
    ) -> list[ox.Quad]: ...

    def add_sources(self, quads: Sequence[ox.Quad], removed: Mapping[URIRef, Iterable[Triple]]) -> None: ...
