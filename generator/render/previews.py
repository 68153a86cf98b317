"""``/previews.json``: what a link preview card shows of every page a cross-link can reach.

One small record per shown document page and term page, keyed by the page's URL (under the
base path, as links carry it): title, type, date, confidence, marking and a summary cut to
``SUMMARY_LIMIT`` characters. Made from the site graph, which holds only what the build shows
(documents above the build's audience never reach it), so the file is audience-safe by
construction; made every build and signed by its bytes (``render/outputs.py``), so an edit of
any of these fields re-renders it.
"""

from __future__ import annotations

import json
from typing import Any

from generator.graph.site import SiteGraph
from generator.graph.urls import TAXONOMIES, TAXONOMY_SINGULAR, TERM_PAGE_TYPES, doc_path
from generator.render.views import CONFIDENCE_LABELS, TYPE_LABELS, Urls

#: The longest summary a preview carries (characters, an ellipsis included).
SUMMARY_LIMIT = 160


def truncate(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def previews(graph: SiteGraph, urls: Urls) -> dict[str, dict[str, Any]]:
    """Each shown page's preview record by URL (keys: ``t`` title, ``k`` type label, ``d``
    readable date, ``c`` confidence label, ``m`` marking, ``s`` summary; empty ones left out)."""
    found: dict[str, dict[str, Any]] = {}
    summaries = graph.summaries
    for doc in graph.docs:
        if doc.type in TERM_PAGE_TYPES:
            continue
        record: dict[str, Any] = {"t": doc.title, "k": TYPE_LABELS[doc.type.value],
                                  "m": graph.config.marking_of(doc.marking)}
        if doc.when is not None:
            record["d"] = doc.when.readable
        if doc.confidence:
            record["c"] = CONFIDENCE_LABELS[doc.confidence]
        summary = truncate(summaries.get(doc.path, ""))
        if summary:
            record["s"] = summary
        found[urls.url(doc_path(doc))] = _compact(record)
    for kind in TAXONOMIES:
        for term in graph.taxonomies.terms[kind].values():
            page = term.page
            record = {"t": term.name, "k": TAXONOMY_SINGULAR[kind].capitalize()}
            if page is not None:
                record["m"] = graph.config.marking_of(page.marking)
                summary = truncate(summaries.get(page.path, "") or page.summary or "")
                if summary:
                    record["s"] = summary
            count = len(term.docs)
            record["n"] = count
            found[urls.url(term.path)] = _compact(record)
    return found


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "")}


def previews_json(graph: SiteGraph, urls: Urls) -> bytes:
    """``previews.json``: ``{"pages": {url: record}}``, keys sorted, compact, UTF-8."""
    data = {"pages": previews(graph, urls)}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
