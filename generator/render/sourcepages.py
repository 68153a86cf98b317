"""The outputs of the source register: ``/sources/``, one page per source, ``/sources.json``.

Every view is made from :func:`generator.graph.sourcereg.register` of the build's graph
(only the documents shown to the build's audience), by the functions the planner digests
for the signature and the render uses: what a page shows is what it depends on. These
outputs are planned afresh on every build (never taken over from the last one).
"""

from __future__ import annotations

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
from generator.render.maps import indented_json
from generator.render.views import banner, body_html, card, markings_of

if TYPE_CHECKING:
    from generator.render.outputs import Planner
    from generator.render.planned import Output

REGISTER_PATH = "sources/"


def _documents(planner: Planner, entry: RegisterEntry) -> list[dict[str, Any]]:
    """The citing documents' cards (newest first), each once."""
    seen: dict[str, Any] = {}
    for citation in entry.citations:
        seen.setdefault(citation.doc.path, citation.doc)
    return [card(planner.graph, doc, planner.urls) for doc in seen.values()]


def _entry_view(planner: Planner, entry: RegisterEntry) -> dict[str, Any]:
    """What the register and the source's page show of a source."""
    urls = planner.urls
    return {
        "name": entry.name, "slug": entry.slug, "url": urls.url(entry.path),
        "links": entry.urls, "aliases": list(entry.aliases),
        "grades": [{"grading": g, "text": text_of_grading(g)} for g in entry.gradings],
        "count": len({c.doc.path for c in entry.citations}),
    }


def _citations(planner: Planner, entry: RegisterEntry) -> list[dict[str, Any]]:
    urls = planner.urls
    out = []
    for c in entry.citations:
        view = card(planner.graph, c.doc, urls)
        out.append({"title": view["title"], "url": view["url"], "type_label": view["type_label"],
                    "marking": view["marking"], "name": c.source.name, "link": c.source.url,
                    "accessed": c.source.accessed, "grading": c.source.grading,
                    "grading_text": grading_text(c.source.reliability, c.source.credibility)})
    return out


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


def sources_json(planner: Planner, entries: list[RegisterEntry]) -> bytes:
    """``sources.json``: every source of the register, its grades and its citing documents."""
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
