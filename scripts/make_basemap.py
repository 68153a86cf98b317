"""Make the default theme's offline base map from Natural Earth 1:110m countries.

Run at development time only (builds and tests never run it); its output is committed:

    pip download geopandas==0.14.4 --no-deps -d /tmp/ne
    python scripts/make_basemap.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl

The wheel ships ``naturalearth_lowres`` (Natural Earth 1:110m Admin 0 countries, public
domain). The polygons are read straight from the shapefile in the wheel (no GIS library),
simplified (Douglas-Peucker), rounded to tenths of a degree and written as
``themes/default/map/land.json``: ``{"scale": 10, "rings": [[x0, y0, x1, y1, ...], ...]}``
with integer coordinates (longitude and latitude times ``scale``).
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

SHP = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
OUT = Path(__file__).resolve().parent.parent / "themes" / "default" / "map" / "land.json"
SCALE = 10
TOLERANCE = 0.12  # degrees


def read_polygons(data: bytes) -> list[list[tuple[float, float]]]:
    """Every ring of every polygon record of a shapefile's bytes."""
    rings: list[list[tuple[float, float]]] = []
    pos = 100
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        content = data[pos + 8:pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type not in (5, 15, 25):
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts]))
        start = 44 + 4 * n_parts
        flat = struct.unpack(f"<{2 * n_points}d", content[start:start + 16 * n_points])
        points = list(zip(flat[0::2], flat[1::2], strict=True))
        for i, first in enumerate(parts):
            last = parts[i + 1] if i + 1 < n_parts else n_points
            rings.append(points[first:last])
    return rings


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iteratively."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(SHP)
    out: list[list[int]] = []
    for ring in read_polygons(data):
        flat: list[int] = []
        last = None
        for x, y in simplify(ring, TOLERANCE):
            point = (round(x * SCALE), round(y * SCALE))
            if point != last:
                flat += point
                last = point
        if len(flat) >= 8:  # at least a triangle and its closing point
            out.append(flat)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"scale": SCALE, "rings": out}, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(out)} rings, {sum(len(r) // 2 for r in out)} points, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
