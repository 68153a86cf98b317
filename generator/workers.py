"""What a forked worker process (the parse and render pools) does first."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

#: The streams a worker inherited, kept so that they are never finalised there (closing one
#: flushes it, which is what must not happen).
_inherited: list[Any] = []

#: At most this many worker processes per core: more only adds memory and forks.
JOBS_PER_CORE = 4


def max_jobs() -> int:
    """The most worker processes a build starts (``JOBS_PER_CORE`` times the cores)."""
    return JOBS_PER_CORE * (os.cpu_count() or 1)


def start_worker() -> None:
    """Initialise a forked worker: freeze the objects it inherited and collect only the ones it
    makes (see :mod:`generator.gctuning`), and give it standard streams of its own.

    The pools fork replacement workers from a thread while the builder's main thread may be
    writing progress to the terminal. multiprocessing flushes the streams just before it
    forks, but the main thread can start a write in between; a worker forked then inherits
    the stream's lock held, and would hang flushing that stream when it exits. Its own
    streams, on the same file descriptors, start unlocked and empty (nothing the builder had
    buffered is written twice).
    """
    gc.freeze()
    gc.enable()
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        if stream is None:
            continue
        _inherited.append(stream)
        try:
            setattr(sys, name, os.fdopen(fd, "w", encoding=getattr(stream, "encoding", None) or "utf-8",
                                         errors="backslashreplace", closefd=False))
        except OSError:
            setattr(sys, name, None)
