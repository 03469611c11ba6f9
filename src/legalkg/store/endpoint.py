"""Talking to a SPARQL 1.1 server: its endpoints, credentials, patience and quirks.

SPARQLWrapper builds the query and update requests (the parameters, GET or a form-encoded
POST, the Accept header); the Graph Store Protocol requests are plain HTTP. Both go through one
opener, so that credentials, timeouts, retries and errors are handled once:

- a query goes by GET while its URL is short, by a form-encoded POST when it is long (a POST
  with ``Content-Type: application/sparql-query`` can hang on Virtuoso; a form never does);
- connection refused and HTTP 502/503/504 are retried with a doubling pause, a bounded number
  of times, then reported as one :class:`EndpointError` naming the endpoint and the status;
- each request has a client-side timeout, and the server is asked for the same limit where it
  takes one as a parameter;
- credentials go in headers built here (basic, bearer) or by urllib's digest handler, and are
  never logged or put in a message.
"""

from __future__ import annotations

import base64
import http.client
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message

from SPARQLWrapper import POST, SPARQLWrapper

from legalkg.errors import EndpointError
from legalkg.settings import RemoteOptions

log = logging.getLogger(__name__)

MAX_GET_URL = 2000  # longer URLs are refused by some proxies and servers: POST instead
FIRST_PAUSE = 0.5  # seconds before the first retry; doubled each time
RETRIED_STATUSES = (502, 503, 504)


@dataclass(frozen=True)
class Flavour:
    """What differs between SPARQL servers, as far as legalkg is concerned."""

    name: str
    lists_empty_graphs: bool = True  # ``GRAPH ?g {}`` names the graphs (SPARQL 1.1 says so)
    timeout_parameter: str | None = None  # the request parameter that limits a query's time
    timeout_unit: float = 1.0  # how many of the parameter's units make a second
    # Takes N-Quads POSTed to its Graph Store endpoint with no graph named: several graphs in
    # one request (an extension of the protocol that Oxigraph and Fuseki share).
    takes_quads: bool = False
    # Reads a request body sent in HTTP chunks as it comes: a large graph goes in one request.
    streams: bool = False


GENERIC = Flavour("generic")
FLAVOURS = {
    # A time limit is a server option (--timeout-s).
    "oxigraph": Flavour("oxigraph", takes_quads=True, streams=True),
    # Virtuoso answers GRAPH ?g {} with one empty row; its limit is in milliseconds.
    "virtuoso": Flavour("virtuoso", lists_empty_graphs=False, timeout_parameter="timeout", timeout_unit=1000),
    "fuseki": Flavour("fuseki", timeout_parameter="timeout", takes_quads=True, streams=True),
    "graphdb": Flavour("graphdb", timeout_parameter="timeout", streams=True),
}


def flavour_of(server_header: str | None) -> Flavour:
    """The flavour of a server from its ``Server`` response header."""
    text = (server_header or "").lower()
    for name, flavour in FLAVOURS.items():
        if name in text:
            return flavour
    return GENERIC


@dataclass(frozen=True)
class Endpoints:
    """Where queries, updates and Graph Store Protocol requests go (no GSP: None)."""

    query: str
    update: str
    graph_store: str | None


def derive_endpoints(url: str, options: RemoteOptions, flavour: Flavour) -> Endpoints:
    """The endpoints of a server at ``url``: those set in ``options``, else its known layout.

    A bare address (``http://host:7878``) is Oxigraph's layout (``/query``, ``/update``,
    ``/store``); ``…/query`` has ``…/update`` beside it (and ``…/store`` on Oxigraph, ``…/data``
    on Fuseki); Virtuoso's ``/sparql`` takes updates too, its GSP is ``/sparql-graph-crud``;
    GraphDB's ``/repositories/ID`` takes updates at ``…/statements``. Elsewhere updates go to
    the query URL, and graphs travel as SPARQL Update when no GSP endpoint is set.
    """
    parts = urllib.parse.urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    query, update, store = url, url, None
    if not path:
        query, update, store = f"{root}/query", f"{root}/update", f"{root}/store"
    elif path.endswith("/query"):
        base = url[: url.rindex("/query")]
        update = f"{base}/update"
        store = {"oxigraph": f"{base}/store", "fuseki": f"{base}/data"}.get(flavour.name)
    elif flavour.name == "virtuoso" and path.endswith(("/sparql", "/sparql-auth")):
        store = f"{root}/sparql-graph-crud" + ("-auth" if path.endswith("-auth") else "")
    elif flavour.name == "fuseki" and path.endswith("/sparql"):
        store = url[: url.rindex("/sparql")] + "/data"
    elif "/repositories/" in path and path.count("/") == 2:
        update, store = f"{url.rstrip('/')}/statements", f"{url.rstrip('/')}/rdf-graphs/service"
    return Endpoints(
        query=options.query or query,
        update=options.update or update,
        graph_store=options.graph_store or store,
    )


def without_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without a ``user:password@`` part, and that user and password."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password else None
    return clean, user, password


@dataclass
class Response:
    """A successful answer: its body and headers."""

    body: bytes
    headers: Message

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()


class Connection:
    """Requests to one SPARQL server, with its credentials, timeouts and retries."""

    def __init__(self, url: str, options: RemoteOptions) -> None:
        self.url, user, password = without_credentials(url)
        self.options = options
        self.user = options.user or user
        self.password = options.password or password
        self.flavour: Flavour | None = None
        self.endpoints = derive_endpoints(self.url, options, GENERIC)
        handlers: list[urllib.request.BaseHandler] = []
        if self.user and self.password and options.auth == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.url, self.user, self.password)
            for endpoint in (options.query, options.update, options.graph_store):
                if endpoint:
                    manager.add_password(None, endpoint, self.user, self.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self._opener = urllib.request.build_opener(*handlers)

    # -- what the server is ----------------------------------------------------------------------

    def identify(self) -> Flavour:
        """Ask the server a trivial question, once: it says what it is (and whether it answers)."""
        if self.flavour is None:
            response = self._query_request("ASK {}", accept="application/sparql-results+json")
            self._learn(response)
        assert self.flavour is not None
        return self.flavour

    def _learn(self, response: Response) -> None:
        if self.flavour is None:
            self.flavour = flavour_of(response.headers.get("Server"))
            self.endpoints = derive_endpoints(self.url, self.options, self.flavour)
            log.debug("%s is %s; endpoints %s", self.url, self.flavour.name, self.endpoints)

    # -- SPARQL Query and Update ----------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        accept: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Response:
        """Run a query; ``default_graphs`` name the graphs whose union is the default graph,
        ``named_graphs`` those a GRAPH pattern may match (the server's choice when both are None)."""
        self.identify()
        return self._query_request(
            text, accept=accept, default_graphs=default_graphs, named_graphs=named_graphs
        )

    def _query_request(
        self,
        text: str,
        *,
        accept: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Response:
        wrapper = self._wrapper(self.endpoints.query, text)
        for graph in default_graphs or ():
            wrapper.addParameter("default-graph-uri", graph)
        for graph in named_graphs or ():
            wrapper.addParameter("named-graph-uri", graph)
        flavour = self.flavour or GENERIC
        if flavour.timeout_parameter:
            wrapper.addParameter(
                flavour.timeout_parameter, str(int(self.options.timeout * flavour.timeout_unit))
            )
        wrapper.addCustomHttpHeader("Accept", accept)
        request = wrapper._createRequest()
        if len(request.full_url) > MAX_GET_URL:
            wrapper.setMethod(POST)
            request = wrapper._createRequest()
        return self._send(request, self.endpoints.query)

    def update(self, text: str) -> None:
        """Run a SPARQL Update request: one request, one transaction on the server."""
        self.identify()
        wrapper = self._wrapper(self.endpoints.update, text, update=True)
        wrapper.setMethod(POST)
        self._send(wrapper._createRequest(), self.endpoints.update)

    def _wrapper(self, endpoint: str, text: str, *, update: bool = False) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(endpoint, updateEndpoint=endpoint, agent="legalkg")
        # Content negotiation only: the format=/output= parameters SPARQLWrapper adds otherwise
        # make some servers answer 406.
        wrapper.setOnlyConneg(True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its guess at the query's form, overruled below
            wrapper.setQuery(text)
        # SPARQLWrapper guesses query or update from the first keyword it finds, comments
        # included ("addresses" in a comment reads as ADD): the caller knows better.
        wrapper.queryType = "INSERT" if update else "SELECT"
        return wrapper

    # -- the Graph Store Protocol ---------------------------------------------------------------

    def graph_store(
        self,
        method: str,
        graph: str | None,
        *,
        body: bytes | list[bytes] | None = None,
        content_type: str = "application/n-triples",
        accept: str | None = None,
    ) -> Response | None:
        """A Graph Store Protocol request on ``graph`` (on the whole store when None); None
        when the graph does not exist. A body in pieces goes in HTTP chunks, as they come."""
        self.identify()
        endpoint = self.endpoints.graph_store
        assert endpoint is not None, "no Graph Store Protocol endpoint"
        url = endpoint
        if graph is not None:
            url += ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"graph": graph})
        request = urllib.request.Request(url, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", content_type)
        # An answer to a write is a status, not a graph: Virtuoso refuses (406) to write when
        # the client accepts only N-Triples back.
        request.add_header("Accept", accept or ("application/n-triples" if method == "GET" else "*/*"))
        try:
            return self._send(request, endpoint)
        except EndpointError as exc:
            if exc.status == 404:
                return None
            raise

    # -- sending --------------------------------------------------------------------------------

    def _send(self, request: urllib.request.Request, endpoint: str) -> Response:
        if self.options.token:
            request.add_header("Authorization", f"Bearer {self.options.token}")
        elif self.user and self.password and self.options.auth == "basic":
            pair = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {pair}")
        for attempt in range(self.options.retries + 1):
            started = time.monotonic()
            try:
                with self._opener.open(request, timeout=self.options.timeout) as answer:
                    response = Response(answer.read(), answer.headers)
                log.debug(
                    "%s %s: %d bytes in %.3f s",
                    request.get_method(),
                    endpoint,
                    len(response.body),
                    time.monotonic() - started,
                )
                self._learn(response)
                self._check_partial(response, endpoint)
                return response
            except urllib.error.HTTPError as exc:
                status, detail = exc.code, _first_line(exc.read())
                if status not in RETRIED_STATUSES or attempt == self.options.retries:
                    raise self._error(endpoint, status, detail, attempt) from exc
            except TimeoutError as exc:
                raise self._timeout(endpoint) from exc
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, TimeoutError):
                    raise self._timeout(endpoint) from exc
                if not isinstance(reason, ConnectionRefusedError) or attempt == self.options.retries:
                    raise self._error(endpoint, None, _reason(reason), attempt) from exc
            except (ConnectionError, http.client.HTTPException) as exc:
                # The server closed the connection mid-answer: it may have done the work, so this
                # is not retried.
                raise self._error(endpoint, None, _reason(exc), attempt) from exc
            pause = FIRST_PAUSE * 2**attempt
            log.info("%s did not answer (attempt %d); trying again in %.1f s", endpoint, attempt + 1, pause)
            time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _timeout(self, endpoint: str) -> EndpointError:
        return EndpointError(endpoint, f"no answer within {self.options.timeout:g} s (LEGALKG_TIMEOUT)")

    def _error(self, endpoint: str, status: int | None, detail: str, attempt: int) -> EndpointError:
        tries = f" (gave up after {attempt + 1} attempts)" if attempt else ""
        if status in (401, 403):
            detail = (
                "the server refused the credentials; set LEGALKG_USER and LEGALKG_PASSWORD, or "
                "LEGALKG_TOKEN (or the [remote] table of legalkg.toml)"
            )
        return EndpointError(endpoint, f"{detail}{tries}", status)

    def _check_partial(self, response: Response, endpoint: str) -> None:
        # Virtuoso's "anytime" queries return what they found when the time runs out, and say so
        # only in a header: a partial answer would pass for a whole one.
        if response.headers.get("X-SQL-State") == "S1TAT":
            raise EndpointError(
                endpoint, f"the server stopped the query after {self.options.timeout:g} s (LEGALKG_TIMEOUT)"
            )


def _first_line(body: bytes) -> str:
    """The server's reason, from the first line of its answer that says something."""
    text = body.decode("utf-8", "replace")
    if "<" in text[:200]:  # an HTML page: its words, not its markup
        text = re.sub(
            r"<(title|head|style|script)\b.*?</\1>|<!DOCTYPE[^>]*>|<[^>]+>", "\n", text, flags=re.S | re.I
        )
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:300] or "the server gave no reason"


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; is the server running?"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    return str(reason)
