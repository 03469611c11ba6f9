"""Every saved query against an existing store: the median of several runs, and the first apart.

The latencies `scale.py` measures, on a store already built (by `legalkg build` or by
`scale.py`), so that a change to a query is measured at a million triples without building
that store again. The parameters are those `scale.py` uses (the busiest instrument, country,
agency or SDG concept of the store).

    python benchmarks/queries.py --store path/to/store [--bar 100]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from machine import describe, one_line
from results import record, table
from scale import described, example_parameters, median_latency

from legalkg import queries as saved_queries
from legalkg.pipeline import Pipeline
from legalkg.settings import Settings
from legalkg.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--bar", type=float, default=100.0, help="the median, in ms, each query must stay under")
    args = parser.parse_args()
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    store = EmbeddedStore(args.store, pipeline.iris, read_only=True)
    quads = store.count()
    info = describe()
    print(one_line(info))
    latencies = {}
    rows = []
    for name, saved in sorted(saved_queries.catalogue(pipeline.assets.queries_dir).items()):
        parameters = example_parameters(saved, store)
        answer = saved_queries.run(store, saved, parameters)
        first, median = median_latency(lambda s=saved, p=parameters: saved_queries.run(store, s, p))
        latencies[name] = {"parameters": parameters, "rows": len(answer), "first_ms": first, "median_ms": median}
        rows.append(
            [
                f"{name}{described(parameters)} ({len(answer)} rows)",
                f"{median:.1f} ms",
                f"{first:.1f} ms",
                "yes" if median < args.bar else "no",
            ]
        )
    store.close()
    text = f"A store of {quads:,} quads.\n\n" + table(
        ["query", "median", "first run", f"under {args.bar:.0f} ms"], rows
    )
    print(text)
    size = 10 ** round(math.log10(max(quads, 1)))  # the size class, as scale.py names them
    record(
        f"queries-{size}",
        f"Saved queries on a store of about {size:,} triples",
        f"{one_line(info)}\n\n{text}",
        {"machine": info, "store_quads": quads, "latencies": latencies},
    )
    return 0 if all(v["median_ms"] < args.bar for v in latencies.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
