"""Front matter written loosely: coordinates as ``latitude``/``longitude``, ``lng``, or one
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


def test_a_location_written_as_bare_coordinates_is_a_point_named_by_them_with_a_warning() -> None:
    for written in ('location: "35.1, 36.7"', "location: 35.1 36.7", "location: [35.1, 36.7]"):
        doc, diags = _parsed(written)
        assert [(loc.name, loc.lat, loc.lon) for loc in doc.locations] == [("35.1, 36.7", 35.1, 36.7)], written
        assert len(diags) == 1 and "a.md:4: warning: location: " in diags[0] and "point with no name" in diags[0]
    doc, diags = _parsed('location: [Hama, "2024", "95, 200", Aden]')
    assert diags == [] and [loc.name for loc in doc.locations] == ["Hama", "2024", "95, 200", "Aden"]


def test_an_unknown_key_or_a_bad_pair_in_a_location_is_reported_at_its_line() -> None:
    _, diags = _parsed("location: {name: Aden, lat: 12.8, lon: 45, zoom: 3}")
    assert diags == ["content/articles/a.md:4: warning: location: unknown key 'zoom' in a location; expected name, lat, lon"]
    doc, diags = _parsed('location: {name: Aden, coordinates: "north"}')
    assert diags == ["content/articles/a.md:4: location.coordinates: expected latitude and longitude such as "
                     "\"12.8, 45.0\", found 'north'"]


@pytest.mark.parametrize(("key", "hint"), [("permalink: /x/", "slug"), ("layout: post", "template"),
                                           ("keywords: war", "tags"), ("coordinates: [1, 2]", "lat")])
def test_keys_from_other_tools_get_a_hint(key: str, hint: str) -> None:
    _, diags = _parsed(key)
    assert len(diags) == 1 and f"did you mean '{hint}'?" in diags[0]


def test_names_parted_by_semicolons_are_several_and_a_quoted_name_stays_whole() -> None:
    doc, diags = _parsed('tags: Syria; Russia;air defence\nactors: [Russia; Turkey, "A; B"]')
    assert diags == []
    assert doc.tags == ("Syria", "Russia", "air defence") and doc.actors == ("Russia", "Turkey", "A; B")


def test_a_summary_written_in_markdown_is_shown_as_its_words() -> None:
    doc, diags = _parsed('summary: "Convoy **moved** north; see [the wire](https://x.org) and [[alpha|Alpha]]."')
    assert diags == [] and doc.summary == "Convoy moved north; see the wire and Alpha."
    doc, _ = _parsed("summary: snake_case stays, as does 2*3.")
    assert doc.summary == "snake_case stays, as does 2*3."


def test_actors_on_one_line_with_commas_are_several_and_a_bulleted_block_is_several_judgments() -> None:
    doc, diags = _parsed("actors: Russia, Turkey\nkey_judgments: |\n  - Russia will likely keep both bases.\n"
                         "  - A withdrawal is unlikely\n    before spring.")
    assert diags == []
    assert doc.actors == ("Russia", "Turkey")
    assert [(kj.text, kj.line) for kj in doc.key_judgments] == [
        ("Russia will likely keep both bases.", 6), ("A withdrawal is unlikely before spring.", 7)]


def test_a_source_written_as_a_web_address_is_its_own_link() -> None:
    doc, diags = _parsed("sources: [https://example.com/story, Reuters]")
    assert diags == []
    assert [(s.name, s.url) for s in doc.sources] == [("https://example.com/story", "https://example.com/story"),
                                                      ("Reuters", None)]


def test_confidence_as_analysts_write_it_is_a_level_and_a_range_is_its_lower_level_with_a_warning() -> None:
    for written, level, warned in [("High", "high", False), ("moderate confidence", "moderate", False),
                                   ("high (two sources)", "high", False), ("Medium", "moderate", True),
                                   ("hi", "high", True), ("Moderate-High", "moderate", True),
                                   ("low to moderate", "low", True), ("high/moderate", "moderate", True)]:
        doc, diags = _parsed(f"confidence: {written}")
        assert doc.confidence == level and len(diags) == int(warned), (written, diags)
        assert all(": warning: confidence: " in d for d in diags)
    assert "the lower of the two" in _parsed("confidence: moderate-high")[1][0]
    for wrong in ("3", "certain", "low-high-moderate"):
        doc, diags = _parsed(f"confidence: {wrong}")
        assert doc.confidence is None and "is not a confidence level" in diags[0], wrong
