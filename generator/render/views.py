"""The exact values templates see: plain dicts built from the site graph, nothing else."""

from __future__ import annotations

import html
import posixpath
from operator import itemgetter
from typing import Any

from markupsafe import Markup

from generator.graph.links import ResolvedLink, doc_id
from generator.graph.site import SiteGraph
from generator.graph.sourcereg import source_items
from generator.graph.taxonomy import Term
from generator.graph.timeline import TimelineEntry
from generator.graph.urls import TAXONOMY_SINGULAR, confidence_path, doc_path
from generator.markup.localfiles import may_be_relative
from generator.markup.markdown import PLACEHOLDER
from generator.markup.rendered import RenderedBody
from generator.model.dates import When
from generator.model.document import DocType, Document, KeyJudgment
from generator.model.marking import css_class, highest
from generator.render.bodyurls import (
    mark_external,
    rebase_relative,
    rooted_under_base,
)
from generator.render.digest import SharedView
from generator.render.kept import (
    TermWatch,
    kept_card,
    kept_entry,
    kept_views,
    shared_list,
    shared_view,
    watched_terms,
)
from generator.render.linkcontext import backlink_items
from generator.render.maps import document_map
from generator.render.toc import contents
from generator.tradecraft.scales import Scale

TYPE_LABELS = {"article": "Article", "note": "Analyst note", "page": "Page", "event": "Event",
               "actor": "Actor", "location": "Location", "source": "Source"}
CONFIDENCE_LABELS = {"low": "Low confidence", "moderate": "Moderate confidence", "high": "High confidence"}


class Urls:
    """Turns site-relative paths into URLs under the base path (and absolute ones for feeds)."""

    def __init__(self, base_path: str, absolute_base: str, assets: dict[str, str]):
        self.base_path = base_path
        self.absolute_base = absolute_base.rstrip("/") + "/" if absolute_base else ""
        self.assets = assets

    def url(self, path: str) -> str:
        """``articles/x/`` -> ``/base/articles/x/``."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        """An absolute URL when ``base_url`` is absolute, else the rooted URL."""
        return (self.absolute_base + path.lstrip("/")) if self.absolute_base else self.url(path)

    def asset(self, name: str) -> str:
        """The URL of a static asset, fingerprinted when it was (``static/style.css``)."""
        name = name.lstrip("/")
        if not name.startswith("static/"):
            name = "static/" + name
        return self.url(self.assets.get(name, name))


def when_view(when: When | None) -> dict[str, Any] | None:
    """A date for templates: ``iso`` for ``<time datetime>``, ``text`` to read, ``short``."""
    if when is None:
        return None
    return {"iso": when.iso, "text": when.readable, "short": when.short, "year": when.local.year,
            "month": when.local.month, "has_time": when.has_time, "precision": when.precision}


def term_view(term: Term | str, urls: Urls, *, count: bool = False) -> dict[str, Any]:
    """A term link (or plain text for a name with no term page); ``count`` adds its number of
    documents (index pages only: a document page that showed it would change with every
    document tagged alike)."""
    if isinstance(term, str):
        return {"name": term, "url": None, "slug": None}
    view = {"name": term.name, "url": urls.url(term.path), "slug": term.slug}
    if count:
        view["count"] = len(term.docs)
    return view


def confidence_view(level: str | None, urls: Urls) -> dict[str, Any] | None:
    """A confidence level with its label and page URL."""
    if not level:
        return None
    return {"level": level, "label": CONFIDENCE_LABELS[level], "url": urls.url(confidence_path(level))}


def likelihood_view(word: str | None, scale: Scale | None) -> dict[str, Any] | None:
    """A judgment's likelihood: the scale's own term and range when it is one, else as written."""
    if not word:
        return None
    term = scale.term_named(word) if scale is not None else None
    if term is None:
        return {"term": word, "range": None, "label": word}
    return {"term": term.name, "range": term.range_text, "label": term.label}


def judgment_item(doc: Document, kj: KeyJudgment, urls: Urls, scale: Scale | None) -> dict[str, Any]:
    """One key judgment as pages show it: text, confidence (its own, else the document's;
    ``confidence_own`` says which) and likelihood."""
    return {"text": kj.text, "confidence": confidence_view(kj.confidence or doc.confidence, urls),
            "confidence_own": kj.confidence is not None, "likelihood": likelihood_view(kj.likelihood, scale)}


def _judgments(graph: SiteGraph, doc: Document, urls: Urls) -> list[dict[str, Any]]:
    scale = graph.config.scale
    return [judgment_item(doc, kj, urls, scale) for kj in doc.key_judgments]


def card(graph: SiteGraph, doc: Document, urls: Urls) -> SharedView:
    """What list pages show of a document (kept between builds while the document, its
    summary and the base path are the ones it was made from, and the settings the same:
    see ``render/kept.py``)."""
    summary = graph.summaries.get(doc.path, "")
    marking = graph.config.marking_of(doc.marking)
    return kept_card(graph, doc, summary, urls.base_path, lambda: _card(doc, summary, urls, marking))


def cards(graph: SiteGraph, docs: list[Document], urls: Urls) -> list[SharedView]:
    """``[card(graph, d, urls) for d in docs]``, quicker for the long lists of list pages."""
    kept = kept_views(graph).cards
    summaries = graph.summaries
    base = urls.base_path
    out = []
    for doc in docs:
        rec = kept.get(id(doc))
        if rec is not None and rec[0] is doc and rec[2] == base and rec[1] == summaries.get(doc.path, ""):
            out.append(rec[3])
        else:
            out.append(card(graph, doc, urls))
    return out


def _card(doc: Document, summary: str, urls: Urls, marking: str) -> SharedView:
    """A card, from exactly these inputs (``card`` keeps it while they are the same)."""
    return SharedView({
        "title": doc.title,
        "url": urls.url(doc_path(doc)),
        "type": doc.type.value,
        "type_label": TYPE_LABELS[doc.type.value],
        "date": when_view(doc.when),
        "summary": summary,
        "confidence": confidence_view(doc.confidence, urls),
        "marking": marking,
    })


def related_docs(graph: SiteGraph, doc: Document) -> list[Document]:
    """``graph.related.related(doc)``, worked out once per document and build (the plan and
    the page both need it)."""
    memo = graph.memo.setdefault("related", {})
    found = memo.get(doc.path)
    if found is None:
        found = memo[doc.path] = graph.related.related(doc)
    return found


def _link_html(link: ResolvedLink, urls: Urls) -> str:
    label = html.escape(link.label)
    if link.hidden:  # a document left out for the audience: the words the author wrote, nothing more
        return label
    if link.target is None:
        title = html.escape(f"Unresolved link: {link.ref.target}")
        return f'<span class="xref xref-missing" title="{title}">{label}</span>'
    href = urls.url(link.target.path) + (f"#{link.anchor}" if link.anchor else "")
    return f'<a class="xref" href="{html.escape(href)}">{label}</a>'


#: A body's HTML of at least this many characters is kept for the rest of the build once
#: made (its page and the site feed both show it, and making it is several scans of it), up
#: to :data:`_KEPT_CHARS` characters in all.
_KEEP_FROM = 1 << 20
_KEPT_CHARS = 1 << 26


def body_html(graph: SiteGraph, doc: Document, urls: Urls) -> Markup:
    """The rendered body with cross-link placeholders replaced by links (or marked text)."""
    body = graph.bodies.get(doc.path)
    if body is None:
        return Markup("")
    kept = graph.memo.setdefault("large_bodies", {})
    key = (doc.path, urls.base_path, urls.absolute_base)
    found = kept.get(key)
    if found is not None and found[0] is body:
        return found[1]
    out = _body_html(graph, doc, urls, body)
    if len(out) >= _KEEP_FROM:
        total = graph.memo.setdefault("large_body_chars", [0])
        if total[0] + len(out) <= _KEPT_CHARS:
            total[0] += len(out)
            kept[key] = (body, out)
    return out


def _body_html(graph: SiteGraph, doc: Document, urls: Urls, body: RenderedBody) -> Markup:
    rendered: list[str] = []
    made: dict[tuple, str] = {}  # a link written again is rendered once (what _link_html reads)
    for link in graph.links_of(doc):
        target = link.target
        key = (link.label, link.hidden, link.anchor, link.ref.target if target is None else target.path)
        text = made.get(key)
        if text is None:
            text = made[key] = _link_html(link, urls)
        rendered.append(text)

    def swap(match: Any) -> str:
        index = int(match.group(1))
        return rendered[index] if index < len(rendered) else ""

    out = PLACEHOLDER.sub(swap, body.html)
    if may_be_relative(out):
        out = rebase_relative(out, _content_folder(graph, doc), urls)
    out = rooted_under_base(out, urls)
    if "<a href=\"" in out:
        out = mark_external(out, urls.absolute_base)
    return Markup(out)  # noqa: S704 - Markdown output is the author's own HTML


def _content_folder(graph: SiteGraph, doc: Document) -> str:
    """The folder of a document inside the content folder (``articles``), where its images are copied."""
    folder = posixpath.dirname(doc.path)
    prefix = graph.config.content_dir.strip("/").removeprefix("./")
    if folder == prefix:
        return ""
    return folder[len(prefix) + 1:] if folder.startswith(prefix + "/") else folder


def document_view(graph: SiteGraph, doc: Document, urls: Urls) -> dict[str, Any]:
    """Everything a document page shows, backlinks and related documents included."""
    terms = graph.taxonomies.of_doc.get(doc.path, {})
    node = doc_id(doc)
    links = graph.links_of(doc)
    about = [link for link in links if link.ref.kind == "about" and link.target is not None]
    # Documents already listed as assessing or referencing this one are not repeated as related.
    backlinked = {d.path for d in graph.links.assessed_in.get(node, [])} | {
        d.path for d in graph.links.referenced_by.get(node, [])}
    explicit = [link for link in links if link.ref.kind == "related" and link.target is not None
                and not (link.target.doc is not None and link.target.doc.path in backlinked)]
    explicit_paths = {link.target.doc.path for link in explicit if link.target.doc is not None}
    shown = explicit_paths | backlinked
    related = ([d for d in related_docs(graph, doc) if d.path not in shown]
               if doc.type in (DocType.ARTICLE, DocType.NOTE) else [])
    source = doc.source
    body = body_html(graph, doc, urls)
    coords = [{"name": loc.name, "lat": loc.lat, "lon": loc.lon} for loc in doc.locations if loc.lat is not None]
    marking = graph.config.marking_of(doc.marking)
    cards = {
        "about": [_target_card(graph, link, urls) for link in about],
        "related_explicit": [_target_card(graph, link, urls) for link in explicit],
        "related": [card(graph, d, urls) for d in related],
        # Backlinks: each linking document with the sentences around its links (linkcontext.py).
        "assessed_in": backlink_items(graph, graph.links.assessed_in.get(node, []), node, lambda d: card(graph, d, urls)),
        "referenced_by": backlink_items(graph, graph.links.referenced_by.get(node, []), node,
                                        lambda d: card(graph, d, urls)),
    }
    return {
        "title": doc.title,
        "type": doc.type.value,
        "type_label": TYPE_LABELS[doc.type.value],
        "slug": doc.slug,
        "url": urls.url(doc_path(doc)),
        "path": doc.path,
        "date": when_view(doc.when),
        "updated": when_view(doc.updated),
        "summary": graph.summaries.get(doc.path, ""),
        "summary_given": doc.summary_given,
        "locations": [term_view(t, urls) for t in terms.get("locations", ())],
        "coordinates": coords,
        "map": document_map(graph, doc, urls),
        "actors": [term_view(t, urls) for t in terms.get("actors", ())],
        "tags": [term_view(t, urls) for t in terms.get("tags", ())],
        "confidence": confidence_view(doc.confidence, urls),
        "marking": marking,
        "marking_class": css_class(marking),
        # The page holds its own text and the cards of others: it is marked as the most
        # restricted of them (a TLP:CLEAR article whose backlinks list a TLP:GREEN note is TLP:GREEN).
        "banner": banner(marking, *(c for found in cards.values() for c in found)),
        "source": None if source is None else {
            "name": source.name, "url": source.url, "reliability": source.reliability,
            "credibility": source.credibility, "grading": source.grading,
            "reliability_text": source.reliability_text, "credibility_text": source.credibility_text,
        },
        "sources": source_items(graph, doc, urls.url),
        **cards,
        "events": [{"date": when_view(e.when), "title": e.title,
                    "locations": [term_view(graph.taxonomies.lookup("locations", loc.name) or loc.name, urls) for loc in e.locations],
                    "actors": [term_view(graph.taxonomies.lookup("actors", a) or a, urls) for a in e.actors]}
                   for e in doc.events],
        "key_judgments": _judgments(graph, doc, urls) if doc.key_judgments else [],
        "body": body,
        **dict(zip(("toc", "toc_more"), contents(body), strict=True)),
        "authors": list(doc.authors),
        # "As of": the author's as_of, else the last update, else the date.
        "as_of": when_view(doc.as_of or doc.updated or doc.when),
        "as_of_given": doc.as_of is not None,
        "permalink": urls.absolute(doc_path(doc)),
        "meta": doc.meta,
        "draft": doc.draft,
    }


def markings_of(*lists: list[dict[str, Any]]) -> set[str | None]:
    """The markings the cards or timeline entries of ``lists`` show (for :func:`banner`)."""
    found: set[str | None] = set()
    for items in lists:
        found.update(map(itemgetter("marking"), items))
    return found


def banner(*parts: str | dict[str, Any] | None) -> dict[str, str] | None:
    """The marking a page shows at its top and bottom: the most restricted of the markings
    and the markings of the cards and timeline entries given (``None`` when none has one)."""
    found = highest(part.get("marking") if isinstance(part, dict) else part for part in parts)
    return None if found is None else {"marking": found, "class": css_class(found)}


def _target_card(graph: SiteGraph, link: ResolvedLink, urls: Urls) -> dict[str, Any]:
    target = link.target
    assert target is not None
    # A term with a page shows that page's card, the one its backlink lists show: list
    # partials are kept per build by URL, so one URL must always have one card.
    if target.doc is not None:
        view = card(graph, target.doc, urls)
    else:
        view = {"title": target.title, "url": urls.url(target.path), "type": target.id.split(":")[0],
                "type_label": TAXONOMY_SINGULAR.get(target.id.split(":")[0], ""), "date": None,
                "summary": "", "confidence": None, "marking": None}
    if link.anchor:
        view = dict(view, url=view["url"] + "#" + link.anchor)
    return view


def entry_view(entry: TimelineEntry, urls: Urls, marking: str | None = None) -> SharedView:
    """A timeline entry for templates; ``marking`` is its document's (its own, else the site's default)."""
    return SharedView({
        "id": entry.id,
        "date": when_view(entry.when),
        "title": entry.title,
        "kind": entry.kind,
        "kind_label": TYPE_LABELS[entry.kind],
        "url": urls.url(entry.path),
        "source_title": entry.doc.title,
        "summary": entry.summary,
        "locations": [term_view(t, urls) for t in entry.locations],
        "actors": [term_view(t, urls) for t in entry.actors],
        "marking": marking or entry.doc.marking,
    })


def term_watch(graph: SiteGraph, urls: Urls) -> TermWatch:
    """What every term shows, build by build (see ``render/kept.py``)."""
    return watched_terms(graph, lambda t: term_view(t, urls))


def entry_card(graph: SiteGraph, entry: TimelineEntry, urls: Urls) -> SharedView:
    """``entry_view``, kept between builds while the entry (frozen), what its terms show and
    the base path are as they were when it was made."""
    return kept_entry(graph, entry, term_watch(graph, urls), urls.base_path, lambda: entry_view(entry, urls, graph.config.marking_of(entry.doc.marking)))


def entry_cards(graph: SiteGraph, entries: list[TimelineEntry], urls: Urls) -> list[SharedView]:
    """``[entry_card(graph, e, urls) for e in entries]``, quicker for the timeline's length."""
    watch = term_watch(graph, urls)
    kept = kept_views(graph).entries
    base, last_change = urls.base_path, watch.last_change
    out = []
    for entry in entries:
        rec = kept.get(id(entry))
        # The quick cases of kept_entry: no term changed since the view was made, or none of its.
        if rec is not None and rec[0] is entry and rec[2] == base and 0 <= rec[1] and (
                last_change <= rec[1] or watch.unchanged_since(rec[1], (*entry.locations, *entry.actors))):
            out.append(rec[3])
        else:
            out.append(entry_card(graph, entry, urls))
    return out


def group_by_month(entries: list[dict[str, Any]], graph: SiteGraph | None = None,
                   slot: str = "") -> list[dict[str, Any]]:
    """Timeline entries grouped by year and month (in the order given). Given the ``graph``,
    each group is a shared view kept between builds while it holds the very same entries
    (``slot`` names the page's list among those the build keeps)."""
    from generator.model.dates import MONTHS

    if graph is not None:  # the same entries make the same groups
        ids = tuple(map(id, entries))
        kept = kept_views(graph).groups.get(slot)
        if kept is not None and kept[0] == ids:
            return kept[1]
    groups: list[dict[str, Any]] = []
    months = kept_views(graph).months if graph is not None else {}
    for entry in entries:
        rec = months.get(id(entry))
        if rec is not None and rec[0] is entry:
            key, label, date = rec[1], rec[2], rec[3]
        else:
            date = entry["date"]
            if date["precision"] == "year":
                key, label = f"{date['year']:04d}", f"{date['year']}"
            else:
                key = f"{date['year']:04d}-{date['month']:02d}"
                label = f"{MONTHS[date['month'] - 1]} {date['year']}"
            if graph is not None and isinstance(entry, SharedView):  # never changed: its month neither
                months[id(entry)] = (entry, key, label, date)
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "id": f"m-{key}", "label": label, "year": date["year"], "entries": []})
        groups[-1]["entries"].append(entry)
    if graph is None:
        return groups
    for group in groups:
        group["entries"] = shared_list(graph, f"{slot}|{group['key']}", group["entries"])
    shared = [shared_view(graph, f"{slot}|{group['key']}", group) for group in groups]
    kept_views(graph).groups[slot] = (ids, shared, entries)  # the entries keep their ids taken
    return shared


#: Languages written right to left (their pages get ``dir="rtl"``).
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr", "iw"})


def site_view(graph: SiteGraph, urls: Urls, build_time: str | None) -> dict[str, Any]:
    """Site-wide values every template sees as ``site``: settings, navigation, plain pages."""
    config = graph.config
    nav = [
        {"title": "Home", "url": urls.url(""), "key": "home"},
        {"title": "Articles", "url": urls.url("articles/"), "key": "articles"},
        {"title": "Notes", "url": urls.url("notes/"), "key": "notes"},
        {"title": "Timeline", "url": urls.url("timeline/"), "key": "timeline"},
        {"title": "Actors", "url": urls.url("actors/"), "key": "actors"},
        {"title": "Locations", "url": urls.url("locations/"), "key": "locations"},
        {"title": "Tags", "url": urls.url("tags/"), "key": "tags"},
        *([{"title": "Search", "url": urls.url("search/"), "key": "search"}] if config.search else []),
    ]
    return {
        "title": config.title, "description": config.description, "author": config.author,
        "language": config.language, "base_url": config.base_url, "base_path": urls.base_path,
        "direction": "rtl" if config.language.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr",
        "url": urls.url, "asset": urls.asset, "absolute": urls.absolute,
        "params": config.params, "search": config.search, "build_time": build_time,
        # Who the site is for ("Published for TLP:GREEN"); None when it leaves nothing out.
        "audience": config.audience_limit,
        # The pages the navigation marks as current (the header is rendered once for each).
        "nav": nav, "nav_urls": tuple(sorted({item["url"] for item in nav})),
        "pages": [{"title": d.title, "url": urls.url(doc_path(d))} for d in graph.pages],
    }
