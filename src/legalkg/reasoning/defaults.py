"""Default rules: SPARQL CONSTRUCT queries whose conclusions give way to what sources say
(a session takes place where its event does), and what each one reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

from legalkg.store.sparql import masked

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue


@dataclass(frozen=True)
class DefaultRule:
    """A default rule: a SPARQL CONSTRUCT whose conclusions give way to what sources say.

    Its header may say what its conclusions are about (``#+ about: event``, a variable of the
    query) and along which property they read other nodes (``#+ reads-along: <IRI>``: what is
    concluded of a node depends on its statements and those of the nodes it reaches along the
    property). With both, a change is worked out again only for the nodes it can affect.
    ``reads``, taken from the query itself, are the properties its patterns read (None: any,
    where a pattern's property is a variable).
    """

    text: str
    about: str | None = None
    reads_along: URIRef | None = None
    reads: frozenset[URIRef] | None = None

    @classmethod
    def read(cls, path: Path) -> DefaultRule:
        text = path.read_text(encoding="utf-8")
        header = dict(
            (key.strip(), value.strip())
            for key, _, value in (
                line[2:].partition(":") for line in text.splitlines() if line.startswith("#+")
            )
        )
        along = header.get("reads-along", "").strip("<>")
        # Imported here: building rdflib's SPARQL grammar costs every command a fifth of a
        # second at start-up, and only reasoning reads a default rule.
        from rdflib.plugins.sparql import prepareQuery

        try:
            reads = properties_read(prepareQuery(text).algebra)
        except Exception:
            # rdflib's grammar lags the store's in places: the rule is the store's to judge,
            # and is taken to read any property.
            reads = None
        return cls(text, header.get("about", "").lstrip("?") or None, URIRef(along) if along else None, reads)

    def bound_to(self, nodes: str) -> str:
        """The query with its ``about`` variable bound to ``nodes`` (RDF terms, space apart)."""
        where = re.search(r"\bWHERE\s*\{", masked(self.text), re.I)  # offsets kept
        assert where is not None and self.about is not None
        values = f"\n  VALUES ?{self.about} {{ {nodes} }}"
        return self.text[: where.end()] + values + self.text[where.end() :]


def properties_read(algebra: CompValue) -> frozenset[URIRef] | None:
    """The properties the patterns of a query's algebra read (its CONSTRUCT template aside), or
    None when a pattern reads any (a variable or a negated property)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[URIRef] = set()

    def along(path: object) -> bool:
        if isinstance(path, URIRef):
            found.add(path)
            return True
        if isinstance(path, AlternativePath | SequencePath):
            return all(along(step) for step in path.args)
        if isinstance(path, InvPath):
            return along(path.arg)
        if isinstance(path, MulPath):
            return along(path.path)
        return False

    def walk(node: object) -> bool:
        if isinstance(node, CompValue):
            return all(
                all(along(pattern[1]) for pattern in value) if key == "triples" else walk(value)
                for key, value in node.items()
                if key not in ("template", "_vars")
            )
        if isinstance(node, list | tuple):
            return all(walk(item) for item in node)
        return True

    return frozenset(found) if walk(algebra) else None
