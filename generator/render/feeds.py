"""Machine-readable outputs: Atom feed, sitemap, robots.txt, timeline.json, search index."""

from __future__ import annotations

import json
import re
from itertools import compress
from operator import is_not
from typing import Any
from urllib.parse import quote

from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.timeline import TimelineEntry
from generator.graph.urls import doc_path
from generator.markup.rendered import unpack_head
from generator.memo import memoized
from generator.model.document import Document
from generator.model.slugs import term_key
from generator.model.text import strip_controls
from generator.render.kept import kept_views
from generator.render.views import TYPE_LABELS, Urls, body_html, term_watch
from generator.render.xmltext import escape, quoteattr


def atom_feed(graph: SiteGraph, urls: Urls, docs: list[Document], title: str | None = None,
              page: str = "", self_path: str = "feed.xml", content: bool = True) -> bytes:
    """An Atom 1.0 feed of the latest articles and notes (absolute URLs when base_url is).

    The site feed by default; a term's feed gives its ``title``, its page's URL path ``page``
    (the feed's alternate link and id) and its own ``self_path``; without ``content`` the
    entries carry their summaries and links only, and with it each entry carries its body's
    HTML too, unless that is over :data:`FEED_CONTENT_MAX` characters.
    """
    config = graph.config
    home = urls.absolute(page)
    feed_id = home if urls.absolute_base else f"urn:briefing:{_slug_id(config.title)}" + (f":{page}" if page else "")
    updated = max((_updated(d) for d in docs), default="1970-01-01T00:00:00Z")
    abs_urls = Urls(urls.absolute_base or urls.base_path, "", urls.assets) if urls.absolute_base else urls
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(title if title is not None else config.title)}</title>",
    ]
    if config.description and title is None:
        out.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    out += [
        f"  <id>{escape(feed_id)}</id>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(home)}/>',
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(urls.absolute(self_path))}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(config.author or config.title)}</name></author>",
        '  <generator uri="https://example.org/briefing">briefing</generator>',
    ]
    # Without content an entry is made from its document (never changed once loaded), its
    # summary, the URL bases and the settings: a running builder keeps its text while those
    # are the ones it was made from (``render/kept.py``), and the feed's bytes while its head
    # and entries are.
    kept = kept_views(graph)
    entries = kept.feed_entries if not content else {}
    bases = (urls.absolute_base, urls.base_path)
    summaries = graph.summaries
    parts = []
    for doc in docs:
        summary = summaries.get(doc.path, "")
        rec = entries.get(id(doc))
        if rec is not None and rec[0] is doc and rec[1] == summary and rec[2] == bases:
            parts.append(rec[3])
            continue
        full = content and _fits_in_feed(graph, doc)
        text = _entry(graph, urls, abs_urls, doc, summary, full)
        if content and not full:
            text = text.encode("utf-8")
        elif not content:
            entries[id(doc)] = (doc, summary, bases, text)
        parts.append(text)
    head = strip_controls("\n".join(out))
    if content:  # the entries as UTF-8 (the body's HTML escaped as bytes)
        return b"\n".join((head.encode("utf-8"), *parts, b"</feed>", b""))  # ends with a line break
    last = kept.feeds.get(self_path)
    if last is not None and last[0] == head and last[1] == parts:
        return last[2]
    data = ("\n".join((head, *parts, "</feed>")) + "\n").encode("utf-8")
    if kept.files:
        kept.feeds[self_path] = (head, parts, data)
    return data


def _entry(graph: SiteGraph, urls: Urls, abs_urls: Urls, doc: Document, summary: str,
           content: bool) -> str | bytes:
    """One feed entry's lines (control characters taken out: one from anywhere makes the whole
    feed unreadable, so content cleaned where it is read is guarded again here); with its
    content, as UTF-8."""
    fields = entry_fields(graph, urls, doc, summary)
    if content:
        return _entry_bytes(_entry_xml(*fields, ""), body_html(graph, doc, abs_urls))
    # An entry recurs in the feeds of its terms: kept across builds too (generator/memo.py).
    return strip_controls(memoized("feed", _entry_xml, *fields, None))


#: The most bytes of HTML (UTF-8) an entry's content holds: a longer body (a document of
#: several MB, or 1 MB of dense footnote references, which make a 35 MB page) is given by its
#: summary and link, so the feed stays small enough for the readers that poll it.
FEED_CONTENT_MAX = 1 << 20


def _fits_in_feed(graph: SiteGraph, doc: Document) -> bool:
    """Whether a document's body is at most :data:`FEED_CONTENT_MAX` bytes of HTML (before
    its cross-links are filled in), told by unpacking no more than one byte beyond that."""
    body = graph.bodies.get(doc.path)
    return body is None or len(unpack_head(body.packed, FEED_CONTENT_MAX + 1)) <= FEED_CONTENT_MAX


#: Where an entry's content goes in its lines made with an empty content.
_CONTENT = '<content type="html">'
#: The control characters of ASCII, which no output may hold.
_ASCII_CONTROLS = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)) + b"\x7f"


def _entry_bytes(lines: str, content: str) -> bytes:
    """An entry's lines (made with an empty content) with ``content`` escaped in its place,
    control characters taken out, as UTF-8: ``strip_controls`` of the entry made with the
    content, which it takes out character by character, escaping adding none. An ASCII
    content without control characters is escaped as bytes (a large body: a quarter quicker)."""
    before, _, after = lines.rpartition(_CONTENT)
    raw = content.encode("ascii") if content.isascii() else b""
    if raw and len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
        body = raw.replace(b"&", b"&amp;").replace(b">", b"&gt;").replace(b"<", b"&lt;")
    else:
        body = escape(strip_controls(str(content))).encode("utf-8")  # a plain string: Markup escapes
    return b"".join((strip_controls(before + _CONTENT).encode("utf-8"), body, strip_controls(after).encode("utf-8")))


def _entry_xml(title: str, entry_id: str, link: str, published: str, updated: str, kind: str, marking: str,
               tags: tuple[str, ...], summary: str, content: str | None) -> str:
    """One Atom entry's lines (``content``: the body's HTML, ``None`` for a summary-only feed)."""
    out = [
        "  <entry>",
        f"    <title>{escape(title)}</title>",
        f"    <id>{escape(entry_id)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
        f"    <published>{published}</published>",
        f"    <updated>{updated}</updated>",
        f'    <category term={quoteattr(kind)} label={quoteattr(TYPE_LABELS[kind])}/>',
        f'    <category scheme="{TLP_SCHEME}" term={quoteattr(marking)}/>',
    ]
    for tag in tags:
        out.append(f"    <category term={quoteattr(tag)}/>")
    if summary:
        out.append(f"    <summary>{escape(summary)}</summary>")
    if content is not None:
        out.append(f'    <content type="html">{escape(content)}</content>')
    out.append("  </entry>")
    return "\n".join(out)


#: The ``scheme`` of the Atom category that carries an entry's TLP 2.0 marking.
TLP_SCHEME = "https://www.first.org/tlp/"


def entry_fields(graph: SiteGraph, urls: Urls, doc: Document, summary: str) -> tuple:
    """Everything a feed entry shows of a document but its body: equal fields, equal entries
    (and, for a feed without content, equal entries are an equal feed)."""
    link = urls.absolute(doc_path(doc))
    entry_id = link if urls.absolute_base else f"urn:briefing:{doc.type.value}:{doc.slug}"
    published = doc.when.rfc3339 if doc.when else _updated(doc)
    return (doc.title, entry_id, link, published, _updated(doc), doc.type.value,
            graph.config.marking_of(doc.marking), tuple(doc.tags), summary)


def _updated(doc: Document) -> str:
    when = doc.updated or doc.when
    return when.rfc3339 if when else "1970-01-01T00:00:00Z"


def _slug_id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


#: Characters a URL keeps as they are; anything else (such as a non-Latin slug) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def sitemap(urls: Urls, pages: list[tuple[str, str | None]], memo: dict | None = None) -> bytes:
    """A sitemap of every page: ``(path, lastmod or None)`` pairs, sorted. ``memo`` (kept by a
    running builder) holds each page's line."""
    lines = memo if memo is not None else {}
    # The same pages at the same base URL as last time (the very list, or an equal one): the
    # same bytes, kept with the lines.
    last = lines.get(_LAST)
    if last is not None and last[1] == (urls.absolute_base, urls.base_path) and last[0] == pages:
        return last[2]
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(pages):
        line = lines.get(page)
        if line is None:
            path, lastmod = page
            line = lines[page] = (f"  <url><loc>{escape(quote(urls.absolute(path), safe=_URL_SAFE))}</loc>"
                                  + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
        out.append(line)
    if len(lines) > 2 * len(pages) + 64:  # forget pages long gone
        keep = set(pages)
        for page in [p for p in lines if p not in keep and p != _LAST]:
            del lines[page]
    out.append("</urlset>")
    data = ("\n".join(out) + "\n").encode("utf-8")
    if memo is not None:
        lines[_LAST] = (list(pages), (urls.absolute_base, urls.base_path), data)  # type: ignore[assignment]
    return data


#: The key under which ``sitemap``'s memo keeps the last pages and bytes (not a page: pages are pairs).
_LAST = ("", "\0last")


def robots(urls: Urls) -> bytes:
    """robots.txt allowing everything and naming the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n".encode()


def timeline_json(graph: SiteGraph, urls: Urls) -> bytes:
    """The timeline as TimelineJS-style events (``start_date``, ``text``, ``group``, ``unique_id``).

    Each date carries only the parts the author gave (``year`` always; ``month``, ``day``,
    ``hour``, ``minute`` when known) plus ``display_date`` and ``iso``. Times are in the site's
    timezone, named in ``timezone``. A running builder keeps each event's JSON while the entry,
    its terms and the base URL are as they were (``render/kept.py``).
    """
    watch = term_watch(graph, urls)  # what the entries' terms show (their names among it)
    views = kept_views(graph)
    kept, lasting = views.events, views.lasting
    base, last_change = urls.absolute_base, watch.last_change
    default_marking = graph.config.marking  # what documents with no marking of their own show
    timeline = graph.timeline

    def event(entry: TimelineEntry) -> tuple[str, tuple[Term | str, ...] | None]:
        """The event's JSON, and the terms it shows (``None``: some term is not watched)."""
        old = kept.get(entry.id)
        same = old is not None and old[0] is entry and old[2] == base and old[4] == default_marking and old[1] >= 0
        tags = _tags(graph, entry.doc)
        terms = (*entry.locations, *entry.actors, *tags)
        if same and (last_change <= old[1] or watch.unchanged_since(old[1], terms)):
            return old[3], terms
        text = _dumps(_event(entry, urls, graph.config.marking_of(entry.doc.marking), tags))
        covered = watch.covers(terms)
        if lasting:
            kept[entry.id] = (entry, watch.generation if covered else -1, base, text, default_marking)
        return text, terms if covered else None

    run = views.timeline_run
    if run is not None and run[2] == (base, default_marking) and len(run[0]) == len(timeline):
        # Every event of the last run was right in its generation: only the entries that are
        # not the very same objects at their place, and those showing a term changed since,
        # are looked at (``run[4]``: the places of the entries showing each term).
        events, places = list(run[1]), run[4]
        todo = set(compress(range(len(timeline)), map(is_not, timeline, run[0])))
        for term in watch.changed_since(run[3]):
            todo.update(places.get(term, ()))
    else:
        events, places = [""] * len(timeline), {}
        todo = range(len(timeline))
    covered = True
    for number in todo:
        events[number], terms = event(timeline[number])
        if terms is None:
            covered = False
        elif lasting:  # where each term shows, for the next build
            for term in terms:
                if not isinstance(term, str):
                    places.setdefault(id(term), set()).add(number)
    views.timeline_run = (list(timeline), events, (base, default_marking), watch.generation, places) \
        if covered and lasting else None
    # The keys in sorted order, as json.dumps(sort_keys=True) writes them.
    title = {"text": {"headline": graph.config.title, "text": graph.config.description}}
    tail = ('],"timezone":' + _dumps(graph.config.timezone) + ',"title":' + _dumps(title) + "}\n")
    last = views.timeline_bytes
    if last is not None and last[1] == tail and last[0] == events:  # the same events: the same bytes
        return last[2]
    data = ('{"events":[' + ",".join(events) + tail).encode("utf-8")
    if views.files:
        views.timeline_bytes = (events, tail, data)
    return data


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _tags(graph: SiteGraph, doc: Document) -> tuple[Term | str, ...]:
    """The tags of a document as terms (a plain name where no term has it)."""
    by_key = graph.taxonomies.by_key["tags"]
    return tuple(by_key.get(term_key(name)) or name for name in doc.tags)


def _event(entry: TimelineEntry, urls: Urls, marking: str, tags: tuple[Term | str, ...] = ()) -> dict[str, Any]:
    """One timeline entry as a TimelineJS event (reads the entry, its terms' names, the base URL,
    the marking and the tags and confidence of its document: what the timeline filters use)."""
    local = entry.when.local
    start: dict[str, Any] = {"year": local.year}
    if entry.when.precision != "year":
        start["month"] = local.month
    if entry.when.precision not in ("year", "month"):
        start["day"] = local.day
    if entry.when.has_time:
        start.update(hour=local.hour, minute=local.minute)
    start["display_date"] = entry.when.readable
    start["iso"] = entry.when.iso
    return {
        "unique_id": entry.id,
        "start_date": start,
        "text": {"headline": entry.title, "text": entry.summary},
        "group": TYPE_LABELS[entry.kind],
        "type": entry.kind,
        "url": urls.absolute(entry.path),
        "locations": [t if isinstance(t, str) else t.name for t in entry.locations],
        "actors": [t if isinstance(t, str) else t.name for t in entry.actors],
        "tags": [t if isinstance(t, str) else t.name for t in tags],
        "confidence": entry.doc.confidence,
        "marking": marking,
    }


