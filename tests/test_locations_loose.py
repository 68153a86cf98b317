"""Coordinates written as authors write them: ``latitude``/``longitude``, ``lng``, or one
``coordinates`` pair, in a location mapping; an unknown key there is a warning, never dropped
silently; Jekyll's and Hugo's page keys get a hint."""

from __future__ import annotations

import pytest

from generator.model.document import DocType
from generator.model.frontmatter import parse_document


def _parsed(front: str):
    doc, diags = parse_document("content/articles/a.md", f"---\ntitle: T\ndate: 2024-12-06\n{front}\n---\nx\n",
                                DocType.ARTICLE, "a")
    return doc, [str(d) for d in diags]


@pytest.mark.parametrize("location", [
    '{name: Aden, coordinates: "12.8, 45.0"}', "{name: Aden, coordinates: [12.8, 45.0]}", '{name: Aden, geo: "12.8,45.0"}',
    "{name: Aden, latitude: 12.8, longitude: 45.0}", "{name: Aden, lat: 12.8, lng: 45.0}", "{name: Aden, lat: 12.8, lon: 45}",
])
def test_a_location_takes_its_coordinates_however_they_are_written(location: str) -> None:
    doc, diags = _parsed(f"location: {location}")
    assert diags == []
    assert [(loc.name, loc.lat, loc.lon) for loc in doc.locations] == [("Aden", 12.8, 45.0)]


def test_an_unknown_key_or_a_bad_pair_in_a_location_is_reported_at_its_line() -> None:
    _, diags = _parsed("location: {name: Aden, lat: 12.8, lon: 45, zoom: 3}")
    assert diags == ["content/articles/a.md:4: warning: location: unknown key 'zoom' in a location; expected name, lat, lon"]
    doc, diags = _parsed('location: {name: Aden, coordinates: "north"}')
    assert diags == ["content/articles/a.md:4: location.coordinates: expected latitude and longitude such as "
                     "\"12.8, 45.0\", found 'north'"]


@pytest.mark.parametrize(("key", "hint"), [("permalink: /x/", "slug"), ("layout: post", "template"),
                                           ("category: war", "tags"), ("coordinates: [1, 2]", "lat")])
def test_keys_from_other_tools_get_a_hint(key: str, hint: str) -> None:
    _, diags = _parsed(key)
    assert len(diags) == 1 and f"did you mean '{hint}'?" in diags[0]
