"""Views a running builder keeps between builds, so that an edit costs what it changed.

Pages decide freshness from the digest of their exact view (``render/digest.py``); list pages
(the timeline, confidence pages, term pages) hold thousands of cards and timeline entries, so
making and digesting those views again on every save would cost a large site hundreds of
milliseconds. This module keeps them, by the identity of the graph objects they are made from:

- a card is made from a document (never changed once loaded), its summary and the base path;
- a timeline entry's view from the entry (frozen), what its terms show, and the base path;
- terms are changed in place by graph updates, so a :class:`TermWatch` compares what each
  term shows (``views.term_view``, whatever it comes to show) build by build;
- a view made again that equals the one it replaces *is* that one: the lists holding it keep
  their identity, and a list made of the same views (:func:`shared_list`) is the same list
  with the digest it had.

Nothing here says which fields a view reads: a kept view is used again only when the very
objects it was made from are the ones at hand (and, for terms, none changed since).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.timeline import TimelineEntry
from generator.model.document import Document
from generator.render.digest import SharedList, SharedView


class KeptViews:
    """What one running builder keeps (see the module's docstring)."""

    def __init__(self, settings: object = None, *, lasting: bool = True) -> None:
        #: the settings (``SiteConfig.fingerprint()``) the views were made under
        self.settings = settings
        #: whether later builds use them: a one-shot build (``briefing build``) keeps no part of
        #: a data file (feed, ``timeline.json``, ``previews.json``) only a later build reads
        self.lasting = lasting
        #: whether the bytes of whole data files are kept with their parts: only a running
        #: builder's next build reads them (a one-shot build that keeps views for a build in a
        #: new process does not carry them, see ``render/keptstate.py``)
        self.files = lasting
        #: id(document) -> (document, summary, base path, card)
        self.cards: dict[int, tuple[Document, str, str, SharedView]] = {}
        #: document path -> the card last made for it (an equal new card is this object)
        self.card_of_path: dict[str, SharedView] = {}
        #: id(entry) -> (entry, generation made (-1: never kept), base path, view)
        self.entries: dict[int, tuple[TimelineEntry, int, str, SharedView]] = {}
        #: entry id -> the view last made for it
        self.entry_of_id: dict[str, SharedView] = {}
        #: id(entry view) -> (entry view, month key, month label, date view): its timeline month
        self.months: dict[int, tuple[SharedView, str, str, dict[str, Any]]] = {}
        #: what the terms showed, build by build
        self.terms = TermWatch()
        #: entry id -> (entry, generation made (-1: never kept), absolute base, event JSON,
        #: the site's default marking)
        self.events: dict[str, tuple[TimelineEntry, int, str, str, str]] = {}
        #: the entries of the last ``timeline.json``, their events' JSON, (absolute base, default
        #: marking), the generation in which every one was right, id(term) -> the places of the
        #: entries showing it (None: some entry names a term not watched)
        self.timeline_run: tuple[list[TimelineEntry], list[str], tuple[str, str], int,
                                 dict[int, set[int]]] | None = None
        #: the events of the last ``timeline.json`` (their JSON), what follows them, its bytes
        self.timeline_bytes: tuple[list[str], str, bytes] | None = None
        #: id(document) -> (document, summary, URL bases, its entry in term feeds)
        self.feed_entries: dict[int, tuple[Document, str, tuple[str, str], str]] = {}
        #: feed path -> (its head, its entries, its bytes)
        self.feeds: dict[str, tuple[str, list[str], bytes]] = {}
        #: id(document) -> (document, summary, base path, URL, its ``previews.json`` record text)
        self.previews: dict[int, tuple[Document, str, str, str, str]] = {}
        #: the record texts of the last ``previews.json``, in order, and its bytes
        self.previews_bytes: tuple[list[str], bytes] | None = None
        #: id(source as a document wrote it) -> (that source, the citing document's card, the
        #: citation's view on the source's page)
        self.citation_views: dict[int, tuple[Any, SharedView, SharedView]] = {}
        #: slot (a source's citations) -> (the sources as written, the citing documents' cards,
        #: the shared list of the citations' views made from them)
        self.citation_lists: dict[str, tuple[list[Any], list[SharedView], SharedList]] = {}
        #: id(source as a document wrote it) -> (that source, the citing document, URL bases,
        #: the citation's text in ``sources.json``)
        self.citation_texts: dict[int, tuple[Any, Document, tuple[str, str], str]] = {}
        #: the parts of the last ``sources.json`` and its bytes
        self.sources_bytes: tuple[list[str], bytes] | None = None
        #: (page path, last change) -> its ``sitemap.xml`` line, and the last pages, URL bases
        #: and bytes (``feeds.sitemap``)
        self.sitemap: dict[Any, Any] = {}
        #: id(document) -> (document, its page's file, the day it last changed or None) (the plan's)
        self.doc_files: dict[int, tuple[Document, str, str | None]] = {}
        #: slot (one list a page shows) -> (ids of its items, the shared list); the ids are None in
        #: a list carried from a base until it is first asked for (``render/keptstate.py``)
        self.lists: dict[str, tuple[tuple[int, ...] | None, SharedList]] = {}
        #: slot (a list of cards) -> (its documents, their ids (None as above), their summaries, base path, the
        #: shared list of their cards)
        self.card_lists: dict[str, tuple[list[Document], tuple[int, ...] | None, tuple[Any, ...], str, SharedList]] = {}
        #: slot (a grouped list) -> (ids of the items grouped, the groups, the items)
        self.groups: dict[str, tuple[tuple[int, ...], list[SharedView], list[Any]]] = {}
        #: slot (one part of a page) -> the shared view last made for it
        self.views: dict[str, SharedView] = {}
        #: document path -> (rendered body, resolved links, backlink contexts by target id)
        #: (``render/linkcontext.py``): kept while the body and links are the very same
        self.contexts: dict[str, tuple[Any, Any, dict[str, Any]]] = {}

    def prune(self, graph: SiteGraph) -> None:
        """Forget views of documents and entries the graph no longer holds, once there are
        many more kept than shown (each edit leaves the replaced document's behind)."""
        if len(self.doc_files) > 2 * len(graph.docs) + 64:
            self.doc_files = {}
        if len(self.cards) > 2 * len(graph.docs) + 64:
            self.cards = {id(d): rec for d in graph.docs if (rec := self.cards.get(id(d))) is not None and rec[0] is d}
            self.feed_entries = {id(d): rec for d in graph.docs
                                 if (rec := self.feed_entries.get(id(d))) is not None and rec[0] is d}
            paths = {d.path for d in graph.docs}
            self.card_of_path = {p: c for p, c in self.card_of_path.items() if p in paths}
            self.contexts = {p: c for p, c in self.contexts.items() if p in paths}
            self.citation_views.clear()
            self.citation_lists.clear()
        if len(self.entries) > 2 * len(graph.timeline) + 64:
            self.entries = {id(e): rec for e in graph.timeline
                            if (rec := self.entries.get(id(e))) is not None and rec[0] is e}
            ids = {e.id for e in graph.timeline}
            self.entry_of_id = {i: v for i, v in self.entry_of_id.items() if i in ids}
            self.months.clear()
            self.events = {i: rec for i, rec in self.events.items() if i in ids}
        if len(self.feeds) > 2 * sum(map(len, graph.taxonomies.terms.values())) + 64:
            self.feeds.clear()
        if len(self.lists) + len(self.views) + len(self.groups) + len(self.card_lists) > 4096:
            self.lists.clear()
            self.card_lists.clear()
            self.views.clear()
            self.groups.clear()


def kept_views(graph: SiteGraph) -> KeptViews:
    """The kept views of this build (a fresh set when the planner gave none: one-shot builds)."""
    found = graph.memo.get("kept_views")
    if found is None:
        found = graph.memo["kept_views"] = KeptViews()
    return found


class TermWatch:
    """What every term showed at each build of a running builder, to tell which changed.

    Terms are changed in place by a graph update (renamed, given coordinates), so a view made
    from a term cannot be kept by the term's identity alone. Each build the watch compares
    every term's view (``views.term_view``: whatever it comes to show) with the last build's
    and notes the build (generation) in which each last changed or went away; a view made in
    generation ``g`` from some terms is still right when none of them changed since ``g``.
    """

    def __init__(self) -> None:
        self.generation = 0
        #: id(term) -> (term, its view): the terms are held, so no id is reused while here
        self.seen: dict[int, tuple[Term, Any]] = {}
        #: id(term) -> the generation in which it last changed or went away
        self.changed_at: dict[int, int] = {}
        #: the last generation in which any term changed or went away
        self.last_change = 0
        #: generation -> ids of the terms changed after it (``changed_since``), for ``_since_at``
        self._since: dict[int, frozenset[int]] = {}
        self._since_at = 0

    def advance(self, terms: list[Term], view: Callable[[Term], Any]) -> None:
        """Start a new generation with ``terms`` as they are now."""
        self.generation += 1
        now = {id(t): (t, view(t)) for t in terms}
        for key, (_, shown) in self.seen.items():
            found = now.get(key)
            if found is None or found[1] != shown:
                self.changed_at[key] = self.generation
                self.last_change = self.generation
        self.seen = now
        if len(self.changed_at) > 4 * len(now) + 256:  # forget changes older than every kept view
            self.changed_at = {k: g for k, g in self.changed_at.items() if k in now}

    def covers(self, terms: tuple[Term | str, ...]) -> bool:
        """Whether every term of ``terms`` is one this generation watches (names are text)."""
        seen = self.seen
        return all(isinstance(t, str) or id(t) in seen for t in terms)

    def unchanged_since(self, generation: int, terms: tuple[Term | str, ...]) -> bool:
        """Whether none of ``terms`` (all watched when the view was made) changed after ``generation``."""
        if self.last_change <= generation:
            return True
        return self.changed_since(generation).isdisjoint(map(id, terms))

    def changed_since(self, generation: int) -> frozenset[int]:
        """The ids of the terms that changed or went away after ``generation`` (worked out
        once per generation asked about: few terms change in one save). An id in it may since
        be another object's (a name's text, a new term): that only makes a view again."""
        found = self._since.get(generation)
        if found is None or self._since_at != self.generation:
            if self._since_at != self.generation:
                self._since = {}
                self._since_at = self.generation
            found = self._since[generation] = frozenset(k for k, g in self.changed_at.items() if g > generation)
        return found


def watched_terms(graph: SiteGraph, term_view: Callable[[Term], Any]) -> TermWatch:
    """The builder's term watch, advanced to this build (once per build)."""
    kept = kept_views(graph)
    if not graph.memo.get("terms_watched"):
        kept.terms.advance([t for kind in sorted(graph.taxonomies.terms)
                            for t in graph.taxonomies.terms[kind].values()], term_view)
        graph.memo["terms_watched"] = True
    return kept.terms


def kept_card(graph: SiteGraph, doc: Document, summary: str, base_path: str,
              make: Callable[[], SharedView]) -> SharedView:
    """The card of ``doc``: kept while the document, its summary and the base path are the ones
    it was made from; made by ``make`` otherwise (and the old card kept if equal)."""
    kept = kept_views(graph)
    rec = kept.cards.get(id(doc))
    if rec is not None and rec[0] is doc and rec[1] == summary and rec[2] == base_path:
        return rec[3]
    view = make()
    old = kept.card_of_path.get(doc.path)
    if old is not None and old == view:
        view = old
    kept.cards[id(doc)] = (doc, summary, base_path, view)
    kept.card_of_path[doc.path] = view
    return view


def kept_entry(graph: SiteGraph, entry: TimelineEntry, watch: TermWatch, base_path: str,
               make: Callable[[], SharedView]) -> SharedView:
    """The view of a timeline entry: kept while the entry and the base path are the ones it
    was made from and none of its terms changed since (see :class:`TermWatch`). An entry
    naming a term the watch does not know (none should) is made again every build."""
    kept = kept_views(graph)
    rec = kept.entries.get(id(entry))
    terms = (*entry.locations, *entry.actors)
    if rec is not None and rec[0] is entry and rec[2] == base_path and rec[1] >= 0 \
            and watch.unchanged_since(rec[1], terms):
        return rec[3]
    view = make()
    old = kept.entry_of_id.get(entry.id)
    if old is not None and old == view:
        view = old
    kept.entries[id(entry)] = (entry, watch.generation if watch.covers(terms) else -1, base_path, view)
    kept.entry_of_id[entry.id] = view
    return view


def shared_list(graph: SiteGraph, slot: str, items: Sequence[Any]) -> SharedList:
    """``items`` as a :class:`SharedList`: the one ``slot`` had last build when it holds the
    very same items (so its digest is not worked out again)."""
    kept = kept_views(graph)
    ids = tuple(map(id, items))
    rec = kept.lists.get(slot)
    if rec is not None and rec[0] is None:  # carried from a base (``render/keptstate.py``)
        rec = kept.lists[slot] = (tuple(map(id, rec[1])), rec[1])
    if rec is not None and rec[0] == ids:
        return rec[1]
    found = SharedList(items)
    kept.lists[slot] = (ids, found)
    return found


_PATH = attrgetter("path")


def shared_cards(graph: SiteGraph, slot: str, docs: list[Document], base_path: str,
                 make: Callable[[], list[SharedView]]) -> SharedList:
    """The cards of ``docs`` as ``slot``'s shared list, ``make()`` making them: the list ``slot``
    had last build when it shows the very same documents with the same summaries and base
    path (what each of its cards is kept by, see :func:`kept_card`), found without looking
    at each card."""
    kept = kept_views(graph)
    ids = tuple(map(id, docs))
    summaries = tuple(map(graph.summaries.get, map(_PATH, docs)))
    rec = kept.card_lists.get(slot)
    if rec is not None and rec[1] is None:  # carried from a base (``render/keptstate.py``)
        rec = kept.card_lists[slot] = (rec[0], tuple(map(id, rec[0])), *rec[2:])
    if rec is not None and rec[1] == ids and rec[2] == summaries and rec[3] == base_path:
        return rec[4]
    found = shared_list(graph, slot, make())
    if kept.lasting:
        kept.card_lists[slot] = (docs, ids, summaries, base_path, found)
    return found


def shared_view(graph: SiteGraph, slot: str, view: dict[str, Any]) -> SharedView:
    """``view`` as a :class:`SharedView`: the one ``slot`` had last build when equal (the shared
    lists it holds compare by identity first, so this is quick when nothing changed)."""
    kept = kept_views(graph)
    old = kept.views.get(slot)
    if old is not None and old == view:
        return old
    found = kept.views[slot] = SharedView(view)
    return found
