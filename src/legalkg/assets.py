"""Finding the ontology, shapes, saved queries, reference data and sample documents.

They live at the top of a legalkg checkout (``ontology/``, ``shapes/``, ``queries/``,
``data/reference/``, ``data/documents/``) and inside the wheel (``legalkg/_assets/``). They are
looked for in this order: an explicit project directory, the ``LEGALKG_PROJECT_DIR`` environment
variable, the copy inside the installed package, then the checkout the package was imported from.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph

from legalkg.errors import AssetNotFoundError

PROJECT_DIR_VARIABLE = "LEGALKG_PROJECT_DIR"

# Where each kind of asset sits in a checkout and in the wheel.
_CHECKOUT_LAYOUT = {
    "ontology": "ontology",
    "shapes": "shapes",
    "queries": "queries",
    "reference": "data/reference",
    "documents": "data/documents",
}
_WHEEL_LAYOUT = {kind: kind for kind in _CHECKOUT_LAYOUT}


@dataclass(frozen=True)
class Assets:
    """The asset folders of one place (a checkout or the installed package)."""

    root: Path
    layout: dict[str, str]

    def folder(self, kind: str) -> Path:
        return self.root / self.layout[kind]

    @property
    def ontology_file(self) -> Path:
        return self.folder("ontology") / "legalkg.ttl"

    @property
    def queries_dir(self) -> Path:
        return self.folder("queries")

    @property
    def documents_dir(self) -> Path:
        return self.folder("documents")

    def default_rules(self) -> list[Path]:
        """The default rules (SPARQL CONSTRUCT) the reasoner runs after the OWL 2 RL rules."""
        return sorted((self.folder("ontology") / "defaults").glob("*.rq"))

    def shapes_files(self) -> list[Path]:
        return sorted(self.folder("shapes").glob("*.ttl"))

    def reference_files(self) -> list[Path]:
        return sorted(self.folder("reference").glob("*.ttl"))

    def is_complete(self) -> bool:
        return self.ontology_file.is_file() and self.folder("queries").is_dir()


def _candidates(project_dir: Path | None) -> list[tuple[str, Assets]]:
    found: list[tuple[str, Assets]] = []
    if project_dir is not None:
        found.append((f"project directory {project_dir}", Assets(project_dir, _CHECKOUT_LAYOUT)))
    from_env = os.environ.get(PROJECT_DIR_VARIABLE)
    if from_env:
        found.append((f"{PROJECT_DIR_VARIABLE}={from_env}", Assets(Path(from_env), _CHECKOUT_LAYOUT)))
    packaged = Path(str(resources.files("legalkg"))) / "_assets"
    found.append((f"installed package {packaged}", Assets(packaged, _WHEEL_LAYOUT)))
    checkout = Path(__file__).resolve().parents[2]
    found.append((f"source checkout {checkout}", Assets(checkout, _CHECKOUT_LAYOUT)))
    return found


def locate(project_dir: Path | None = None) -> Assets:
    """The first complete set of assets, in the order the module docstring gives.

    Raises:
        AssetNotFoundError: naming every place looked in.
    """
    candidates = _candidates(project_dir)
    for _, assets in candidates:
        if assets.is_complete():
            return assets
    raise AssetNotFoundError("ontology and saved queries", [where for where, _ in candidates])


@functools.lru_cache(maxsize=64)
def _parse_cached(path: str, mtime_ns: int) -> Graph:
    # pyoxigraph parses Turtle an order of magnitude faster than rdflib's parser.
    import pyoxigraph as ox

    from legalkg.store.terms import graph_of

    return graph_of(ox.parse(path=path, format=ox.RdfFormat.TURTLE))


def load_turtle(path: Path) -> Graph:
    """Parse a Turtle asset once; later calls return the same graph until the file changes.

    The graph is shared: callers must not modify it (copy it first).
    """
    return _parse_cached(str(path), path.stat().st_mtime_ns)
