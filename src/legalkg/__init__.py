"""legalkg: a knowledge graph of legal instruments and the events that discuss them.

The public API, for scripts and notebooks::

    from legalkg import Settings, Pipeline, open_store, catalogue, run_query

    settings = Settings(store="my-store")
    store = open_store(settings.store, settings.iris)
    pipeline = Pipeline(settings, store)
    pipeline.install_model()
    pipeline.ingest([Path("reports/")])
    answer = run_query(store, get_query(pipeline.assets.queries_dir, "timeline"))

Heavy modules load on first use: importing legalkg is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Settings": "legalkg.settings",
    "Pipeline": "legalkg.pipeline",
    "open_store": "legalkg.store",
    "Store": "legalkg.store",
    "catalogue": "legalkg.queries",
    "get_query": ("legalkg.queries", "get"),
    "run_query": ("legalkg.queries", "run"),
    "validate": "legalkg.validation",
    "LegalKGError": "legalkg.errors",
}

if TYPE_CHECKING:
    from legalkg.errors import LegalKGError
    from legalkg.pipeline import Pipeline
    from legalkg.queries import catalogue
    from legalkg.queries import get as get_query
    from legalkg.queries import run as run_query
    from legalkg.settings import Settings
    from legalkg.store import Store, open_store
    from legalkg.validation import validate


def __getattr__(name: str) -> Any:
    import importlib

    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'legalkg' has no attribute {name!r}")
    module_name, attribute = target if isinstance(target, tuple) else (target, name)
    return getattr(importlib.import_module(module_name), attribute)


__all__ = [
    "LegalKGError",
    "Pipeline",
    "Settings",
    "Store",
    "catalogue",
    "get_query",
    "open_store",
    "run_query",
    "validate",
]
