"""Render the outputs a build must render, in parallel for big builds, straight into staging."""

from __future__ import annotations

import ctypes
import dataclasses
import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.errors import Diagnostic
from generator.graph.urls import TAXONOMIES
from generator.memo import MEMO
from generator.output import Put, WriteSession
from generator.render.env import template_diagnostic
from generator.render.forking import ForkedSlices
from generator.render.fragments import FragmentCache
from generator.render.outputs import Output
from generator.state import sig_digest
from generator.workers import may_fork

#: Below this many pages a worker pool costs more than it saves.
PARALLEL_PAGES = 400
MAX_ERRORS = 20
#: Document pages per worker: each worker renders one slice and a fresh fork replaces it (see
#: :func:`render_outputs`); small enough that the workers finish together, large enough that
#: forking costs little next to rendering the slice.
SLICE = 200
#: Document pages per worker when most are compared and kept (see ``keep`` in
#: :func:`render_outputs`), each at a fraction of a render's cost: then the forks are what
#: costs, the builder's and the workers' (page tables, pages copied on write).
COMPARE_SLICE = 1000

#: Whether an output's file can be kept, from its path and the digest of its signature.
Keep = Callable[[str, str], bool]

_STATE: tuple[list[Output], WriteSession, FragmentCache | None, bool, Keep | None] | None = None
#: In a render worker, the memo log it inherited from the builder (see :func:`_render_chunk`).
_INHERITED: list[Any] = []


@dataclass(frozen=True)
class Kept:
    """An output that was not rendered: its file is up to date (see ``keep`` in :func:`render_outputs`)."""

    rel: str


def _render_one(out: Output, session: WriteSession, sign: bool = False,
                keep: Keep | None = None) -> Put | Kept | Diagnostic:
    """Render one output into the session, unless ``keep`` says its file is up to date."""
    signature = None
    if keep is not None:
        signature = sig_digest(out.signature)
        if keep(out.path, signature):
            session.keep(out.path)
            return Kept(out.path)
    try:
        data = out.render()
    except Exception as exc:  # noqa: BLE001 - a template error is the user's to fix
        return template_diagnostic(exc, out.path)
    put = session.put(out.path, data)
    if signature is None and sign:
        signature = sig_digest(out.signature)  # after the render, which digests the view it made
    if signature is not None:
        put = dataclasses.replace(put, signature=signature)
        session.record(put)
    return put


def _render_chunk(indices: list[int]) -> tuple[list[Put | Kept | Diagnostic], list, Any]:
    """Render a slice in a worker; returns what was written (or kept), the fragments made for
    it and what it used and made of the memo (``generator/memo.py``)."""
    assert _STATE is not None
    outputs, session, fragments, sign, keep = _STATE
    # What the builder used before the fork is its own to save. Held, not let go: freeing it
    # here would write to every page it lies on, and so copy those pages for this worker.
    _INHERITED.append(MEMO.take_log())
    if fragments is not None:
        fragments.recording = True
    results: list[Put | Kept | Diagnostic] = []
    errors = 0
    for index in indices:
        out = outputs[index]
        result = _render_one(out, session, sign, keep)
        if out.prefetch is not None and isinstance(result, Put):
            out.prefetch()
        results.append(result)
        if isinstance(result, Diagnostic):
            errors += 1
            if errors >= MAX_ERRORS:
                break
    return results, fragments.take_new() if fragments is not None else [], MEMO.take_log()


#: A site-wide file this big leaves as much freed heap behind it (its parts, its text before
#: encoding), handed back to the system once it is written (see :func:`_release_free_heap`).
BIG_FILE = 1 << 20


def _release_free_heap() -> None:
    """Hand memory the C heap holds free back to the system (glibc's ``malloc_trim``; a no-op
    elsewhere), so forked workers do not start with it: after parsing, the parent's heap holds
    tens of MB of freed file data."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _after_own(result: Put | Kept | Diagnostic) -> None:
    """After a site-wide output rendered here: a big file's freed heap goes back to the system
    (the search index, ``timeline.json``... each leaves tens of MB), so the builder's peak is
    one such file's, not their sum, and workers forked next do not inherit it."""
    if isinstance(result, Put) and result.size > BIG_FILE:
        _release_free_heap()


def _site_wide(out: Output) -> bool:
    """A page listing many documents (term, taxonomy, home, timeline) or a site file (feed,
    search index, sitemap): made from no single source, or under a taxonomy folder. Outputs
    marked ``local`` keep state for the next build, so they are rendered here too."""
    return out.local or not out.sources or out.path.split("/", 1)[0] in TAXONOMIES


def render_outputs(outputs: list[Output], session: WriteSession, jobs: int,
                   progress: Callable[[str, int, int], None] | None = None,
                   warm: Callable[[], None] | None = None,
                   fragments: FragmentCache | None = None, sign: bool = False,
                   keep: Keep | None = None) -> list[Diagnostic]:
    """Render every output into the session; returns template errors (empty when all went well).

    With ``jobs > 1``, many pages and no other thread in this process (see
    :func:`generator.workers.may_fork`), forked workers render the document pages in slices (they
    inherit the site graph and templates, so nothing is pickled but the small records of what
    was written) while this process renders the site-wide pages. ``warm`` runs before the
    workers start, to make here what each of them would otherwise make for itself (compiled
    templates, site-wide template values). Workers send back the partials they rendered
    (``fragments``: cards, timeline entries), so the site-wide pages here, and workers forked
    later, reuse them. With ``sign``, each output's signature digest is worked out where it
    is rendered and recorded with its file (:attr:`Put.signature`). With ``keep``, each output's
    signature digest is worked out first, where it would be rendered (the document pages' in the
    workers, in parallel), and an output for which ``keep(path, digest)`` is true is not
    rendered: the session keeps its file (:meth:`WriteSession.keep`). Memory decides the shape: a
    page of this process that a worker touches (reference counts) is copied for that worker,
    so each worker is replaced by a fresh fork after one slice, before it has copied most of
    the site graph; and the site-wide pages, which touch every document, are rendered here.
    """
    global _STATE
    total = len(outputs)
    # Forked workers only while this process runs no other thread (see generator.workers):
    # a running preview renders here, a build from the command line in parallel.
    use_pool = jobs > 1 and total >= PARALLEL_PAGES and may_fork()
    pooled = [i for i, out in enumerate(outputs) if not _site_wide(out)] if use_pool else []
    pooled_set = set(pooled)
    results: dict[int, Put | Kept | Diagnostic] = {}
    stopped = False
    if len(pooled) >= PARALLEL_PAGES:
        size = SLICE if keep is None else COMPARE_SLICE
        slices = [pooled[i : i + size] for i in range(0, len(pooled), size)]
        if warm is not None:
            warm()
        MEMO.load_all()  # the workers inherit the memo's entries: none reads the cache itself
        _STATE = (outputs, session, fragments, sign, keep)
        _release_free_heap()
        # Objects made so far are shared with the workers; keeping the collector off them
        # stops it from touching (and so copying) every shared page in each worker.
        gc.freeze()
        workers = ForkedSlices(_render_chunk, slices, jobs)
        own_errors = 0

        def collect(finished: list[tuple[list[int], tuple[list[Put | Kept | Diagnostic], list, Any]]]) -> bool:
            for piece, (found, made, memo_log) in finished:
                results.update(zip(piece, found, strict=False))
                MEMO.add_log(memo_log)
                if fragments is not None:
                    fragments.add(made)  # workers forked from now on inherit them too
                if progress:
                    progress("render", len(results), total)
                if sum(isinstance(r, Diagnostic) for r in found) >= MAX_ERRORS:
                    return True
            return False

        try:
            # The site-wide pages, here, while the workers render the document pages; between
            # two of them, finished workers are collected and replaced. Outputs that keep state
            # come first: what a one-shot build's search index leaves free, the rest reuse.
            own = [i for i, out in enumerate(outputs) if i not in pooled_set]
            own.sort(key=lambda i: not outputs[i].local)
            for index in own:
                out = outputs[index]
                if collect(workers.poll(0, refill=False)):
                    stopped = True
                    break
                workers.fill()  # after collect: the new workers inherit what the finished ones made
                result = results[index] = _render_one(out, session, sign, keep)
                _after_own(result)
                if isinstance(result, Diagnostic):
                    own_errors += 1
                    if own_errors >= MAX_ERRORS:
                        break
            while workers.busy and not stopped:
                stopped = collect(workers.poll(None, refill=False))
        finally:
            workers.stop()
            _STATE = None
            gc.unfreeze()
        _release_free_heap()
    # Record in output order (rendering here what no worker did), so errors come in the
    # order, and stop at the limit, as in a single process.
    errors: list[Diagnostic] = []
    done = len(results)
    for index, out in enumerate(outputs):
        result = results.get(index)
        if result is None:
            if stopped and index in pooled_set:
                continue
            result = _render_one(out, session, sign, keep)
            done += 1
            if progress and done % 250 == 0:
                progress("render", done, total)
        elif isinstance(result, Put):
            session.record(result)
        elif isinstance(result, Kept):
            session.keep(result.rel)
        if isinstance(result, Diagnostic):
            errors.append(result)
            if len(errors) >= MAX_ERRORS:
                break
    return errors
