"""The garbage collector's settings for a long ingest hold within it, and only within it."""

from __future__ import annotations

import gc

import pytest

from legalkg.garbage import THRESHOLDS, collected_rarely


def test_the_collector_is_as_before_after_the_block() -> None:
    before = gc.get_threshold()
    with collected_rarely():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0, "what existed is left out of collections"
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_collector_is_as_before_after_a_failure() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collected_rarely():
        raise RuntimeError("a failing ingest")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_in_the_block_are_still_collected() -> None:
    class Node:
        pass

    with collected_rarely():
        first, second = Node(), Node()
        first.other, second.other = second, first  # type: ignore[attr-defined]
        del first, second
        assert gc.collect() >= 2
