"""A batch's writes to the store, done while this process works on: the sources' graphs while
their inferences are worked out, then their catalogue entries and inferences while the next
batch is validated.

pyoxigraph writes a transaction without holding the interpreter's lock, and neither reading
documents nor the rules write to the store: on a machine with two cores, the two overlap. What
must follow the write (the default rules, the outcomes) runs in the caller's thread once it is
done, before the store is read again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class WriteBehind(Generic[T]):
    """One write at a time in a background thread, and what follows each in this one.

    Used as a context manager: on leaving, a write in progress is waited for (a transaction is
    never cut off), but what was to follow it is not run when the block raised.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="legalkg-write")
        self._pending: tuple[Future[None], Callable[[], T]] | None = None
        self._about: Collection[str] = frozenset()

    def start(self, write: Callable[[], None], then: Callable[[], T], about: Collection[str] = frozenset()) -> None:
        """Start ``write``, which says something of the nodes ``about`` (their IRIs); :meth:`wait`
        runs ``then``. One write at a time: wait for the one in progress first."""
        if self._pending is not None:
            raise RuntimeError("a write is in progress: wait for it first")
        self._pending = (self._executor.submit(write), then)
        self._about = about

    def writing_about(self, nodes: Iterable[str]) -> bool:
        """Whether the write in progress says something of one of ``nodes`` (what the store
        says of them is not settled until it is done)."""
        return self._pending is not None and any(n in self._about for n in nodes)

    def wait(self) -> T | None:
        """What follows the write in progress, once it is done (None when none is). The
        write's error is raised here, and then nothing follows it."""
        if self._pending is None:
            return None
        future, then = self._pending
        self._pending, self._about = None, frozenset()
        future.result()
        return then()

    def __enter__(self) -> WriteBehind[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.wait()
            elif self._pending is not None:
                # Let the transaction end: the store is closed after the block.
                self._pending[0].exception()
                self._pending = None
        finally:
            self._executor.shutdown(wait=True)
