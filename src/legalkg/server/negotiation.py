"""Content negotiation: the best of what we offer for a request's ``Accept`` header."""

from __future__ import annotations

from collections.abc import Sequence

# What a `format` query parameter may name instead of an Accept header (a link, a form).
SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html",
}


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality, position))
    return ranges


def choose(accept: str | None, offers: Sequence[str], *, fmt: str | None = None) -> str | None:
    """The offer the client prefers: ``fmt`` (a short name or media type) first, then the
    Accept header by quality, specificity and order; the first offer when there is no header;
    None when nothing offered is acceptable."""
    if fmt:
        wanted = SHORT_NAMES.get(fmt.lower(), fmt.lower())
        return wanted if wanted in offers else None
    if not accept:
        return offers[0]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for offer_index, offer in enumerate(offers):
        kind = offer.split("/")[0]
        for media, quality, position in _ranges(accept):
            if media == offer:
                specificity = 2
            elif media == f"{kind}/*":
                specificity = 1
            elif media == "*/*":
                specificity = 0
            else:
                continue
            if quality <= 0:
                continue
            key = (quality, specificity, -position, -offer_index)
            if best is None or key > best:
                best, chosen = key, offer
    return chosen
