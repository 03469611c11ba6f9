"""Batches of sources read in a worker process, ahead of the batch an ingest works on."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from legalkg.read_ahead import AHEAD, ReadAhead


def names_with_reader(paths: Sequence[Path]) -> list[tuple[int, str]]:
    """Each file's name, with the process that read it."""
    return [(os.getpid(), path.name) for path in paths]


def marking(paths: Sequence[Path]) -> list[str]:
    """The files' names, leaving a mark beside them for the batch read."""
    (paths[0].parent / "marks" / paths[0].name).touch()
    return [path.name for path in paths]


def failing(paths: Sequence[Path]) -> list[str]:
    if any(path.name == "f4" for path in paths):
        raise ValueError("f4 cannot be read")
    return [path.name for path in paths]


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    (tmp_path / "marks").mkdir()
    paths = [tmp_path / f"f{i}" for i in range(7)]
    for path in paths:
        path.write_text(path.name)
    return paths


@pytest.mark.parametrize("worker", [True, False])
def test_batches_come_whole_and_in_order(files: list[Path], worker: bool) -> None:
    with ReadAhead(names_with_reader, files, 3, worker=worker) as batches:
        read = list(batches)
    assert [[name for _, name in batch] for batch in read] == [["f0", "f1", "f2"], ["f3", "f4", "f5"], ["f6"]]
    readers = {pid for batch in read for pid, _ in batch}
    assert batches.in_worker == worker
    # One other process reads them all, or this one does.
    assert len(readers) == 1 and (os.getpid() not in readers) == worker


def test_a_single_batch_is_read_in_this_process(files: list[Path]) -> None:
    with ReadAhead(names_with_reader, files, 10) as batches:
        assert not batches.in_worker
        assert {pid for batch in batches for pid, _ in batch} == {os.getpid()}


def test_the_worker_reads_no_more_than_a_few_batches_ahead(files: list[Path]) -> None:
    marks = files[0].parent / "marks"
    with ReadAhead(marking, files, 1) as batches:
        taken = iter(batches)
        assert next(taken) == ["f0"]
        # Asked for so far: the batch taken, the ones read ahead, and the one after them.
        expected = AHEAD + 2
        deadline = time.monotonic() + 30
        while len(list(marks.iterdir())) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # room for a worker that would read on
        assert len(list(marks.iterdir())) == expected < len(files)
        assert [batch for batch in taken] == [[f.name] for f in files[1:]]
    assert len(list(marks.iterdir())) == len(files)


def test_an_error_in_the_worker_reaches_the_caller(files: list[Path]) -> None:
    with pytest.raises(ValueError, match="f4 cannot be read"), ReadAhead(failing, files, 2) as batches:
        list(batches)
