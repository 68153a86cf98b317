"""Pages a browser has open, rendered and written ahead of the rest of a rebuild.

In ``briefing serve`` an author saves a document and looks at its page. A running builder's
rebuild after that save spends most of its time on the site-wide outputs (lists, feeds, the
search index) that the page does not need. So, once the site graph is made and before the
whole site is planned, the document pages a browser has open (of the documents the graph
update reaches, ``GraphDelta.docs``, or all when the graph was built afresh) are rendered by the very planner the build then uses, from the very graph,
written (each file replaced by one atomic rename) and the browsers showing them told to
update. Nothing is decided here that the build does not decide again: the build then goes on
as it would have, plans, compares and renders every output (that page too, to the same
bytes) and commits.

A build that fails after this (an error found later, a template error on a list page, an
exception) puts each early page's old bytes back, so the output shows the last good site, and
the builder forgets the page's signature, so the next build renders it again whatever it
compares with (``Builder.build``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from generator.graph.urls import NOT_CONTENT

if TYPE_CHECKING:
    from generator.graph.delta import GraphDelta
    from generator.render.outputs import Planner


class OpenPages(Protocol):
    """What a running preview tells a builder of its browsers (``serve/preview.py``)."""

    def wanted(self) -> set[str]:
        """The files (relative to the output folder) of the pages a browser has open."""

    def written(self, rels: list[str]) -> None:
        """These files were written ahead of the build: browsers showing them update."""


@dataclass
class EarlyWrites:
    """The pages written ahead of a build, with the bytes each file held before."""

    output: Path
    old: dict[str, bytes] = field(default_factory=dict)

    def undo(self, forget: Callable[[list[str]], None]) -> None:
        """Put every early page's old bytes back, and ``forget`` their signatures (so the
        next build renders them again, whatever it compares with)."""
        for rel, data in self.old.items():
            try:
                replace_file(self.output / rel, data)
            except OSError:
                continue
        forget(list(self.old))


def replace_file(target: Path, data: bytes) -> None:
    """Replace ``target``'s bytes by one atomic rename (a reader sees the old file or the new)."""
    temporary = target.with_name(f".{target.name}.early-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_early(planner: Planner, delta: GraphDelta | None, pages: OpenPages, output: Path) -> EarlyWrites | None:
    """Render the open pages of the documents ``delta`` reaches (every document's, when the
    graph was built afresh: ``None``), write those whose bytes differ, then tell ``pages``;
    ``None`` when none was written. A page whose render fails is left to the build, which
    reports the error."""
    wanted = pages.wanted()
    if not wanted:
        return None
    graph = planner.graph
    done = EarlyWrites(output)
    docs = graph.docs if delta is None else [d for p in sorted(delta.docs) if (d := graph.by_path.get(p)) is not None]
    for doc in docs:
        if doc.type in NOT_CONTENT:
            continue
        rel = planner._outfile(doc)  # noqa: SLF001 - the file the plan gives the page
        if rel not in wanted:
            continue
        target = output / rel
        try:
            old = target.read_bytes()  # an open page's file is there: it was served
            data = planner._document_output(doc).render()  # noqa: SLF001 - the plan's own output
        except Exception:  # noqa: BLE001, S112 - the build renders it again and reports any error
            continue
        if old == data:
            continue
        try:
            replace_file(target, data)
        except OSError:  # the build writes it, or fails and says why
            continue
        done.old[rel] = old
    if not done.old:
        return None
    pages.written(sorted(done.old))
    return done
