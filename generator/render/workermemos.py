"""What a render worker works out that the workers forked after it can reuse.

Render workers are forked from the builder, one per slice of the document pages
(``render/execute.py``), and inherit what the builder holds when each is forked. Two things a
document page needs are worked out from site-wide data and are the same on every page that
needs them: the land of a map's extent (``geo/svgmap.LandPaths``) and the sentences around a
document's body links, which the backlink sections of every page it links to show
(``render/linkcontext.contexts_of``). Each worker used to work them out again for its own
slice: at 10,000 documents about 5,600 land paths for 832 extents and 38,800 link contexts for
10,000 documents, a third of the workers' time. Now each slice sends back what it worked out,
with its results (as the partials of ``render/fragments.py`` are), the builder keeps it, and
the workers forked after that inherit it. Both are pure functions of the graph, so a page is
the same whichever process worked them out.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from generator.geo.svgmap import land_paths
from generator.graph.site import SiteGraph
from generator.render.kept import kept_views

#: What a slice sends back: new link contexts (document path, contexts by target id) and new
#: land paths (extent, path).
Made = tuple[list[tuple[str, dict[str, Any]]], list[tuple[Any, str]]]


class WorkerMemos:
    """The land paths and link contexts of one build's render workers (see the module)."""

    def __init__(self, graph: SiteGraph) -> None:
        self.graph = graph
        self._contexts_at = 0

    def begin(self) -> None:
        """In a worker, before its slice: note what it inherited, record what it makes."""
        self._contexts_at = len(kept_views(self.graph).contexts)
        land_paths.take_new()
        land_paths.recording = True

    def take(self) -> Made:
        """In a worker, after its slice: what it worked out, as picklable pairs."""
        contexts = kept_views(self.graph).contexts
        # Entries are only ever added while a build renders: the new ones come last.
        new = [(path, rec[2]) for path, rec in islice(contexts.items(), self._contexts_at, None)]
        return new, land_paths.take_new()

    def add(self, made: Made) -> None:
        """In the builder: keep what a worker worked out, for the workers forked from now on."""
        contexts, land = made
        graph = self.graph
        kept = kept_views(graph).contexts
        for path, found in contexts:
            doc = graph.by_path.get(path)
            if doc is not None and path not in kept:
                # What contexts_of keeps: the very body and links the contexts come from.
                kept[path] = (graph.bodies.get(path), graph.links_of(doc), found)
        land_paths.add(land)


__all__ = ["WorkerMemos"]
