"""Python's cyclic garbage collector during a build.

A build makes millions of long-lived objects (documents, bodies, the site graph, the plan).
Each full collection walks every one of them, and the collector starts one every few
thousand allocations, so a 10,000-document build spent over a second rescanning objects that
were never garbage. The collector is paused while a build runs and resumed after it.

Worker processes are forked from a builder that holds those objects. A worker freezes what
it inherited (the collector then never walks it, and never writes to those pages, which
stay shared with the parent) and collects only what it makes itself
(:func:`generator.workers.start_worker`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause cyclic garbage collection for the block (reference counting still frees)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
