"""The base map: land outlines from Natural Earth 1:110m, bundled with the default theme.

``themes/default/map/land.json`` is made at development time by ``scripts/make_basemap.py``
(its origin and licence are in ``themes/default/map/SOURCE.md``).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from generator.render.env import builtin_themes_dir

#: (ring as a tuple of (lon, lat) in degrees, its bounding box (west, south, east, north))
Ring = tuple[tuple[tuple[float, float], ...], tuple[float, float, float, float]]


def _land_file() -> str:
    return str(builtin_themes_dir() / "default" / "map" / "land.json")


@lru_cache(maxsize=1)
def land_digest() -> str:
    """A digest of the bundled base map's file (what results drawn from it are kept under)."""
    try:
        with open(_land_file(), "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return ""


@lru_cache(maxsize=1)
def land_rings() -> tuple[Ring, ...]:
    """Every land ring of the bundled base map, with its bounding box (read once per process)."""
    with open(_land_file(), encoding="utf-8") as handle:
        data = json.loads(handle.read())
    scale = float(data["scale"])
    rings: list[Ring] = []
    for flat in data["rings"]:
        points = tuple((flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat) - 1, 2))
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        rings.append((points, (min(lons), min(lats), max(lons), max(lats))))
    return tuple(rings)
