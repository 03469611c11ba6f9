"""The SPARQL endpoint's rules: read-only, no SERVICE unless enabled, a time and a row limit.

pyoxigraph cannot stop a query from outside, but it computes solutions lazily, as they are
read: the query runs in a worker thread that reads at most ``row_limit + 1`` solutions and
gives up between two solutions once past its deadline; the request waits no longer than the
deadline. A query that works long before its first solution (a large aggregate) keeps its
worker busy until it finishes; the pool of workers is small, so such queries cannot pile up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from legalkg.errors import QueryError, StoreError
from legalkg.store.base import QueryResult, Store
from legalkg.store.embedded import EmbeddedStore
from legalkg.store.terms import graph_of, solution_row


class QueryRefused(QueryError):
    """A query the endpoint will not run (an update, SERVICE); HTTP 403."""


class QueryTimeout(QueryError):
    """A query past its time limit; HTTP 503."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds
    row_limit: int = 10_000
    allow_service: bool = False


@dataclass
class Answer:
    """What a query gave: solutions, a boolean or triples, and whether rows were cut."""

    form: str  # select, ask, graph
    result: QueryResult | None = None
    graph: Graph | None = None
    truncated: bool = False


_KEYWORDS = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|SERVICE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", re.I)
# Strings, IRIs and comments hide keywords from the fallback scan below.
_NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*')


def _walk(node: Any) -> Iterator[Any]:
    """Every node of rdflib's parse tree: CompValues are dicts, ParseResults are lists."""
    from pyparsing import ParseResults

    yield node
    if isinstance(node, dict):
        children: list[Any] = list(node.values())
    elif isinstance(node, ParseResults):
        children = list(node) + list(node.values())  # type: ignore[no-untyped-call]
    elif isinstance(node, (list, tuple)):
        children = list(node)
    else:
        children = []
    for child in children:
        yield from _walk(child)


def check(query: str, limits: Limits) -> None:
    """Refuse what the endpoint does not run: updates, and SERVICE unless enabled.

    The query is parsed (rdflib's SPARQL grammar), so a SERVICE in a string, an IRI or a
    comment is no SERVICE, and one in any nested pattern is found.

    Raises:
        QueryRefused: for an update or a SERVICE clause.
        QueryError: for a query that does not parse.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except Exception as exc:
        try:
            parseUpdate(query)
        except Exception:
            # rdflib's grammar lags pyoxigraph's in places: scan the code outside strings,
            # IRIs and comments, and let the store judge the rest.
            words = {w.upper() for w in _KEYWORDS.findall(_NOT_CODE.sub(" ", query))}
            if "SERVICE" in words and not limits.allow_service:
                raise QueryRefused("SERVICE is not allowed on this endpoint") from exc
            if not words & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
                raise QueryError(f"the query does not parse: {exc}") from exc
            return
        raise QueryRefused("this endpoint is read-only: send queries, not updates") from exc
    if limits.allow_service:
        return
    for node in _walk(tree):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is not allowed on this endpoint (federated queries are off)")


def _run_embedded(
    store: EmbeddedStore, query: str, graphs: Sequence[URIRef] | None, limits: Limits, deadline: float
) -> Answer:
    raw = store._store  # the lazy solutions are what lets a query stop at its deadline
    try:
        if graphs:
            answer = raw.query(query, default_graph=[ox.NamedNode(str(g)) for g in graphs])
        else:
            answer = raw.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return Answer("ask", QueryResult(variables=[], boolean=bool(answer)))
    rows: list[Any] = []
    timed_out = False
    for item in answer:
        if time.monotonic() > deadline:
            timed_out = True
            break
        rows.append(item)
        if len(rows) > limits.row_limit:
            break
    truncated = len(rows) > limits.row_limit
    rows = rows[: limits.row_limit]
    if timed_out:
        # pyoxigraph's solutions belong to this thread: none may travel with the exception.
        del answer, rows, item
        raise QueryTimeout(f"the query took longer than {limits.timeout:g} s")
    if isinstance(answer, ox.QueryTriples):
        return Answer("graph", graph=graph_of(rows), truncated=truncated)
    variables = [v.value for v in answer.variables]
    result = QueryResult(
        variables=variables,
        rows=[solution_row(s, variables) for s in rows],
    )
    return Answer("select", result, truncated=truncated)


def _run_any(store: Store, query: str, graphs: Sequence[URIRef] | None, limits: Limits) -> Answer:
    # Another store (a remote endpoint) enforces its own limits; rows are cut here.
    form = _form(query)
    if form == "graph":
        graph = store.construct(query, graphs=graphs)
        triples = list(graph)
        cut = Graph()
        for t in triples[: limits.row_limit]:
            cut.add(t)
        return Answer("graph", graph=cut, truncated=len(triples) > limits.row_limit)
    result = store.select(query, graphs=graphs)
    if result.boolean is not None:
        return Answer("ask", result)
    truncated = len(result.rows) > limits.row_limit
    result.rows = result.rows[: limits.row_limit]
    return Answer("select", result, truncated=truncated)


def _form(query: str) -> str:
    for word in _KEYWORDS.findall(_NOT_CODE.sub(" ", query)):
        upper = word.upper()
        if upper in ("CONSTRUCT", "DESCRIBE"):
            return "graph"
        if upper in ("SELECT", "ASK"):
            return str(upper.lower())
    return "select"


class Executor:
    """Runs endpoint queries in a small pool of workers, each with a deadline."""

    def __init__(self, store: Store, limits: Limits, workers: int = 2) -> None:
        self.store = store
        self.limits = limits
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    def run(self, query: str, graphs: Sequence[URIRef] | None = None, *, saved: bool = False) -> Answer:
        """Check and run ``query``; a ``saved`` query (the project's own, its parameters bound
        as RDF terms) is not checked: parsing it again took longer than running it.

        Raises:
            QueryRefused, QueryTimeout, QueryError, StoreError.
        """
        if not saved:
            check(query, self.limits)
        deadline = time.monotonic() + self.limits.timeout
        if isinstance(self.store, EmbeddedStore):
            future = self._pool.submit(_run_embedded, self.store, query, graphs, self.limits, deadline)
        else:
            future = self._pool.submit(_run_any, self.store, query, graphs, self.limits)
        try:
            return future.result(timeout=self.limits.timeout + 0.5)
        except FutureTimeout as exc:
            raise QueryTimeout(f"the query took longer than {self.limits.timeout:g} s") from exc
        except StoreError:
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
