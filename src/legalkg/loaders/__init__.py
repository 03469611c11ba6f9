"""Loaders: one per kind of input, chosen by the file's suffix.

Each loader turns one source into an rdflib graph (see :class:`~legalkg.loaders.base.Loader`):
plain text, Markdown and HTML reports are read by the text reader; CSV and JSON files of
events are records; Turtle, N-Triples, JSON-LD, RDF/XML, TriG and N-Quads files are RDF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from legalkg.errors import InputError
from legalkg.loaders.base import LoadContext, Loader, LoadResult, Source, read_source
from legalkg.loaders.html import HTMLLoader
from legalkg.loaders.markdown import MarkdownLoader
from legalkg.loaders.rdf import FORMATS, RDFLoader
from legalkg.loaders.records import RecordsLoader
from legalkg.loaders.text import TextLoader

LOADERS: tuple[Loader, ...] = (TextLoader(), MarkdownLoader(), HTMLLoader(), RecordsLoader(), RDFLoader())
_MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json"}


def loader_for(path: Path) -> Loader:
    """The loader for a file, by its suffix.

    Raises:
        InputError: when no loader reads such files, listing the suffixes that are read.
    """
    suffix = path.suffix.lower()
    for loader in LOADERS:
        if suffix in loader.suffixes:
            return loader
    known = ", ".join(sorted(s for loader in LOADERS for s in loader.suffixes))
    raise InputError(path, f"no loader reads '{suffix or 'files without a suffix'}' files (known: {known})")


def media_type(path: Path) -> str:
    """The media type of a file legalkg can load."""
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix][0]
    return _MEDIA_TYPES.get(suffix) or loader_for(path).media_type


def open_source(path: Path, *, published: dt.date | None = None) -> tuple[Loader, Source]:
    """The loader of a file and the file read as its source (refusing empty or binary files)."""
    loader = loader_for(path)
    source = read_source(path, media_type(path), published=published, text=not isinstance(loader, RDFLoader))
    return loader, source


def is_loadable(path: Path) -> bool:
    """Whether some loader reads files like ``path``."""
    return any(path.suffix.lower() in loader.suffixes for loader in LOADERS)


__all__ = [
    "LOADERS",
    "LoadContext",
    "LoadResult",
    "Loader",
    "Source",
    "is_loadable",
    "loader_for",
    "open_source",
]
