"""Inferences kept up to date: after any sequence of ingests, replacements and removals, the
inferred graphs are what a fresh closure of the same asserted data gives.

Hypothesis draws the sequences over a few partner records whose inferences overlap (see
tests/data/reasoning/sequences/README.md); each example starts from an empty store.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from legalkg.pipeline import Pipeline
from legalkg.store import EmbeddedStore

from .conftest import make_settings
from .test_reasoning import inferred

DATA = Path(__file__).parent / "data" / "reasoning" / "sequences"
# Each source, by the name it is ingested under, with its versions.
VERSIONS = {
    "conference.ttl": ["conference.ttl", "conference-v2.ttl"],
    "side-session.ttl": ["side-session.ttl"],
    "workshop.ttl": ["workshop.ttl", "workshop-v2.ttl"],
    "workshop-mirror.ttl": ["workshop-mirror.ttl"],
}

ingest_step = st.tuples(
    st.just("ingest"), st.sampled_from(sorted(VERSIONS)), st.integers(min_value=0, max_value=1)
)
remove_step = st.tuples(st.just("remove"), st.sampled_from(sorted(VERSIONS)), st.just(0))
sequences = st.lists(st.one_of(ingest_step, ingest_step, remove_step), min_size=1, max_size=7)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pipeline, Path]:
    """A pipeline (its ontology, shapes and rules read once) and a store that holds the model
    and its closure, and nothing else: each example runs on a copy of that store."""
    root = tmp_path_factory.mktemp("model")
    config = make_settings(root)
    store = EmbeddedStore(Path(config.store), config.iris)
    pipeline = Pipeline(config, store)
    pipeline.install_model()
    assert pipeline.reason() == []
    store.close()
    pipeline.store = None
    return pipeline, Path(config.store)


def apply(pipeline: Pipeline, inbox: Path, step: tuple[str, str, int], named: set[str]) -> None:
    """Take ``step``, and keep ``named`` the names the store's catalogue should hold."""
    action, name, version = step
    if action == "remove":
        assert pipeline.store is not None
        if name in pipeline.store.sources():  # removing what is not there is a user error
            pipeline.remove([name])
        named.discard(name)
        return
    versions = VERSIONS[name]
    shutil.copyfile(DATA / versions[version % len(versions)], inbox / name)
    (outcome,) = pipeline.ingest([inbox / name]).outcomes
    # The side session is quarantined while the conference it is part of is not in the store.
    allowed = {"committed", "replaced", "unchanged"} | ({"quarantined"} if name == "side-session.ttl" else set())
    assert outcome.status in allowed, outcome.message
    if outcome.status != "quarantined":
        named.add(name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=sequences)
# A session recorded apart takes place where its conference does, as the conference moves.
@example(steps=[("ingest", "conference.ttl", 0), ("ingest", "side-session.ttl", 0), ("ingest", "conference.ttl", 1)])
@example(steps=[("ingest", "conference.ttl", 1), ("ingest", "side-session.ttl", 0), ("remove", "conference.ttl", 0)])
# A source back to its first version: the catalogue still names the version it replaces.
@example(steps=[("ingest", "conference.ttl", 1), ("ingest", "conference.ttl", 0), ("ingest", "conference.ttl", 1)])
def test_any_sequence_of_changes_leaves_the_closure_a_fresh_run_gives(
    model: tuple[Pipeline, Path], steps: list[tuple[str, str, int]]
) -> None:
    pipeline, model_store = model
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        shutil.copytree(model_store, Path(tmp) / "store")
        store = EmbeddedStore(Path(tmp) / "store", pipeline.iris)
        try:
            pipeline.store = store
            named: set[str] = set()
            for step in steps:
                apply(pipeline, inbox, step, named)
            assert set(store.sources()) == named, steps
            kept = inferred(pipeline)
            assert pipeline.reasoner.up_to_date()
            # A fresh closure of the same asserted data, from nothing.
            assert pipeline.reason() == []
            assert kept == inferred(pipeline), steps
        finally:
            pipeline.store = None
            store.close()
