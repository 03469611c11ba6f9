"""Keeping the inferred graphs equal to what follows from the asserted ones, as the store changes.

The store does the work, through SPARQL Update, so that a million triples never travel into
Python and any SPARQL 1.1 store can hold the graph; on the embedded store, what follows from a
few new triples is worked out in this process instead (``legalkg.reasoning.local``), reading the
store pattern by pattern, and new sources' inferences before the sources are even written:

- what a new source brings is derived semi-naively: each round joins only the triples the
  round before found (``derive``);
- what a removed source took with it is found by delete-and-rederive (DRed): every inferred
  triple that may have rested on it is taken out, then those that still follow from what
  remains are put back (``retract``);
- the default rules (a session takes place where its event does) run last, on the result.

Each body atom of a rule is matched in any graph but the excluded ones (``GRAPH ?g`` with a
filter): a source being replaced can be left out of the reasoning before it leaves the store.
Work in progress lives in staging graphs, which a crash leaves to be dropped on the next open;
while the inferred graphs are being changed, the catalogue says they are not up to date, so an
interrupted update is redone in full (``recompute``).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from legalkg.iris import Iris
from legalkg.namespaces import LKG
from legalkg.reasoning.defaults import DefaultRule
from legalkg.reasoning.local import LocalRules, LocalStore, as_stored
from legalkg.reasoning.rules import Check, Rule, RuleSet
from legalkg.store.base import Store
from legalkg.store.sparql import term
from legalkg.store.terms import OxTriple, ntriples_chunks
from legalkg.store.updates import ntriples_block

log = logging.getLogger(__name__)

_PROLOGUE = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
_CHUNK = 50_000  # triples a request, where graphs travel in chunks


@dataclass(frozen=True)
class Clash:
    """Two things the graph says of one node that cannot both hold."""

    check: str  # the OWL 2 RL rule: cax-dw (disjoint classes), prp-fp (functional property)
    node: URIRef
    axiom: str
    first: Node
    second: Node
    graphs: tuple[URIRef, ...]  # where the node is described


@dataclass(frozen=True)
class Preparation:
    """A staged source's inferences, worked out but not committed."""

    staged: tuple[URIRef, ...]
    replaces: tuple[URIRef, ...]
    added: URIRef
    inferred: URIRef
    clashes: list[Clash]
    touched: tuple[URIRef, ...] = ()  # the nodes whose statements change: see Reasoner.settle

    def operations(self) -> list[str]:
        """SPARQL Update operations that commit the inferences with the source: what the source
        now asserts leaves the inferred graph (it holds only what no source says)."""
        inferred, added = term(self.inferred), term(self.added)
        return [
            f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {term(g)} {{ ?s ?p ?o }} }}"
            for g in self.staged
        ] + [f"ADD SILENT GRAPH {added} TO {inferred}", f"DROP SILENT GRAPH {added}"]


@dataclass(frozen=True)
class NewTriples:
    """What the triples of new sources, not in the store yet, bring to the inferred graphs."""

    added: frozenset[OxTriple]  # inferred triples no graph holds yet
    restated: tuple[OxTriple, ...]  # triples inferred so far that a new source asserts
    clashes: bool
    touched: tuple[URIRef, ...]  # the nodes whose statements the default rules read change


class Reasoner:
    """The inferred graphs of one store, for one ontology's rules and the default rules."""

    def __init__(self, store: Store, iris: Iris, ruleset: RuleSet, default_rules: Sequence[Path]) -> None:
        self.store = store
        self.iris = iris
        self.ruleset = ruleset
        self.default_rules = [DefaultRule.read(path) for path in sorted(default_rules)]
        # A new triple can change what a default rule concludes only through a property it
        # reads: the nodes of the other triples of new sources need not be worked out again.
        reads = [rule.reads for rule in self.default_rules]
        self._defaults_read: frozenset[ox.NamedNode] | None = (
            frozenset(ox.NamedNode(str(p)) for r in reads if r is not None for p in r)
            if all(r is not None for r in reads)
            else None
        )
        self.inferred = iris.inferred_graph
        self.defaults = iris.defaults_graph
        # A store that knows LATERAL (Oxigraph) can be told to look patterns up from the rows
        # before them, one by one; other stores get standard SPARQL 1.1.
        self._lateral = bool(getattr(store, "supports_lateral", False))
        # A store whose quads can be read pattern by pattern has the rules applied here.
        self._local = LocalRules(ruleset) if isinstance(store, LocalStore) else None

    def work(self, name: str) -> URIRef:
        return self.iris.staging_graph(f"reasoning-{name}")

    # -- the state of the inferred graphs --------------------------------------------------------

    def up_to_date(self) -> bool:
        """False while the inferred graphs are being changed, or after a change was cut short."""
        return self.inferences_up_to_date(self.store, self.iris)

    @staticmethod
    def inferences_up_to_date(store: Store, iris: Iris) -> bool:
        """Whether the inferred graphs of ``store`` follow what its sources assert."""
        answer = store.select(
            f"ASK {{ GRAPH {term(iris.sources_graph)} {{ {term(iris.inferred_graph)} {term(LKG.upToDate)} false }} }}"
        )
        return not answer.boolean

    def mark_stale(self) -> None:
        """Say the inferred graphs no longer follow the asserted ones (a source was committed
        without reasoning, the model changed): the next reasoning run computes them afresh."""
        self._mark(False)

    def _mark(self, up_to_date: bool) -> None:
        graph, node = term(self.iris.sources_graph), term(self.inferred)
        value = Literal(up_to_date, datatype=XSD.boolean).n3()
        self.store.update(
            f"DELETE WHERE {{ GRAPH {graph} {{ {node} {term(LKG.upToDate)} ?v }} }} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{ {node} {term(LKG.upToDate)} {value} }} }}"
        )

    # -- SPARQL of the rules ------------------------------------------------------------------

    @staticmethod
    def _atom(pattern: str, variable: str, excluded: Sequence[URIRef]) -> str:
        where = f"GRAPH ?{variable} {{ {pattern} }}"
        if excluded:
            where += f" FILTER (?{variable} NOT IN ({', '.join(term(g) for g in excluded)}))"
        return where

    def _body(
        self,
        rule: Rule | Check,
        delta: URIRef | None,
        index: int | None,
        excluded: Sequence[URIRef],
        *,
        values_last: bool = False,
    ) -> str:
        body = rule.body if isinstance(rule, Rule) else rule.atoms
        atoms = [
            f"GRAPH {term(delta)} {{ {atom} }}"
            if delta is not None and i == index
            else self._atom(atom, f"g{i}", excluded)
            for i, atom in enumerate(body)
        ]
        condition = rule.condition
        if delta is not None and index is not None and len(atoms) > 1 and self._lateral:
            # The few new triples first, and the rest of the store looked up from each: a
            # planner that starts from the other atom reads every statement of its property.
            others = [a for i, a in enumerate(atoms) if i != index]
            return (
                f"{rule.values}\n  {atoms[index]}\n  LATERAL {{ " + " ".join(others) + " }"
                + (f"\n  {condition}" if condition else "")
            )
        if values_last:
            # The atoms first, from the nodes bound before them; the axioms' values then only
            # filter. Given first, the store starts from every instance of every class in them.
            return "\n  ".join(atoms) + f"\n  {rule.values}" + (f"\n  {condition}" if condition else "")
        return f"{rule.values}\n  " + "\n  ".join(atoms) + (f"\n  {condition}" if condition else "")

    def _derivations(
        self, delta: URIRef | None, into: URIRef, excluded: Sequence[URIRef], also: URIRef | None = None
    ) -> Iterator[str]:
        """INSERT operations adding to ``into`` (and to ``also``) every new triple one rule
        application gives, with one body atom matched in ``delta`` (or anywhere when None)."""
        targets = [g for g in (into, also) if g is not None]
        for rule in self.ruleset.rules:
            head = " ".join(f"GRAPH {term(g)} {{ {rule.head} }}" for g in targets)
            for index in range(len(rule.body)) if delta is not None else [None]:
                yield (
                    f"INSERT {{ {head} }}\nWHERE {{\n  "
                    f"{self._body(rule, delta, index, excluded)}\n"
                    f"  FILTER NOT EXISTS {{ {self._atom(rule.head, 'h', excluded)} }}\n}}"
                )

    def _overdeletions(self, delta: URIRef, into: URIRef, found: URIRef) -> Iterator[str]:
        """INSERT operations adding to ``into`` each inferred triple a rule derives with one body
        atom in ``delta`` (triples leaving the store), matched against the store before removal."""
        for rule in self.ruleset.rules:
            for index in range(len(rule.body)):
                yield (
                    f"INSERT {{ GRAPH {term(into)} {{ {rule.head} }} }}\nWHERE {{\n  "
                    f"{self._body(rule, delta, index, [self.iris.sources_graph])}\n"
                    f"  GRAPH {term(self.inferred)} {{ {rule.head} }}\n"
                    f"  FILTER NOT EXISTS {{ GRAPH {term(found)} {{ {rule.head} }} }}\n}}"
                )

    def _rederivations(self, candidates: URIRef, into: URIRef, excluded: Sequence[URIRef]) -> Iterator[str]:
        """INSERT operations adding to ``into`` each candidate that a rule still derives from
        what remains in the store."""
        for rule in self.ruleset.rules:
            yield (
                f"INSERT {{ GRAPH {term(into)} {{ {rule.head} }} }}\nWHERE {{\n"
                f"  GRAPH {term(candidates)} {{ {rule.head} }}\n  "
                f"{self._body(rule, None, None, excluded)}\n"
                f"  FILTER NOT EXISTS {{ {self._atom(rule.head, 'h', excluded)} }}\n}}"
            )

    def _request(self, operations: Iterable[str]) -> None:
        # One request, one prologue: the operations run in order, in one transaction.
        self.store.update(_PROLOGUE + " ;\n".join(operations))

    # -- the steps ---------------------------------------------------------------------------

    def derive(self, start: Sequence[URIRef] | None, target: URIRef, excluded: Sequence[URIRef] = ()) -> int:
        """Add to ``target`` everything new that follows from the triples of ``start`` (from all
        triples when None), round by round; returns how many triples were added."""
        excluded = [*excluded, *self._not_premises()]
        if start is not None and self._local is not None:
            return self._derive_here(start, target, excluded)
        rounds = [self.work("round-a"), self.work("round-b")]
        self.store.update(" ;\n".join(f"DROP SILENT GRAPH {term(g)}" for g in rounds))
        if start is not None:
            if not start:
                return 0
            self.store.update(" ;\n".join(f"ADD SILENT GRAPH {term(g)} TO {term(rounds[0])}" for g in start))
        source: URIRef | None = rounds[0] if start is not None else None
        fresh = rounds[1] if start is not None else rounds[0]
        added = 0
        while True:
            # Each new triple goes to the target and to this round's graph, the next round's
            # premises: written twice, never copied from graph to graph (a copy of a large
            # graph is a write and a delete of each of its triples).
            self._request(self._derivations(source, fresh, excluded, also=target))
            found = self.store.count(fresh)
            added += found
            if source is not None:
                self.store.update(f"DROP SILENT GRAPH {term(source)}")
            if not found:
                break
            source, fresh = fresh, (rounds[0] if fresh == rounds[1] else rounds[1])
        self.store.update(" ;\n".join(f"DROP SILENT GRAPH {term(g)}" for g in rounds))
        return added

    def _derive_here(self, start: Sequence[URIRef], target: URIRef, excluded: Sequence[URIRef]) -> int:
        """``derive``, the rules applied in this process to the store's triples."""
        store = self.store
        assert self._local is not None and isinstance(store, LocalStore)
        # The triples of ``start`` held here, beside the rest of the store, as a batch of new
        # sources is.
        delta = {t for g in start for t in store.triples_in(g)}
        found = self._local.follow(delta, store.matcher([*excluded, *start])).found
        if found:
            store.add_triples(target, found)
        return len(found)

    def _removal_work(self) -> list[URIRef]:
        """The work graphs of a retraction: they hold triples leaving the store."""
        return [self.work("removed"), self.work("overdeleted"), self.work("candidates")]

    def _not_premises(self) -> list[URIRef]:
        # The retraction's work graphs (triples leaving the store are no premises once they
        # are gone), and the catalogue, which describes the graphs and is not part of what
        # they say. Only the work graphs are dropped after a retraction.
        return [*self._removal_work(), self.iris.sources_graph]

    def retract(self, graphs: Sequence[URIRef], keep_out: Sequence[URIRef] = ()) -> None:
        """Take out of the inferred graphs what rests on ``graphs`` (sources about to leave),
        and reason as if they and ``keep_out`` (sources not yet committed) were not there.

        Delete and rederive: the triples leaving are those of ``graphs`` stated nowhere else;
        every inferred triple derivable with one of them is taken out, round by round; those
        that still follow from what remains are put back, with all that follows from them.
        """
        removed, overdeleted, candidates = self._removal_work()
        delta, fresh = self.work("od-delta"), self.work("od-fresh")
        gone = [*graphs, *keep_out]
        inferred_or_work = [self.inferred, self.defaults, *self._not_premises(), delta, fresh]
        self.store.update(
            " ;\n".join(
                f"DROP SILENT GRAPH {term(g)}" for g in (removed, overdeleted, candidates, delta, fresh)
            )
        )
        self.store.update(
            " ;\n".join(
                f"INSERT {{ GRAPH {term(removed)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {term(g)} {{ ?s ?p ?o }}"
                f" FILTER NOT EXISTS {{ {self._atom('?s ?p ?o', 'other', [*gone, *inferred_or_work])} }} }}"
                for g in graphs
            )
        )
        if not self.store.count(removed):
            return
        self.store.update(f"ADD {term(removed)} TO {term(delta)}")
        while True:
            self._request(self._overdeletions(delta, fresh, overdeleted))
            if not self.store.count(fresh):
                break
            self.store.update(
                f"ADD {term(fresh)} TO {term(overdeleted)} ;\nDROP SILENT GRAPH {term(delta)} ;\n"
                f"MOVE {term(fresh)} TO {term(delta)}"
            )
        self.store.update(
            f"DELETE {{ GRAPH {term(self.inferred)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {term(overdeleted)} {{ ?s ?p ?o }} }} ;\n"
            f"ADD {term(overdeleted)} TO {term(candidates)} ;\nADD {term(removed)} TO {term(candidates)} ;\n"
            f"DROP SILENT GRAPH {term(delta)} ;\nDROP SILENT GRAPH {term(fresh)}"
        )
        excluded = [*gone, *self._not_premises()]
        back = self.work("rederived")
        self.store.update(f"DROP SILENT GRAPH {term(back)}")
        self._request(self._rederivations(candidates, back, excluded))
        self.store.update(
            f"ADD {term(back)} TO {term(self.inferred)} ;\n"
            + " ;\n".join(f"DROP SILENT GRAPH {term(g)}" for g in self._removal_work())
        )
        self.derive([back], self.inferred, gone)
        self.store.update(f"DROP SILENT GRAPH {term(back)}")

    def clashes(
        self, touched: Sequence[URIRef] | None = None, excluded: Sequence[URIRef] = ()
    ) -> list[Clash]:
        """What breaks a consistency axiom: everywhere, or on the subjects of ``touched``."""
        excluded = [*excluded, *self._not_premises()]
        found: dict[tuple[str, str, str, str], Clash] = {}
        nodes = ""
        if touched is not None:
            # The nodes first, then each check from them: joined with a subquery, the store
            # would run the check over the whole graph.
            subjects = self.touched_by(touched)
            if not subjects:
                return []
            nodes = f"VALUES ?node {{ {' '.join(term(n) for n in subjects)} }}\n  "
        # Given the atoms after the nodes, most planners start from the nodes.
        lateral = bool(nodes) and self._lateral
        for check in self.ruleset.checks:
            body = self._body(check, None, None, excluded, values_last=bool(nodes))
            query = (
                f"{_PROLOGUE}SELECT DISTINCT ?node ?axiom ?first ?second WHERE {{\n  {nodes}"
                + (f"LATERAL {{\n  {body}\n  }}\n}}" if lateral else f"{body}\n}}")
            )
            for row in self.store.select(query):
                node, axiom, first, second = row["node"], row["axiom"], row["first"], row["second"]
                if not isinstance(node, URIRef) or axiom is None or first is None or second is None:
                    continue
                key = (check.name, str(node), str(first), str(second))
                if key not in found:
                    found[key] = Clash(
                        check.name, node, _axiom(check, axiom, second), first, second, self._where(node)
                    )
        return sorted(found.values(), key=lambda c: (str(c.node), c.check, str(c.first)))

    def _where(self, node: URIRef) -> tuple[URIRef, ...]:
        rows = self.store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {term(node)} ?p ?o }} }}")
        return tuple(sorted(g for g in (r["g"] for r in rows) if isinstance(g, URIRef)))

    # -- defaults ----------------------------------------------------------------------------

    def apply_defaults(self, touched: Sequence[URIRef] | None = None) -> None:
        """Bring the defaults graph to what the default rules conclude now, and the OWL 2 RL
        inferences to match (the default rules only read what OWL reasoning cannot change).

        With ``touched`` (the nodes whose statements changed), only the conclusions that may
        depend on them are worked out again, where every rule says which those are.
        """
        if touched is not None and all(rule.about for rule in self.default_rules):
            wanted, current = self._defaults_about(touched)
        else:
            wanted, current = self._defaults_everywhere()
        added, dropped = wanted - current, current - wanted
        if not added and not dropped:
            return
        if dropped:
            gone = self.work("defaults-dropped")
            self.store.replace_graph(gone, dropped)
            self.retract([gone], keep_out=[self.defaults])
            self.store.update(
                f"DELETE {{ GRAPH {term(self.defaults)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {term(gone)} {{ ?s ?p ?o }} }} ;\n"
                f"DROP SILENT GRAPH {term(gone)}"
            )
            # What the retraction put aside because it rests on the defaults that stay.
            self.derive([self.defaults], self.inferred)
        if added:
            new = self.work("defaults-added")
            self.store.replace_graph(new, added)
            self.store.update(f"ADD {term(new)} TO {term(self.defaults)}")
            self.derive([new], self.inferred)
            # A new default can restate what OWL inferred: the inferred graph keeps only the rest.
            self.store.update(
                f"DELETE {{ GRAPH {term(self.inferred)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {term(new)} {{ ?s ?p ?o }} }} ;\n"
                f"DROP SILENT GRAPH {term(new)}"
            )

    def _defaults_everywhere(self) -> tuple[Graph, Graph]:
        """What the default rules conclude, and what the defaults graph holds, over the whole
        store: the rules read the union of all graphs, the defaults graph put aside meanwhile
        (a store answers a query over a list of thousands of graphs slowly)."""
        current = self.store.graph(self.defaults)
        if current:
            self.store.update(f"DROP SILENT GRAPH {term(self.defaults)}")
        wanted = Graph()
        for rule in self.default_rules:
            wanted += self.store.construct(rule.text)
        if current:
            self.store.replace_graph(self.defaults, current)
        return wanted, current

    def _defaults_about(self, touched: Sequence[URIRef]) -> tuple[Graph, Graph]:
        """What the default rules conclude, and what the defaults graph holds, about the nodes
        whose conclusions may have changed: the touched ones and those that read them.

        The rules read the union of all graphs (a store answers a query over a list of hundreds
        of graphs slowly), less the defaults graph's conclusions about these nodes and about
        what they read, which are put aside meanwhile: a rule reads what sources say and what
        OWL concludes, never what it concluded itself. A crash meanwhile leaves the inferred
        graphs marked stale, to be worked out afresh.
        """
        if not touched:
            return Graph(), Graph()
        affected = set(touched)
        read: set[URIRef] = set()
        for rule in self.default_rules:
            if rule.reads_along is not None:
                # A transitive property's closure is in the store already: one step reaches
                # as far as a path would, on stores that cannot start a path from VALUES.
                along = term(rule.reads_along) + ("" if rule.reads_along in self.ruleset.transitive else "+")
                affected |= self._nodes(f"?node {along} ?given", touched)
                read |= self._nodes(f"?given {along} ?node", sorted(affected, key=str))
        block = " ".join(term(n) for n in sorted(affected, key=str))
        aside = self.store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {block} {' '.join(term(n) for n in read)} }} "
            f"GRAPH {term(self.defaults)} {{ ?s ?p ?o }} }}"
        )
        defaults = term(self.defaults)
        if aside:
            self.store.update(f"DELETE DATA {{ GRAPH {defaults} {{ {ntriples_block(aside)} }} }}")
        wanted = Graph()
        for rule in self.default_rules:
            wanted += self.store.construct(rule.bound_to(block))
        if aside:
            self.store.update(f"INSERT DATA {{ GRAPH {defaults} {{ {ntriples_block(aside)} }} }}")
        current = Graph()
        for triple in aside:
            if triple[0] in affected:
                current.add(triple)
        return wanted, current

    def _nodes(self, pattern: str, given: Sequence[URIRef]) -> set[URIRef]:
        """The IRIs ``?node`` that ``pattern`` finds from any of ``given`` (as ``?given``)."""
        rows = self.store.select(
            f"SELECT DISTINCT ?node WHERE {{ VALUES ?given {{ {' '.join(term(n) for n in given)} }} {pattern} }}"
        )
        return {n for n in rows.column("node") if isinstance(n, URIRef)}

    def touched_by(self, graphs: Sequence[URIRef]) -> tuple[URIRef, ...]:
        """The nodes ``graphs`` say something of."""
        if not graphs:
            return ()
        rows = self.store.select(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {' '.join(term(g) for g in graphs)} }} "
            "GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s)) }"
        )
        return tuple(s for s in rows.column("s") if isinstance(s, URIRef))

    # -- sources coming and going ------------------------------------------------------------

    def prepare(self, staged: Sequence[URIRef], replaces: Sequence[URIRef] = ()) -> Preparation:
        """What a staged source adds to the inferred graphs, in a work graph, and the clashes
        it brings; the graphs it replaces are reasoned away first. Nothing is committed: pass
        :meth:`Preparation.operations` to the commit, or :meth:`abandon` the preparation."""
        self._mark(False)
        if replaces:
            self.retract(replaces, keep_out=staged)
        added = self.work("added")
        self.store.update(f"DROP SILENT GRAPH {term(added)}")
        self.derive(staged, added, replaces)
        return Preparation(
            staged=tuple(staged),
            replaces=tuple(replaces),
            added=added,
            inferred=self.inferred,
            clashes=self.clashes([*staged, added], replaces),
            touched=self.touched_by([*staged, *replaces, added]),
        )

    @property
    def works_here(self) -> bool:
        """Whether :meth:`prepare_new` can work out inferences in this process (otherwise the
        store applies the rules itself, through :meth:`prepare`)."""
        return self._local is not None and self._local.checks_everything and isinstance(self.store, LocalStore)

    def prepare_new(self, asserted: Sequence[OxTriple]) -> NewTriples:
        """What the triples of new sources, not written yet or being written, add to the
        inferred graphs, worked out in this process (where :attr:`works_here`). Mark the
        inferred graphs as changing first (:meth:`mark_stale`); then commit and :meth:`settle`
        (or, on a clash, mark them again by committing the sources one by one)."""
        store, local = self.store, self._local
        assert local is not None and isinstance(store, LocalStore), "the rules do not work here"
        given = as_stored(asserted)
        following = local.follow(given, store.matcher(self._not_premises()))
        added, new_nodes = following.found, following.new_nodes
        # New sources only add: these triples are every change the default rules may read.
        read = self._defaults_read
        touched = {
            s for s, p, _ in (*given, *added) if isinstance(s, ox.NamedNode) and (read is None or p in read)
        }
        clashes = local.clashing((*given, *added), following.world)
        in_inferred = store.holder(self.inferred)
        return NewTriples(
            added=frozenset(added),
            restated=tuple(t for t in given if not {t[0], t[2]} & new_nodes and in_inferred(t)),
            clashes=clashes,
            touched=tuple(sorted(URIRef(n.value) for n in touched)),
        )

    def abandon(self, preparation: Preparation) -> None:
        """Forget a preparation: the inferred graphs are as they were before it."""
        self.store.update(f"DROP SILENT GRAPH {term(preparation.added)}")
        if preparation.replaces:
            self.derive(preparation.replaces, self.inferred, preparation.staged)
        self._mark(True)

    def settle(self, touched: Sequence[URIRef] | None = None) -> None:
        """After a commit or a removal: the default rules, and the inferred graphs up to date.

        ``touched``: the nodes whose statements changed (:attr:`Preparation.touched`), so that
        only what depends on them is worked out again; None works everything out again.
        """
        self.apply_defaults(touched=touched)
        self._mark(True)

    def remove(self, graphs: Sequence[URIRef], drop: Callable[[], None]) -> None:
        """Reason ``graphs`` away, ``drop`` them from the store, and settle."""
        self._mark(False)
        touched = self.touched_by(graphs)
        self.retract(graphs)
        drop()
        self.settle(touched)

    # -- whole operations --------------------------------------------------------------------

    def recompute(self) -> list[Clash]:
        """The inferred graphs afresh from all asserted graphs. On a clash the previous inferred
        graphs are kept, and the clashes returned.

        The previous inferred graphs wait in a temporary file, out of the store: a default rule
        reads the union of the graphs, which must not hold them (a crash meanwhile leaves the
        graphs marked stale, to be worked out afresh on the next run).
        """
        self._mark(False)
        with tempfile.TemporaryDirectory(prefix="legalkg-reasoning-") as folder:
            kept = {graph: Path(folder) / f"{n}.nt" for n, graph in enumerate((self.inferred, self.defaults))}
            for graph, path in kept.items():
                with path.open("wb") as out:
                    for chunk in self.store.export_chunks(graph, _CHUNK):
                        out.write(chunk.body)
            self.store.update(" ;\n".join(f"DROP SILENT GRAPH {term(g)}" for g in kept))
            self.derive(None, self.inferred)
            self.apply_defaults()
            clashes = self.clashes(None)
            if clashes:
                for graph, path in kept.items():
                    self.store.replace_chunks(graph, ntriples_chunks(path.read_bytes(), _CHUNK))
                return clashes
        self._mark(True)
        return []


def _axiom(check: Check, axiom: Node, second: Node) -> str:
    if check.name == "cax-dw":
        return f"{_short(axiom)} owl:disjointWith {_short(second)}"
    return f"{_short(axiom)} a owl:FunctionalProperty"


def _short(node: Node) -> str:
    text = str(node)
    for namespace, prefix in (
        ("https://w3id.org/legalkg/ontology#", "lkg:"),
        ("https://schema.org/", "schema:"),
        ("http://www.w3.org/2004/02/skos/core#", "skos:"),
    ):
        if text.startswith(namespace):
            return prefix + text[len(namespace) :]
    return f"<{text}>"
