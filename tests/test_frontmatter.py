"""Front matter: every field of the contract parsed, normalised and validated with its line."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import ARTICLE, BASIC_SITE, build, make_site, page

from generator.errors import Diagnostic
from generator.model.document import DocType, Document, Location
from generator.model.frontmatter import normalise_text, parse_document

PATH = "content/articles/x.md"
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): (?:warning: )?(?P<field>[\w ]+): (?P<message>.+)$")


def parse(yaml: str, body: str = "Body.\n", doc_type: DocType = DocType.ARTICLE,
          tz=UTC) -> tuple[Document | None, list[Diagnostic]]:
    """Parse ``---\\nYAML---\\nBODY`` as a content file."""
    return parse_document(PATH, f"---\n{yaml}---\n{body}", doc_type, "x", tz)


def ok(yaml: str, **kwargs) -> Document:
    """Parse and insist on no errors (warnings allowed)."""
    doc, diags = parse(yaml, **kwargs)
    errors = [d for d in diags if d.is_error]
    assert not errors, [str(d) for d in errors]
    assert doc is not None
    return doc


def only_error(yaml: str, **kwargs) -> Diagnostic:
    """Parse and insist on exactly one error; return it."""
    _, diags = parse(yaml, **kwargs)
    errors = [d for d in diags if d.is_error]
    assert len(errors) == 1, [str(d) for d in diags]
    return errors[0]


BASE = "title: A title\ndate: 2024-12-06\n"


# -- every field ------------------------------------------------------------------------------

def test_title_and_date_parsed():
    doc = ok(BASE)
    assert doc.title == "A title"
    assert doc.when.iso == "2024-12-06"
    assert doc.when.precision == "day"
    assert doc.type is DocType.ARTICLE


def test_date_time_without_zone_is_utc():
    doc = ok("title: T\ndate: 2024-12-06T14:30:00\n")
    assert doc.when.moment == datetime(2024, 12, 6, 14, 30, tzinfo=UTC)
    assert doc.when.iso == "2024-12-06T14:30:00Z"


def test_date_time_with_offset_is_converted_to_utc_for_machines():
    doc = ok("title: T\ndate: 2024-12-06 16:30+02:00\n")
    assert doc.when.iso == "2024-12-06T14:30:00Z"


def test_date_time_without_zone_uses_the_site_timezone():
    doc = ok("title: T\ndate: 2024-12-06 14:30\n", tz=ZoneInfo("Europe/Berlin"))
    assert doc.when.iso == "2024-12-06T13:30:00Z"


def test_updated_parsed():
    doc = ok(BASE + "updated: 2024-12-09\n")
    assert doc.updated.iso == "2024-12-09"


def test_summary_given_is_kept_verbatim():
    doc = ok(BASE + "summary: Short <b>summary</b>.\n")
    assert doc.summary == "Short <b>summary</b>."
    assert doc.summary_given


@pytest.mark.parametrize(("yaml", "expected"), [
    ("location: Hama\n", (Location("Hama"),)),
    ("location: [Hama, Tartus]\n", (Location("Hama"), Location("Tartus"))),
    ("location: {name: Hama, lat: 35.13, lon: 36.75}\n", (Location("Hama", 35.13, 36.75),)),
    ("location:\n  - name: Hama\n    lat: 35.13\n    lon: 36.75\n  - Tartus\n",
     (Location("Hama", 35.13, 36.75), Location("Tartus"))),
], ids=["string", "list", "mapping", "list-of-mappings-and-strings"])
def test_location_forms_normalise_to_a_list_of_locations(yaml, expected):
    assert ok(BASE + yaml).locations == expected


def test_location_latitude_out_of_range_is_an_error_on_its_line():
    err = only_error(BASE + "location:\n  - name: Hama\n    lat: 135\n    lon: 36\n")
    assert (err.field, err.line) == ("location.lat", 6)  # the line of 'lat: 135'
    assert "out of range" in err.message


def test_a_coordinate_out_of_range_is_one_error_naming_it_and_no_warning_that_one_is_missing():
    for yaml, field in (("location: {name: Hmeimim, lat: 95, lon: 35.9}\n", "location.lat"),
                        ("location: {name: Hmeimim, lat: 35.4, lon: 190}\n", "location.lon")):
        doc, diags = parse(BASE + yaml)
        assert [(d.field, d.is_error) for d in diags] == [(field, True)], [str(d) for d in diags]
    doc, diags = parse(BASE + "location: {name: Hmeimim, lat: 35.4}\n")
    assert [str(d) for d in diags] == [f"{PATH}:4: warning: location: Hmeimim: give both lat and lon, or neither"]
    assert doc is not None and doc.locations == (Location("Hmeimim"),)


@pytest.mark.parametrize("key", ["actors", "tags"])
def test_single_string_becomes_a_list(key):
    doc = ok(BASE + f"{key}: Russia\n")
    assert getattr(doc, key) == ("Russia",)


def test_actors_list_kept_in_order():
    assert ok(BASE + "actors: [Turkey, Russia, Syrian rebels]\n").actors == ("Turkey", "Russia", "Syrian rebels")


def test_yaml_lookalike_tags_stay_text():
    doc = ok(BASE + "tags: [NO, on, 1.0, yes, 012, null-island, 1e3, 'true']\n")
    assert doc.tags == ("NO", "on", "1.0", "yes", "012", "null-island", "1e3", "true")


def test_yaml_lookalike_title_stays_text():
    assert ok("title: NO\ndate: 2024-12-06\n").title == "NO"
    assert ok("title: 1.10\ndate: 2024-12-06\n").title == "1.10"


@pytest.mark.parametrize("word", ["low", "moderate", "high", "HIGH", "Moderate"])
def test_confidence_any_case(word):
    assert ok(BASE + f"confidence: {word}\n").confidence == word.lower()


def test_source_plain_name_with_source_url():
    doc = ok(BASE + "source: Example Wire\nsource_url: https://example.com/a\n")
    assert (doc.source.name, doc.source.url, doc.source.grading) == ("Example Wire", "https://example.com/a", "")


def test_source_mapping_with_admiralty_grading():
    doc = ok(BASE + "source:\n  name: Wire\n  url: https://example.com/\n  reliability: b\n  credibility: 2\n")
    assert doc.source.name == "Wire"
    assert doc.source.url == "https://example.com/"
    assert (doc.source.reliability, doc.source.credibility, doc.source.grading) == ("B", "2", "B2")
    assert doc.source.reliability_text == "Usually reliable"
    assert doc.source.credibility_text == "Probably true"


def test_about_and_related_are_references_with_anchors_and_lines():
    doc = ok(BASE + "about: [first-report]\nrelated:\n  - other\n  - third#section\n")
    assert [(r.target, r.kind, r.line) for r in doc.about] == [("first-report", "about", 4)]
    assert [(r.target, r.anchor, r.line) for r in doc.related] == [("other", "", 6), ("third", "section", 7)]


def test_events_parsed_with_locations_and_actors():
    doc = ok(BASE + "events:\n  - date: 2024-12-01\n    title: Convoy seen\n    location: Hama\n"
                    "    actors: [Russia]\n")
    (event,) = doc.events
    assert (event.when.iso, event.title, event.locations, event.actors) == (
        "2024-12-01", "Convoy seen", (Location("Hama"),), ("Russia",))


@pytest.mark.parametrize(("word", "expected"), [("true", True), ("yes", True), ("false", False)])
def test_draft_flag(word, expected):
    assert ok(BASE + f"draft: {word}\n").draft is expected


def test_slug_overrides_file_name():
    assert ok(BASE + "slug: my-own-slug\n").slug == "my-own-slug"


@pytest.mark.parametrize(("word", "expected"), [
    ("TLP:CLEAR", "TLP:CLEAR"), ("TLP:GREEN", "TLP:GREEN"), ("tlp:amber", "TLP:AMBER"),
    ("TLP:AMBER+STRICT", "TLP:AMBER+STRICT"), ("TLP:RED", "TLP:RED"),
])
def test_marking_tlp_2(word, expected):
    assert ok(BASE + f"marking: {word}\n").marking == expected


def test_type_in_front_matter_overrides_folder():
    assert ok(BASE + "type: note\n").type is DocType.NOTE


def test_unknown_keys_are_kept_as_meta():
    doc, diags = parse(BASE + "analyst: Jane Doe\nreviewed: true\n")
    assert doc.meta == {"analyst": "Jane Doe", "reviewed": True}
    assert diags == []


def test_page_without_date_is_fine():
    doc = ok("title: About\n", doc_type=DocType.PAGE)
    assert doc.when is None


# -- errors -----------------------------------------------------------------------------------

def test_diagnostic_prints_as_file_line_field_message():
    err = only_error(BASE + "confidence: certain\n")
    match = DIAGNOSTIC.match(str(err))
    assert match, str(err)
    assert match["file"] == PATH
    assert match["line"] == "4"
    assert match["field"] == "confidence"


def test_a_confidence_that_is_no_level_is_an_error_naming_the_allowed_values():
    err = only_error(BASE + "confidence: certain\n")
    assert (err.field, err.line) == ("confidence", 4)
    for level in ("low", "moderate", "high"):
        assert level in err.message
    assert "certain" in err.message


def test_impossible_date_is_an_error_not_a_crash():
    err = only_error("title: T\ndate: 2024-02-30\n")
    assert (err.field, err.line) == ("date", 3)
    assert "2024-02-30" in err.message


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-12-06T25:00", "[2024]"])
def test_bad_dates_are_errors_on_the_date_line(value):
    err = only_error(f"title: T\ndate: {value}\n")
    assert (err.field, err.line) == ("date", 3)


def test_bad_updated_is_an_error_on_its_line():
    err = only_error(BASE + "updated: 2023-02-29\n")
    assert (err.field, err.line) == ("updated", 4)


def test_invalid_marking_names_the_tlp_levels():
    err = only_error(BASE + "marking: SECRET\n")
    assert (err.field, err.line) == ("marking", 4)
    assert "TLP:CLEAR" in err.message and "TLP:RED" in err.message


@pytest.mark.parametrize(("yaml", "line", "needle"), [
    ("source:\n  name: Wire\n  reliability: G\n  credibility: 2\n", 6, "A-F"),
    ("source:\n  name: Wire\n  reliability: B\n  credibility: 7\n", 7, "1-6"),
    ("source:\n  name: Wire\n  reliability: B\n  credibility: 0\n", 7, "1-6"),
])
def test_admiralty_grading_is_validated(yaml, line, needle):
    err = only_error(BASE + yaml)
    assert err.field in ("source.reliability", "source.credibility")
    assert err.line == line
    assert needle in err.message


def test_source_mapping_without_a_name_or_web_address_is_an_error():
    err = only_error(BASE + "source:\n  url: /files/report.pdf\n  accessed: 2024-12-06\n")
    assert err.field == "source.name"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url"])
def test_source_url_must_be_a_url(url):
    err = only_error(BASE + f"source: Wire\nsource_url: '{url}'\n")
    assert (err.field, err.line) == ("source_url", 5)


def test_duplicate_key_is_an_error_on_the_second_line():
    err = only_error("title: One\ndate: 2024-12-06\ntitle: Two\n")
    assert (err.field, err.line) == ("title", 4)
    assert "twice" in err.message


def test_unclosed_front_matter_is_an_error():
    _, diags = parse_document(PATH, "---\ntitle: T\n\ndate: 2024-12-06\n", DocType.ARTICLE, "x")
    assert len(diags) == 1
    assert diags[0].is_error and diags[0].line == 1
    assert "never closed" in diags[0].message
    # fields, a blank line, then text that is no field: read up to the blank line, with a warning
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\n\nBody text\n", DocType.ARTICLE, "x")
    assert doc.title == "T" and [(d.line, d.is_error) for d in diags] == [(4, False)]


def test_yaml_syntax_error_reports_the_line_in_the_file():
    # line 1 is '---', so the bad line 'actors: [a, b' is line 4 and YAML notices at line 5
    _, diags = parse("title: T\ndate: 2024-12-06\nactors: [a, b\ntags: x\n")
    (err,) = diags
    assert err.field == "front matter"
    assert err.line in (4, 5)


def test_yaml_syntax_error_on_a_colon_in_a_value_points_at_that_line():
    _, diags = parse("title: T\ndate: 2024-12-06\nconfidence: high\nmarking: TLP: RED\n")
    (err,) = diags
    assert err.line == 5
    assert "quoted" in err.message  # says how to fix it
    _, diags = parse("title: T\ndate: 2024-12-06\nsummary: Russia: a new base\n")  # a line of text: read whole
    assert [(d.line, d.is_error) for d in diags] == [(4, False)]


def test_front_matter_that_is_not_a_mapping_is_an_error():
    _, diags = parse("- a\n- b\n")
    assert diags and diags[0].is_error


@pytest.mark.parametrize("doc_type", [DocType.ARTICLE, DocType.NOTE, DocType.PAGE])
def test_missing_title_is_an_error(doc_type):
    doc, diags = parse("date: 2024-12-06\n", doc_type=doc_type)
    assert doc is None
    assert [(d.field, d.is_error) for d in diags] == [("title", True)]


@pytest.mark.parametrize("doc_type", [DocType.ARTICLE, DocType.NOTE])
def test_missing_date_is_an_error_on_articles_and_notes(doc_type):
    _, diags = parse("title: T\n", doc_type=doc_type)
    assert [(d.field, d.is_error) for d in diags] == [("date", True)]


def test_empty_title_is_an_error_on_its_line():
    err = only_error("title:\ndate: 2024-12-06\n")
    assert (err.field, err.line) == ("title", 2)


def test_missing_front_matter_on_an_article_is_an_error():
    doc, diags = parse_document(PATH, "Just a body.\n", DocType.ARTICLE, "x")
    assert doc is None
    assert diags[0].is_error and diags[0].field == "front matter"


@pytest.mark.parametrize(("key", "suggestion"), [("tag", "tags"), ("actor", "actors"), ("confidance", "confidence")])
def test_typo_of_a_known_key_warns_with_did_you_mean(key, suggestion):
    doc, diags = parse(BASE + f"{key}: x\n")
    (warn,) = diags
    assert not warn.is_error
    assert (warn.field, warn.line) == (key, 4)
    assert f"did you mean '{suggestion}'" in warn.message
    assert doc.meta[key] == "x"  # still kept for templates


def test_every_error_of_a_file_is_reported_not_only_the_first():
    _, diags = parse("title: T\ndate: 2024-02-30\nconfidence: certain\nmarking: SECRET\n"
                     "source:\n  name: W\n  reliability: Z\n")
    assert sorted(d.field for d in diags if d.is_error) == ["confidence", "date", "marking", "source.reliability"]
    assert sorted(d.line for d in diags) == [3, 4, 5, 8]


def test_bad_event_date_is_an_error_on_the_event_line():
    err = only_error(BASE + "events:\n  - date: 2024-11-31\n    title: E\n")
    assert (err.field, err.line) == ("events", 5)


def test_event_without_title_is_an_error():
    err = only_error(BASE + "events:\n  - date: 2024-11-30\n")
    assert err.field == "events"


# -- encodings and line endings ---------------------------------------------------------------

def test_bom_and_crlf_are_normalised():
    raw = "\ufeff---\r\ntitle: T\r\ndate: 2024-12-06\r\n---\r\nBody\r\n".encode()
    assert normalise_text(raw) == "---\ntitle: T\ndate: 2024-12-06\n---\nBody\n"


def test_non_utf8_raises_for_the_build_to_report():
    with pytest.raises(UnicodeDecodeError):
        normalise_text("title: caf\u00e9".encode("latin-1"))


# -- through a real build ---------------------------------------------------------------------

def test_files_with_bom_and_crlf_build(tmp_path):
    text = ARTICLE.replace("\n", "\r\n")
    site = make_site(tmp_path, {
        "content/articles/crlf.md": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "content/articles/cr.md": ARTICLE.replace("Hmeimim\n", "Hmeimim again\n", 1)
        .replace("\n", "\r").encode("utf-8"),
    })
    result = build(site)
    assert result.code == 0, result.text
    html = page(site / "site", "articles/crlf/")
    assert html.h1 == "Russia moves air defence to Hmeimim"
    assert "\r" not in (site / "site/articles/crlf/index.html").read_text(encoding="utf-8")
    assert page(site / "site", "articles/cr/").h1 == "Russia moves air defence to Hmeimim again"


def test_non_utf8_file_is_one_clear_error_naming_it(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/latin.md": "---\ntitle: \u0420\u043e\u0441\u0441\u0438\u044f\n"
                                                             "date: 2024-12-06\n---\n".encode("cp1251")})
    result = build(site)
    assert result.code == 1
    assert "Traceback" not in result.text
    lines = [line for line in result.err.splitlines() if "latin.md" in line]
    assert len(lines) == 1
    assert lines[0].startswith("content/articles/latin.md:2: ")
    assert "UTF-8" in lines[0]


def test_all_errors_of_a_build_are_printed_together_and_exit_1(tmp_path):
    site = make_site(tmp_path, {
        **BASIC_SITE,
        "content/articles/a.md": "---\ntitle: A\ndate: 2024-02-30\n---\nA\n",
        "content/articles/b.md": "---\ntitle: B\ndate: 2024-12-06\nconfidence: certain\n---\nB\n",
        "content/notes/c.md": "---\ndate: 2024-12-06\n---\nC\n",
        "content/notes/d.md": "---\ntitle: D\ndate: 2024-12-06\nmarking: TLP:PINK\n---\nD\n",
    })
    result = build(site)
    assert result.code == 1
    assert "Traceback" not in result.text
    printed = [line for line in result.err.splitlines() if DIAGNOSTIC.match(line)]
    assert {line.split(":")[0] for line in printed} == {
        "content/articles/a.md", "content/articles/b.md", "content/notes/c.md", "content/notes/d.md"}
    assert "content/articles/a.md:3: date: " in result.err
    assert "content/articles/b.md:4: confidence: " in result.err
    assert "content/notes/c.md:1: title: " in result.err
    assert "content/notes/d.md:4: marking: " in result.err
    assert not (site / "site").exists()


def test_typo_warning_is_printed_but_the_build_succeeds(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/t.md": "---\ntitle: T\ndate: 2024-12-06\ntag: x\n---\nT\n"})
    result = build(site)
    assert result.code == 0, result.text
    assert "content/articles/t.md:4: warning: tag: unknown key; did you mean 'tags'?" in result.err


def test_typo_warning_fails_the_build_with_strict(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/t.md": "---\ntitle: T\ndate: 2024-12-06\ntag: x\n---\nT\n"})
    assert build(site, "--strict").code == 1


def test_unknown_keys_reach_templates_as_page_meta(tmp_path):
    site = make_site(tmp_path, {
        **BASIC_SITE,
        "content/articles/m.md": "---\ntitle: M\ndate: 2024-12-06\nanalyst: Jane <Doe>\n---\nM\n",
        "templates/article.html": '{% extends "document.html" %}{% block head %}'
                                  '<meta name="analyst" content="{{ page.meta.analyst|default("") }}">'
                                  '{% endblock %}',
    })
    result = build(site)
    assert result.code == 0, result.text
    html = page(site / "site", "articles/m/")
    assert html.one("meta", name="analyst").get("content") == "Jane <Doe>"


def test_nested_yaml_aliases_cannot_hang_the_build():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):  # 9**9 values if expanded
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    doc, diags = parse("title: T\ndate: 2024-12-06\n" + "\n".join(lines) + "\n")
    assert doc is None
    (err,) = diags
    assert err.is_error and "expands to more than" in err.message
    assert 4 <= err.line <= 12


def test_a_yaml_alias_of_a_small_value_is_fine():
    doc = ok("title: &t Same words\ndate: 2024-12-06\nsummary: *t\n")
    assert doc.summary == "Same words"


def test_a_tab_in_the_indentation_is_reported_as_such_on_its_line() -> None:
    diag = only_error("title: Tabs\ndate: 2024-03-03\ntags:\n\t- drones\n")
    assert diag.line == 5  # the file's line: the opening --- is line 1
    assert "tab" in diag.message and "spaces" in diag.message


def test_an_update_dated_before_the_document_is_a_warning_on_its_line():
    doc, diags = parse(BASE + "updated: 2024-12-01\n")
    assert doc is not None
    assert [str(d) for d in diags] == [f"{PATH}:4: warning: updated: 2024-12-01 is before the date, 2024-12-06; "
                                       "expected when the document last changed, on or after its date"]
    assert parse(BASE + "updated: 2024-12-06T09:00\n")[1] == []


@pytest.mark.parametrize("written", ["High confidence", "moderate  Confidence", "LOW"])
def test_a_confidence_level_written_with_the_word_confidence_is_that_level(written):
    assert ok(BASE + f"confidence: {written}\n").confidence == written.split()[0].lower()
