"""End to end: `legalkg ingest` of generated reports into an empty embedded store.

Every stage a steward's ingest runs, in the order it runs them: extract, validate (the SHACL
gate), commit and reason (the inferences of the sources, committed with them), fifty sources at
a time as `legalkg ingest` does, the sources read by a worker process. Prints documents per
second and the peak resident memory of the process and of its worker.

    python benchmarks/ingest.py --documents 10000      # what the figure in the issue asks
    python benchmarks/ingest.py --documents 1000       # what `make bench-ingest` runs
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from machine import describe, one_line
from results import record, table
from scale import peak_resident_mib

from legalkg.generator import Vocabulary, generate
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).parent / "out" / "ingest"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    documents = OUT / "documents"
    documents.mkdir(parents=True)
    settings = Settings(project_dir=REPO, store=str(OUT / "store"), quarantine_dir=OUT / "quarantine")
    pipeline = Pipeline(settings, None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    for report in generate(args.documents, args.seed, vocabulary):
        (documents / report.name).write_text(report.text, encoding="utf-8")
    store = EmbeddedStore(Path(settings.store), settings.iris)
    pipeline.store = store
    pipeline.install_model()
    assert pipeline.reason() == []
    info = describe()
    print(one_line(info))
    started = time.perf_counter()
    summary = pipeline.ingest([documents])
    seconds = time.perf_counter() - started
    statuses = {s: summary.count(s) for s in ("committed", "quarantined", "failed")}
    figures = {
        "documents": args.documents,
        "seconds": seconds,
        "docs_per_s": args.documents / seconds,
        "store_quads": store.count(),
        "peak_rss_mib": round(peak_resident_mib(), 1),
        # The worker that read the sources has exited and been waited for: its peak is the
        # children's. Added to this process's, the pages the two share count twice.
        "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        **statuses,
    }
    figures["peak_rss_total_mib"] = figures["peak_rss_mib"] + figures["worker_peak_rss_mib"]
    store.close()
    text = table(
        ["measure", "figure"],
        [
            ["documents (committed / quarantined / failed)",
             f"{args.documents:,} ({statuses['committed']:,} / {statuses['quarantined']} / {statuses['failed']})"],
            ["ingest, end to end", f"{figures['docs_per_s']:.1f} documents/s ({seconds:.0f} s)"],
            ["quads in the store after", f"{figures['store_quads']:,}"],
            ["peak resident memory", f"{figures['peak_rss_mib']:,.0f} MiB"],
            ["peak resident memory of the reading worker", f"{figures['worker_peak_rss_mib']:,.0f} MiB"],
            ["the two added (shared pages counted twice)", f"{figures['peak_rss_total_mib']:,.0f} MiB"],
        ],
    )
    print(text)
    record(
        "ingest",
        f"Ingest end to end: {args.documents:,} generated reports into an empty store",
        f"{one_line(info)}\n\n{text}",
        {"machine": info, "figures": figures},
    )
    shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
