"""The ``sources:`` list of front matter: its shape, the single ``source:`` as a list of one,
per-item errors (``sources[i].field``, every one of them), and the basis check reading all sources."""

from __future__ import annotations

import re

from conftest import build, make_site

from generator.errors import Diagnostic
from generator.model.document import DocType, Document
from generator.model.frontmatter import parse_document

PATH = "content/articles/x.md"
BASE = "title: A title\ndate: 2024-12-06\n"
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): (?:warning: )?(?P<field>[^:]+): (?P<message>.+)$")


def parse(yaml: str) -> tuple[Document | None, list[Diagnostic]]:
    return parse_document(PATH, f"---\n{BASE}{yaml}---\nBody.\n", DocType.ARTICLE, "x")


def ok(yaml: str) -> Document:
    doc, diags = parse(yaml)
    assert not [d for d in diags if d.is_error], [str(d) for d in diags]
    assert doc is not None
    return doc


def errors(yaml: str) -> list[Diagnostic]:
    return [d for d in parse(yaml)[1] if d.is_error]


TWO = """sources:
  - name: Defence Blog
    url: https://defence-blog.com/
    accessed: 2024-12-06
    reliability: C
    credibility: 3
  - name: Reuters
    grade: B2
"""


def test_a_sources_list_keeps_every_source_in_order_with_its_fields():
    doc = ok(TWO)
    assert [s.name for s in doc.sources] == ["Defence Blog", "Reuters"]
    first, second = doc.sources
    assert (first.url, first.accessed, first.grading) == ("https://defence-blog.com/", "2024-12-06", "C3")
    assert (second.reliability, second.credibility, second.url, second.accessed) == ("B", "2", None, None)
    assert doc.source == first  # the first, for templates written for one source


def test_the_single_source_is_a_list_of_one():
    doc = ok("source:\n  name: Wire\n  url: https://example.com/\n  reliability: B\n  credibility: 2\n")
    assert [(s.name, s.grading) for s in doc.sources] == [("Wire", "B2")]
    assert ok("source: Plain Name\n").sources[0].name == "Plain Name"
    assert ok("source: Wire\nsource_url: https://example.com/a\n").sources[0].url == "https://example.com/a"


def test_names_alone_and_the_short_admiralty_form_are_accepted():
    doc = ok("sources: [Reuters, {name: AP, reliability: a1}]\n")
    assert [(s.name, s.grading) for s in doc.sources] == [("Reuters", ""), ("AP", "A1")]


def test_a_line_of_names_is_one_source_each_unless_quoted_or_an_address():
    assert [s.name for s in ok("sources: Reuters, AP, 'BBC'\n").sources] == ["Reuters", "AP", "BBC"]
    assert [s.name for s in ok("sources: 'Reuters, London'\n").sources] == ["Reuters, London"]
    assert [s.name for s in ok("source: Reuters, AP\n").sources] == ["Reuters, AP"]  # one source, as written
    assert [s.url for s in ok("sources: https://x.org/a,b\n").sources] == ["https://x.org/a,b"]


def test_a_source_given_by_its_address_alone_is_named_by_its_site_with_a_warning():
    doc, diags = parse("sources:\n  - url: https://www.defence-blog.com/news/x\n  - {url: /files/r.pdf}\n")
    assert doc is not None and [(s.name, s.url) for s in doc.sources] == [
        ("defence-blog.com", "https://www.defence-blog.com/news/x")]
    assert [(d.line, d.field, d.is_error) for d in diags] == [(5, "sources[1].name", False),
                                                              (6, "sources[2].name", True)]
    assert "named 'defence-blog.com' from its address" in diags[0].message


def test_the_same_source_twice_in_one_document_counts_once():
    doc = ok("sources:\n  - name: Reuters\n  - name: '  reuters '\n")
    assert [s.name for s in doc.sources] == ["Reuters"]


def test_every_bad_field_is_reported_with_its_index_line_and_what_was_expected():
    found = errors("sources:\n"
                   "  - name: Wire\n"            # line 5
                   "    reliability: G\n"        # line 6
                   "    credibility: 7\n"        # line 7
                   "    url: not a url\n"        # line 8
                   "    accessed: yesterday\n"   # line 9
                   "  - accessed: 2024-12-01\n")  # line 10: no name
    got = sorted((d.line, d.field) for d in found)
    assert got == [(6, "sources[1].reliability"), (7, "sources[1].credibility"), (8, "sources[1].url"),
                   (9, "sources[1].accessed"), (10, "sources[2].name")]
    by_field = {d.field: d.message for d in found}
    assert "A-F" in by_field["sources[1].reliability"]
    assert "1-6" in by_field["sources[1].credibility"]
    assert "expected https://" in by_field["sources[1].url"]
    assert "expected a date" in by_field["sources[1].accessed"]
    assert "missing" in by_field["sources[2].name"]
    for d in found:
        match = DIAGNOSTIC.match(str(d))
        assert match is not None and match["file"] == PATH, str(d)


def test_a_bad_short_grade_is_reported_under_the_key_it_was_written_in():
    found = errors("sources:\n  - name: Wire\n    grade: Z9\n")
    assert sorted(d.field for d in found) == ["sources[1].grade", "sources[1].grade"]


def test_unknown_keys_in_a_source_are_warnings_naming_the_known_ones():
    _, diags = parse("sources:\n  - name: Wire\n    reliabilty: B\n")
    warned = [d for d in diags if not d.is_error]
    assert [(d.field, d.line) for d in warned] == [("sources[1].reliabilty", 6)]
    assert "reliability" in warned[0].message


def test_a_nested_list_or_empty_item_is_an_error():
    assert [d.field for d in errors("sources:\n  - [a, b]\n")] == ["sources[1]"]
    assert [d.field for d in errors("sources:\n  - ''\n")] == ["sources[1]"]


def test_sources_is_no_longer_taken_for_a_typo_of_source():
    _, diags = parse("sources: [Reuters]\n")
    assert diags == []


HIGH = """---
title: Held high
date: 2024-12-06
confidence: high
sources:
  - {name: Strong Wire, reliability: A, credibility: 1}
  - {name: Rumour Mill, reliability: E, credibility: 5}
---
Text.
"""


def test_the_confidence_basis_check_reads_every_source(tmp_path):
    site = make_site(tmp_path, {"briefing.yaml": "title: T\n", "content/articles/high.md": HIGH})
    run = build(site, "--strict")
    assert run.code == 0, run.text  # one strong source is a basis
    weak = HIGH.replace("{name: Strong Wire, reliability: A, credibility: 1}",
                        "{name: Weak Wire, reliability: D, credibility: 4}")
    (site / "content/articles/high.md").write_text(weak, encoding="utf-8")
    run = build(site, "--strict")
    assert run.code != 0
    assert "Weak Wire, D4" in run.text and "Rumour Mill, E5" in run.text


def test_frozen_front_matter_values_survive_pickling_and_copying_unchanged() -> None:
    # Places, sources, events, key judgments and links are pickled as a call of their class
    # with their fields (a resumed build loads tens of thousands of them): every field comes back.
    import copy
    import pickle

    from generator.model.dates import parse_when
    from generator.model.document import Event, KeyJudgment, LinkRef, Location, Source

    when = parse_when("2024-12-06")
    values = [Location("Aden", 12.8, 45.0), Location("Nowhere"),
              Source("Wire", "https://example.org/", "B", "2", "2024-12-01"), Source("Note"),
              Event(when, "Talks", (Location("Aden"),), ("Houthis",), 7),
              KeyJudgment("It will rain", "high", "likely", 3, (1, 2, 1, 14), None),
              LinkRef("aden", "history", "Aden", 4, "related")]
    for value in values:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(value, protocol=protocol))
            assert back == value and type(back) is type(value)
        assert copy.copy(value) == value and copy.deepcopy(value) == value
