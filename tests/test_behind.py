"""A write left to a background thread: what follows it runs in the caller's thread, after it,
and a write is never cut off."""

from __future__ import annotations

import threading

import pytest

from legalkg.behind import WriteBehind


def test_the_write_runs_beside_the_caller_and_what_follows_it_in_the_callers_thread() -> None:
    caller_went_on = threading.Event()
    seen: dict[str, object] = {}

    def write() -> None:
        # Ran in the caller's thread, this would wait the whole timeout for the caller.
        seen["caller went on"] = caller_went_on.wait(timeout=10)
        seen["write thread"] = threading.get_ident()

    with WriteBehind[str]() as writer:
        assert writer.wait() is None  # nothing in progress
        writer.start(write, lambda: f"done in {threading.get_ident()}")
        caller_went_on.set()
        assert writer.wait() == f"done in {threading.get_ident()}"
        assert writer.wait() is None  # what follows a write runs once
    assert seen["caller went on"] is True
    assert seen["write thread"] != threading.get_ident()


def test_a_failed_write_raises_at_the_wait_and_nothing_follows_it() -> None:
    followed: list[str] = []

    def write() -> None:
        raise OSError("No space left on device")

    with WriteBehind[None]() as writer:
        writer.start(write, lambda: followed.append("settled"))
        with pytest.raises(OSError, match="No space left"):
            writer.wait()
    assert followed == []


def test_one_write_at_a_time() -> None:
    release = threading.Event()

    def held() -> None:
        release.wait(timeout=10)

    with WriteBehind[None]() as writer:
        writer.start(held, lambda: None)
        with pytest.raises(RuntimeError, match="in progress"):
            writer.start(lambda: None, lambda: None)
        release.set()
        writer.wait()


def test_leaving_on_an_error_lets_the_write_end_and_runs_nothing_after_it() -> None:
    ended = threading.Event()
    followed: list[str] = []

    def write() -> None:
        threading.Event().wait(0.2)
        ended.set()

    with pytest.raises(KeyError), WriteBehind[None]() as writer:
        writer.start(write, lambda: followed.append("settled"))
        raise KeyError("the caller failed")
    assert ended.is_set(), "the block was left only once the write had ended"
    assert followed == []


def test_leaving_normally_finishes_a_write_left_in_progress() -> None:
    followed: list[str] = []
    with WriteBehind[None]() as writer:
        writer.start(lambda: None, lambda: followed.append("settled"))
    assert followed == ["settled"]


def test_a_write_in_progress_says_what_it_is_about() -> None:
    release = threading.Event()

    def held() -> None:
        release.wait(timeout=10)

    with WriteBehind[None]() as writer:
        assert not writer.writing_about(["https://example.org/a"])  # nothing in progress
        writer.start(held, lambda: None, about={"https://example.org/a"})
        assert writer.writing_about(["https://example.org/b", "https://example.org/a"])
        assert not writer.writing_about(["https://example.org/b"])
        release.set()
        writer.wait()
        assert not writer.writing_about(["https://example.org/a"]), "done: the store says it"
