"""The base map: land outlines from Natural Earth 1:110m, bundled with the default theme.

``themes/default/map/land.json`` is made at development time by ``scripts/make_basemap.py``
(its origin and licence are in ``themes/default/map/SOURCE.md``).
"""

from __future__ import annotations

import json
from functools import lru_cache

from generator.render.env import builtin_themes_dir

#: (ring as a tuple of (lon, lat) in degrees, its bounding box (west, south, east, north))
Ring = tuple[tuple[tuple[float, float], ...], tuple[float, float, float, float]]


@lru_cache(maxsize=1)
def land_rings() -> tuple[Ring, ...]:
    """Every land ring of the bundled base map, with its bounding box (read once per process)."""
    path = builtin_themes_dir() / "default" / "map" / "land.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = float(data["scale"])
    rings: list[Ring] = []
    for flat in data["rings"]:
        points = tuple((flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat) - 1, 2))
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        rings.append((points, (min(lons), min(lats), max(lons), max(lats))))
    return tuple(rings)
