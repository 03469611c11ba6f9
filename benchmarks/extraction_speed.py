"""How fast the text loader reads reports: documents per second on one core.

Reads the development reports (tests/data/eval/documents) over and over, pinned to one core,
and measures two things: extraction (the reader: text to events, mentions and the evidence of
each fact) and the whole loader (extraction, then the triples of the graph). CPU time, so that
other processes do not blur the figures; the median of several rounds is recorded in
RESULTS.md.

    python benchmarks/extraction_speed.py [--rounds 7] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from machine import describe, one_line
from results import record, table

from legalkg.loaders import open_source
from legalkg.loaders.text import extraction_triples
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.text.reader import read

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = REPO / "tests" / "data" / "eval" / "documents"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the documents per round")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    context = pipeline.load_context
    started = time.perf_counter()
    _ = context.gazetteer  # built once per process, as the CLI does
    setup = time.perf_counter() - started
    sources = [open_source(path) for path in sorted(DOCUMENTS.glob("*.txt"))]
    sizes = [len(source.data) for _, source in sources]
    notations = set(context.sdg_notations)
    reading, loading = [], []
    for _ in range(args.rounds):
        read_time = graph_time = 0.0
        for _ in range(args.repeat):
            for _, source in sources:
                text = source.text()
                started = time.process_time()
                extraction = read(
                    text,
                    context.gazetteer,
                    iris=context.iris,
                    document_key=source.key,
                    sdg_notations=notations,
                )
                read_time += time.process_time() - started
                started = time.process_time()
                extraction_triples(extraction, source, text, context.iris)
                graph_time += time.process_time() - started
        count = len(sources) * args.repeat
        reading.append(count / read_time)
        loading.append(count / (read_time + graph_time))
    info = describe()
    extraction_rate, loader_rate = statistics.median(reading), statistics.median(loading)
    print(one_line(info))
    print(f"{len(sources)} documents of {min(sizes)}-{max(sizes)} bytes (mean {statistics.mean(sizes):.0f})")
    print(f"gazetteer built once in {setup:.2f} s")
    print(
        f"extraction (text to events, mentions, evidence), one core: median {extraction_rate:.1f} documents/s"
    )
    print(f"loader (extraction and the triples of the graph), one core: median {loader_rate:.1f} documents/s")
    markdown = (
        f"{one_line(info)}\n\n"
        + table(
            ["measure (one core, CPU time, median of rounds)", "documents/s"],
            [
                ["extraction: text to events, mentions and evidence", f"**{extraction_rate:.1f}**"],
                ["the whole text loader: extraction and the graph's triples", f"{loader_rate:.1f}"],
            ],
        )
        + (
            f"\n\n{len(sources)} development reports of {min(sizes)}–{max(sizes)} bytes, {args.rounds} rounds of "
            f"{args.repeat} passes; the gazetteer (reference names and GeoNames cities) is built once, in {setup:.2f} s."
        )
    )
    record(
        "extraction-speed",
        "Text extraction speed",
        markdown,
        {
            "machine": info,
            "extraction_documents_per_second": reading,
            "loader_documents_per_second": loading,
            "setup_seconds": setup,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
