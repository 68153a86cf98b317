"""Offline maps: the overview on /locations/, locator maps on location pages, document maps and
/locations.geojson, read back with parsers; audience builds and incremental edits.

Markers are SVG ``<a>`` elements (html5lib puts them in the SVG namespace); each must link to
its location's page, carry an accessible name, and sit inside the map's viewBox.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from conftest import Html, build_ok, make_site, page, pin_theme

from generator.build import Builder
from generator.verify import verify_output

SVG = "{http://www.w3.org/2000/svg}"

SITE: dict[str, str] = {
    "briefing.yaml": "title: Maps\nbase_url: https://example.org/\nrelated_limit: 0\n",
    "content/locations/hama.md": "---\ntitle: Hama\nlat: 35.13\nlon: 36.75\n---\nA city on the Orontes.\n",
    "content/locations/kabul.md": "---\ntitle: Kabul\n---\nNo coordinates given.\n",
    "content/articles/alpha.md": ("---\ntitle: Alpha\ndate: 2024-03-01\nmarking: TLP:CLEAR\n"
                                  "location: [Hama, {name: Tartus, lat: 34.89, lon: 35.89}, Kabul]\n---\nAlpha text.\n"),
    "content/notes/bravo.md": "---\ntitle: Bravo\ndate: 2024-03-02\nmarking: TLP:CLEAR\nlocation: [Hama, Tartus]\n---\nBravo text.\n",
    "content/notes/charlie.md": "---\ntitle: Charlie\ndate: 2024-03-03\nmarking: TLP:CLEAR\nlocation: Hama\n---\nCharlie text.\n",
    "content/notes/secret.md": ("---\ntitle: Secret\ndate: 2024-03-04\nmarking: TLP:RED\n"
                                "location: [Hama, {name: Hidden Valley, lat: 12.5, lon: 44.9}]\n---\nSecret text.\n"),
}


def _local(el: ElementTree.Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _svg(html: Html) -> ElementTree.Element:
    figure = html.one("figure", cls="map")
    found = [el for el in figure.iter() if _local(el) == "svg"]
    assert len(found) == 1
    return found[0]


def _markers(svg: ElementTree.Element) -> list[dict]:
    """Each marker: href (None when unlinked), accessible name, circle centre and radius."""
    out = []
    for el in svg.iter():
        if "map-marker" not in (el.get("class") or "").split():
            continue
        circle = next(c for c in el.iter() if _local(c) == "circle")
        titles = [t for t in el if _local(t) == "title"]
        out.append({"href": el.get("href") if _local(el) == "a" else None, "label": el.get("aria-label"),
                    "title": "".join(titles[0].itertext()) if titles else None,
                    "x": float(circle.get("cx")), "y": float(circle.get("cy")), "r": float(circle.get("r"))})
    return out


def _view_box(svg: ElementTree.Element) -> tuple[float, float]:
    x, y, w, h = map(float, svg.get("viewBox").split())
    assert (x, y) == (0, 0)
    return w, h


def _extent(svg: ElementTree.Element) -> tuple[float, float, float, float]:
    west, south, east, north = map(float, svg.get("data-extent").split(","))
    return west, south, east, north


def _built(tmp_path: Path, *args: str) -> Path:
    site = make_site(tmp_path, SITE)
    return build_ok(site, "-o", tmp_path / "out", "--no-cache", *args)


def test_overview_map_links_every_located_place_sized_by_its_documents(tmp_path: Path) -> None:
    out = _built(tmp_path)
    html = page(out, "locations/")
    svg = _svg(html)
    width, height = _view_box(svg)
    markers = {m["href"]: m for m in _markers(svg)}
    # Kabul has no coordinates: listed, not drawn.
    assert set(markers) == {"/locations/hama/", "/locations/tartus/", "/locations/hidden-valley/"}
    assert markers["/locations/hama/"]["label"] == "Hama, 4 documents"
    assert markers["/locations/tartus/"]["label"] == "Tartus, 2 documents"
    assert markers["/locations/hama/"]["title"] == markers["/locations/hama/"]["label"]
    assert markers["/locations/hama/"]["r"] > markers["/locations/tartus/"]["r"] > markers["/locations/hidden-valley/"]["r"]
    for m in markers.values():
        assert 0 < m["x"] < width and 0 < m["y"] < height
    # The text fallback lists the same places with links.
    figure = html.one("figure", cls="map")
    listed = {a.get("href") for a in html.one("ul", cls="map-list").iter("a")}
    assert listed == set(markers)
    # The SVG is labelled, and the figure by its caption.
    titles = [t for t in svg if _local(t) == "title"]
    assert svg.get("aria-labelledby") == titles[0].get("id") and "".join(titles[0].itertext())
    captions = [el for el in figure if el.tag == "figcaption"]
    assert len(captions) == 1 and "Natural Earth" in "".join(captions[0].itertext())


def test_the_map_zooms_to_the_region_its_points_occupy(tmp_path: Path) -> None:
    out = _built(tmp_path, "--audience", "TLP:GREEN")
    svg = _svg(page(out, "locations/"))
    west, south, east, north = _extent(svg)
    # Hama and Tartus only (Hidden Valley is left out): a region of Syria, not the world.
    assert west < 35.89 < 36.75 < east and south < 34.89 < 35.13 < north
    assert north - south >= 3.0 - 1e-6  # the minimum extent
    assert east - west < 20 and north - south < 15
    # The land drawn is the bundled base map, clipped to the rings in view.
    land = next(el for el in svg.iter() if "map-land" in (el.get("class") or ""))
    assert land.get("d", "").startswith("M") and len(land.get("d")) < 20000


def test_location_page_has_a_locator_map_and_a_document_page_maps_its_locations(tmp_path: Path) -> None:
    out = _built(tmp_path)
    hama = page(out, "locations/hama/")
    svg = _svg(hama)
    assert svg.get("role") == "img"
    (marker,) = _markers(svg)
    assert marker["href"] is None  # the page it is on
    west, south, east, north = _extent(svg)
    assert west < 36.75 < east and south < 35.13 < north and north - south >= 10 - 1e-6
    # A location without coordinates has no map.
    assert page(out, "locations/kabul/").all("figure", cls="map") == []

    alpha = page(out, "articles/alpha/")
    markers = _markers(_svg(alpha))
    assert {m["href"] for m in markers} == {"/locations/hama/", "/locations/tartus/"}
    assert {m["label"] for m in markers} == {"Hama", "Tartus"}
    # A document naming no located place has no map.
    site2 = make_site(tmp_path, {"briefing.yaml": "title: T\n",
                                 "content/notes/n.md": "---\ntitle: N\ndate: 2024-01-01\n---\nText.\n"}, "src2")
    out2 = build_ok(site2, "-o", tmp_path / "out2", "--no-cache")
    assert page(out2, "notes/n/").all("figure", cls="map") == []
    assert json.loads((out2 / "locations.geojson").read_text()) == {"type": "FeatureCollection", "features": []}


def _geojson(out: Path) -> dict[str, dict]:
    data = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    found = {}
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(f["properties"]) == {"name", "url", "count"}
        found[f["properties"]["name"]] = {**f["properties"], "lon": lon, "lat": lat}
    return found


def test_geojson_lists_located_places_with_url_and_count(tmp_path: Path) -> None:
    found = _geojson(_built(tmp_path))
    assert set(found) == {"Hama", "Tartus", "Hidden Valley"}
    assert found["Hama"] == {"name": "Hama", "url": "https://example.org/locations/hama/", "count": 4,
                             "lon": 36.75, "lat": 35.13}


def test_an_audience_build_maps_only_what_its_documents_name(tmp_path: Path) -> None:
    out = _built(tmp_path, "--audience", "TLP:GREEN")
    found = _geojson(out)
    assert set(found) == {"Hama", "Tartus"}
    assert found["Hama"]["count"] == 3  # the TLP:RED note is not counted
    markers = {m["href"]: m for m in _markers(_svg(page(out, "locations/")))}
    assert set(markers) == {"/locations/hama/", "/locations/tartus/"}
    assert markers["/locations/hama/"]["label"] == "Hama, 3 documents"
    for path in out.rglob("*"):
        if path.is_file():
            assert b"Hidden Valley" not in path.read_bytes(), path


def _marker_of(out: Path, url: str, href: str) -> dict:
    return next(m for m in _markers(_svg(page(out, url))) if m["href"] == href)


def test_moving_a_place_or_naming_it_again_redraws_every_map_that_shows_it(tmp_path: Path) -> None:
    site = pin_theme(make_site(tmp_path, SITE))
    out = tmp_path / "preview"
    builder = Builder(site, out, quiet=True, atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        before = _marker_of(out, "notes/bravo/", "/locations/tartus/")
        # Tartus's coordinates come from alpha (an article edit the graph update takes in place):
        # bravo's page, which does not give them, must redraw it.
        alpha = site / "content/articles/alpha.md"
        alpha.write_text(alpha.read_text().replace("lat: 34.89", "lat: 33.5"))
        result = builder.build({alpha})
        assert result.ok
        assert verify_output(site, out) == []
        assert _marker_of(out, "notes/bravo/", "/locations/tartus/")["y"] > before["y"]
        # The location page moves Hama: the overview, its page and every document page follow.
        hama = site / "content/locations/hama.md"
        hama.write_text(hama.read_text().replace("lat: 35.13", "lat: 36.2"))
        assert builder.build({hama}).ok
        assert verify_output(site, out) == []
        assert _geojson(out)["Hama"]["lat"] == 36.2
        # A new document naming Hama: its count grows on the overview and in the GeoJSON.
        delta = site / "content/notes/delta.md"
        delta.write_text("---\ntitle: Delta\ndate: 2024-03-05\nlocation: Hama\n---\nDelta text.\n")
        assert builder.build({delta}).ok
        assert verify_output(site, out) == []
        assert _marker_of(out, "locations/", "/locations/hama/")["label"] == "Hama, 5 documents"
        assert _marker_of(out, "notes/delta/", "/locations/hama/")["label"] == "Hama"
    finally:
        builder.close()


def test_a_second_build_with_the_cache_after_moving_a_place_equals_a_clean_build(tmp_path: Path) -> None:
    site = pin_theme(make_site(tmp_path, SITE))
    out = tmp_path / "out"
    build_ok(site, "-o", out, "--audience", "TLP:GREEN")
    hama = site / "content/locations/hama.md"
    hama.write_text(hama.read_text().replace("lon: 36.75", "lon: 37.9"))
    build_ok(site, "-o", out, "--audience", "TLP:GREEN")
    assert verify_output(site, out, audience="TLP:GREEN") == []
    assert _geojson(out)["Hama"]["lon"] == 37.9


def test_a_crowded_map_draws_every_marker_and_leaves_the_names_to_links_and_list(tmp_path: Path) -> None:
    places = "".join(f"  - {{name: Place {i}, lat: {30 + i * 0.7:.1f}, lon: {20 + i * 1.3:.1f}}}\n" for i in range(20))
    site = make_site(tmp_path, {"briefing.yaml": "title: Many\n",
                                "content/notes/many.md": f"---\ntitle: Many\ndate: 2024-01-01\nlocation:\n{places}---\nText.\n"})
    out = build_ok(site, "-o", tmp_path / "out", "--no-cache")
    for url in ("locations/", "notes/many/"):
        svg = _svg(page(out, url))
        markers = _markers(svg)
        assert len(markers) == 20 and all(m["label"] and m["href"] for m in markers)
        assert not [el for el in svg.iter() if _local(el) == "text"]  # too many to label on the map
        west, south, east, north = _extent(svg)
        assert west < 20 and east > 20 + 19 * 1.3 and south < 30 and north > 30 + 19 * 0.7
