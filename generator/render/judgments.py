"""Key judgments as pages show them: the boxed summary of a note, the ``/judgments/`` page,
``judgments.json`` and the ``/confidence/`` index.

Every view here is made from the site graph, which holds only the documents the build shows
(those above its audience never reach it): nothing left out can appear, and whatever a view
holds is in its digest, so a page follows every edit to a judgment, a confidence or a marking.
"""

from __future__ import annotations

import json
from typing import Any

from generator.graph.site import SiteGraph
from generator.graph.urls import confidence_path, doc_path
from generator.model.document import CONFIDENCE_LEVELS, Document
from generator.render.views import (
    CONFIDENCE_LABELS,
    Urls,
    banner,
    confidence_view,
    likelihood_view,
    when_view,
)

#: Highest first: the order of the groups on ``/judgments/`` and of the ``/confidence/`` index.
LEVELS_HIGH_FIRST = tuple(reversed(CONFIDENCE_LEVELS))
UNSTATED = "unstated"

#: What each confidence level means, in the sense of ICD 203 (our words).
LEVEL_MEANINGS = {
    "high": "The judgment rests on good-quality information from several independent sources, "
            "or the nature of the issue makes a sound judgment possible. High confidence is not "
            "certainty: the judgment can still be wrong.",
    "moderate": "The information is credibly sourced and plausible, but not of a quality or "
                "corroborated enough to warrant a higher level. Other readings remain open.",
    "low": "The information is scant, questionable, fragmented or poorly corroborated, or "
           "cannot be tied to solid analytic inferences; the sources may be of doubtful reliability.",
}


def _held(graph: SiteGraph) -> list[Document]:
    """The shown articles and notes that have key judgments, newest first."""
    found = graph.memo.get("held_judgments")
    if found is None:  # once per graph: four outputs ask
        found = graph.memo["held_judgments"] = [d for d in graph.listed if d.key_judgments]
    return found


def judgments_view(graph: SiteGraph, urls: Urls) -> dict[str, Any]:
    """The ``/judgments/`` page: every key judgment of the documents shown, in groups by
    confidence (high, moderate, low, then any with none stated), newest document first."""
    scale = graph.config.scale
    groups: dict[str, list[dict[str, Any]]] = {lv: [] for lv in (*LEVELS_HIGH_FIRST, UNSTATED)}
    markings: list[str] = []
    levels = {lv: confidence_view(lv, urls) for lv in CONFIDENCE_LEVELS}
    terms: dict[str, dict[str, Any] | None] = {}
    for doc in _held(graph):
        marking = graph.config.marking_of(doc.marking)
        markings.append(marking)
        source = {"title": doc.title, "url": urls.url(doc_path(doc)), "date": when_view(doc.when),
                  "marking": marking}
        for number, kj in enumerate(doc.key_judgments, 1):
            level = kj.confidence or doc.confidence
            word = kj.likelihood or ""
            if word not in terms:
                terms[word] = likelihood_view(word, scale)
            groups[level or UNSTATED].append({
                "text": kj.text, "confidence": levels[level] if level else None,
                "confidence_own": kj.confidence is not None, "likelihood": terms[word], "doc": source,
                "url": f"{source['url']}#kj-{number}"})
    shown = [{"level": lv, "id": f"judgments-{lv}",
              "title": CONFIDENCE_LABELS.get(lv, "Confidence not stated"),
              "url": urls.url(confidence_path(lv)) if lv != UNSTATED else None, "items": groups[lv]}
             for lv in groups if groups[lv] or lv != UNSTATED]
    return {"title": "Key judgments", "url": urls.url("judgments/"), "groups": shown,
            "count": sum(len(g) for g in groups.values()),
            "scale": scale.title if scale is not None else None, "banner": banner(*markings)}


def judgments_json(graph: SiteGraph, urls: Urls) -> bytes:
    """``judgments.json``: one object per key judgment, newest document first, in the order
    written (format: docs/data-formats.md)."""
    scale = graph.config.scale
    items = []
    terms: dict[str, tuple[str | None, str | None]] = {"": (None, None)}
    for doc in _held(graph):
        path = doc_path(doc)
        document = {"title": doc.title, "url": urls.absolute(path), "type": doc.type.value,
                    "date": doc.when.iso if doc.when is not None else None,
                    "marking": graph.config.marking_of(doc.marking)}
        stem = path.rstrip("/")
        for number, kj in enumerate(doc.key_judgments, 1):
            word = kj.likelihood or ""
            if word not in terms:
                found = likelihood_view(word, scale) or {}
                terms[word] = (found.get("term"), found.get("range"))
            term, span = terms[word]
            items.append({
                "id": f"{stem}#kj-{number}",
                "text": kj.text,
                "confidence": kj.confidence or doc.confidence,
                "confidence_stated": "judgment" if kj.confidence else ("document" if doc.confidence else None),
                "likelihood": term,
                "likelihood_range": span,
                "document": document,
            })
    data = {"version": 1, "scale": scale.key if scale is not None else None, "count": len(items),
            "judgments": items}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def confidence_index_view(graph: SiteGraph, urls: Urls) -> dict[str, Any]:
    """The ``/confidence/`` page: the three levels, what each means, how many shown documents
    hold each (and how many key judgments), each linking to its own page."""
    judged = {lv: 0 for lv in CONFIDENCE_LEVELS}
    for doc in _held(graph):
        for kj in doc.key_judgments:
            level = kj.confidence or doc.confidence
            if level:
                judged[level] += 1
    levels = [{"level": lv, "label": CONFIDENCE_LABELS[lv], "meaning": LEVEL_MEANINGS[lv],
               "count": len(graph.by_confidence[lv]), "judgments": judged[lv],
               "url": urls.url(confidence_path(lv))} for lv in LEVELS_HIGH_FIRST]
    # The counts come from the documents at each level: marked as the most restricted of them.
    docs = [d for lv in CONFIDENCE_LEVELS for d in graph.by_confidence[lv]] + _held(graph)
    marks = {graph.config.marking_of(d.marking) for d in docs}
    return {"title": "Confidence levels", "url": urls.url("confidence/"), "levels": levels,
            "judgments_url": urls.url("judgments/"), "banner": banner(*sorted(marks))}
