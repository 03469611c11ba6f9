"""The pieces the in-process rules read the world through: new triples in the form the store
keeps them, held beside the store, and lookups skipped for nodes the store has never seen."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import pytest

from legalkg import assets
from legalkg.reasoning import compile_rules
from legalkg.reasoning.local import LocalRules, Overlay, as_stored, unseen, without
from legalkg.store import EmbeddedStore
from legalkg.store.terms import OxTerm, OxTriple

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/"
EVENT, SESSION, CITY = (ox.NamedNode(EX + n) for n in ("event", "session", "city"))
PART_OF, COUNT, LABEL, CITY_OF = (ox.NamedNode(EX + n) for n in ("partOf", "count", "label", "city"))


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


NEW = [
    (SESSION, PART_OF, EVENT),
    (EVENT, COUNT, typed("120", "nonNegativeInteger")),
    (EVENT, COUNT, typed("0120", "integer")),
    (EVENT, LABEL, ox.Literal("Conférence", language="fr")),
    (EVENT, LABEL, ox.Literal("Conference")),
    (EVENT, CITY_OF, CITY),
]


def test_new_triples_take_the_form_the_store_gives_them() -> None:
    store = ox.Store()
    store.extend(ox.Quad(*t, ox.DefaultGraph()) for t in NEW)  # type: ignore[arg-type]
    kept = as_stored(NEW)
    assert kept == {(q.subject, q.predicate, q.object) for q in store}
    # The two counts are one value once stored, written the store's way.
    assert {o for _, p, o in kept if p == COUNT} == {typed("120", "integer")}
    assert (EVENT, LABEL, ox.Literal("Conférence", language="fr")) in kept


def test_held_triples_are_found_beside_what_the_store_finds() -> None:
    stored = [(EVENT, LABEL, ox.Literal("from the store"))]

    def match(s: OxTerm | None, p: OxTerm | None, o: OxTerm | None) -> Iterable[OxTriple]:
        return [t for t in stored if all(x is None or x == y for x, y in zip((s, p, o), t, strict=True))]

    world = Overlay(match, as_stored(NEW))
    world.add((SESSION, PART_OF, EVENT))  # held already: found once
    assert list(world(SESSION, None, None)) == [(SESSION, PART_OF, EVENT)]
    assert list(world(None, None, EVENT)) == [(SESSION, PART_OF, EVENT)]
    assert set(world(EVENT, LABEL, None)) == {
        (EVENT, LABEL, ox.Literal("from the store")),
        (EVENT, LABEL, ox.Literal("Conférence", language="fr")),
        (EVENT, LABEL, ox.Literal("Conference")),
    }
    assert list(world(None, CITY_OF, CITY)) == [(EVENT, CITY_OF, CITY)]
    assert list(world(None, PART_OF, CITY)) == []
    assert len(list(world(None, None, None))) == 1 + len(as_stored(NEW))


@pytest.mark.parametrize(
    "pattern",
    [(SESSION, None, None), (None, PART_OF, SESSION), (SESSION, PART_OF, EVENT)],
)
def test_a_pattern_with_a_node_the_store_never_saw_is_not_looked_up(
    pattern: tuple[OxTerm | None, OxTerm | None, OxTerm | None],
) -> None:
    asked: list[tuple[OxTerm | None, ...]] = []

    def match(s: OxTerm | None, p: OxTerm | None, o: OxTerm | None) -> Iterable[OxTriple]:
        asked.append((s, p, o))
        return [(EVENT, LABEL, ox.Literal("x"))]

    lookup = without(match, {SESSION})
    assert list(lookup(*pattern)) == []
    assert asked == []
    assert list(lookup(EVENT, None, None)) == [(EVENT, LABEL, ox.Literal("x"))]
    assert asked == [(EVENT, None, None)]


def test_the_nodes_a_store_never_saw_are_those_no_lookup_finds() -> None:
    stored = [(EVENT, LABEL, ox.Literal("Conference")), (SESSION, PART_OF, EVENT)]

    def match(s: OxTerm | None, p: OxTerm | None, o: OxTerm | None) -> Iterable[OxTriple]:
        return [t for t in stored if all(x is None or x == y for x, y in zip((s, p, o), t, strict=True))]

    new = [(CITY, LABEL, ox.Literal("Vienna")), (EVENT, CITY_OF, CITY), (ox.NamedNode(EX + "other"), PART_OF, SESSION)]
    # The event and the session are in the store's triples (the event as an object too): only
    # the city and the other node are new; a literal is never a node to look up.
    assert unseen(new, match) == {CITY, ox.NamedNode(EX + "other")}


def test_the_rules_made_ready_give_the_heads_their_bindings_give(
    sample_store: EmbeddedStore, repo_assets: assets.Assets
) -> None:
    rules = LocalRules(compile_rules(assets.load_turtle(repo_assets.ontology_file)))
    match = sample_store.matcher()
    triples = {(q.subject, q.predicate, q.object) for q in sample_store.quads()}
    ready = {t: set(rules.consequences(t, match)) for t in triples}  # type: ignore[arg-type]
    bound = {t: set(rules.consequences(t, match, direct=False)) for t in triples}  # type: ignore[arg-type]
    assert ready == bound
    # The kinds of rules of one atom had triples to work on: types (up the class hierarchy,
    # from domains and ranges), inverses, super-properties.
    heads = {h for found in ready.values() for h in found}
    assert len(heads) > 1000
    made = {p.value for _, p, _ in heads}
    assert {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/legalkg/ontology#hasPart",  # the inverse of partOf
        "https://schema.org/startDate",  # an equivalent property of legalkg's
    } <= made
