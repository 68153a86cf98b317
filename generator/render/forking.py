"""Forked workers that the builder's own thread starts and collects, between its own work.

A :class:`multiprocessing.pool.Pool` forks replacement workers from a helper thread at any
moment. A worker forked while the builder's thread holds a lock (a ``cached_property``
being worked out, a stream being written) inherits that lock held and can wait on it forever,
so the builder must not run code while such a pool is alive. Here the builder forks each
worker itself, only when it calls :meth:`ForkedSlices.poll`, between two pieces of its own
work; so it can render the site-wide pages while the workers render the document pages.

Each worker is handed its slice of the work when it is forked (it inherits everything else)
and sends back one pickled result through a pipe. A slice whose worker fails is reported in
:attr:`ForkedSlices.failed`, for the builder to do itself; so is every slice still waiting
when another thread is found running (:func:`generator.workers.may_fork`): nothing is forked
then.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from typing import Any

from generator.workers import may_fork, start_worker

_READ_SIZE = 1 << 16


class ForkedSlices:
    """Runs ``work(slice)`` for each slice in at most ``jobs`` forked processes at a time."""

    def __init__(self, work: Callable[[list[int]], Any], slices: list[list[int]], jobs: int):
        self.work = work
        self.pending = list(reversed(slices))
        self.jobs = max(1, jobs)
        #: Slices whose worker died or sent back nothing readable.
        self.failed: list[list[int]] = []
        self._running: dict[int, tuple[int, list[int], bytearray]] = {}  # read fd -> (pid, slice, data)

    @property
    def busy(self) -> bool:
        """Whether a slice is still running or waiting for a worker."""
        return bool(self._running or self.pending)

    def poll(self, timeout: float | None = 0.0, *, refill: bool = True) -> list[tuple[list[int], Any]]:
        """Fork workers for waiting slices, then collect the slices that finished, waiting up to
        ``timeout`` seconds for one (``None``: until one does). Returns (slice, result) pairs.
        With ``refill``, workers are forked for the slots the finished ones freed before this
        returns; else at the next poll or :meth:`fill`, so that they inherit what the caller
        keeps of the results first."""
        self._fill()
        done: list[tuple[list[int], Any]] = []
        if not self._running:
            return done
        ready, _, _ = select.select(list(self._running), [], [], timeout)
        for fd in ready:
            finished = self._read(fd)
            if finished is not None:
                done.append(finished)
        if refill:
            self._fill()
        return done

    def fill(self) -> None:
        """Fork workers for waiting slices, up to ``jobs`` running."""
        self._fill()

    def stop(self) -> None:
        """Start no more slices and end the running workers (their slices are dropped)."""
        self.pending.clear()
        for fd, (pid, _slice, _data) in list(self._running.items()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(fd)
            _reap(pid)
        self._running.clear()

    # -- internals --------------------------------------------------------------------
    def _fill(self) -> None:
        while self.pending and len(self._running) < self.jobs:
            if not may_fork():  # a thread started since: the builder does the rest itself
                self.failed.extend(reversed(self.pending))
                self.pending.clear()
                return
            self._fork(self.pending.pop())

    def _fork(self, piece: list[int]) -> None:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the builder's code
            code = 1
            try:
                os.close(read_end)
                start_worker()
                data = pickle.dumps(self.work(piece), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view):]
                code = 0
            except BaseException:  # noqa: BLE001 - reported to the builder as a failed slice
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self._running[read_end] = (pid, piece, bytearray())

    def _read(self, fd: int) -> tuple[list[int], Any] | None:
        pid, piece, data = self._running[fd]
        while True:
            try:
                chunk = os.read(fd, _READ_SIZE)
            except BlockingIOError:
                return None  # more to come
            if not chunk:
                break
            data += chunk
        del self._running[fd]
        os.close(fd)
        status = _reap(pid)
        if status == 0 and data:
            try:
                return piece, pickle.loads(data)
            except Exception:  # noqa: BLE001 - a truncated result: the builder does the slice
                pass
        self.failed.append(piece)
        return None


def _reap(pid: int) -> int:
    """Wait for a worker to end; its exit code (or -1 when it was killed or already reaped)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return -1
    return os.waitstatus_to_exitcode(status)
