"""Render the outputs a build must render, in parallel for big builds, straight into staging."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from generator.errors import Diagnostic
from generator.output import Put, WriteSession
from generator.render.env import template_diagnostic
from generator.render.outputs import Output

#: Below this many pages a worker pool costs more than it saves.
PARALLEL_PAGES = 400
MAX_ERRORS = 20

_STATE: tuple[list[Output], WriteSession] | None = None


def _render_one(out: Output, session: WriteSession) -> Put | Diagnostic:
    try:
        data = out.render()
    except Exception as exc:  # noqa: BLE001 - a template error is the user's to fix
        return template_diagnostic(exc, out.path)
    return session.put(out.path, data)


def _render_chunk(indices: list[int]) -> list[Put | Diagnostic]:
    assert _STATE is not None
    outputs, session = _STATE
    results: list[Put | Diagnostic] = []
    for index in indices:
        results.append(_render_one(outputs[index], session))
        if sum(isinstance(r, Diagnostic) for r in results) >= MAX_ERRORS:
            break
    return results


def render_outputs(outputs: list[Output], session: WriteSession, jobs: int,
                   progress: Callable[[str, int, int], None] | None = None) -> list[Diagnostic]:
    """Render every output into the session; returns template errors (empty when all went well).

    With ``jobs > 1`` and many pages, forked workers render slices of the list (they inherit the
    site graph and templates, so nothing is pickled but the small records of what was written).
    """
    global _STATE
    errors: list[Diagnostic] = []
    total = len(outputs)
    use_pool = jobs > 1 and total >= PARALLEL_PAGES and sys.platform.startswith("linux")
    if not use_pool:
        for done, out in enumerate(outputs, 1):
            result = _render_one(out, session)
            if isinstance(result, Diagnostic):
                errors.append(result)
                if len(errors) >= MAX_ERRORS:
                    break
            if progress and done % 250 == 0:
                progress("render", done, total)
        return errors
    # Outputs that keep state for the next build (the search index) render here, not in a worker.
    for out in [o for o in outputs if o.local]:
        result = _render_one(out, session)
        if isinstance(result, Diagnostic):
            errors.append(result)
    outputs = [o for o in outputs if not o.local]
    total = len(outputs)
    size = max(50, min(400, total // (jobs * 6) or 50))
    chunks = [list(range(i, min(i + size, total))) for i in range(0, total, size)]
    _STATE = (outputs, session)
    # Objects made so far are shared with the workers; keeping the collector off them stops
    # it from touching (and so copying) every shared page in each worker.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
            done = 0
            for results in pool.map(_render_chunk, chunks):
                for result in results:
                    if isinstance(result, Diagnostic):
                        errors.append(result)
                    else:
                        session.record(result)
                done += len(results)
                if progress:
                    progress("render", done, total)
                if len(errors) >= MAX_ERRORS:
                    break
    finally:
        _STATE = None
        gc.unfreeze()
    return errors
