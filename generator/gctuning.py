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


class HeapBetweenBuilds:
    """Keeps a running builder's long-lived objects out of the collector's way between builds.

    After each build everything alive is frozen (moved where the collector never looks), so
    the collections that run between builds, while the preview serves pages and tells the
    browsers to reload, go over what was made since, not over the whole site: at 10,000
    documents a full pass took 1.2 s and, left to itself, the collector made one every dozen
    or so edits, in the middle of one. Frozen objects are still freed when nothing refers to
    them; only garbage in reference cycles stays, about 170 objects a build, so every
    :data:`FULL_EVERY` builds one full pass collects it.
    """

    #: Builds between two full passes of the collector.
    FULL_EVERY = 50

    def __init__(self) -> None:
        self.builds = 0

    def after_build(self) -> None:
        """Freeze what is alive now (after a full pass, every :data:`FULL_EVERY` builds)."""
        self.builds += 1
        if self.builds % self.FULL_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
