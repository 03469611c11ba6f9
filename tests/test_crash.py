"""An ingest killed in the middle of a run leaves every source wholly committed or absent.

A real ``legalkg ingest`` runs in a subprocess over many reports and is killed with SIGKILL
(no handler, no flush) after some of them were committed; the store is then reopened and
checked source by source against its catalogue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from legalkg import queries
from legalkg.generator import Vocabulary, generate
from legalkg.iris import content_key
from legalkg.pipeline import BATCH_SIZE, Pipeline
from legalkg.store import EmbeddedStore

from .conftest import REPO, make_settings

VOID_TRIPLES = URIRef("http://rdfs.org/ns/void#triples")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    pipeline = Pipeline(make_settings(folder), None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    # More than two batches: the kill comes after the first batch's commit, in the middle of the run.
    for report in generate(2 * BATCH_SIZE + 10, 11, vocabulary):
        (folder / report.name).write_text(report.text, encoding="utf-8")
    return folder


def ingest_command(store: Path, documents: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "legalkg",
        "--store",
        str(store),
        "--project-dir",
        str(REPO),
        "ingest",
        str(documents),
    ]


def children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (name) state ppid ...: the name may hold spaces, not a closing parenthesis.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def test_a_killed_ingest_leaves_each_source_whole_or_absent(reports: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        ingest_command(store_dir, reports),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,  # where the quarantine folder would go
    )
    assert process.stdout is not None
    committed_before_kill = 0
    for line in process.stdout:
        if line.startswith("committed"):
            committed_before_kill += 1
            if committed_before_kill == 3:
                # Somewhere in the next source: reading, validating or committing it.
                time.sleep(0.4)
                break
    workers = children(process.pid)
    assert workers, "the ingest reads its sources in a worker process"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the ingest was killed before it finished"
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "the worker does not outlive the ingest"

    store = EmbeddedStore(store_dir, make_settings(tmp_path).iris)
    try:
        iris = make_settings(tmp_path).iris
        catalogue = {
            row["graph"]: int(str(row["n"]))
            for row in store.select(
                f"SELECT ?graph ?n WHERE {{ GRAPH <{iris.sources_graph}> {{ ?graph <{VOID_TRIPLES}> ?n }} }}"
            )
        }
        source_graphs = [g for g in store.graphs() if iris.is_source_graph(str(g))]
        assert len(catalogue) >= committed_before_kill
        assert set(source_graphs) == set(catalogue), "no graph without its catalogue entry, nor the reverse"
        for graph, triples in catalogue.items():
            assert store.count(graph) == triples, f"{graph} is whole"
        assert not [g for g in store.graphs() if "/graph/staging/" in str(g)], "no half-written source"
        for path in sorted(reports.iterdir()):
            graph = iris.graph(content_key(path.read_bytes()))
            assert (graph in catalogue) == (store.count(graph) > 0)
        # The store answers queries: every committed source's events are on the timeline.
        saved = queries.get(REPO / "queries", "timeline")
        assert len(queries.run(store, saved, {})) > 0
    finally:
        store.close()

    # Running the same ingest again finishes the job: what was committed is unchanged.
    rerun = subprocess.run(
        ingest_command(store_dir, reports), capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stdout.count("unchanged") >= committed_before_kill
    store = EmbeddedStore(store_dir, iris, read_only=True)
    try:
        assert len([g for g in store.graphs() if iris.is_source_graph(str(g))]) == len(list(reports.iterdir()))
    finally:
        store.close()
