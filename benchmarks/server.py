"""`legalkg serve` on a store: how fast its pages answer, and whether it holds many clients.

It starts `legalkg serve` on 127.0.0.1 over a store already built (by `legalkg build` or by
`scale.py`, about 1,000,000 triples for the figures in RESULTS.md), then measures, for a
conference of the store and a saved query:

- the latency of the resource's HTML page and of its Turtle, of the saved query's page (run
  from its form) and of its CSV: the median of several requests, and the first apart;
- a bounded load test on loopback: so many clients, each sending those four requests in turn
  for so many seconds; every answer must be a 200.

    python benchmarks/server.py --store path/to/store [--clients 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import servers
from machine import describe, one_line
from results import record, table

from legalkg.iris import Iris
from legalkg.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
LEGALKG = Path(sys.executable).parent / "legalkg"
BAR_MS = 50.0


def fetch(url: str, accept: str) -> int:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def describe_store(store_dir: Path) -> tuple[str, int]:
    """A conference of the store, to ask for its page, and how many quads the store holds."""
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        rows = store.select("SELECT ?e WHERE { ?e a <https://w3id.org/legalkg/ontology#Conference> } LIMIT 1")
        return str(rows.rows[0]["e"]), store.count()
    finally:
        store.close()


def latency(url: str, accept: str, repeat: int = 21) -> tuple[float, float]:
    """The first request's time and the median of the next ``repeat``, in milliseconds."""
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        status = fetch(url, accept)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
    return times[0], statistics.median(times[1:])


def load(targets: list[tuple[str, str]], clients: int, seconds: float) -> dict[str, float]:
    """``clients`` threads, each sending the targets in turn until ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []

    def client(offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            url, accept = targets[n % len(targets)]
            n += 1
            started = time.perf_counter()
            try:
                status = fetch(url, accept)
            except OSError as exc:
                status, reason = 0, str(exc)
            else:
                reason = f"HTTP {status}"
            took = (time.perf_counter() - started) * 1000
            with lock:
                times.append(took)
                if status != 200:
                    errors.append(f"{url}: {reason}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    return {
        "requests": len(times),
        "errors": len(errors),
        "requests_per_s": len(times) / seconds,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95)],
        "first_errors": errors[:5],  # type: ignore[dict-item]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    conference, quads = describe_store(args.store)
    base, server = servers.start(
        lambda port: [str(LEGALKG), "--store", str(args.store), "serve", "--port", str(port)],
        "/sparql?query=ASK%7B%7D",
        cwd=REPO,
    )
    try:
        path = "/" + conference.removeprefix(Iris().base)  # where the server serves the IRI
        query = "/queries/sessions-covering-instrument"
        targets = {
            f"resource page (HTML) {path}": (f"{base}{path}", "text/html"),
            "resource (Turtle)": (f"{base}{path}", "text/turtle"),
            "saved query from its form (HTML), instrument=ATT": (f"{base}{query}?instrument=ATT&run=1", "text/html"),
            "saved query (CSV), instrument=ATT": (f"{base}{query}.csv?instrument=ATT", "text/csv"),
        }
        info = describe()
        print(one_line(info))
        latencies = {name: latency(url, accept) for name, (url, accept) in targets.items()}
        loaded = load(list(targets.values()), args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = [
        [name, f"{median:.1f} ms", f"{first:.1f} ms", "yes" if median < BAR_MS else "no"]
        for name, (first, median) in latencies.items()
    ]
    text = (
        f"A store of {quads:,} quads.\n\n"
        + table(["request", "median", "first", f"under {BAR_MS:.0f} ms"], rows)
        + f"\n\n{args.clients} clients for {args.seconds:.0f} s: {loaded['requests']:,} requests "
        f"({loaded['requests_per_s']:.0f} a second), {loaded['errors']} errors, "
        f"median {loaded['median_ms']:.0f} ms, 95th percentile {loaded['p95_ms']:.0f} ms."
    )
    print(text)
    record(
        "server",
        "The server on a large store",
        f"{one_line(info)}\n\n{text}",
        {
            "machine": info,
            "store_quads": quads,
            "latencies_ms": {k: {"first": f, "median": m} for k, (f, m) in latencies.items()},
            "load": loaded,
        },
    )
    ok = loaded["errors"] == 0 and all(m < BAR_MS for _, m in latencies.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
