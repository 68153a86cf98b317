"""Forked slices: each slice's result comes back once, a dead worker's slice is reported as
failed, and the builder's thread does its own work between polls."""

from __future__ import annotations

import os
import time

import pytest

from generator.render.forking import ForkedSlices

pytestmark = pytest.mark.usefixtures("sole_thread")  # these fork, so no other thread may run


def _square_all(piece: list[int]) -> list[int]:
    return [n * n for n in piece]


def _collect(workers: ForkedSlices) -> dict[int, int]:
    found: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while workers.busy and time.monotonic() < deadline:
        for piece, result in workers.poll(None):
            found.update(zip(piece, result, strict=True))
    assert not workers.busy, "the workers did not finish"
    return found


def test_every_slice_comes_back_with_its_result() -> None:
    slices = [list(range(i, i + 5)) for i in range(0, 50, 5)]
    workers = ForkedSlices(_square_all, slices, jobs=2)
    assert _collect(workers) == {n: n * n for n in range(50)}
    assert workers.failed == []


def test_a_result_bigger_than_a_pipe_buffer_arrives_whole() -> None:
    workers = ForkedSlices(lambda piece: ["x" * 100_000 for _ in piece], [[1, 2, 3]], jobs=1)
    assert _collect(workers) == {1: "x" * 100_000, 2: "x" * 100_000, 3: "x" * 100_000}


def test_no_more_workers_run_at_once_than_jobs() -> None:
    def pid_and_peers(piece: list[int]) -> list[int]:
        time.sleep(0.05)
        return [os.getpid()] * len(piece)

    workers = ForkedSlices(pid_and_peers, [[i] for i in range(6)], jobs=2)
    workers.poll(0)
    assert len(workers._running) == 2
    pids = set(_collect(workers).values())
    assert len(pids) == 6 and os.getpid() not in pids  # one fresh fork per slice


def test_a_slice_whose_worker_dies_is_reported_failed_and_the_others_still_finish() -> None:
    def dies_on_three(piece: list[int]) -> list[int]:
        if 3 in piece:
            os._exit(7)
        return piece

    workers = ForkedSlices(dies_on_three, [[1], [2], [3], [4]], jobs=2)
    assert _collect(workers) == {1: 1, 2: 2, 4: 4}
    assert workers.failed == [[3]]


def test_a_slice_that_raises_is_reported_failed() -> None:
    def raises(piece: list[int]) -> list[int]:
        raise RuntimeError("boom")

    workers = ForkedSlices(raises, [[1]], jobs=1)
    assert _collect(workers) == {}
    assert workers.failed == [[1]]


def test_the_builder_works_between_polls_while_the_workers_run() -> None:
    workers = ForkedSlices(lambda piece: [time.sleep(0.2) or n for n in piece], [[1], [2]], jobs=2)
    own = []
    found: dict[int, int] = {}
    while workers.busy:
        for piece, result in workers.poll(0):
            found.update(zip(piece, result, strict=True))
        own.append(sum(range(1000)))  # the builder's own work
    assert found == {1: 1, 2: 2} and len(own) > 1


def test_stop_ends_the_running_workers_and_starts_no_more() -> None:
    workers = ForkedSlices(lambda piece: [time.sleep(30) or n for n in piece], [[1], [2], [3]], jobs=2)
    workers.poll(0)
    pids = [pid for pid, _piece, _data in workers._running.values()]
    started = time.monotonic()
    workers.stop()
    assert time.monotonic() - started < 5 and not workers.busy
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped
