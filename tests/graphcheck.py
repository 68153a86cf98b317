"""The graph-update proof's tools: sites held in memory, graphs as plain data, page views, reach.

A :class:`MemorySite` holds a site's files as text and loads them as the builder's source
loader does (type from the folder, slug from the file name, drafts left out unless shown); a
:class:`Session` keeps a graph across edits the way a running builder does (the edited files'
documents swapped in, :func:`update_graph` tried, else a full build with the kept related
memo) and, after every step, :meth:`Session.check` holds the result against a clean
:func:`build_graph` of the same sources:

* :func:`plain` turns a graph into plain data (every dataclass field, slot, attribute and
  property found by introspection, so a new field of the graph is compared without a word
  here) and the two must be equal;
* every document and term whose page view differs between the clean graphs before and after
  the edit must be in the reach the update reported (:func:`missed_reach`).
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.config import SiteConfig, parse_config
from generator.graph.delta import GraphDelta, update_graph
from generator.graph.site import SiteGraph, build_graph
from generator.graph.taxonomy import Term
from generator.graph.timeline import entry_value
from generator.graph.urls import TAXONOMIES, TERM_PAGE_TYPES, doc_path, term_path
from generator.markup.rendered import RenderedBody
from generator.model.document import CONFIDENCE_LEVELS, Document
from generator.model.slugs import slug_from_filename
from generator.parsing import parse_file
from generator.render.archives import archive_lists
from generator.render.views import Urls, _card, body_html, card, document_view, entry_view
from generator.sources import MARKDOWN_SUFFIXES, content_type_of

CONFIG = "briefing.yaml"

#: Attributes left out of the comparison, each with why it cannot show on a page.
SKIPPED = {
    ("Resolver", "_slug_list"): "a lazy cache of the slugs, made from the lookups compared",
    ("Resolver", "_hints"): "a lazy cache of 'did you mean' hints, made from the slugs compared",
    ("RelatedIndex", "memo"): "results kept between builds; what related() returns is compared",
    ("RelatedIndex", "_term_keys"): "a per-build cache of the memo keys",
    ("RelatedIndex", "_term_ranks"): "a per-build cache of each term's candidates",
    ("RelatedIndex", "_order"): "a per-build cache of the recency order (rank is compared)",
    ("RelatedIndex", "remember"): "whether results are memoised (set by the renderer)",
    ("RelatedIndex", "by_path"): "a path lookup; compared below for the ranked paths only",
}
#: Lists whose order shows nowhere (the build sorts them before reporting).
UNORDERED = {("SiteGraph", "diagnostics")}


# -- graphs as plain data -------------------------------------------------------------------
def plain(obj: Any, seen: dict[int, Any] | None = None) -> Any:
    """``obj`` as nested plain data (dicts, lists, tuples, scalars) compared by value.

    Dicts and sets compare without order (index maps; an index key holding an empty set is
    the same as no key); lists and tuples keep it. Objects shared by several structures
    (documents, terms, targets) are turned into data once per call.
    """
    seen = {} if seen is None else seen
    if obj is None or isinstance(obj, (bool, int, float, bytes)):
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, (list, tuple)):
        return [plain(item, seen) for item in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((plain(item, seen) for item in obj), key=repr)
    if isinstance(obj, dict):
        items = [(plain(k, seen), plain(v, seen)) for k, v in obj.items()
                 if not (isinstance(v, (set, frozenset)) and not v)]
        return {"{dict}": sorted(items, key=repr)}
    key = id(obj)
    if key in seen:
        return seen[key]
    seen[key] = {"{cycle}": type(obj).__name__}
    seen[key] = result = _object(obj, seen)
    return result


def _object(obj: Any, seen: dict[int, Any]) -> Any:
    name = type(obj).__name__
    if isinstance(obj, RenderedBody):
        return {"{type}": name, "html": obj.html, "links": plain(obj.links, seen),
                "heading_ids": plain(obj.heading_ids, seen), "first_paragraph": obj.first_paragraph,
                "words": plain(obj.words, seen)}
    out: dict[str, Any] = {"{type}": name}
    for attr, value in attributes(obj):
        if (name, attr) in SKIPPED:
            continue
        data = plain(value, seen)
        if (name, attr) in UNORDERED:
            data = sorted(data, key=repr)
        out[attr] = data
    if name == "RelatedIndex":
        # What pages show: each ranked document's related documents (through the kept memo).
        out["results"] = {p: [d.path for d in obj.related(obj.by_path[p])] for p in sorted(obj.rank)}
        out["ranked"] = plain({p: obj.by_path[p] for p in obj.rank}, seen)
    if len(out) == 1:
        return {"{type}": name, "{repr}": repr(obj)}
    return out


def attributes(obj: Any) -> list[tuple[str, Any]]:
    """Every data field of an object: dataclass fields (else slots, else ``__dict__``), then
    its properties and cached properties, found on its class, so new ones count at once."""
    if dataclasses.is_dataclass(obj):
        found = [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)]
    elif hasattr(obj, "__dict__"):
        found = [(k, v) for k, v in vars(obj).items()]
    else:
        found = [(s, getattr(obj, s)) for cls in type(obj).__mro__ for s in getattr(cls, "__slots__", ())]
    names = {n for n, _ in found}
    for cls in type(obj).__mro__:
        for attr, member in vars(cls).items():
            if isinstance(member, (property, cached_property)) and attr not in names:
                names.add(attr)
                found.append((attr, getattr(obj, attr)))
    return [(n, v) for n, v in found if not callable(v)]


def graph_fields(graph: SiteGraph) -> list[str]:
    """The names of everything a graph holds (fields and properties)."""
    return [name for name, _ in attributes(graph)]


def differences(a: Any, b: Any, where: str = "graph", out: list[str] | None = None, limit: int = 12) -> list[str]:
    """Where two plain values differ (the first ``limit`` places, most specific first)."""
    out = [] if out is None else out
    if len(out) >= limit or a == b:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) == {"{dict}"} == set(b):
            da, db = dict((repr(k), v) for k, v in a["{dict}"]), dict((repr(k), v) for k, v in b["{dict}"])
            for k in sorted(set(da) | set(db)):
                differences(da.get(k, "<missing>"), db.get(k, "<missing>"), f"{where}[{k}]", out, limit)
            return out
        for k in sorted(set(a) | set(b)):
            differences(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{where}.{k}", out, limit)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            differences(x, y, f"{where}[{i}]", out, limit)
        return out
    out.append(f"{where}: updated {str(a)[:300]} != clean {str(b)[:300]}")
    return out


# -- what pages show ------------------------------------------------------------------------
def urls_of(config: SiteConfig) -> Urls:
    """The URLs pages are made with."""
    return Urls(config.base_path, config.absolute_base, {})


def term_page(graph: SiteGraph, term: Term, urls: Urls) -> dict[str, Any]:
    """What a term page shows (the view the renderer hands ``term.html``)."""
    page = term.page
    refs = graph.links.referenced_by.get(term.id, []) + graph.links.assessed_in.get(term.id, [])
    return {"kind": term.kind, "name": term.name, "slug": term.slug, "url": urls.url(term.path),
            "summary": page.summary if page else "", "body": str(body_html(graph, page, urls)) if page else "",
            "aliases": list(page.aliases) if page else [], "country": page.country if page else None,
            "lat": term.lat, "lon": term.lon, "documents": [card(graph, d, urls) for d in term.docs],
            "timeline": [entry_view(e, urls) for e in graph.term_timelines.get(term.id, [])],
            "referenced_by": [card(graph, d, urls) for d in refs],
            "also_written": sorted(n for n in term.names if n != term.name)}


def term_later_pages(graph: SiteGraph, term: Term, urls: Urls) -> dict[str, Any]:
    """What a term's pages after the first show (no text, timeline or backlinks)."""
    page = term.page
    return {"kind": term.kind, "name": term.name, "slug": term.slug,
            "aliases": list(page.aliases) if page else [], "country": page.country if page else None,
            "marking": page.marking if page else None, "lat": term.lat, "lon": term.lon,
            "documents": [card(graph, d, urls) for d in term.docs],
            "also_written": sorted(n for n in term.names if n != term.name)}


@dataclass
class Views:
    """Per document and per term, what pages, lists and the search index show of them."""

    pages: dict[str, Any] = field(default_factory=dict)  # document path -> its page view
    terms: dict[str, Any] = field(default_factory=dict)  # term id -> its page view
    cards: dict[str, Any] = field(default_factory=dict)  # document path -> its card
    rows: dict[str, Any] = field(default_factory=dict)  # document path -> its search row
    names: dict[str, str] = field(default_factory=dict)  # term id -> shown name
    sitemap: set[tuple[str, str | None]] = field(default_factory=set)
    timeline: list[tuple] = field(default_factory=list)
    lists: dict[str, Any] = field(default_factory=dict)  # a list's slot (as in GraphDelta.lists) -> what it shows
    later: dict[str, Any] = field(default_factory=dict)  # term id -> what its pages after the first show


def views(graph: SiteGraph) -> Views:
    """Everything :func:`missed_reach` compares, worked out from one graph."""
    urls = urls_of(graph.config)
    found = Views()
    for doc in graph.docs:
        terms = graph.taxonomies.of_doc.get(doc.path, {})
        found.cards[doc.path] = _card(doc, graph.summaries.get(doc.path, ""), urls, graph.config.marking_of(doc.marking))
        body = graph.bodies.get(doc.path)
        found.rows[doc.path] = (found.cards[doc.path], tuple((k, tuple((t.slug, t.name) for t in terms.get(k, ())))
                                                           for k in TAXONOMIES), doc.tags, doc.actors,
                                tuple(loc.name for loc in doc.locations), body.words if body else ())
        if doc.type not in TERM_PAGE_TYPES:
            found.pages[doc.path] = _plain_view(document_view(graph, doc, urls))
            stamp = doc.updated or doc.when
            found.sitemap.add((doc_path(doc), stamp.local.date().isoformat() if stamp else None))
    for kind in TAXONOMIES:
        for term in graph.taxonomies.terms[kind].values():
            found.terms[term.id] = _plain_view(term_page(graph, term, urls))
            found.later[term.id] = _plain_view(term_later_pages(graph, term, urls))
            found.names[term.id] = term.name
            found.sitemap.add((term_path(kind, term.slug), None))
    found.timeline = [entry_value(e) for e in graph.timeline]
    counts = tuple(len(graph.by_confidence[level]) for level in CONFIDENCE_LEVELS)
    found.lists = {f"confidence:{level}": (counts, [found.cards[d.path] for d in graph.by_confidence[level]])
                   for level in CONFIDENCE_LEVELS}
    found.lists.update({f"archive:{section}": [found.cards[d.path] for d in docs]
                        for section, docs in archive_lists(graph)})
    return found


def _plain_view(view: Any) -> Any:
    if isinstance(view, dict):
        return {k: _plain_view(v) for k, v in view.items()}
    if isinstance(view, (list, tuple)):
        return [_plain_view(v) for v in view]
    return str(view) if isinstance(view, str) else view


def _differing(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in before.keys() & after.keys() if before[key] != after[key]}


def missed_reach(before: Views, after: Views, delta: GraphDelta) -> list[str]:
    """What changed between two clean graphs that the update's reported reach leaves out."""
    problems = []
    checks = [
        ("document pages not in delta.docs", _differing(before.pages, after.pages) - delta.docs),
        ("term pages not in delta.terms", _differing(before.terms, after.terms) - delta.terms),
        ("terms' later pages not in delta.term_lists", _differing(before.later, after.later) - delta.term_lists),
        ("cards not in delta.changed", _differing(before.cards, after.cards) - delta.changed),
        ("search rows not in delta.changed | delta.docs",
         _differing(before.rows, after.rows) - (delta.changed | delta.docs)),
        ("renamed terms not in delta.renamed_terms", _differing(before.names, after.names) - delta.renamed_terms),
        ("terms that came not in delta.created_terms", set(after.terms) - set(before.terms) - delta.created_terms),
        ("terms that went not in delta.removed_terms",
         set(before.terms) - set(after.terms) - {t.id for t in delta.removed_terms}),
    ]
    if delta.lists is not None:
        checks.append(("lists not in delta.lists", _differing(before.lists, after.lists) - delta.lists))
    if before.sitemap != after.sitemap and not (delta.dates_changed or delta.created_terms or delta.removed_terms):
        checks.append(("sitemap changed, delta says no dates or terms changed", {"sitemap"}))
    if before.timeline != after.timeline and not (delta.timeline_changed or delta.renamed_terms):
        checks.append(("timeline changed, delta says it did not", {"timeline"}))
    for label, missing in checks:
        if missing:
            problems.append(f"{label}: {sorted(missing)}")
    return problems


# -- sites in memory, loaded as the builder loads them --------------------------------------
@dataclass
class Loaded:
    """One load of a site: settings, shown documents and their bodies, each file's parse."""

    config: SiteConfig
    docs: list[Document]
    bodies: dict[str, RenderedBody]
    results: dict[str, tuple[Document | None, RenderedBody | None]]


def load(files: dict[str, str], *, drafts: bool = False, previous: Loaded | None = None,
         changed: set[str] | None = None) -> Loaded:
    """Parse a site's Markdown files (with ``previous``, only ``changed`` ones: the others keep
    their documents, as the source loader keeps a file whose stat did not change)."""
    config, diags = parse_config(files.get(CONFIG, ""))
    assert not [d for d in diags if d.is_error], diags
    prefix = config.content_dir.strip("/") + "/"
    results: dict[str, tuple[Document | None, RenderedBody | None]] = {}
    for rel in sorted(files):
        if not rel.startswith(prefix) or not rel.lower().endswith(MARKDOWN_SUFFIXES):
            continue
        if previous is not None and changed is not None and rel not in changed and rel in previous.results:
            results[rel] = previous.results[rel]
            continue
        kind = content_type_of(rel[len(prefix):])
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        doc, body, _ = parse_file(rel, files[rel].encode(), kind.type.value, slug_from_filename(stem), config.timezone)
        results[rel] = (doc, body)
    docs = [doc for doc, _ in results.values() if doc is not None and (drafts or not doc.draft)]
    bodies = {doc.path: results[doc.path][1] for doc in docs}
    return Loaded(config, docs, bodies, results)  # type: ignore[arg-type]


def edits_of(old: Loaded, new: Loaded, changed: set[str], graph: SiteGraph, drafts: bool
             ) -> list[tuple[Document, Document, RenderedBody]] | None:
    """The (old, new, body) replacements a running builder hands :func:`update_graph` for these
    changed files, or ``None`` when it builds afresh (as ``Builder._trusts`` and ``_edits``)."""
    prefix = new.config.content_dir.strip("/") + "/"
    if old.config != new.config or any(not (rel.startswith(prefix) and rel.lower().endswith(MARKDOWN_SUFFIXES))
                                       for rel in changed):
        return None
    found = []
    for rel in sorted(changed):
        if rel not in old.results or rel not in new.results:
            return None
        (old_doc, _), (new_doc, body) = old.results[rel], new.results[rel]
        if old_doc is None or graph.by_path.get(rel) is not old_doc or new_doc is None or (new_doc.draft and not drafts):
            return None
        if old_doc is not new_doc:
            found.append((old_doc, new_doc, body))
    return found


def render_pass(graph: SiteGraph) -> None:
    """What rendering a graph leaves in it for the next build: memoised views and related results."""
    urls = urls_of(graph.config)
    graph.related.prepare()
    for doc in graph.docs:
        if doc.type not in TERM_PAGE_TYPES:
            document_view(graph, doc, urls)
    for kind in TAXONOMIES:
        for term in graph.taxonomies.terms[kind].values():
            term_page(graph, term, urls)


class Session:
    """A running builder's graph, kept across edits of a site held in memory."""

    def __init__(self, files: dict[str, str], *, drafts: bool = False):
        self.files = dict(files)
        self.drafts = drafts
        self.related_memo: dict = {}
        self.loaded = load(self.files, drafts=drafts)
        self.graph = build_graph(self.loaded.config, self.loaded.docs, self.loaded.bodies, self.related_memo)
        render_pass(self.graph)
        self.updates = 0

    def apply(self, files: dict[str, str]) -> str:
        """Replace the site's files, bring the graph up to date, check it against a clean build.

        Returns ``"updated"`` when :func:`update_graph` took the edit, else ``"rebuilt"``.
        """
        changed = {rel for rel in set(self.files) | set(files) if self.files.get(rel) != files.get(rel)}
        before = views(clean_graph(self.files, self.drafts))
        old, self.files = self.loaded, dict(files)
        new = load(self.files, drafts=self.drafts, previous=old, changed=changed)
        if new.config != old.config:
            self.related_memo.clear()  # as the builder does when the settings change
        edits = edits_of(old, new, changed, self.graph, self.drafts)
        outcome = update_graph(self.graph, edits) if edits else None
        if edits == []:
            outcome = dataclasses.replace(self.graph, memo={}), GraphDelta()
        if outcome is None:
            self.graph = build_graph(new.config, new.docs, new.bodies, self.related_memo)
        else:
            self.graph, delta = outcome
        self.loaded = new
        clean = clean_graph(self.files, self.drafts)
        found = differences(plain(self.graph), plain(clean))
        assert not found, "the kept graph differs from a clean build:\n" + "\n".join(found)
        if outcome is not None:
            self.updates += 1
            missed = missed_reach(before, views(clean), delta)
            assert not missed, "the update's reach misses changes:\n" + "\n".join(missed)
        render_pass(self.graph)
        return "rebuilt" if outcome is None else "updated"


def clean_graph(files: dict[str, str], drafts: bool = False) -> SiteGraph:
    """A graph built from scratch (every file parsed again, no memo)."""
    loaded = load(files, drafts=drafts)
    return build_graph(loaded.config, loaded.docs, loaded.bodies)
