"""When this process may fork workers (the parse and render pools), and what a forked worker
does first.

The rule: fork only on Linux and only while this process runs no other thread. A child of
``fork()`` has just the thread that forked; every lock another thread held at that moment
stays held in the child for good (a stream's, a module's import lock, a cache's), and the
child hangs the first time it takes one. Python 3.12 warns about every such fork
(``DeprecationWarning: This process ... is multi-threaded, use of fork() may lead to
deadlocks in the child``). ``briefing build`` runs one thread, so its builds fork; ``briefing
serve`` forks for its first build only, before its watcher and HTTP threads start, and
rebuilds in its own thread afterwards (they render the few pages an edit touches).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from typing import Any

#: The streams a worker inherited, kept so that they are never finalised there (closing one
#: flushes it, which is what must not happen).
_inherited: list[Any] = []

#: At most this many worker processes per core: more only adds memory and forks.
JOBS_PER_CORE = 4


def max_jobs() -> int:
    """The most worker processes a build starts (``JOBS_PER_CORE`` times the cores)."""
    return JOBS_PER_CORE * (os.cpu_count() or 1)


def thread_count() -> int:
    """How many threads this process runs: the system's count (threads started outside
    :mod:`threading` count too), or :mod:`threading`'s where the system gives none."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def may_fork() -> bool:
    """Whether this process may fork workers now: on Linux, with no other thread running."""
    return sys.platform.startswith("linux") and thread_count() == 1


def start_worker() -> None:
    """Initialise a forked worker: freeze the objects it inherited and collect only the ones it
    makes (see :mod:`generator.gctuning`), and give it standard streams of its own.

    A worker forked while another thread was writing to a stream would inherit the stream's
    lock held, and hang flushing that stream when it exits. :func:`may_fork` keeps workers
    from being forked while other threads run; should one be forked anyway, its own streams,
    on the same file descriptors, start unlocked and empty (nothing the builder had buffered
    is written twice).
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
