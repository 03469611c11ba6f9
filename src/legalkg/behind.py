"""A batch's write to the store, done while the next batch is read.

pyoxigraph writes a transaction without holding the interpreter's lock, and reading documents
does not touch the store: on a machine with two cores, the two overlap. What must follow the
write (the default rules, the outcomes) runs in the caller's thread once it is done, before the
store is read again.
"""

from __future__ import annotations

from collections.abc import Callable
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

    def start(self, write: Callable[[], None], then: Callable[[], T]) -> None:
        """Start ``write``, after the one in progress has finished; :meth:`wait` runs ``then``."""
        if self._pending is not None:
            raise RuntimeError("a write is in progress: wait for it first")
        self._pending = (self._executor.submit(write), then)

    def wait(self) -> T | None:
        """What follows the write in progress, once it is done (None when none is). The
        write's error is raised here, and then nothing follows it."""
        if self._pending is None:
            return None
        future, then = self._pending
        self._pending = None
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
