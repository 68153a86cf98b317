"""``/previews.json``: what a link preview card shows of every page a cross-link can reach.

One small record per shown document page and term page, keyed by the page's URL (under the
base path, as links carry it): title, type, date, confidence, marking and a summary cut to
``SUMMARY_LIMIT`` characters. Made from the site graph, which holds only what the build shows
(documents above the build's audience never reach it), so the file is audience-safe by
construction; made every build (a running builder keeps each document's record text by the
identity of what it is made from) and signed by its bytes (``render/outputs.py``), so an edit
of any of these fields re-renders it.
"""

from __future__ import annotations

import json
from typing import Any

from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.urls import TAXONOMIES, TAXONOMY_SINGULAR, TERM_PAGE_TYPES, doc_path
from generator.model.document import Document
from generator.render.kept import kept_views
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
        found[urls.url(doc_path(doc))] = _doc_record(graph, doc, summaries.get(doc.path, ""))
    for kind in TAXONOMIES:
        for term in graph.taxonomies.terms[kind].values():
            found[urls.url(term.path)] = _term_record(graph, kind, term)
    return found


def _doc_record(graph: SiteGraph, doc: Document, summary: str) -> dict[str, Any]:
    record: dict[str, Any] = {"t": doc.title, "k": TYPE_LABELS[doc.type.value],
                              "m": graph.config.marking_of(doc.marking)}
    if doc.when is not None:
        record["d"] = doc.when.readable
    if doc.confidence:
        record["c"] = CONFIDENCE_LABELS[doc.confidence]
    summary = truncate(summary)
    if summary:
        record["s"] = summary
    return _compact(record)


def _term_record(graph: SiteGraph, kind: str, term: Term) -> dict[str, Any]:
    page = term.page
    record: dict[str, Any] = {"t": term.name, "k": TAXONOMY_SINGULAR[kind].capitalize()}
    if page is not None:
        record["m"] = graph.config.marking_of(page.marking)
        summary = truncate(graph.summaries.get(page.path, "") or page.summary or "")
        if summary:
            record["s"] = summary
    record["n"] = len(term.docs)
    return _compact(record)


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "")}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def previews_json(graph: SiteGraph, urls: Urls) -> bytes:
    """``previews.json``: ``{"pages": {url: record}}``, keys sorted, compact, UTF-8.

    Written as ``json.dumps(..., sort_keys=True)`` would write it, a record at a time: a
    running builder keeps each document's ``"url":{record}`` text while the document (never
    changed once loaded), its summary and the base path are the ones it was made from (and
    the settings: ``render/kept.py``), and the file's bytes while every record's text is."""
    kept = kept_views(graph)
    memo = kept.previews
    base = urls.base_path
    summaries = graph.summaries
    found: dict[str, str] = {}
    for doc in graph.docs:
        if doc.type in TERM_PAGE_TYPES:
            continue
        summary = summaries.get(doc.path, "")
        rec = memo.get(id(doc))
        if rec is None or rec[0] is not doc or rec[1] != summary or rec[2] != base:
            url = urls.url(doc_path(doc))
            rec = (doc, summary, base, url, f"{_dumps(url)}:{_dumps(_doc_record(graph, doc, summary))}")
            if kept.lasting:
                memo[id(doc)] = rec
        found[rec[3]] = rec[4]
    for kind in TAXONOMIES:  # a few hundred: made every build
        for term in graph.taxonomies.terms[kind].values():
            url = urls.url(term.path)
            found[url] = f"{_dumps(url)}:{_dumps(_term_record(graph, kind, term))}"
    texts = [found[url] for url in sorted(found)]
    last = kept.previews_bytes
    if last is not None and last[0] == texts:
        return last[1]
    data = ('{"pages":{' + ",".join(texts) + "}}\n").encode("utf-8")
    if kept.files:
        kept.previews_bytes = (texts, data)
    if len(memo) > 2 * len(graph.docs) + 64:  # forget documents long replaced
        kept.previews = {id(d): rec for d in graph.docs if (rec := memo.get(id(d))) is not None and rec[0] is d}
    return data
