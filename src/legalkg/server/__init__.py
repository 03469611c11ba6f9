"""The HTTP server: the SPARQL endpoint, dereferenceable IRIs, saved queries, dumps, validation.

``create_app(settings, store, options)`` builds the application (no module-level app);
``serve`` runs it with uvicorn. It binds 127.0.0.1 unless told otherwise, and writes nothing
unless a token is configured, and then only for a request that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from legalkg.settings import Settings


@dataclass(frozen=True)
class ServerOptions:
    """How the server runs: where, its limits, and who may write."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    row_limit: int = 10_000
    allow_service: bool = False
    token: str | None = None  # writes (ingest) only with this bearer token; none: read-only
    dist_dir: Path | None = None  # the dumps to serve; the settings' dist folder when None
    public_url: str | None = None  # how clients reach the server, for the VoID's endpoint
    max_query_string: int = 8 * 1024  # bytes; a longer SPARQL query goes by POST
    max_body: int = 12 * 1024 * 1024  # bytes: a 10 MiB upload with its form around it


def serve(settings: Settings, options: ServerOptions) -> None:
    """Open the store and serve it until interrupted."""
    import uvicorn

    from legalkg.server.app import create_app
    from legalkg.store import open_store

    store = open_store(settings.store, settings.iris, read_only=options.token is None)
    try:
        app = create_app(settings, store, options)
        uvicorn.run(app, host=options.host, port=options.port, log_level="info")
    finally:
        store.close()


__all__ = ["ServerOptions", "serve"]
