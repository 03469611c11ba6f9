"""Sources read in a worker process, a batch or two ahead of the batch being validated and
committed.

Reading a report (the text reader, the gazetteer's look-ups, the triples it makes) and the
checks that need no store are Python that holds the interpreter's lock for a large part of an
ingest, and threads cannot share it; a process can. The worker is forked from this one, so it
starts with the load context already built (the reference data, the gazetteer) in pages the two
share; what comes back is each batch's loaded sources, pickled. It reads at most ``AHEAD``
batches beyond the one being committed, so that a worker faster than the commits does not fill
the memory with sources waiting.

Where a process cannot be forked (not on Linux or macOS), or there is one batch only, the
batches are read in this process as they are asked for: the outcome is the same.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")

AHEAD = 2  # batches read beyond the one being committed

# What the worker reads with, set in it when it starts (inherited through the fork, never
# pickled: it holds the pipeline and its load context).
_read_in_worker: Callable[[Sequence[Path]], list[Any]] | None = None

_PR_SET_PDEATHSIG = 1  # Linux's prctl option: a signal sent to this process when its parent dies


def _start_worker(read: Callable[[Sequence[Path]], list[Any]]) -> None:
    global _read_in_worker
    _read_in_worker = read
    # Interrupting an ingest is the parent's to handle: it stops asking for batches.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        # A parent killed outright cannot tell its worker to stop; the kernel can.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _read_batch(paths: Sequence[Path]) -> list[Any]:
    assert _read_in_worker is not None, "the worker was started without its reader"
    return _read_in_worker(paths)


def can_fork() -> bool:
    """Whether this platform starts a process as a copy of this one (Linux and macOS do)."""
    return "fork" in multiprocessing.get_all_start_methods()


def reads_in_worker(paths: Sequence[Path], size: int, *, worker: bool = True) -> bool:
    """Whether :class:`ReadAhead` reads ``paths`` in batches of ``size`` in a worker: when asked
    to (``worker``), where a process can be forked, and for more than one batch."""
    return worker and len(paths) > size and can_fork()


class ReadAhead(Generic[T]):
    """The batches of ``paths`` (``size`` each), each read by ``read``, in order.

    Used as a context manager: on leaving, the worker is stopped (the batches it read ahead
    and nobody asked for are dropped; it holds nothing else).
    """

    def __init__(
        self, read: Callable[[Sequence[Path]], list[T]], paths: Sequence[Path], size: int, *, worker: bool = True
    ) -> None:
        self._read = read
        self._batches = [paths[i : i + size] for i in range(0, len(paths), size)]
        self.in_worker = reads_in_worker(paths, size, worker=worker)
        self._executor: ProcessPoolExecutor | None = None

    def __iter__(self) -> Iterator[list[T]]:
        if not self.in_worker:
            yield from (self._read(batch) for batch in self._batches)
            return
        self._executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self._read,),
        )
        executor, waiting = self._executor, deque[Future[list[T]]]()
        following = iter(self._batches)

        def ask_for_one() -> None:
            batch = next(following, None)
            if batch is not None:
                waiting.append(executor.submit(_read_batch, batch))

        for _ in range(AHEAD + 1):
            ask_for_one()
        while waiting:
            done = waiting.popleft().result()
            ask_for_one()
            yield done

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
