"""Stores: the Store protocol and its implementations. ``open_store`` picks one from a location."""

from __future__ import annotations

from pathlib import Path

from legalkg.iris import Iris
from legalkg.settings import RemoteOptions
from legalkg.store.base import QueryResult, SourceRecord, Store
from legalkg.store.embedded import EmbeddedStore


def is_endpoint(location: str) -> bool:
    """Whether a store location names a SPARQL endpoint rather than a folder."""
    return location.startswith(("http://", "https://"))


def open_store(
    location: str,
    iris: Iris | None = None,
    *,
    read_only: bool = False,
    remote: RemoteOptions | None = None,
) -> Store:
    """The store at ``location``: a SPARQL server's URL (reached as ``remote`` says), or a
    folder that holds the embedded store (created when missing).

    Raises:
        StoreError: when the folder cannot be opened; EndpointError when the server does not answer.
    """
    if is_endpoint(location):
        from legalkg.store.remote import RemoteStore

        return RemoteStore(location, iris, read_only=read_only, options=remote)
    return EmbeddedStore(Path(location), iris, read_only=read_only)


__all__ = ["EmbeddedStore", "QueryResult", "SourceRecord", "Store", "is_endpoint", "open_store"]
