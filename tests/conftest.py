"""Shared fixtures: the repository's assets, and stores built from the sample documents."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

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
