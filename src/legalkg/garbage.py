"""Python's cyclic garbage collector, set for a long run of loading.

An ingest makes millions of small containers (terms, triples, bindings) that die young and
hold no cycles, and keeps a few hundred thousand long-lived ones (the model, the reference
data, the gazetteer). With the interpreter's defaults the collector ran about 12,000 times over
3,000 reports, each full collection walking every long-lived object: 25 s of the run, 13 % of
it. Frozen (left out of every collection) and collected less often, they cost 4.6 s.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A young collection every 50,000 allocations rather than 700, a middle one every 20 young ones,
# and a full one every 100 middle ones rather than 10: each full one walks every object the
# run has kept so far.
THRESHOLDS = (50_000, 20, 100)


@contextmanager
def collected_rarely() -> Iterator[None]:
    """Within the block, the objects that exist now are left out of every collection, and
    collections come less often; as before afterwards."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
