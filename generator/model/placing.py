"""Where a document happened: ``location:`` as a name, a list of names, or mappings with
coordinates, written as authors write them (``lat``/``lon``, ``latitude``/``longitude``,
``lng``, or one ``coordinates: "12.8, 45.0"``)."""

from __future__ import annotations

from typing import Any

from generator.model.document import Location
from generator.model.text import spaced_name
from generator.yamltree import Scalar, is_null, line_of, text

#: Keys of a location mapping that hold its latitude, its longitude, or both as a pair.
LAT_KEYS = ("lat", "latitude")
LON_KEYS = ("lon", "lng", "long", "longitude")
PAIR_KEYS = ("coordinates", "coords", "geo", "latlon", "latlng", "latlong", "position", "point")
_KNOWN = frozenset({"name", *LAT_KEYS, *LON_KEYS, *PAIR_KEYS})


def parse_locations(check: Any, key: str, value: Any) -> tuple[Location, ...]:
    """The locations ``value`` names (``check`` collects the problems, as front matter's does)."""
    if value is None or is_null(value):
        return ()
    if isinstance(value, list) and len(value) == 2 and all(_number(v) is not None for v in value):
        pair = Scalar(f"{text(value[0])}, {text(value[1])}", False, value[0].line)  # [35.1, 36.7]
        value = pair if _bare_point(pair) is not None else value
    items = value if isinstance(value, list) else [value]
    out: list[Location] = []
    for item in items:
        if isinstance(item, Scalar):
            point = _bare_point(item)
            if point is not None:
                check.warn(key, f"{item.text.strip()!r} is a point with no name: the place is named by its "
                                "coordinates; write {name: Kharkiv, lat: 49.99, lon: 36.23} to name it", item.line)
                out.append(point)
            elif spaced_name(item.text):
                out.append(Location(spaced_name(item.text)))
        elif isinstance(item, dict):
            location = _mapped(check, key, item)
            if location is not None:
                out.append(location)
        else:
            check.err(key, "expected a name or {name, lat, lon}, found a nested list", line_of(item, 0))
    return tuple(out)


def _mapped(check: Any, key: str, item: dict) -> Location | None:
    name = item.get("name")
    line = line_of(item, 0)
    if not isinstance(name, Scalar) or not name.text.strip():
        check.err(key, "a location mapping needs a 'name' (and optional lat, lon)", line)
        return None
    for extra in item:
        if extra not in _KNOWN:
            check.warn(key, f"unknown key {extra!r} in a location; expected name, lat, lon", line_of(item[extra], line))
    lat_key = next((k for k in LAT_KEYS if k in item), "lat")
    lon_key = next((k for k in LON_KEYS if k in item), "lon")
    raw_lat, raw_lon = item.get(lat_key), item.get(lon_key)
    pair_key = next((k for k in PAIR_KEYS if k in item), None)
    if pair_key is not None and raw_lat is None and raw_lon is None:
        raw_lat, raw_lon = _pair(check, key, pair_key, item[pair_key], line)
        if raw_lat is None:
            return Location(spaced_name(name.text) or name.text.strip())
    lat = check.number(f"{key}.lat", raw_lat, -90, 90, line_of(raw_lat, line))
    lon = check.number(f"{key}.lon", raw_lon, -180, 180, line_of(raw_lon, line))
    missing = [raw is None or is_null(raw) for raw in (raw_lat, raw_lon)]
    if missing[0] != missing[1]:  # one left out (a wrong one is an error above)
        check.warn(key, f"{name.text}: give both lat and lon, or neither", line)
    if lat is None or lon is None:
        lat = lon = None
    return Location(spaced_name(name.text) or name.text.strip(), lat, lon)


def _pair(check: Any, key: str, pair_key: str, value: Any, line: int) -> tuple[Any, Any]:
    """Latitude and longitude from ``coordinates: "12.8, 45.0"`` or ``[12.8, 45.0]``."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, Scalar):
        parts = [p for p in text(value).replace(";", ",").replace(" ", ",").split(",") if p]
        if len(parts) == 2:
            return Scalar(parts[0], False, value.line), Scalar(parts[1], False, value.line)
    check.err(f"{key}.{pair_key}", f"expected latitude and longitude such as \"12.8, 45.0\", found {text(value)!r}"
              if isinstance(value, Scalar) else "expected latitude and longitude such as [12.8, 45.0]",
              line_of(value, line))
    return None, None


def _number(value: Any) -> float | None:
    """A number written as a scalar, or None."""
    if not isinstance(value, Scalar):
        return None
    try:
        return float(value.text.strip())
    except ValueError:
        return None


def _bare_point(item: Scalar) -> Location | None:
    """``location: "35.1, 36.7"``: latitude and longitude written as the place (in range), as
    a location named by them, with its coordinates; else None."""
    written = item.text.strip()
    parts = [p for p in written.replace(";", ",").replace(" ", ",").split(",") if p]
    if len(parts) != 2 or any(ch.isalpha() for ch in written):
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Location(f"{lat:g}, {lon:g}", lat, lon)
