"""The maps of pages and ``/locations.geojson``, from the location terms of the site graph.

A location's coordinates are its term's (the location page's, else the first document's that
gives them), so every map that shows a place moves with it. The maps are part of the views
that pages receive, so a page's signature covers them; only shown documents are in the graph,
so an audience build's maps and counts never reach a document above its audience.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from generator.geo import MapPoint, map_view
from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.memo import memoized
from generator.model.document import Document

if TYPE_CHECKING:
    from generator.render.views import Urls

#: A locator map shows at least this many degrees of latitude around its place.
LOCATOR_SPAN = 10.0


def _point(term: Term, urls: Urls) -> MapPoint | None:
    if term.lat is None or term.lon is None:
        return None
    return MapPoint(term.name, term.lat, term.lon, urls.url(term.path), len(term.docs))


def located_terms(graph: SiteGraph) -> list[Term]:
    """The location terms with coordinates, by slug."""
    terms = graph.taxonomies.terms["locations"].values()
    return sorted((t for t in terms if t.lat is not None and t.lon is not None), key=lambda t: t.slug)


def document_map(graph: SiteGraph, doc: Document, urls: Urls) -> dict[str, Any] | None:
    """The small map of a document page: its locations that have coordinates."""
    found = [_point(t, urls) for t in graph.taxonomies.of_doc.get(doc.path, {}).get("locations", ())]
    points = [p for p in found if p is not None]
    return map_view(points, title=f"Map of the locations of {doc.title}")


def term_map(term: Term, urls: Urls) -> dict[str, Any] | None:
    """The locator map of a location's page (``None`` for other terms or without coordinates)."""
    if term.kind != "locations":
        return None
    point = _point(term, urls)
    if point is None:
        return None
    return map_view([point], title=f"Where {term.name} is", min_span=LOCATOR_SPAN, current=term.name)


def overview_map(graph: SiteGraph, urls: Urls) -> dict[str, Any] | None:
    """The map of ``/locations/``: every location with coordinates, sized by its documents."""
    points = [p for p in (_point(t, urls) for t in located_terms(graph)) if p is not None]
    return map_view(points, title="Map of all locations", sized=True)


def locations_geojson(graph: SiteGraph, urls: Urls) -> bytes:
    """``/locations.geojson``: a FeatureCollection of the locations with coordinates, each with
    its name, page URL and number of (shown) documents."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [t.lon, t.lat]},
                 "properties": {"name": t.name, "url": urls.absolute(t.path), "count": len(t.docs)}}
                for t in located_terms(graph)]
    data = {"type": "FeatureCollection", "features": features}
    return memoized("json", indented_json, data)  # Python's slow encoder: kept by the data itself


def indented_json(data: Any) -> bytes:
    """``data`` as JSON with one space of indent and sorted keys, UTF-8, ending in a newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
