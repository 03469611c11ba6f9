"""Shared fixtures: the repository's assets, stores built from the sample documents, and real
SPARQL servers (Oxigraph always, Virtuoso when it is installed) on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from legalkg import assets
from legalkg.iris import Iris
from legalkg.pipeline import Pipeline
from legalkg.settings import RemoteOptions, Settings
from legalkg.store import EmbeddedStore, open_store
from legalkg.store.remote import RemoteStore

from .proxy import Proxy

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


def model_pipeline(tmp: Path) -> Pipeline:
    """A pipeline on a new embedded store in ``tmp`` that holds the ontology, the reference data
    and their closure, and nothing else (close its store when done)."""
    settings = make_settings(tmp)
    pipeline = Pipeline(settings, EmbeddedStore(Path(settings.store), settings.iris))
    pipeline.install_model()
    assert pipeline.reason() == []
    return pipeline


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


# -- SPARQL servers: real ones, on 127.0.0.1, started once per session -----------------------------

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO_URL = "http://127.0.0.1:8895/sparql"  # where `make virtuoso` starts it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server by its process id: politely, then not."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_oxigraph(folder: Path, *, union: bool = False) -> tuple[str, subprocess.Popen[bytes]]:
    """``oxigraph serve`` on a free port of 127.0.0.1, once it answers; its URL and process."""
    port = free_port()
    command = [str(OXIGRAPH), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    if union:
        command.append("--union-default-graph")
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not answers(f"{url}/query"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"oxigraph did not start: {(folder / 'server.log').read_text()}")
        time.sleep(0.05)
    return url, process


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server whose default graph is its own (legalkg names its graphs)."""
    url, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield url
    stop(process)


@pytest.fixture(scope="session")
def oxigraph_union_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server whose default graph is the union of its named graphs."""
    url, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph-union"), union=True)
    yield url
    stop(process)


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Virtuoso: the one $LEGALKG_TEST_VIRTUOSO or `make virtuoso` runs, else a private one when
    the package is installed; skipped, with the reason, when there is none."""
    given = os.environ.get("LEGALKG_TEST_VIRTUOSO")
    if given:
        if not answers(given):
            pytest.skip(f"LEGALKG_TEST_VIRTUOSO={given} does not answer")
        yield given
        return
    if answers(VIRTUOSO_URL):
        yield VIRTUOSO_URL
        return
    script = _virtuoso_script()
    if not script.installed():
        pytest.skip("Virtuoso is not installed: `make virtuoso` installs and starts it on 127.0.0.1")
    http, sql = free_port(), free_port()
    process = script.start(tmp_path_factory.mktemp("virtuoso"), http, sql, foreground=True)
    yield f"http://127.0.0.1:{http}/sparql"
    stop(process)


def _virtuoso_script() -> Any:
    spec = importlib.util.spec_from_file_location("virtuoso_script", REPO / "scripts" / "virtuoso.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SERVERS = {"oxigraph": "oxigraph_url", "oxigraph-union": "oxigraph_union_url", "virtuoso": "virtuoso_url"}


def open_remote(request: pytest.FixtureRequest, kind: str, **options: Any) -> RemoteStore:
    """A store on the server ``kind`` (a key of SERVERS), emptied of legalkg's graphs."""
    url = request.getfixturevalue(SERVERS[kind])
    store = RemoteStore(url, Iris(), options=RemoteOptions(**options))
    store.clear()
    return store


@pytest.fixture()
def proxy(oxigraph_url: str) -> Iterator[Proxy]:
    """A real HTTP proxy in front of the Oxigraph server, that can fail, dawdle or ask for credentials."""
    opened = Proxy(oxigraph_url)
    yield opened
    opened.close()
