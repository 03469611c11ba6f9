"""Shared fixtures: the repository's assets, and stores built from the sample documents."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from legalkg import assets
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore, open_store

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = REPO / "data" / "documents" / "unodc-gfp-letn-mexico-2017.txt"


@pytest.fixture(scope="session")
def repo_assets() -> assets.Assets:
    return assets.locate(REPO)


@pytest.fixture(scope="session")
def reference_graph(repo_assets: assets.Assets) -> Graph:
    graph = Graph()
    for path in repo_assets.reference_files():
        graph += assets.load_turtle(path)
    return graph


def make_settings(tmp: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "store": str(tmp / "store"),
        "project_dir": REPO,
        "dist_dir": tmp / "dist",
        "quarantine_dir": tmp / "quarantine",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def built_store_dir(tmp_path_factory: pytest.TempPathFactory, repo_assets: assets.Assets) -> Path:
    """A store built once from the sample documents; tests copy it or open it read-only."""
    tmp = tmp_path_factory.mktemp("built")
    settings = make_settings(tmp)
    store = open_store(settings.store, settings.iris)
    pipeline = Pipeline(settings, store, repo_assets)
    pipeline.install_model()
    summary = pipeline.ingest([repo_assets.documents_dir])
    store.close()
    assert summary.exit_code == 0, [o.message for o in summary.outcomes]
    return Path(settings.store)


@pytest.fixture()
def sample_store(built_store_dir: Path) -> Iterator[EmbeddedStore]:
    """The sample store, read-only."""
    store = EmbeddedStore(built_store_dir, read_only=True)
    yield store
    store.close()


@pytest.fixture()
def writable_sample_store(built_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A private copy of the sample store, for tests that write."""
    copy = tmp_path / "store"
    shutil.copytree(built_store_dir, copy)
    store = EmbeddedStore(copy)
    yield store
    store.close()


@dataclass
class LiveServer:
    """A legalkg server running in this process, on 127.0.0.1 and a free port."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(settings: Settings, store: Any, options: Any) -> LiveServer:
    """Start the app with uvicorn in a thread; returns when it accepts connections."""
    import uvicorn

    from legalkg.server.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(settings, store, options), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def published_dir(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of the sample store, for the server to serve."""
    from legalkg.iris import Iris
    from legalkg.publish import dump

    out = tmp_path_factory.mktemp("published")
    store = EmbeddedStore(built_store_dir, read_only=True)
    try:
        dump(store, out, Iris(), ontology_docs=False)
    finally:
        store.close()
    return out


@pytest.fixture(scope="session")
def live_server(built_store_dir: Path, published_dir: Path) -> Iterator[LiveServer]:
    """The sample store served read-only, with a small row limit to test it."""
    from legalkg.server import ServerOptions

    store = EmbeddedStore(built_store_dir, read_only=True)
    settings = make_settings(built_store_dir.parent, dist_dir=published_dir)
    running = start_server(settings, store, ServerOptions(row_limit=500, timeout=5.0, dist_dir=published_dir))
    yield running
    running.stop()
    store.close()
