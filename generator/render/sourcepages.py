"""The outputs of the source register: ``/sources/``, one page per source, ``/sources.json``.

Every view is made from :func:`generator.graph.sourcereg.register` of the build's graph
(only the documents shown to the build's audience), by the functions the planner digests
for the signature and the render uses: what a page shows is what it depends on. These
outputs are planned afresh on every build (never taken over from the last one).
"""

from __future__ import annotations

import json
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from generator.graph.sourcereg import (
    RegisterEntry,
    grading_text,
    register,
    source_path,
    text_of_grading,
    uncited_pages,
)
from generator.graph.urls import doc_path, output_file
from generator.memo import memoized
from generator.render.digest import SharedView
from generator.render.kept import kept_views, shared_list
from generator.render.maps import indented_json
from generator.render.views import banner, body_html, cards, markings_of

if TYPE_CHECKING:
    from generator.render.outputs import Planner
    from generator.render.planned import Output

REGISTER_PATH = "sources/"


def _citing_cards(planner: Planner, entry: RegisterEntry) -> list[SharedView]:
    """The card of each citation's document, in the order of the citations: made once per
    build and entry (the register, the source's page and its citations all show them)."""
    made = planner.graph.memo.setdefault("source_citing_cards", {})
    rec = made.get(id(entry))
    if rec is None or rec[0] is not entry:
        docs = list(map(attrgetter("doc"), entry.citations))
        rec = made[id(entry)] = (entry, cards(planner.graph, docs, planner.urls))
    return rec[1]


def _documents(planner: Planner, entry: RegisterEntry) -> list[dict[str, Any]]:
    """The citing documents' cards (newest first), each once: the list the source's page and
    the register show, the same object while it holds the same cards (``render/kept.py``);
    made once per build and entry."""
    made = planner.graph.memo.setdefault("source_documents", {})
    rec = made.get(id(entry))
    if rec is None or rec[0] is not entry:
        seen: dict[str, Any] = {}
        for citation, view in zip(entry.citations, _citing_cards(planner, entry), strict=True):
            if citation.doc.path not in seen:
                seen[citation.doc.path] = view
        found = shared_list(planner.graph, f"source:{entry.slug}|documents", list(seen.values()))
        rec = made[id(entry)] = (entry, found)
    return rec[1]


def _entry_view(planner: Planner, entry: RegisterEntry) -> dict[str, Any]:
    """What the register and the source's page show of a source (a new dict each call, made
    once per build: the register, the source's page and ``sources.json`` ask)."""
    made = planner.graph.memo.setdefault("source_entry_views", {})
    rec = made.get(id(entry))
    if rec is None or rec[0] is not entry:
        rec = made[id(entry)] = (entry, _make_entry_view(planner, entry))
    return dict(rec[1])


def _make_entry_view(planner: Planner, entry: RegisterEntry) -> dict[str, Any]:
    urls = planner.urls
    return {
        "name": entry.name, "slug": entry.slug, "url": urls.url(entry.path),
        "links": entry.urls, "aliases": list(entry.aliases),
        "grades": [{"grading": g, "text": text_of_grading(g)} for g in entry.gradings],
        "count": len(_documents(planner, entry)),  # the citing documents, each once
    }


def _citations(planner: Planner, entry: RegisterEntry) -> list[dict[str, Any]]:
    """Each citation as the source's page lists it: made from the citing document's card and
    what the document wrote of the source (kept while both are the very same objects)."""
    graph = planner.graph
    sources = list(map(attrgetter("source"), entry.citations))
    views = _citing_cards(planner, entry)
    slot = f"source:{entry.slug}|citations"
    lists = kept_views(graph).citation_lists
    last = lists.get(slot)
    if last is not None and last[0] == sources and last[1] == views:  # the same cards and sources
        return last[2]
    kept = kept_views(graph).citation_views
    out = []
    for c, view in zip(entry.citations, views, strict=True):
        rec = kept.get(id(c.source))
        if rec is None or rec[0] is not c.source or rec[1] is not view:
            rec = kept[id(c.source)] = (c.source, view, SharedView({
                "title": view["title"], "url": view["url"], "type_label": view["type_label"],
                "marking": view["marking"], "name": c.source.name, "link": c.source.url,
                "accessed": c.source.accessed, "grading": c.source.grading,
                "grading_text": grading_text(c.source.reliability, c.source.credibility)}))
        out.append(rec[2])
    found = shared_list(graph, slot, out)
    lists[slot] = (sources, views, found)
    return found


def source_outputs(planner: Planner) -> list[Output]:
    """The register page, each cited source's page, and ``sources.json``."""
    graph, urls = planner.graph, planner.urls
    entries = register(graph)

    def register_view() -> dict[str, Any]:
        items = []
        for entry in entries:
            item = _entry_view(planner, entry)
            item["documents"] = _documents(planner, entry)
            items.append(item)
        by_count = sorted(items, key=lambda i: (-i["count"], i["name"].casefold(), i["slug"]))
        return {"title": "Sources", "url": urls.url(REGISTER_PATH), "sources": items, "by_count": by_count,
                "json_url": urls.url("sources.json"),
                "banner": banner(*markings_of(*(i["documents"] for i in items)))}

    out = [planner._page(output_file(REGISTER_PATH), "sources.html", register_view)]
    for entry in [*entries, *uncited_pages(graph)]:
        out.append(planner._page(output_file(entry.path), "source.html", _source_view(planner, entry),
                                 (entry.page.path,) if entry.page is not None else ()))
    out.append(planner._data("sources.json", lambda: sources_json(planner, entries)))
    return out


def _source_view(planner: Planner, entry: RegisterEntry) -> Any:
    graph, urls = planner.graph, planner.urls
    page = entry.page

    def view() -> dict[str, Any]:
        item = _entry_view(planner, entry)
        documents = _documents(planner, entry)
        marking = graph.config.marking_of(page.marking) if page is not None else None
        item.update({
            "title": entry.name, "register_url": urls.url(REGISTER_PATH),
            "summary": page.summary if page is not None else "",
            "body": body_html(graph, page, urls) if page is not None else "",
            "documents": documents, "citations": _citations(planner, entry),
            "banner": banner(marking, *markings_of(documents)),
        })
        return item
    return view


#: Stands for the citing documents in an entry of ``sources.json`` while it is written (text
#: is cleaned of control characters where it is read, so no source's text holds it).
_CITED = "\0cited\0"


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def sources_json(planner: Planner, entries: list[RegisterEntry]) -> bytes:
    """``sources.json``: every source of the register, its grades and its citing documents.

    Written as ``json.dumps(..., indent=1, sort_keys=True)`` writes it, a citation at a time: a
    running builder keeps each citation's text while the citing document (never changed once
    loaded), the source it wrote and the URL bases are the ones it was made from (``render/kept.py``;
    the settings too), and the file's bytes while every part is the same."""
    graph, urls = planner.graph, planner.urls
    kept = kept_views(graph)
    if not kept.lasting:  # a build that keeps nothing for a next one: the whole file, kept across processes
        return _whole_sources_json(planner, entries)
    memo = kept.citation_texts
    bases = (urls.absolute_base, urls.base_path)
    marking_of = graph.config.marking_of
    texts: list[str] = []
    count = 0
    for entry in entries:
        item = _entry_view(planner, entry)
        cited = []
        for c in entry.citations:
            rec = memo.get(id(c.source))
            if rec is None or rec[0] is not c.source or rec[1] is not c.doc or rec[2] != bases:
                text = _pretty({"title": c.doc.title, "url": urls.absolute(doc_path(c.doc)),
                                "marking": marking_of(c.doc.marking), "name": c.source.name,
                                "accessed": c.source.accessed, "grading": c.source.grading,
                                "grading_text": grading_text(c.source.reliability, c.source.credibility)})
                rec = memo[id(c.source)] = (c.source, c.doc, bases, text.replace("\n", "\n    "))
            cited.append(rec[3])
        count += len(cited)
        head = _pretty({
            "name": item["name"], "slug": item["slug"], "url": urls.absolute(source_path(entry.slug)),
            "links": item["links"], "aliases": item["aliases"], "grades": item["grades"], "count": item["count"],
            "cited_by": [_CITED] if cited else []}).replace("\n", "\n  ")
        texts.append(head)
        texts.append(",\n    ".join(cited))
    if len(memo) > 2 * count + 64:  # forget citations of documents long replaced
        live = {id(c.source) for entry in entries for c in entry.citations}
        kept.citation_texts = {k: v for k, v in memo.items() if k in live}
    last = kept.sources_bytes
    if last is not None and last[0] == texts:
        return last[1]
    marker = _pretty(_CITED)
    joined = [head.replace(marker, cited, 1) for head, cited in zip(texts[::2], texts[1::2], strict=True)]
    body = '{\n "sources": [\n  ' + ",\n  ".join(joined) + "\n ]\n}" if joined else '{\n "sources": []\n}'
    data = (body + "\n").encode("utf-8")
    if kept.files:
        kept.sources_bytes = (texts, data)
    return data


def _whole_sources_json(planner: Planner, entries: list[RegisterEntry]) -> bytes:
    """``sources.json`` made whole (see :func:`sources_json`)."""
    urls = planner.urls
    data = []
    for entry in entries:
        item = _entry_view(planner, entry)
        data.append({
            "name": item["name"], "slug": item["slug"], "url": urls.absolute(source_path(entry.slug)),
            "links": item["links"], "aliases": item["aliases"], "grades": item["grades"], "count": item["count"],
            "cited_by": [{"title": c.doc.title, "url": urls.absolute(doc_path(c.doc)),
                          "marking": planner.graph.config.marking_of(c.doc.marking), "name": c.source.name,
                          "accessed": c.source.accessed, "grading": c.source.grading,
                          "grading_text": grading_text(c.source.reliability, c.source.credibility)}
                         for c in entry.citations],
        })
    # Indented JSON is written by Python's slow encoder: kept across processes by the data itself.
    return memoized("json", indented_json, {"sources": data})
