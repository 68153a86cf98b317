"""The build plan: every output file with the signature of its inputs and how to render it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from generator.graph.delta import GraphDelta
from generator.graph.links import doc_id
from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.timeline import TimelineEntry, entry_value, shown_term
from generator.graph.urls import (
    TAXONOMIES,
    TAXONOMY_SINGULAR,
    TAXONOMY_TITLES,
    TERM_PAGE_TYPES,
    confidence_path,
    doc_path,
    output_file,
)
from generator.model.document import CONFIDENCE_LEVELS, DocType, Document
from generator.render import feeds, fragments
from generator.render.env import bundled_list_macros, closure_fingerprint, template_closure
from generator.render.fragments import FragmentCache
from generator.render.planned import Deferred, Output
from generator.render.search import SearchIndex, rows_unmoved
from generator.render.views import (
    CONFIDENCE_LABELS,
    Urls,
    body_html,
    card,
    document_view,
    entry_view,
    group_by_month,
    related_docs,
    site_view,
    term_view,
)

TEMPLATE_OF_TYPE = {DocType.ARTICLE: "article.html", DocType.NOTE: "note.html", DocType.PAGE: "page.html"}


#: Signature parts kept between builds, by document path.
_PER_DOCUMENT = ("card_sigs", "term_names", "search_sigs", "outfiles")
#: Signature parts kept between builds for the whole site (each checks its own inputs too).
_SITE_WIDE = ("entry_sigs", "timeline_sig", "type_counts", "level_cards", "search_all", "lastmod_map")


class Planner:
    """Lists the outputs of a site graph; signatures decide what a rebuild must render."""

    def __init__(self, graph: SiteGraph, env: jinja2.Environment, urls: Urls,
                 content_hashes: dict[str, str], build_time: str | None = None, memo: dict | None = None,
                 changed: set[str] | None = None, renamed: bool = False, cards_changed: set[str] | None = None,
                 keep_state: bool = True, same_docs: bool = False):
        self.graph = graph
        self.env = env
        self.urls = urls
        self.hashes = content_hashes
        self.build_time = build_time
        #: Kept by a running builder between builds (search index rows and encodings).
        self.memo = memo if memo is not None else {}
        #: Whether state that only speeds up a later build (the search index) is kept in ``memo``.
        self.keep_state = keep_state
        self._changed = changed  #: the documents that may differ from the last build (None: any)
        #: the documents whose card (what lists show of them) may differ (None: any)
        self._cards_changed = changed if cards_changed is None else cards_changed
        self._forget(changed, renamed)
        self._cards: dict[str, tuple] = self.memo.setdefault("card_sigs", {})
        self._names: dict[str, tuple] = self.memo.setdefault("term_names", {})
        self._search: dict[str, tuple] = self.memo.setdefault("search_sigs", {})
        self._outfiles: dict[str, str] = self.memo.setdefault("outfiles", {})
        self._entries: dict[str, tuple] = self.memo.setdefault("entry_sigs", {})
        # Documents whose search row may differ from the last rendered index (None: any), gathered
        # over builds until the index is rendered again; ``same_docs``: a full graph build from
        # the very documents of the last build, which leaves every row as it was.
        pending = self.memo.get("search_pending", set())
        if not same_docs:
            self.memo["search_pending"] = None if changed is None or pending is None else pending | changed
        # Template closures only change with the templates, which a new environment follows.
        self._closures: dict[str, str] = env.globals.setdefault("_briefing_closures", {})  # type: ignore[assignment]
        self._site: dict[str, Any] | None = None
        self._used: set[str] = set()  #: the page templates of this plan
        self.fragments = FragmentCache(env, self.site_view)
        fragments.install(env, self.fragments)
        #: Whether document outputs prefetch the partials list pages show (see _list_partials).
        self._prefetch = bundled_list_macros(env)

    def _forget(self, changed: set[str] | None, renamed: bool) -> None:
        """Drop what the kept signature parts no longer hold: everything after a full graph
        build (``changed`` None), the changed documents' parts after a one-document update."""
        if changed is None:
            for name in (*_PER_DOCUMENT, *_SITE_WIDE):
                self.memo.pop(name, None)
            return
        for name in _PER_DOCUMENT:
            kept = self.memo.get(name)
            if kept:
                for path in changed:
                    kept.pop(path, None)
        if renamed:  # timeline entries show term names
            self.memo.pop("entry_sigs", None)
            self.memo.pop("timeline_sig", None)

    # -- signatures -------------------------------------------------------------------
    def _template_sig(self, name: str) -> str:
        self._used.add(name)
        if name not in self._closures:
            self._closures[name] = closure_fingerprint(self.env, name)
        return self._closures[name]

    def card_sig(self, doc: Document) -> tuple:
        """What a list shows of a document: a body-only edit leaves it unchanged."""
        sig = self._cards.get(doc.path)
        if sig is None:
            sig = self._cards[doc.path] = (doc.path, doc.slug, doc.type.value, doc.title,
                                           doc.when.iso if doc.when else None,
                                           self.graph.summaries.get(doc.path, ""), doc.confidence, doc.marking)
        return sig

    def _links_sig(self, doc: Document) -> tuple:
        """A document's resolved links as its page shows them: each target's id, title and
        URL path (the link text and href of a cross-link in the body), and for about and
        related links the target's card."""
        return tuple((link.ref.kind, link.target.id if link.target else None,
                      link.target.title if link.target else None, link.target.path if link.target else None,
                      link.anchor, link.label,
                      self.card_sig(link.target.doc) if link.target and link.target.doc is not None
                      and link.ref.kind != "body" else None)
                     for link in self.graph.links_of(doc))

    def _content_sig(self, docs: list[Document]) -> tuple:
        return tuple(self.hashes.get(d.path, "") for d in docs)

    def _cards_sig(self, docs: list[Document]) -> tuple:
        return tuple(self.card_sig(d) for d in docs)

    def _term_names(self, doc: Document) -> tuple:
        found = self._names.get(doc.path)
        if found is None:
            terms = self.graph.taxonomies.of_doc.get(doc.path, {})
            found = self._names[doc.path] = tuple(
                (k, tuple((t.slug, t.name) for t in terms.get(k, ()))) for k in TAXONOMIES)
        return found

    def _outfile(self, doc: Document) -> str:
        """The file of a document's page (kept: a one-document update keeps slugs)."""
        found = self._outfiles.get(doc.path)
        if found is None:
            found = self._outfiles[doc.path] = output_file(doc_path(doc))
        return found

    def _entry_sig(self, entry: TimelineEntry) -> tuple:
        """What a page shows of a timeline entry (kept while the entry object lives)."""
        found = self._entries.get(entry.id)
        if found is None or found[0] is not entry:
            found = self._entries[entry.id] = (entry, entry_value(entry))
        return found[1]

    def _search_sigs(self, listed: list[Document]) -> tuple:
        """Every listed document's search signature, patched for changed documents when each
        is still in its row (then so is every other: only changed documents move)."""
        kept = self.memo.get("search_all")
        changed = self._changed
        if kept is not None and changed is not None and rows_unmoved(listed, kept[1], len(kept[0]), changed):
            sigs = list(kept[0])
            at = kept[1]
            for path in changed:
                if path in at:
                    sigs[at[path]] = self._search_sig(listed[at[path]])
        else:
            sigs = [self._search_sig(d) for d in listed]
            at = {d.path: i for i, d in enumerate(listed)}
        result = tuple(sigs)
        self.memo["search_all"] = (result, at)
        return result

    def _search_sig(self, doc: Document) -> tuple:
        """What the search index holds of a document (kept with its card signature)."""
        found = self._search.get(doc.path)
        if found is None:
            body = self.graph.bodies.get(doc.path)
            found = self._search[doc.path] = (self.card_sig(doc), self._term_names(doc), doc.tags, doc.actors,
                                              tuple(loc.name for loc in doc.locations), body.words if body else ())
        return found

    def _event_terms(self, doc: Document) -> tuple:
        """How a document's events show their actors and locations (terms come and go)."""
        lookup = self.graph.taxonomies.lookup
        return tuple((tuple(shown_term(lookup("locations", loc.name)) for loc in e.locations),
                      tuple(shown_term(lookup("actors", a)) for a in e.actors)) for e in doc.events)

    def _render_search(self) -> bytes:
        index = self.memo.get("search_index")
        if not isinstance(index, SearchIndex):
            index = SearchIndex()
            if self.keep_state:
                self.memo["search_index"] = index
        data = index.render(self.graph, self.urls, self.graph.listed, self.memo.get("search_pending"))
        self.memo["search_pending"] = set()
        return data

    def _timeline_sig(self) -> tuple:
        """The timeline's entries as pages show them (kept while the timeline list is the same)."""
        timeline = self.graph.timeline
        cached = self.memo.get("timeline_sig")
        if cached is not None and cached[0] is timeline:
            return cached[1]
        sig = tuple(self._entry_sig(e) for e in timeline)
        self.memo["timeline_sig"] = (timeline, sig)
        return sig

    # -- rendering --------------------------------------------------------------------
    def _page(self, template: str, **context: Any) -> Callable[[], bytes]:
        def render() -> bytes:
            tpl = self.env.get_template(template)
            return tpl.render(site=self.site_view(), **context).encode("utf-8")
        return render

    def warm(self) -> None:
        """Make the site view and compile the templates this plan's pages use (and all they
        reach) ahead of a render in forked workers, which then inherit them rather than each
        make their own."""
        self.site_view()
        self.graph.entries_by_doc  # noqa: B018 - made here, inherited by the workers
        self.graph.related.prepare(remember=self.keep_state)
        for name in sorted(self._used):
            for ref in sorted(template_closure(self.env, name)):
                try:
                    self.env.get_template(ref)
                except Exception:  # noqa: BLE001, S110 - the page's render reports it
                    pass

    def _list_partials(self, doc: Document) -> None:
        """Make what list pages show of ``doc`` (its card and timeline entries). Render workers
        run it for the documents whose pages they render, so the term pages, timeline and
        lists rendered after them find these partials made, in parallel, instead of making
        them one by one. A template error here is left to the list page that shows it."""
        graph, urls = self.graph, self.urls
        memo = graph.memo.setdefault("entries", {})
        try:
            fragments.list_partials(self.fragments, card(graph, doc, urls),
                                    [entry_view(e, urls, memo) for e in self.graph.entries_by_doc.get(doc.path, ())])
        except Exception:  # noqa: BLE001, S110 - reported where a page shows the partial
            pass

    def site_view(self) -> dict[str, Any]:
        """Site-wide values every template sees as ``site`` (made once per build)."""
        if self._site is None:
            self._site = site_view(self.graph, self.urls, self.build_time)
        return self._site

    def global_signature(self) -> tuple:
        """What every page shows: site settings, navigation, plain pages, asset names."""
        graph = self.graph
        pages = tuple((d.path, d.title, d.slug) for d in graph.pages)
        return (graph.config.fingerprint(), tuple(sorted(self.urls.assets.items())), pages, self.build_time)

    # -- the plan ---------------------------------------------------------------------
    def outputs(self, previous: dict[str, Output] | None = None, delta: GraphDelta | None = None) -> list[Output]:
        """Every output of the site (pages, lists, feeds, data), in a stable order.

        With the ``previous`` build's outputs (by path) and the ``delta`` of a one-document
        graph update, pages the delta does not reach are taken over as they were (same
        signature, so they are neither planned nor rendered again).
        """
        graph = self.graph
        reuse = previous if previous is not None and delta is not None else {}
        dirty_docs = delta.docs if delta is not None else set()
        dirty_terms = delta.terms if delta is not None else set()
        out: list[Output] = []
        for doc in graph.docs:
            if doc.type in TERM_PAGE_TYPES:
                continue
            kept = reuse.get(self._outfile(doc)) if doc.path not in dirty_docs else None
            out.append(kept if kept is not None else self._document_output(doc))
        for kind in TAXONOMIES:
            terms = sorted(graph.taxonomies.terms[kind].values(), key=lambda t: t.slug)
            for term in terms:
                kept = reuse.get(output_file(term.path)) if term.id not in dirty_terms else None
                out.append(kept if kept is not None else self._term_output(term))
            out.append(self._taxonomy_output(kind, terms))
        for level in CONFIDENCE_LEVELS:
            out.append(self._confidence_output(level))
        out.append(self._home_output())
        out.append(self._timeline_output())
        sitemap = reuse.get("sitemap.xml")
        if delta is not None and (delta.dates_changed or delta.created_terms or delta.removed_terms):
            sitemap = None
        out += self._site_files(out, sitemap)
        return out

    def _document_output(self, doc: Document) -> Output:
        graph = self.graph
        template = doc.meta.get("template") if isinstance(doc.meta.get("template"), str) else None
        template = template or TEMPLATE_OF_TYPE.get(doc.type, "page.html")
        template_sig = self._template_sig(template)
        # Ranked where first asked for, once per build (see related_docs): here when this
        # process compares signatures (render workers forked later share the result), else by
        # the worker that renders the page, in parallel.
        has_related = doc.type in (DocType.ARTICLE, DocType.NOTE)

        def signature() -> tuple:
            node = doc_id(doc)
            return (template_sig, self.hashes.get(doc.path, ""),
                    graph.summaries.get(doc.path, ""), self._links_sig(doc), self._term_names(doc),
                    self._cards_sig(graph.links.assessed_in.get(node, [])),
                    self._cards_sig(graph.links.referenced_by.get(node, [])),
                    self._cards_sig(related_docs(graph, doc) if has_related else []),
                    self._event_terms(doc) if doc.events else ())

        def render() -> bytes:
            return self._page(template, page=document_view(graph, doc, self.urls))()
        prefetch = (lambda: self._list_partials(doc)) if self._prefetch else None
        return Output(output_file(doc_path(doc)), Deferred(signature), render, (doc.path,), prefetch=prefetch)

    def _term_output(self, term: Term) -> Output:
        graph = self.graph
        entries = graph.term_timelines.get(term.id, [])
        page = term.page
        refs = graph.links.referenced_by.get(term.id, []) + graph.links.assessed_in.get(term.id, [])
        template_sig = self._template_sig("term.html")

        def signature() -> tuple:
            return (template_sig, term.kind, term.slug, term.name, term.lat, term.lon,
                    self.hashes.get(page.path, "") if page else None,
                    # the term page's body shows its cross-links' targets (title, URL)
                    self._links_sig(page) if page else None, self._cards_sig(term.docs),
                    tuple(self._entry_sig(e) for e in entries), self._cards_sig(refs),
                    tuple(sorted(term.names)))

        def render() -> bytes:
            view = {
                "kind": term.kind, "kind_title": TAXONOMY_TITLES[term.kind],
                "kind_label": TAXONOMY_SINGULAR[term.kind], "name": term.name, "title": term.name,
                "slug": term.slug, "url": self.urls.url(term.path),
                "summary": (page.summary if page else ""),
                "body": body_html(graph, page, self.urls) if page else "",
                "aliases": list(page.aliases) if page else [],
                "country": page.country if page else None,
                "lat": term.lat, "lon": term.lon,
                "documents": [card(graph, d, self.urls) for d in term.docs],
                "timeline": [entry_view(e, self.urls, self.graph.memo.setdefault('entries', {})) for e in entries],
                "referenced_by": [card(graph, d, self.urls) for d in refs],
                "also_written": sorted(n for n in term.names if n != term.name),
            }
            return self._page("term.html", page=view)()
        return Output(output_file(term.path), Deferred(signature), render, (page.path,) if page else ())

    def _taxonomy_output(self, kind: str, terms: list[Term]) -> Output:
        rows = [(t.slug, t.name, len(t.docs)) for t in terms]
        sig = (self._template_sig("taxonomy.html"), kind, tuple(rows))

        def render() -> bytes:
            items = [term_view(t, self.urls, count=True) for t in terms]
            by_name = sorted(items, key=lambda i: (i["name"].casefold(), i["slug"]))
            by_count = sorted(items, key=lambda i: (-i["count"], i["name"].casefold(), i["slug"]))
            view = {"kind": kind, "title": TAXONOMY_TITLES[kind], "kind_label": TAXONOMY_SINGULAR[kind],
                    "url": self.urls.url(f"{kind}/"), "by_name": by_name, "by_count": by_count}
            return self._page("taxonomy.html", page=view)()
        return Output(output_file(f"{kind}/"), sig, render)

    def _confidence_output(self, level: str) -> Output:
        docs = self.graph.by_confidence[level]
        counts = tuple((lv, len(self.graph.by_confidence[lv])) for lv in CONFIDENCE_LEVELS)
        # The cards of a level's documents, kept while its list is the same and none of its
        # documents changed (a one-document update keeps the lists of untouched levels).
        template_sig = self._template_sig("confidence.html")

        def signature() -> tuple:
            kept = self.memo.setdefault("level_cards", {}).get(level)
            changed = self._cards_changed
            if (kept is None or kept[0] is not docs or changed is None
                    or any(self.graph.by_path[p].confidence == level for p in changed if p in self.graph.by_path)):
                kept = self.memo["level_cards"][level] = (docs, self._cards_sig(docs))
            return (template_sig, level, kept[1], counts)

        def render() -> bytes:
            view = {"level": level, "title": CONFIDENCE_LABELS[level], "url": self.urls.url(confidence_path(level)),
                    "documents": [card(self.graph, d, self.urls) for d in docs],
                    "levels": [{"level": lv, "label": CONFIDENCE_LABELS[lv], "count": n,
                                "url": self.urls.url(confidence_path(lv))} for lv, n in counts]}
            return self._page("confidence.html", page=view)()
        return Output(output_file(confidence_path(level)), Deferred(signature), render)

    def _home_output(self) -> Output:
        graph = self.graph
        listed = graph.listed
        limit = graph.config.home_limit
        articles = _first(listed, DocType.ARTICLE, limit)
        notes = _first(listed, DocType.NOTE, limit)
        # A one-document update keeps every document's type, so the counts are kept too.
        kinds = self.memo.get("type_counts")
        if kinds is None:
            kinds = self.memo["type_counts"] = (sum(d.type is DocType.ARTICLE for d in listed),
                                                sum(d.type is DocType.NOTE for d in listed))
        events = self.memo.get("event_count")
        if events is None or events[0] is not graph.timeline:
            events = self.memo["event_count"] = (graph.timeline, sum(1 for e in graph.timeline if e.kind == "event"))
        counts = {"articles": kinds[0], "notes": kinds[1],
                  "actors": len(graph.taxonomies.terms["actors"]),
                  "locations": len(graph.taxonomies.terms["locations"]),
                  "tags": len(graph.taxonomies.terms["tags"]),
                  "events": events[1]}
        latest_entries = graph.timeline[-5:][::-1]
        sig = (self._template_sig("home.html"), self._cards_sig(articles), self._cards_sig(notes),
               tuple(sorted(counts.items())), tuple(self._entry_sig(e) for e in latest_entries),
               tuple((lv, len(graph.by_confidence[lv])) for lv in CONFIDENCE_LEVELS))

        def render() -> bytes:
            view = {"title": graph.config.title, "url": self.urls.url(""),
                    "articles": [card(graph, d, self.urls) for d in articles],
                    "notes": [card(graph, d, self.urls) for d in notes], "counts": counts,
                    "recent_events": [entry_view(e, self.urls, self.graph.memo.setdefault('entries', {})) for e in latest_entries],
                    "confidence": [{"level": lv, "label": CONFIDENCE_LABELS[lv], "count": len(graph.by_confidence[lv]),
                                    "url": self.urls.url(confidence_path(lv))} for lv in CONFIDENCE_LEVELS]}
            return self._page("home.html", page=view)()
        return Output("index.html", sig, render)

    def _timeline_output(self) -> Output:
        graph = self.graph
        template_sig = self._template_sig("timeline.html")
        sig = Deferred(lambda: (template_sig, self._timeline_sig()))

        def render() -> bytes:
            entries = [entry_view(e, self.urls, self.graph.memo.setdefault('entries', {})) for e in graph.timeline]
            groups = group_by_month(entries)
            kinds = sorted({e["kind"] for e in entries})
            view = {"title": "Timeline", "url": self.urls.url("timeline/"), "groups": groups, "kinds": kinds,
                    "count": len(entries)}
            return self._page("timeline.html", page=view)()
        return Output("timeline/index.html", sig, render)

    def _site_files(self, pages: list[Output], sitemap: Output | None = None) -> list[Output]:
        graph, urls = self.graph, self.urls
        listed = graph.listed
        feed_docs = listed[: graph.config.feed_limit] if graph.config.feed_limit else listed
        out = [
            Output("feed.xml", ("feed", self._cards_sig(feed_docs), self._content_sig(feed_docs),
                                tuple(self._term_names(d) for d in feed_docs),
                                tuple(tuple((link.target.path if link.target else None, link.label) for link in graph.links_of(d)) for d in feed_docs)),
                   lambda: feeds.atom_feed(graph, urls, feed_docs)),
            Output("timeline.json", Deferred(lambda: ("timeline.json", self._timeline_sig())),
                   lambda: feeds.timeline_json(graph, urls)),
            Output("robots.txt", ("robots"), lambda: feeds.robots(urls)),
            Output("404.html", (self._template_sig("404.html")),
                   self._page("404.html", page={"title": "Page not found", "url": urls.url("404.html")})),
        ]
        if graph.config.search:
            out.append(Output("search-index.json", Deferred(lambda: ("search", self._search_sigs(listed))),
                              self._render_search, local=True))
            out.append(Output("search/index.html", (self._template_sig("search.html")),
                              self._page("search.html", page={"title": "Search", "url": urls.url("search/")})))
        if sitemap is not None:
            out.append(sitemap)
            return out
        # Page file -> last modified day, kept between builds and redone for changed documents.
        lastmods = self.memo.get("lastmod_map")
        if lastmods is None:
            lastmods = self.memo["lastmod_map"] = {}
            redo = graph.docs
        else:
            redo = [graph.by_path[p] for p in self._changed or () if p in graph.by_path]
        for d in redo:
            stamp = d.updated or d.when
            if stamp is not None:
                lastmods[self._outfile(d)] = stamp.local.date().isoformat()
            else:
                lastmods.pop(self._outfile(d), None)
        entries = []
        for o in (*pages, *out):
            entry = o.sitemap
            if entry is None:
                if not o.path.endswith("index.html"):
                    continue
                # kept on the output: a page whose date changes is planned afresh
                entry = o.sitemap = (o.path[: -len("index.html")], lastmods.get(o.path))
            entries.append(entry)
        out.append(Output("sitemap.xml", ("sitemap", tuple(entries)),
                          lambda: feeds.sitemap(urls, entries, self.memo.setdefault("sitemap", {}))))
        return out


def _first(docs: list[Document], kind: DocType, limit: int) -> list[Document]:
    """The first ``limit`` documents of one type."""
    found: list[Document] = []
    if limit <= 0:
        return found
    for doc in docs:
        if doc.type is kind:
            found.append(doc)
            if len(found) == limit:
                break
    return found
