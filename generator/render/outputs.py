"""The build plan: every output file, how to make it, and the signature that says whether it changed.

Freshness by construction: a page's signature is the digest of the exact view its template
receives (made by the same function the render uses) and of the template files it reaches; a
data file's (feed, search index, timeline data, link previews, sitemap) is the digest of its bytes. Nothing
here lists what a page depends on: whatever a view holds is in its digest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import Any

import jinja2

from generator import memo
from generator.errors import Diagnostic
from generator.graph.delta import GraphDelta
from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.urls import (
    NOT_CONTENT,
    TAXONOMIES,
    TAXONOMY_SINGULAR,
    TAXONOMY_TITLES,
    confidence_path,
    doc_path,
    feed_path,
    output_file,
    page_path,
)
from generator.model.document import CONFIDENCE_LEVELS, DocType, Document
from generator.render import archives, feeds, fragments, judgments
from generator.render.datafiles import DataFile
from generator.render.digest import view_digest
from generator.render.env import bundled_list_macros, closure_fingerprint, template_closure
from generator.render.fragments import FragmentCache
from generator.render.kept import KeptViews, kept_views, shared_list
from generator.render.linkcontext import backlink_items, prepare_contexts
from generator.render.maps import locations_geojson, overview_map, term_map
from generator.render.planned import Deferred, Output
from generator.render.previews import previews_json
from generator.render.redirects import plan_redirects, redirect_page
from generator.render.search import SearchIndex
from generator.render.sourcepages import source_outputs
from generator.render.views import (
    CONFIDENCE_LABELS,
    Urls,
    banner,
    body_html,
    card,
    cards,
    document_view,
    entry_card,
    entry_cards,
    group_by_month,
    markings_of,
    site_view,
    term_view,
)

#: Stands for a page a resumed build carries over (see :meth:`Planner.outputs`).
_CARRY = object()

TEMPLATE_OF_TYPE = {DocType.ARTICLE: "article.html", DocType.NOTE: "note.html", DocType.PAGE: "page.html"}


class _Page:
    """One templated output: its view is made by one function, for the signature and the render.

    The signature is ``(template closure fingerprint, digest of the view)``. Worked out in
    the builder (to compare with the last build), the view is made, digested and dropped; the
    render makes it again. Rendered first (a build that only saves signatures), the view the
    template received is the one digested.
    """

    __slots__ = ("planner", "template", "make_view", "output")

    def __init__(self, planner: Planner, template: str, make_view: Callable[[], dict[str, Any]]):
        self.planner = planner
        self.template = template
        self.make_view = make_view
        self.output: Output | None = None

    def signature(self) -> tuple:
        return (self.planner.template_sig(self.template), view_digest(self.make_view()))

    def render(self) -> bytes:
        view = self.make_view()
        out = self.output
        if out is not None and type(out.sig) is Deferred and self.planner.digest_on_render:
            out.sig = (self.planner.template_sig(self.template), view_digest(view))
        tpl = self.planner.env.get_template(self.template)
        return tpl.render(site=self.planner.site_view(), page=view).encode("utf-8")


class Planner:
    """Lists the outputs of a site graph; signatures decide what a rebuild must render."""

    def __init__(self, graph: SiteGraph, env: jinja2.Environment, urls: Urls,
                 build_time: str | None = None, memo: dict | None = None, keep_state: bool = True,
                 keep_views: bool = False):
        self.graph = graph
        self.env = env
        self.urls = urls
        self.build_time = build_time
        #: Kept by a running builder between builds (the search index and sitemap lines).
        self.memo = memo if memo is not None else {}
        #: Whether state that only speeds up a later build (the search index) is kept in ``memo``.
        self.keep_state = keep_state
        # ``keep_views``: the views are kept whole for a build in a new process (``render/keptstate.py``).
        #: Warnings found while planning (old addresses the site cannot write: render/redirects.py).
        self.diagnostics: list[Diagnostic] = []
        #: Whether a page rendered before its signature was asked for digests the view it
        #: rendered (False when nothing will ask: a one-shot build without a cache).
        self.digest_on_render = True
        # Template closures only change with the templates, which a new environment follows.
        self._closures: dict[str, str] = env.globals.setdefault("_briefing_closures", {})  # type: ignore[assignment]
        self._site: dict[str, Any] | None = None
        self._used: set[str] = set()  #: the page templates of this plan
        # Views a running builder keeps between builds (render/kept.py), the files and
        # sitemap days of documents among them (kept with the document: documents never change).
        # They were made under the settings they were made with (default marking, base path,
        # time zone...): other settings, none of them.
        kept = self.memo.get("kept_views")
        settings = graph.config.fingerprint()
        if not isinstance(kept, KeptViews) or kept.settings != settings:
            kept = KeptViews(settings, lasting=keep_state or keep_views)
            if keep_state:
                self.memo["kept_views"] = kept
        kept.files = keep_state  # whole files' bytes: for this builder's next build only
        kept.prune(graph)
        graph.memo["kept_views"] = kept
        #: id(document) -> (document, its page's file, the day it last changed or None)
        self._doc_files: dict[int, tuple[Document, str, str | None]] = kept.doc_files
        self.fragments = FragmentCache(env, self.site_view)
        fragments.install(env, self.fragments)
        #: Whether document outputs prefetch the partials list pages show (see _list_partials).
        self._prefetch = bundled_list_macros(env)

    # -- signatures -------------------------------------------------------------------
    def template_sig(self, name: str) -> str:
        """The fingerprint of a page template and every template it reaches."""
        self._used.add(name)
        if name not in self._closures:
            self._closures[name] = closure_fingerprint(self.env, name)
        return self._closures[name]

    def global_signature(self) -> tuple:
        """What every output shows: the ``site`` view every template receives (settings,
        navigation, plain pages, URL helpers with the asset names), every setting, and the code
        that renders it (the filters and data files are Python: an edited filter changes pages
        whose views and templates did not)."""
        return (view_digest(self.site_view()), self.graph.config.fingerprint(), memo.code_fingerprint())

    def site_view(self) -> dict[str, Any]:
        """Site-wide values every template sees as ``site`` (made once per build)."""
        if self._site is None:
            self._site = site_view(self.graph, self.urls, self.build_time)
        return self._site

    def _doc_file(self, doc: Document) -> tuple[Document, str, str | None]:
        """A document, the file of its page, and the day it last changed (for the sitemap);
        kept with the document (documents never change)."""
        kept = self._doc_files.get(id(doc))
        if kept is None or kept[0] is not doc:
            stamp = doc.updated or doc.when
            kept = self._doc_files[id(doc)] = (doc, output_file(doc_path(doc)),
                                               stamp.local.date().isoformat() if stamp is not None else None)
        return kept

    def _outfile(self, doc: Document) -> str:
        """The file of a document's page."""
        return self._doc_file(doc)[1]

    # -- rendering --------------------------------------------------------------------
    def warm(self) -> None:
        """Make the site view, every document's card (document pages show their neighbours',
        the list pages here all of them), the backlink contexts and compile the templates this
        plan's pages use (and all they reach) ahead of a render in forked workers, which then
        inherit them rather than each make their own."""
        self.site_view()
        self.graph.entries_by_doc  # noqa: B018 - made here, inherited by the workers
        self.graph.related.prepare(remember=self.keep_state)
        prepare_contexts(self.graph)  # the sentences backlink sections show
        for view in cards(self.graph, self.graph.docs, self.urls):
            if self.digest_on_render:  # signatures are worked out: the cards' digests too
                view.digest()
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
        try:
            fragments.list_partials(self.fragments, card(graph, doc, urls),
                                    [entry_card(graph, e, urls) for e in self.graph.entries_by_doc.get(doc.path, ())])
        except Exception:  # noqa: BLE001, S110 - reported where a page shows the partial
            pass

    def _page(self, path: str, template: str, make_view: Callable[[], dict[str, Any]],
              sources: tuple[str, ...] = (), prefetch: Callable[[], None] | None = None) -> Output:
        page = _Page(self, template, make_view)
        self.template_sig(template)  # known to warm() before any render
        out = page.output = Output(path, Deferred(page.signature), page.render, sources, prefetch=prefetch)
        return out

    def _data(self, path: str, make: Callable[[], bytes], local: bool = False) -> Output:
        data = DataFile(make, keep=self.keep_state)
        return Output(path, Deferred(data.signature), data.render, local=local)

    # -- the plan ---------------------------------------------------------------------
    def outputs(self, previous: dict[str, Output] | None = None, delta: GraphDelta | None = None,
                carry: dict[str, Any] | None = None) -> list[Output]:
        """Every output of the site (pages, lists, feeds, data), in a stable order.

        With the ``previous`` build's outputs (by path) and the ``delta`` of a one-document
        graph update, the pages of documents and terms the delta does not reach are taken
        over as they were (same signature, so they are neither planned nor rendered again);
        ``tests/test_graph_delta_equivalence.py`` checks the delta's reach against full builds.
        A resumed build (``generator/resume.py``) gives instead the paths the build it resumes
        from made (``carry``): those pages are planned, marked ``carried``.
        """
        graph = self.graph
        reuse: dict[str, Any] = {} if delta is None else {p: _CARRY for p in carry} if carry is not None else previous or {}
        dirty_docs = delta.docs if delta is not None else set()
        dirty_terms = delta.terms if delta is not None else set()
        term_lists = delta.term_lists if delta is not None else set()
        out: list[Output] = []
        files, doc_file = self._doc_files, self._doc_file
        for doc in graph.docs:
            if doc.type in NOT_CONTENT:  # term and source pages are planned with their term or source
                continue
            kept = None
            if doc.path not in dirty_docs:
                rec = files.get(id(doc))
                kept = reuse.get((rec if rec is not None and rec[0] is doc else doc_file(doc))[1])
            out.append(kept if kept is not None and kept is not _CARRY else self._document_output(doc, kept))
        size = graph.config.paginate
        # The feeds of terms and levels show their documents' entries (no bodies): when the
        # update changed no entry, a feed whose list the delta does not reach is as it was.
        entries_same = delta is not None and all(
            doc is not None and path in graph.by_path and feeds.entry_fields(graph, self.urls, doc, summary)
            == feeds.entry_fields(graph, self.urls, graph.by_path[path], graph.summaries.get(path, ""))
            for path, (doc, summary) in delta.before.items())
        for kind in TAXONOMIES:
            terms = sorted(graph.taxonomies.terms[kind].values(), key=lambda t: t.slug)
            for term in terms:
                # A term the delta does not reach keeps its pages (their number follows its documents).
                kept_pages = None
                if term.id not in term_lists:
                    kept_pages = [reuse.get(f) for f in archives.page_files(term.path, term.docs, size)]
                if kept_pages and all(kept_pages) and kept_pages[0] is not _CARRY and term.id not in dirty_terms:
                    out += kept_pages  # type: ignore[arg-type]
                else:
                    planned = self._term_outputs(term)
                    if kept_pages and all(kept_pages):
                        # Reached on its first page only (timeline, backlinks): the others as they were.
                        first = 1 if term.id in dirty_terms else 0
                        for number, (page, kept) in enumerate(zip(planned, kept_pages, strict=True)):
                            if number >= first:
                                if kept is _CARRY:
                                    page.carried = True
                                else:
                                    planned[number] = kept
                    out += planned
                out.append(self._feed(entries_same and term.id not in dirty_terms, reuse,
                                      term.path, term.name, term.docs))
            out.append(self._taxonomy_output(kind, terms))
        lists = delta.lists if delta is not None else None
        for level in CONFIDENCE_LEVELS:
            out += self._list_pages(lists, reuse, f"confidence:{level}", confidence_path(level),
                                    graph.by_confidence[level], lambda level=level: self._confidence_outputs(level))
            out.append(self._feed(entries_same and lists is not None and f"confidence:{level}" not in lists, reuse,
                                  confidence_path(level), CONFIDENCE_LABELS[level], graph.by_confidence[level]))
        out.append(self._page("confidence/index.html", "confidence_index.html",
                              lambda: judgments.confidence_index_view(self.graph, self.urls)))
        out.append(self._page("judgments/index.html", "judgments.html",
                              lambda: judgments.judgments_view(self.graph, self.urls)))
        for section, docs in archives.archive_lists(graph):
            out += self._list_pages(lists, reuse, f"archive:{section}", f"{section}/", docs,
                                    lambda section=section, docs=docs: archives.archive_outputs(self, section, docs))
        out.append(self._home_output())
        out.append(self._timeline_output())
        out += source_outputs(self)
        out += self._site_files(out)
        return out

    def _list_pages(self, lists: set[str] | None, reuse: dict[str, Any], slot: str, first: str,
                    docs: list[Document], plan: Callable[[], list[Output]]) -> list[Output]:
        """A list's pages: taken over (or, resuming, planned as carried) when the delta's
        ``lists`` leave it out, as a term's pages are; else planned by ``plan``."""
        kept = None
        if lists is not None and slot not in lists:
            kept = [reuse.get(f) for f in archives.page_files(first, docs, self.graph.config.paginate)]
        if kept and all(kept) and kept[0] is not _CARRY:
            return kept
        planned = plan()
        for page in planned if kept and all(kept) else ():
            page.carried = True
        return planned

    def _feed(self, same: bool, reuse: dict[str, Any], first: str, title: str, docs: list[Document]) -> Output:
        """A term's or level's feed: taken over (or, resuming, planned as carried) when ``same``."""
        kept = reuse.get(feed_path(first)) if same else None
        if kept is not None and kept is not _CARRY:
            return kept
        out = archives.feed_output(self, first, title, docs)
        out.carried = kept is _CARRY
        return out

    def _document_output(self, doc: Document, carried: object = None) -> Output:
        template = doc.meta.get("template") if isinstance(doc.meta.get("template"), str) else None
        template = template or TEMPLATE_OF_TYPE.get(doc.type, "page.html")
        prefetch = (lambda: self._list_partials(doc)) if self._prefetch else None
        out = self._page(self._outfile(doc), template,
                         lambda: document_view(self.graph, doc, self.urls), (doc.path,), prefetch)
        out.carried = carried is _CARRY
        return out

    def _term_outputs(self, term: Term) -> list[Output]:
        graph, urls = self.graph, self.urls
        page = term.page
        feed = archives.feed_link(term.path, term.name, urls)

        def view(number: int, pager: dict[str, Any], documents: Any) -> dict[str, Any]:
            first = number == 1  # the term's text, timeline and backlinks are on its first page
            entries = graph.term_timelines.get(term.id, []) if first else []
            refs = graph.links.referenced_by.get(term.id, []) + graph.links.assessed_in.get(term.id, []) if first else []
            timeline = shared_list(graph, f"{term.id}|timeline", entry_cards(graph, entries, urls)) if first else []
            listed = set(map(id, term.docs))  # each document once on a term page: in its list
            referenced_by = backlink_items(graph, [d for d in refs if id(d) not in listed], term.id,
                                           lambda d: card(graph, d, urls))
            return {
                "kind": term.kind, "kind_title": TAXONOMY_TITLES[term.kind],
                "kind_label": TAXONOMY_SINGULAR[term.kind], "name": term.name,
                "title": archives.page_title(term.name, number),
                "slug": term.slug, "url": urls.url(page_path(term.path, number)),
                "summary": (page.summary if page and first else ""),
                "body": body_html(graph, page, urls) if page and first else "",
                "aliases": list(page.aliases) if page else [],
                "country": page.country if page else None,
                "lat": term.lat, "lon": term.lon, "pager": pager, "feed": feed,
                "map": term_map(term, urls),
                "documents": documents, "timeline": timeline, "referenced_by": referenced_by,
                "also_written": sorted(n for n in term.names if n != term.name),
                "banner": banner(graph.config.marking_of(page.marking) if page else None,
                                 *markings_of(documents, timeline, referenced_by)),
            }
        return archives.paginated(self, term.path, "term.html", term.docs, term.id, view,
                                  (page.path,) if page else ())

    def _taxonomy_output(self, kind: str, terms: list[Term]) -> Output:
        def view() -> dict[str, Any]:
            items = [term_view(t, self.urls, count=True) for t in terms]
            by_name = sorted(items, key=lambda i: (i["name"].casefold(), i["slug"]))
            by_count = sorted(items, key=lambda i: (-i["count"], i["name"].casefold(), i["slug"]))
            # The names come from the documents that use them: marked as the most restricted of those.
            shown = banner(*self._markings()[kind])
            return {"kind": kind, "title": TAXONOMY_TITLES[kind], "kind_label": TAXONOMY_SINGULAR[kind],
                    "url": self.urls.url(f"{kind}/"), "by_name": by_name, "by_count": by_count, "banner": shown,
                    "map": overview_map(self.graph, self.urls) if kind == "locations" else None}
        return self._page(output_file(f"{kind}/"), "taxonomy.html", view)

    def _levels(self) -> list[dict[str, Any]]:
        graph, urls = self.graph, self.urls
        return [{"level": lv, "label": CONFIDENCE_LABELS[lv], "count": len(graph.by_confidence[lv]),
                 "url": urls.url(confidence_path(lv))} for lv in CONFIDENCE_LEVELS]

    def _confidence_outputs(self, level: str) -> list[Output]:
        first = confidence_path(level)
        feed = archives.feed_link(first, CONFIDENCE_LABELS[level], self.urls)

        def view(number: int, pager: dict[str, Any], docs: Any) -> dict[str, Any]:
            return {"level": level, "title": archives.page_title(CONFIDENCE_LABELS[level], number),
                    "url": self.urls.url(page_path(first, number)), "pager": pager, "feed": feed,
                    "documents": docs, "levels": self._levels(), "banner": banner(*markings_of(docs))}
        return archives.paginated(self, first, "confidence.html", self.graph.by_confidence[level],
                                  f"confidence:{level}", view)

    def _home_output(self) -> Output:
        graph, urls = self.graph, self.urls

        def view() -> dict[str, Any]:
            listed = graph.listed
            limit = graph.config.home_limit
            types = Counter(map(attrgetter("type"), listed))
            counts = {"articles": types[DocType.ARTICLE], "notes": types[DocType.NOTE],
                      "actors": len(graph.taxonomies.terms["actors"]),
                      "locations": len(graph.taxonomies.terms["locations"]),
                      "tags": len(graph.taxonomies.terms["tags"]),
                      "events": Counter(map(attrgetter("kind"), graph.timeline))["event"]}
            articles = [card(graph, d, urls) for d in _first(listed, DocType.ARTICLE, limit)]
            notes = [card(graph, d, urls) for d in _first(listed, DocType.NOTE, limit)]
            recent = [entry_card(graph, e, urls) for e in graph.timeline[-5:][::-1]]
            return {"title": graph.config.title, "url": urls.url(""), "articles": articles, "notes": notes,
                    "counts": counts, "recent_events": recent, "confidence": self._levels(),
                    "banner": banner(*articles, *notes, *recent)}
        return self._page("index.html", "home.html", view)

    def _timeline_output(self) -> Output:
        graph, urls = self.graph, self.urls

        def view() -> dict[str, Any]:
            entries = entry_cards(graph, graph.timeline, urls)
            return {"title": "Timeline", "url": urls.url("timeline/"), "groups": group_by_month(entries, graph, "timeline"),
                    "kinds": sorted(set(map(itemgetter("kind"), entries))), "count": len(entries),
                    "banner": banner(*markings_of(entries))}
        return self._page("timeline/index.html", "timeline.html", view)

    def _markings(self) -> dict[str, set[str]]:
        """The markings (each document's own, else the site's default) of the documents with a
        term of each taxonomy, and of the listed documents: in one pass, once per build."""
        found = self.graph.memo.get("markings")
        if found is None:
            found = self.graph.memo["markings"] = {}
            default, own = self.graph.config.marking, attrgetter("marking")
            for kind in TAXONOMIES:
                seen: set[str | None] = set()
                for term in self.graph.taxonomies.terms[kind].values():
                    seen.update(map(own, term.docs))
                found[kind] = {m or default for m in seen}
            found["listed"] = {m or default for m in set(map(own, self.graph.listed))}
        return found

    def _render_search(self) -> bytes:
        index = self.memo.get("search_index")
        if not isinstance(index, SearchIndex):
            index = SearchIndex()
            if self.keep_state or self.memo.get("keep_search_index"):  # a running builder's, or a resume base's
                self.memo["search_index"] = index
        return index.render(self.graph, self.urls, self.graph.listed)

    def _site_files(self, pages: list[Output]) -> list[Output]:
        graph, urls = self.graph, self.urls
        listed = graph.listed
        feed_docs = listed[: graph.config.feed_limit] if graph.config.feed_limit else listed
        out = [
            self._data("feed.xml", lambda: feeds.atom_feed(graph, urls, feed_docs)),
            self._data("timeline.json", lambda: feeds.timeline_json(graph, urls)),
            self._data("judgments.json", lambda: judgments.judgments_json(graph, urls)),
            self._data("previews.json", lambda: previews_json(graph, urls)),
            self._data("locations.geojson", lambda: locations_geojson(graph, urls)),
            self._data("robots.txt", lambda: feeds.robots(urls)),
            self._page("404.html", "404.html", lambda: {"title": "Page not found", "url": urls.url("404.html")}),
        ]
        if graph.config.search:
            out.append(self._data("search-index.json", self._render_search, local=True))
            # The page shows what the index holds: every article and note.
            out.append(self._page("search/index.html", "search.html",
                                  lambda: {"title": "Search", "url": urls.url("search/"),
                                           "banner": banner(*self._markings()["listed"])}))
        lastmods: dict[str, str | None] = {}
        files, doc_file = self._doc_files, self._doc_file
        for doc in graph.docs:
            rec = files.get(id(doc))
            if rec is None or rec[0] is not doc:
                rec = doc_file(doc)
            lastmods[rec[1]] = rec[2]
        entries = [(o.path[: -len("index.html")], lastmods.get(o.path))
                   for o in (*pages, *out) if o.path.endswith("index.html")]
        kept = kept_views(graph)
        lines = kept.sitemap if kept.lasting else None
        out.append(self._data("sitemap.xml", lambda: feeds.sitemap(urls, entries, lines)))
        # Old addresses (``aliases: [/old/]``, ``redirect_from:``): not in the sitemap.
        moved, self.diagnostics = plan_redirects(graph, (*pages, *out))
        for old, now in moved:
            out.append(self._data(old, lambda now=now: redirect_page(urls.absolute(now), graph.config.language)))
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
