"""Map views: the region some points occupy, projected, with the land in it and the markers.

An equirectangular projection with the longitude scaled by the cosine of the map's middle
latitude (so a region does not look stretched), drawn into a fixed-width SVG viewBox. The
views are plain dicts, so that a page's signature (the digest of its view) covers every
coordinate, marker and outline the page draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from generator.geo.basemap import land_digest, land_rings
from generator.memo import memoized

WIDTH = 800  #: width of every map's viewBox
MIN_SPAN = 3.0  #: the smallest latitude span a map shows, in degrees
PAD = 0.25  #: padding around the points, as a share of their span
MAX_LABELS = 12  #: markers are labelled on the map itself up to this many


@dataclass(frozen=True)
class MapPoint:
    """A place on a map: name, coordinates, the URL its marker links to (None: no link) and
    the number of documents that name it (sizes the marker when the map is sized by counts)."""

    name: str
    lat: float
    lon: float
    url: str | None = None
    count: int = 1


@dataclass(frozen=True)
class Extent:
    """The region a map shows, in degrees."""

    west: float
    south: float
    east: float
    north: float


def extent_of(points: list[MapPoint], min_span: float = MIN_SPAN, aspect: float = 0.6) -> Extent:
    """The region ``points`` occupy, padded, at least ``min_span`` degrees of latitude, with the
    shape of the map (height / width = ``aspect`` once projected), within the world."""
    west = min(p.lon for p in points)
    east = max(p.lon for p in points)
    south = min(p.lat for p in points)
    north = max(p.lat for p in points)
    lat_span = max((north - south) * (1 + 2 * PAD), min_span)
    mid_lat = (north + south) / 2
    k = max(math.cos(math.radians(min(abs(mid_lat), 80))), 0.2)
    lon_span = max((east - west) * (1 + 2 * PAD), lat_span * k / aspect) if k else 360.0
    # Keep the projected shape: widen the narrower side.
    if lon_span * k * aspect > lat_span:
        lat_span = lon_span * k * aspect
    else:
        lon_span = lat_span / (k * aspect)
    lon_span, lat_span = min(lon_span, 360.0), min(lat_span, 180.0)
    mid_lon = (east + west) / 2
    mid_lat = min(max(mid_lat, -90 + lat_span / 2), 90 - lat_span / 2)
    mid_lon = min(max(mid_lon, -180 + lon_span / 2), 180 - lon_span / 2)
    return Extent(round(mid_lon - lon_span / 2, 4), round(mid_lat - lat_span / 2, 4),
                  round(mid_lon + lon_span / 2, 4), round(mid_lat + lat_span / 2, 4))


class _Projection:
    def __init__(self, extent: Extent, width: int = WIDTH):
        self.extent = extent
        k = max(math.cos(math.radians(min(abs((extent.north + extent.south) / 2), 80))), 0.2)
        self.sx = width / (extent.east - extent.west)
        self.sy = self.sx / k
        self.width = width
        self.height = round((extent.north - extent.south) * self.sy)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - self.extent.west) * self.sx, 1), round((self.extent.north - lat) * self.sy, 1))


def _clip(points: list[tuple[float, float]], x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A ring clipped to a rectangle (Sutherland-Hodgman: a ring around the rectangle becomes it)."""
    edges = ((0, x0, 1), (0, x1, -1), (1, y0, 1), (1, y1, -1))
    for axis, limit, sign in edges:
        if not points:
            break
        out: list[tuple[float, float]] = []
        prev = points[-1]
        for cur in points:
            cur_in = (cur[axis] - limit) * sign >= 0
            prev_in = (prev[axis] - limit) * sign >= 0
            if cur_in != prev_in:
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                cross = (prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1]))
                out.append(cross)
            if cur_in:
                out.append(cur)
            prev = cur
        points = out
    return points


@lru_cache(maxsize=4096)
def _land_path(e: Extent) -> str:
    """The SVG path of the land in an extent: rings clipped to it (with a margin, so no clipped
    edge shows), in whole viewBox units. Kept per extent: maps of one place share theirs; and
    across processes (``generator/memo.py``), by the extent and the base map's digest."""
    return memoized("land", _land_path_of, (e.west, e.south, e.east, e.north), land_digest())


def _land_path_of(box: tuple[float, float, float, float], basemap: str) -> str:
    """:func:`_land_path` of the extent ``box`` (west, south, east, north), drawn from the base
    map whose digest is ``basemap`` (the one :func:`land_rings` reads)."""
    e = Extent(*box)
    proj = _Projection(e)
    margin = 4.0
    parts: list[str] = []
    west, north, sx, sy = e.west, e.north, proj.sx, proj.sy  # proj.xy, inline: a call per point cost more
    for points, (w, s, east, n) in land_rings():
        if east < e.west or w > e.east or n < e.south or s > e.north:
            continue
        coords = _clip([(round((lon - west) * sx, 1), round((north - lat) * sy, 1)) for lon, lat in points],
                       -margin, -margin, proj.width + margin, proj.height + margin)
        flat: list[tuple[int, int]] = []
        for x, y in coords:
            point = (round(x), round(y))
            if not flat or point != flat[-1]:
                flat.append(point)
        if len(flat) >= 3:
            parts.append("M" + "L".join(f"{x},{y}" for x, y in flat) + "Z")
    return "".join(parts)


LABEL_SIZE = 15  #: font size of labels, in viewBox units (the style sheet's)
CHAR_WIDTH = 0.56 * LABEL_SIZE  #: a generous average width of one character


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(markers: list[dict[str, Any]], width: int, height: int) -> None:
    """Give each marker a label side ("right", "left") where its name overlaps no other label or
    marker and stays on the map, or ``None`` (its name is still its marker's accessible name and
    in the list under the map). Markers come largest first; labels are placed smallest first."""
    circles = [(m["x"] - m["r"], m["y"] - m["r"], m["x"] + m["r"], m["y"] + m["r"]) for m in markers]
    placed: list[tuple[float, float, float, float]] = []
    for i in sorted(range(len(markers)), key=lambda i: (markers[i]["r"], i)):
        m = markers[i]
        m["label"] = None
        w = len(m["name"]) * CHAR_WIDTH
        top, bottom = m["y"] - LABEL_SIZE * 0.6, m["y"] + LABEL_SIZE * 0.6
        for side, x0 in (("right", m["x"] + m["r"] + 4), ("left", m["x"] - m["r"] - 4 - w)):
            box = (x0, top, x0 + w, bottom)
            if box[0] < 0 or box[2] > width or top < 0 or bottom > height:
                continue
            if any(_overlaps(box, b) for b in placed) or any(
                    _overlaps(box, c) for j, c in enumerate(circles) if j != i):
                continue
            m["label"] = side
            m["label_x"] = round(x0 if side == "right" else x0 + w, 1)
            placed.append(box)
            break


def _radius(count: int, most: int, sized: bool) -> float:
    if not sized or most <= 1:
        return 7.0
    return round(5.0 + 13.0 * math.sqrt(count / most), 1)


def map_view(points: list[MapPoint], *, title: str, sized: bool = False, min_span: float = MIN_SPAN,
             current: str | None = None) -> dict[str, Any] | None:
    """What a map template draws (``None`` without points): viewBox, land path, markers
    (largest first, so that small ones stay on top and clickable) and the extent.

    ``sized`` scales the markers' areas by their counts; ``current`` names the point of the
    page the map is on (drawn without a link).
    """
    if not points:
        return None
    proj = _Projection(extent_of(points, min_span))
    most = max(p.count for p in points)
    markers = []
    for p in sorted(points, key=lambda p: (-p.count, p.name.casefold(), p.url or "")):
        x, y = proj.xy(p.lon, p.lat)
        markers.append({"name": p.name, "url": None if p.name == current else p.url, "count": p.count,
                        "lat": p.lat, "lon": p.lon, "x": x, "y": y, "r": _radius(p.count, most, sized), "label": None})
    if len(markers) <= MAX_LABELS:
        _place_labels(markers, proj.width, proj.height)
    e = proj.extent
    return {"title": title, "width": proj.width, "height": proj.height, "land": _land_path(proj.extent),
            "markers": markers, "sized": sized,
            "extent": {"west": e.west, "south": e.south, "east": e.east, "north": e.north}}
