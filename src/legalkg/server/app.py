"""The application: routes over the stages (queries, publish, validation) and the store."""

from __future__ import annotations

import contextlib
import hmac
import json
import tempfile
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from legalkg import assets as assets_module
from legalkg.errors import AssetNotFoundError, InputError, LegalKGError, QueryError, StoreError, UsageError
from legalkg.results import MEDIA_TYPES, render
from legalkg.server import ServerOptions, resources
from legalkg.server.limits import BodyTooLarge, SizeLimits
from legalkg.server.negotiation import choose
from legalkg.server.sparql import Answer, Executor, Limits, QueryRefused, QueryTimeout
from legalkg.settings import Settings
from legalkg.store.base import Store

TEMPLATES = Path(__file__).parent / "templates"
RDF_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json"]
RESOURCE_OFFERS = ["text/html", *RDF_OFFERS]
SELECT_OFFERS = [MEDIA_TYPES[f] for f in ("json", "xml", "csv", "tsv")]
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
UPLOAD_LIMIT = 10 * 1024 * 1024


class NotFound(LegalKGError):
    """Nothing at this address."""


class Forbidden(LegalKGError):
    """A write without the token, or on a read-only server."""


# Errors to HTTP statuses, in one table; the first class that matches wins.
STATUSES: list[tuple[type[BaseException], int, str]] = [
    (NotFound, 404, "not_found"),
    (BodyTooLarge, 413, "body_too_large"),
    (Forbidden, 403, "forbidden"),
    (QueryRefused, 403, "query_refused"),
    (QueryTimeout, 503, "query_timeout"),
    (QueryError, 400, "bad_query"),
    (InputError, 400, "bad_input"),
    (UsageError, 400, "bad_request"),
    (StoreError, 502, "store_error"),
    (AssetNotFoundError, 500, "assets_missing"),
    (LegalKGError, 400, "error"),
]


def status_of(error: BaseException) -> tuple[int, str]:
    for cls, status, code in STATUSES:
        if isinstance(error, cls):
            return status, code
    return 500, "internal_error"


def create_app(settings: Settings, store: Store, options: ServerOptions | None = None) -> Starlette:
    """The application serving ``store`` with ``settings`` (its base IRI, its assets)."""
    options = options or ServerOptions()
    web = _Web(settings, store, options)
    routes = [
        Route("/", web.home),
        Route("/sparql", web.sparql, methods=["GET", "POST"]),
        Route("/queries", web.query_list),
        Route("/queries/{name}.{ext:str}", web.query_download),
        Route("/queries/{name}", web.query_page),
        Route("/dumps", web.dumps),
        Route("/dumps/{version}/{file}", web.dump_file),
        Route("/.well-known/void", web.void),
        Route("/context.jsonld", web.jsonld_context),
        Route("/validate", web.validate, methods=["GET", "POST"]),
        Route("/ingest", web.ingest, methods=["POST"]),
        Route("/{path:path}", web.resource),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        web.executor.close()  # a query still running must not hold the process at exit

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SizeLimits, max_query_string=options.max_query_string, max_body=options.max_body)],
        exception_handlers={LegalKGError: web.error},
        lifespan=lifespan,
    )
    app.state.web = web
    return app


class _Web:
    """The handlers, sharing the store, the templates and one pipeline."""

    def __init__(self, settings: Settings, store: Store, options: ServerOptions) -> None:
        self.settings = settings
        self.store = store
        self.options = options
        self.iris = settings.iris
        self.assets = assets_module.locate(settings.project_dir)
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.executor = Executor(store, Limits(options.timeout, options.row_limit, options.allow_service))
        self.dist_dir = options.dist_dir or settings.dist_dir
        self._pipeline: Any = None
        self._lock = threading.Lock()  # pyshacl and the pipeline's caches are not shared safely

    def pipeline(self) -> Any:
        from legalkg.pipeline import Pipeline

        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings, self.store, self.assets)
        return self._pipeline

    def html(self, request: Request, template: str, code: int = 200, **context: Any) -> Response:
        return self.templates.TemplateResponse(request, template, {"request": request, **context}, status_code=code)

    async def error(self, request: Request, exc: Exception) -> Response:
        status, code = status_of(exc)
        if choose(request.headers.get("accept"), ["application/json", "text/html"]) == "text/html":
            return self.html(request, "error.html", status, error=code, message=str(exc), status=status)
        return JSONResponse({"error": code, "message": str(exc)}, status_code=status)

    # -- pages -------------------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        return self.html(request, "home.html", base=self.iris.base)

    def resource(self, request: Request) -> Response:
        path = request.path_params["path"]
        iri = URIRef(self.iris.base + path)
        fmt = request.query_params.get("format")
        media = choose(request.headers.get("accept"), RESOURCE_OFFERS, fmt=fmt)
        if media is None:
            return PlainTextResponse("Not acceptable: " + ", ".join(RESOURCE_OFFERS), status_code=406)
        if media == "text/html":
            docs = self._latest_file("ontology.html")
            if path == "ontology" and docs is not None:
                return FileResponse(docs, media_type="text/html")  # the ontology's pyLODE pages
            page = resources.page(self.store, iri, self.iris)
            if page is None:
                raise NotFound(f"the graph says nothing of <{iri}>")
            alternates = {m: f"{request.url.path}?{urlencode({'format': m})}" for m in RDF_OFFERS}
            return self.html(request, "resource.html", page=page, alternates=alternates)
        graph = resources.describe(self.store, iri)
        if not len(graph):
            raise NotFound(f"the graph says nothing of <{iri}>")
        return _graph_response(graph, media)

    # -- SPARQL ------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        query, graphs = await _protocol_query(request)
        if query is None:
            if choose(request.headers.get("accept"), ["text/html", "application/json"]) == "text/html":
                return self.html(request, "sparql.html", limits=self.executor.limits)
            raise QueryError("give a SPARQL query in the 'query' parameter")
        from starlette.concurrency import run_in_threadpool

        answer: Answer = await run_in_threadpool(self.executor.run, query, graphs)
        headers = {"X-Result-Truncated": "true"} if answer.truncated else {}
        accept, fmt = request.headers.get("accept"), request.query_params.get("format")
        if answer.form == "graph":
            assert answer.graph is not None
            media = choose(accept, RDF_OFFERS, fmt=fmt)
            if media is None:
                return PlainTextResponse("Not acceptable: " + ", ".join(RDF_OFFERS), status_code=406)
            return _graph_response(answer.graph, media, headers)
        offers = SELECT_OFFERS[:2] if answer.form == "ask" else SELECT_OFFERS
        media = choose(accept, offers, fmt=fmt)
        if media is None:
            return PlainTextResponse("Not acceptable: " + ", ".join(offers), status_code=406)
        short = {v: k for k, v in MEDIA_TYPES.items()}[media]
        assert answer.result is not None
        return Response(render(answer.result, short), media_type=media, headers=headers)

    # -- saved queries -----------------------------------------------------------------------

    def _saved(self, name: str) -> Any:
        from legalkg.queries import catalogue

        queries = catalogue(self.assets.queries_dir)
        if name not in queries:
            raise NotFound(f"no saved query '{name}' (known: {', '.join(sorted(queries))})")
        return queries[name]

    def _run_saved(self, request: Request, saved: Any) -> Any:
        from legalkg.queries import bind
        from legalkg.store.sparql import with_values

        values = {p.name: request.query_params[p.name] for p in saved.parameters if request.query_params.get(p.name)}
        # Through the endpoint's executor: a saved query on the web has the same limits.
        answer = self.executor.run(with_values(saved.text, bind(self.store, saved, values)), saved=True)
        if answer.result is None:
            raise QueryError(f"saved query '{saved.name}' is not a SELECT or ASK query")
        return values, answer.result

    def query_list(self, request: Request) -> Response:
        from legalkg.queries import catalogue

        queries = catalogue(self.assets.queries_dir)
        return self.html(request, "queries.html", queries=[queries[n] for n in sorted(queries)])

    def query_page(self, request: Request) -> Response:
        saved = self._saved(request.path_params["name"])
        if "run" not in request.query_params:
            return self.html(request, "query.html", query=saved, values=dict(saved.defaults), result=None)
        values, result = self._run_saved(request, saved)
        names = resources.labels(self.store, (v for row in result.rows for v in row.values() if v is not None))
        rows = [[resources.link(row[v], names, self.iris) if row.get(v) is not None else None for v in result.variables] for row in result.rows]
        params = urlencode({**values, "run": "1"})
        return self.html(
            request,
            "query.html",
            query=saved,
            values={**saved.defaults, **values},
            result=result,
            rows=rows,
            permalink=f"/queries/{saved.name}?{params}",
            csv=f"/queries/{saved.name}.csv?{urlencode(values)}",
            json=f"/queries/{saved.name}.json?{urlencode(values)}",
        )

    def query_download(self, request: Request) -> Response:
        ext = request.path_params["ext"]
        if ext not in ("csv", "json", "tsv", "xml"):
            raise NotFound(f"no format '{ext}' (csv, json, tsv, xml)")
        saved = self._saved(request.path_params["name"])
        _, result = self._run_saved(request, saved)
        disposition = f'attachment; filename="{saved.name}.{ext}"'
        return Response(render(result, ext), media_type=MEDIA_TYPES[ext], headers={"Content-Disposition": disposition})

    # -- dumps and their description ---------------------------------------------------------

    def dumps(self, request: Request) -> Response:
        from legalkg.publish import latest_release, releases

        latest = latest_release(self.dist_dir)
        folders = [
            {"version": f.name, "latest": latest == f, "files": sorted((p.name, p.stat().st_size) for p in f.iterdir() if p.is_file())}
            for f in reversed(releases(self.dist_dir))
        ]
        if choose(request.headers.get("accept"), ["text/html", "application/json"]) == "application/json":
            return JSONResponse({"releases": folders})
        return self.html(request, "dumps.html", releases=folders)

    def dump_file(self, request: Request) -> Response:
        from legalkg.publish import latest_release, releases

        version, name = request.path_params["version"], request.path_params["file"]
        folders = {f.name: f for f in releases(self.dist_dir)}
        latest = latest_release(self.dist_dir)
        if version == "latest" and latest is not None:
            folders["latest"] = latest
        folder = folders.get(version)
        # Only names listed in the folder are served: no path ever leaves it.
        if folder is None or name not in {p.name for p in folder.iterdir() if p.is_file()}:
            raise NotFound(f"no file {version}/{name} among the dumps")
        media = _file_media(name)
        return FileResponse(folder / name, media_type=media, filename=name if name.endswith(".gz") else None)

    def void(self, request: Request) -> Response:
        from legalkg.namespaces import VOID
        from legalkg.publish import latest_release
        from legalkg.publish.describe import release_iri

        latest = latest_release(self.dist_dir)
        if latest is None or not (latest / "void.ttl").is_file():
            raise NotFound("no dump has been written yet: run `legalkg dump`")
        graph = Graph().parse(latest / "void.ttl", format="turtle")
        endpoint = (self.options.public_url or str(request.base_url)).rstrip("/") + "/sparql"
        graph.add((release_iri(self.iris, latest.name), VOID.sparqlEndpoint, URIRef(endpoint)))
        media = choose(request.headers.get("accept"), RDF_OFFERS, fmt=request.query_params.get("format"))
        return _graph_response(graph, media or "text/turtle")

    def jsonld_context(self, request: Request) -> Response:
        from legalkg.publish.canonical import context

        return JSONResponse(context(), media_type="application/ld+json")

    def _latest_file(self, name: str) -> Path | None:
        from legalkg.publish import latest_release

        latest = latest_release(self.dist_dir)
        return latest / name if latest is not None and (latest / name).is_file() else None

    # -- stewards ----------------------------------------------------------------------------

    async def _upload(self, request: Request) -> tuple[str, bytes]:
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UsageError("send the file to check in the form field 'file'")
        data = await upload.read()
        if len(data) > UPLOAD_LIMIT:
            raise UsageError(f"the file is larger than {UPLOAD_LIMIT // (1024 * 1024)} MiB")
        name = Path(upload.filename or "upload.ttl").name
        return name, data

    async def validate(self, request: Request) -> Response:
        if request.method == "GET":
            return self.html(request, "validate.html", report=None)
        from starlette.concurrency import run_in_threadpool

        name, data = await self._upload(request)
        outcome = await run_in_threadpool(self._check, name, data)
        if choose(request.headers.get("accept"), ["text/html", "application/json"]) == "application/json":
            return JSONResponse(json.loads(outcome.render("json")), status_code=200)
        return self.html(request, "validate.html", filename=name, report=outcome.render("text"), outcome=outcome)

    def _check(self, name: str, data: bytes) -> Any:
        # The upload is validated as a file of its name (the loader goes by the suffix) in a
        # folder of its own, removed afterwards; nothing reaches the store.
        with tempfile.TemporaryDirectory(prefix=tmp_marker()) as tmp, self._lock:
            path = Path(tmp) / name
            path.write_bytes(data)
            outcome = self.pipeline().check_paths([path])
        for index, (p, report) in enumerate(outcome.reports):
            outcome.reports[index] = (Path(p.name), report)
        outcome.errors = [e.replace(f"{tmp}/", "") for e in outcome.errors]
        return outcome

    async def ingest(self, request: Request) -> Response:
        token = self.options.token
        if token is None:
            raise Forbidden("this server is read-only (start it with a token to accept ingests)")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return JSONResponse(
                {"error": "unauthorized", "message": "ingest needs the token: Authorization: Bearer <token>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        from starlette.concurrency import run_in_threadpool

        name, data = await self._upload(request)
        summary = await run_in_threadpool(self._ingest, name, data)
        body = [
            {"file": o.path.name, "status": o.status, "graph": str(o.graph) if o.graph else None, "message": o.message}
            for o in summary.outcomes
        ]
        return JSONResponse({"outcomes": body}, status_code=200 if summary.exit_code == 0 else 422)

    def _ingest(self, name: str, data: bytes) -> Any:
        with tempfile.TemporaryDirectory() as tmp, self._lock:
            path = Path(tmp) / name
            path.write_bytes(data)
            return self.pipeline().ingest([path])


def tmp_marker() -> str:
    return "legalkg-upload-"


async def _protocol_query(request: Request) -> tuple[str | None, list[URIRef] | None]:
    """The query and default graphs of a SPARQL 1.1 Protocol request (GET, or POST by form or body)."""
    params = request.query_params
    query = params.get("query")
    graphs = [URIRef(g) for g in params.getlist("default-graph-uri")]
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/sparql-query":
            query = (await request.body()).decode("utf-8")
        elif kind == "application/x-www-form-urlencoded":
            form = await request.form()
            value = form.get("query")
            query = value if isinstance(value, str) else None
            graphs += [URIRef(str(g)) for g in form.getlist("default-graph-uri")]
            if form.get("update") is not None:
                raise QueryRefused("this endpoint is read-only: send queries, not updates")
        else:
            raise UsageError("POST a query as application/sparql-query or application/x-www-form-urlencoded")
    if params.get("update") is not None:
        raise QueryRefused("this endpoint is read-only: send queries, not updates")
    return query, graphs or None


def _graph_response(graph: Graph, media: str, headers: dict[str, str] | None = None) -> Response:
    from legalkg.namespaces import PREFIXES

    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    data = graph.serialize(format=RDFLIB_FORMATS[media])
    return Response(data, media_type=media, headers={**(headers or {}), "Vary": "Accept"})


def _file_media(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"
    for suffix, media in ((".ttl", "text/turtle"), (".nt", "application/n-triples"), (".jsonld", "application/ld+json"), (".html", "text/html")):
        if name.endswith(suffix):
            return media
    return "application/octet-stream"
