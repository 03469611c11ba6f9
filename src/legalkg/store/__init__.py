"""Stores: the Store protocol and its implementations. ``open_store`` picks one from a location."""

from __future__ import annotations

from pathlib import Path

from legalkg.errors import UsageError
from legalkg.iris import Iris
from legalkg.store.base import QueryResult, SourceRecord, Store
from legalkg.store.embedded import EmbeddedStore


def is_endpoint(location: str) -> bool:
    """Whether a store location names a SPARQL endpoint rather than a folder."""
    return location.startswith(("http://", "https://"))


def open_store(location: str, iris: Iris | None = None, *, read_only: bool = False) -> EmbeddedStore:
    """The store at ``location``: a folder holds the embedded store (created when missing)."""
    if is_endpoint(location):
        raise UsageError(
            f"--store {location}: this version of legalkg keeps the graph in an embedded store; "
            "give a folder instead"
        )
    return EmbeddedStore(Path(location), iris, read_only=read_only)


__all__ = ["EmbeddedStore", "QueryResult", "SourceRecord", "Store", "is_endpoint", "open_store"]
