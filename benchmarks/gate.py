"""The gate on new reports against an existing store, beside the same reports against an empty one.

What a new source costs to validate should not grow with what the store holds: this opens a
store (built by `legalkg build` or `benchmarks/scale.py`), validates reports it does not hold
yet against it and against no store at all, and prints both and their ratio.

    python benchmarks/gate.py --store path/to/store           # about 1,000,000 triples, say
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from machine import describe, one_line
from results import record, table
from scale import OUT, open_source_text

from legalkg.generator import Vocabulary, generate
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--documents", type=int, default=8)
    args = parser.parse_args()
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    vocabulary = Vocabulary.from_reference(pipeline.reference, pipeline.load_context.gazetteer)
    store = EmbeddedStore(args.store, pipeline.iris, read_only=True)
    quads = store.count()
    new = [
        open_source_text(OUT / "gate" / report.name, report.text)
        for report in generate(args.documents, 10**9 + 7, vocabulary)
    ]
    info = describe()
    print(one_line(info))
    seconds = {}
    for where, against in (("empty", None), ("store", store), ("empty again", None)):
        pipeline.store = against
        started = time.perf_counter()
        for source, loader in new:
            report = pipeline.check(loader.load(source, pipeline.load_context).candidate())
            assert report.passes(), report.to_text()
        seconds[where] = (time.perf_counter() - started) / len(new)
    store.close()
    # The first pass warms caches (shapes, prepared queries): the empty store's figure is the
    # second one.
    empty, in_store = seconds["empty again"], seconds["store"]
    text = table(
        ["measure", "figure"],
        [
            ["store", f"{quads:,} quads"],
            ["validate a new report, against this store", f"{in_store * 1000:.0f} ms"],
            ["the same, against an empty store", f"{empty * 1000:.0f} ms"],
            ["in this store / in an empty one", f"{in_store / empty:.2f}× the time"],
        ],
    )
    print(text)
    record(
        "gate",
        f"The gate on a new report, in a store of {quads:,} quads and in an empty one",
        f"{one_line(info)}\n\n{text}",
        {"machine": info, "figures": {"quads": quads, "in_store_s": in_store, "empty_s": empty}},
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
