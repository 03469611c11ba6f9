"""The HTML loader: a saved press-release page becomes its article, read as text.

trafilatura finds the article body and leaves out menus, sidebars and footers; it also gives
the page's title and date. The text is then read like a plain-text report; the evidence's
offsets point into that text. Nothing is fetched: the page is parsed as it was saved.
"""

from __future__ import annotations

import datetime as dt
import re

from legalkg.errors import InputError
from legalkg.loaders.base import LoadContext, LoadResult, Source
from legalkg.loaders.text import TextLoader


def article_text(html: str) -> tuple[str, dt.date | None]:
    """The readable text of a page (title first, a blank line between paragraphs) and its date."""
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title or "").strip() if metadata is not None else ""
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    published = None
    if metadata is not None and metadata.date:
        try:
            published = dt.date.fromisoformat(metadata.date[:10])
        except ValueError:
            published = None
    return "\n\n".join(paragraphs) + "\n", published


class HTMLLoader:
    """Saved web pages of press releases and news items."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")
    media_type = "text/html"

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        html = source.text()
        if not re.search(r"<\s*(?:html|body|p|div|article)\b", html, re.I):
            raise InputError(source.path, "is not an HTML page (no <html>, <body> or <p> element)")
        text, published = article_text(html)
        if not text.strip():
            raise InputError(source.path, "has no article text that could be read")
        if source.published is None and published is not None:
            source = Source(source.path, source.data, source.media_type, published)
        return TextLoader().load_text(source, text, context)
