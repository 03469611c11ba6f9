"""End to end: `legalkg ingest` of generated reports into an empty embedded store.

Every stage a steward's ingest runs, in the order it runs them: extract, validate (the SHACL
gate), commit and reason (the inferences of the sources, committed with them), fifty sources at
a time as `legalkg ingest` does, the sources read by a worker process. Prints documents per
second, the peak resident memory of the process and of its worker, and where the CPU time goes:
the rate the machine's cores allow is the cores divided by the CPU time a document costs.

    python benchmarks/ingest.py --documents 10000      # what the figure in the issue asks
    python benchmarks/ingest.py --documents 1000       # what `make bench-ingest` runs
    python benchmarks/ingest.py --documents 10000 --in-memory

With --in-memory the store is Oxigraph's in memory, which keeps nothing: not a way to run an
ingest, but what it costs without the disk. The least the disk can add follows: the store's
quads written at once to an empty store on disk by the bulk loader, which skips the checks and
the logs a transaction makes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
from machine import describe, one_line
from results import record, table
from scale import peak_resident_mib

from legalkg.generator import Vocabulary, generate
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).parent / "out" / "ingest"


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def storage_thread_ticks() -> dict[str, int] | None:
    """The CPU time (in clock ticks) of each of this process's RocksDB background threads (they
    write memory tables to files and compact them), told by their names; None where /proc does
    not say."""
    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        return None
    ticks = {}
    for task in tasks.iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if name.startswith("rocksdb:"):
            ticks[task.name] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


class StorageThreads:
    """The CPU time of the storage engine's threads while it runs. A thread's time is lost from
    /proc when it ends, and RocksDB replaces its threads now and then: each is read every half
    second, and counted at the last reading."""

    def __init__(self) -> None:
        self._start = storage_thread_ticks()
        self._last: dict[str, int] = dict(self._start or {})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self._last.update(storage_thread_ticks() or {})

    def __enter__(self) -> StorageThreads:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._last.update(storage_thread_ticks() or {})

    def seconds(self) -> float | None:
        if self._start is None:
            return None
        ticks = sum(t - self._start.get(tid, 0) for tid, t in self._last.items())
        return ticks / os.sysconf("SC_CLK_TCK")


def bulk_written(store: EmbeddedStore, folder: Path) -> tuple[float, float]:
    """The seconds, and the CPU seconds, the bulk loader takes to write ``store``'s quads to an
    empty store on disk, from an N-Quads file written first (untimed)."""
    quads = folder / "quads.nq"
    store.dump(quads, "application/n-quads")
    disk = ox.Store(str(folder / "store"))
    cpu, started = cpu_seconds(resource.RUSAGE_SELF), time.perf_counter()
    disk.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    seconds, cpu = time.perf_counter() - started, cpu_seconds(resource.RUSAGE_SELF) - cpu
    assert len(disk) == store.count(), "the bulk loader wrote another number of quads"
    return seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--in-memory", action="store_true", help="the store in memory: the ingest without the disk")
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    documents = OUT / "documents"
    documents.mkdir(parents=True)
    settings = Settings(project_dir=REPO, store=str(OUT / "store"), quarantine_dir=OUT / "quarantine")
    pipeline = Pipeline(settings, None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    for report in generate(args.documents, args.seed, vocabulary):
        (documents / report.name).write_text(report.text, encoding="utf-8")
    store = EmbeddedStore(None if args.in_memory else Path(settings.store), settings.iris)
    pipeline.store = store
    pipeline.install_model()
    assert pipeline.reason() == []
    info = describe()
    print(one_line(info))
    cpu_before = (cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN))
    started = time.perf_counter()
    with StorageThreads() as storage:
        summary = pipeline.ingest([documents])
    seconds = time.perf_counter() - started
    storage_cpu = storage.seconds()
    process_cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu_before[0]
    worker_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before[1]
    per_document = 1000 / args.documents
    cores = os.cpu_count() or 1
    statuses = {s: summary.count(s) for s in ("committed", "quarantined", "failed")}
    figures = {
        "documents": args.documents,
        "seconds": seconds,
        "docs_per_s": args.documents / seconds,
        "store_quads": store.count(),
        "peak_rss_mib": round(peak_resident_mib(), 1),
        # The worker that read the sources has exited and been waited for: its peak (and its
        # CPU time above) is the children's. Added to this process's, the pages the two share
        # count twice.
        "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "process_cpu_ms_per_doc": round(process_cpu * per_document, 2),
        "storage_threads_cpu_ms_per_doc": (
            round(storage_cpu * per_document, 2) if storage_cpu is not None else None
        ),
        "worker_cpu_ms_per_doc": round(worker_cpu * per_document, 2),
        "cores_busy": round((process_cpu + worker_cpu) / (seconds * cores), 2),
        "cpu_bound_docs_per_s": round(cores * args.documents / (process_cpu + worker_cpu), 1),
        **statuses,
    }
    figures["peak_rss_total_mib"] = figures["peak_rss_mib"] + figures["worker_peak_rss_mib"]
    rows: list[list[str]] = []
    if args.in_memory:
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            bulk_seconds, bulk_cpu = bulk_written(store, Path(folder))
        figures |= {
            "bulk_write_seconds": round(bulk_seconds, 1),
            "bulk_write_cpu_us_per_quad": round(bulk_cpu * 1e6 / figures["store_quads"], 1),
            "bulk_write_cpu_ms_per_doc": round(bulk_cpu * per_document, 2),
            "docs_per_s_with_bulk_write": round(args.documents / (seconds + bulk_seconds), 1),
            "cpu_bound_docs_per_s_with_bulk_write": round(
                cores * args.documents / (process_cpu + worker_cpu + bulk_cpu), 1
            ),
        }
        rows = [
            ["the store's quads written to an empty store on disk by the bulk loader",
             f"{bulk_seconds:.0f} s, {figures['bulk_write_cpu_us_per_quad']:.1f} µs of CPU a quad, "
             f"{figures['bulk_write_cpu_ms_per_doc']:.1f} ms a document"],
            ["the ingest and that write, one after the other",
             f"{figures['docs_per_s_with_bulk_write']:.1f} documents/s"],
            [f"the rate their CPU time allows on {cores} cores, all busy",
             f"{figures['cpu_bound_docs_per_s_with_bulk_write']:.1f} documents/s"],
        ]
    store.close()
    where = "memory (nothing kept)" if args.in_memory else "disk"
    text = table(
        ["measure", "figure"],
        [
            ["store", where],
            ["documents (committed / quarantined / failed)",
             f"{args.documents:,} ({statuses['committed']:,} / {statuses['quarantined']} / {statuses['failed']})"],
            ["ingest, end to end", f"{figures['docs_per_s']:.1f} documents/s ({seconds:.0f} s)"],
            ["quads in the store after", f"{figures['store_quads']:,}"],
            ["peak resident memory", f"{figures['peak_rss_mib']:,.0f} MiB"],
            ["peak resident memory of the reading worker", f"{figures['worker_peak_rss_mib']:,.0f} MiB"],
            ["the two added (shared pages counted twice)", f"{figures['peak_rss_total_mib']:,.0f} MiB"],
            ["CPU time a document, this process (rules, writes, checks against the store)",
             f"{figures['process_cpu_ms_per_doc']:.1f} ms"],
            ["… of which the storage engine's background threads (flushes, compactions)",
             "not known here" if figures["storage_threads_cpu_ms_per_doc"] is None
             else f"{figures['storage_threads_cpu_ms_per_doc']:.1f} ms"],
            ["CPU time a document, the reading worker (extraction, the gate alone)",
             f"{figures['worker_cpu_ms_per_doc']:.1f} ms"],
            [f"the rate that CPU time allows on {cores} cores, all busy",
             f"{figures['cpu_bound_docs_per_s']:.1f} documents/s (the cores were {figures['cores_busy']:.0%} busy)"],
            *rows,
        ],
    )
    print(text)
    record(
        "ingest-in-memory" if args.in_memory else "ingest",
        f"Ingest end to end: {args.documents:,} generated reports into an empty store"
        + (" in memory: the ingest without the disk" if args.in_memory else ""),
        f"{one_line(info)}\n\n{text}",
        {"machine": info, "store": where, "figures": figures},
    )
    shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
