"""Hostile and careless front matter and config: dates at the ends of the calendar, YAML that
nests, loops or overflows, and a missing colon, each reported as ``file:line: field: message``
(never a traceback), with the rest of the site still reporting its own problems."""

from __future__ import annotations

import json
from datetime import UTC
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from conftest import make_site, run_cli

from generator.config import parse_config
from generator.model.dates import DateValueError, parse_when
from generator.model.document import DocType
from generator.model.frontmatter import parse_document
from generator.yamltree import YamlSyntaxError, parse_mapping, plain

CONFIG = "title: T\nbase_url: https://example.org/\n"


def article(front: str, body: str = "Body.\n") -> str:
    """A content file with the given front matter lines."""
    return f"---\n{front}\n---\n{body}"


def parse(front: str, tz=UTC):
    """Parse an article's front matter; return (document, diagnostics as text)."""
    doc, diags = parse_document("content/articles/x.md", article(front), DocType.ARTICLE, "x", tz)
    return doc, [str(d) for d in diags]


# --- dates -----------------------------------------------------------------------------------

def test_a_date_before_year_one_is_an_error_naming_the_allowed_range():
    _, diags = parse("title: A\ndate: 0000-01-01")
    assert diags == ["content/articles/x.md:3: date: '0000-01-01': there is no year 0; "
                     "dates from 0001-01-01 to 9999-12-31 are supported, in UTC and in the site's timezone"]


@pytest.mark.parametrize("offset", ["+24:00", "-24:00", "+99:00", "+05:60"])
def test_an_offset_of_a_day_or_more_is_an_error_naming_the_allowed_offsets(offset):
    _, diags = parse(f"title: A\ndate: 2024-01-01T10:00{offset}")
    assert len(diags) == 1
    assert diags[0].startswith("content/articles/x.md:3: date: ")
    assert f"{offset} is not a UTC offset; expected -23:59 to +23:59" in diags[0]


@pytest.mark.parametrize("written", ["0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00"])
def test_a_date_that_leaves_the_calendar_in_utc_is_an_error_naming_the_allowed_range(written):
    with pytest.raises(DateValueError, match="out of range; dates from 0001-01-01 to 9999-12-31 are supported"):
        parse_when(written)


@pytest.mark.parametrize(("written", "zone"), [("9999-12-31 23:00", "America/New_York"), ("0001-01-01", "Asia/Tokyo"),
                                               ("9999-12-31T23:00Z", "Asia/Tokyo")])
def test_a_date_that_leaves_the_calendar_in_the_site_timezone_is_an_error(written, zone):
    with pytest.raises(DateValueError, match="out of range; .* in UTC and in the site's timezone"):
        parse_when(written, ZoneInfo(zone))


def test_a_late_date_in_a_timezone_ahead_of_utc_is_accepted_and_shown_in_utc():
    when = parse_when("9999-12-31", ZoneInfo("Pacific/Kiritimati"))
    assert when.rfc3339 == "9999-12-30T10:00:00Z"
    assert when.readable == "31 December 9999"


def test_an_early_date_is_written_with_a_four_digit_year_for_machines():
    when = parse_when("0001-01-01T12:00Z")
    assert when.rfc3339 == "0001-01-01T12:00:00Z"
    assert when.iso == "0001-01-01T12:00:00Z"


def test_an_out_of_range_event_date_is_an_error_on_the_event_line():
    _, diags = parse("title: A\ndate: 2024-01-01\nevents:\n  - title: E\n    date: 9999-12-31T23:59-01:00")
    assert diags == ["content/articles/x.md:6: events: '9999-12-31T23:59-01:00' is out of range; "
                     "dates from 0001-01-01 to 9999-12-31 are supported, in UTC and in the site's timezone"]


def _dates_site(tmp_path, timezone: str = "UTC"):
    return make_site(tmp_path, {
        "briefing.yaml": CONFIG + f"timezone: {timezone}\n",
        "content/articles/early.md": article(
            "title: Early\ndate: 0001-01-02\nupdated: 0001-01-02T00:00Z\n"
            "events:\n  - date: 0001-01-02T01:00+01:00\n    title: First"),
        "content/articles/late.md": article(
            "title: Late\ndate: 9999-12-30\nevents:\n  - date: 9999-12-30T23:00-00:59\n    title: Last"),
    })


@pytest.mark.parametrize("timezone", ["UTC", "Pacific/Kiritimati", "Pacific/Honolulu"])
def test_dates_at_both_ends_of_the_range_render_in_every_output(tmp_path, timezone):
    site = _dates_site(tmp_path, timezone)
    result = run_cli("build", "--source", site)
    assert result.code == 0, result.text
    out = site / "site"
    feed = ElementTree.parse(out / "feed.xml").getroot()
    stamps = [el.text for el in feed.iter() if el.tag.endswith(("updated", "published"))]
    assert stamps and all(len(s.split("-")[0]) == 4 for s in stamps), stamps
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    assert [el.text for el in sitemap.iter() if el.tag.endswith("lastmod")]
    timeline = json.loads((out / "timeline.json").read_text())
    years = sorted(e["start_date"]["year"] for e in timeline["events"])
    assert years[0] == 1 and years[-1] == 9999
    assert "Traceback" not in run_cli("check", "--source", site).text


def test_bad_dates_in_several_files_are_all_reported_by_build_and_check(tmp_path):
    site = make_site(tmp_path, {
        "briefing.yaml": CONFIG,
        "content/articles/a.md": article("title: A\ndate: 0000-01-01"),
        "content/articles/b.md": article("title: B\ndate: 2024-01-01T00:00+24:00"),
        "content/notes/c.md": article("title: C\ndate: 2024-01-01\nevents:\n  - date: 0001-01-01T00:00+01:00\n"
                                      "    title: E"),
        "content/articles/fine.md": article("title: Fine\ndate: 2024-01-01"),
    })
    for command in ("build", "check"):
        result = run_cli(command, "--source", site)
        assert result.code == 1
        assert "Traceback" not in result.text
        assert "content/articles/a.md:3: date:" in result.text
        assert "content/articles/b.md:3: date:" in result.text
        assert "content/notes/c.md:5: events:" in result.text


# --- YAML --------------------------------------------------------------------------------------

def test_a_list_nested_500_deep_is_an_error_naming_the_key_and_the_limit():
    _, diags = parse("title: A\ndate: 2024-01-01\ntags: " + "[" * 500 + "]" * 500)
    assert diags == ["content/articles/x.md:4: front matter: 'tags' nests lists or mappings more than "
                     "50 levels deep"]


def test_block_lists_nested_thousands_deep_are_an_error_not_a_crash():
    deep = "".join("  " * i + "-\n" for i in range(3000))
    _, diags = parse("title: A\ndate: 2024-01-01\ntags:\n" + deep)
    assert len(diags) == 1 and "nested" in diags[0] and "front matter" in diags[0]


def test_a_self_referencing_alias_in_front_matter_is_an_error_on_its_line():
    _, diags = parse("title: A\ndate: 2024-01-01\nloop: &a [*a]")
    assert len(diags) == 1
    assert diags[0].startswith("content/articles/x.md:4: front matter: 'loop' contains itself through an alias")


def test_a_self_referencing_alias_in_the_config_is_an_error_on_its_line():
    _, diags = parse_config("title: T\nparams: &p {me: *p}\n")
    assert [str(d) for d in diags] == [
        "briefing.yaml:2: config: 'params' contains itself through an alias (an &anchor used as *anchor "
        "inside its own value); a value cannot contain itself"]


def test_an_alias_used_twice_side_by_side_is_not_a_loop():
    doc = parse_mapping("a: &x [1, 2]\nb: [*x, *x]\n")
    assert plain(doc.values["b"]) == [[1, 2], [1, 2]]


def test_a_number_too_long_for_python_stays_text_in_page_meta():
    digits = "9" * 4301
    doc, diags = parse(f"title: A\ndate: 2024-01-01\nbig: {digits}")
    assert diags == [] and doc is not None
    assert doc.meta["big"] == digits


def test_a_number_too_long_for_python_in_the_config_is_reported_shortened():
    _, diags = parse_config("home_limit: " + "9" * 4301 + "\n")
    assert len(diags) == 1
    message = str(diags[0])
    assert message.startswith("briefing.yaml:1: home_limit: expected a whole number, found '999")
    assert len(message) < 200


def test_a_key_named_like_the_internal_line_marker_is_the_authors_own():
    doc, diags = parse("title: A\ndate: 2024-01-01\n__line__: mine\nsource:\n  name: S\n  __line__: abc")
    assert doc is not None and doc.meta["__line__"] == "mine"
    assert doc.source is not None and doc.source.name == "S"
    assert diags == ["content/articles/x.md:7: warning: source.__line__: unknown key; "
                     "expected one of name, url, accessed, reliability, credibility, grade"]


def test_a_missing_colon_is_reported_on_its_own_line_in_plain_words():
    _, diags = parse("title: A\ndate: 2024-01-01\ntitle M\nsummary: s")
    assert diags == ["content/articles/x.md:4: front matter: expected 'key: value', found 'title M' without a "
                     "':' after the key (a value continued on another line must be indented under its key)"]


def test_a_missing_colon_in_the_config_is_reported_on_its_own_line():
    _, diags = parse_config("title: T\nbase_url https://example.org/\ntheme: default\n")
    assert len(diags) == 1
    assert str(diags[0]).startswith("briefing.yaml:2: config: expected 'key: value', found 'base_url https://")


def test_yaml_nested_beyond_libyamls_own_limit_is_a_plain_error():
    with pytest.raises(YamlSyntaxError, match="nested too deeply"):
        parse_mapping("a: " + "[" * 20000 + "]" * 20000)


def test_hostile_yaml_in_front_matter_and_config_fails_the_cli_with_messages_not_tracebacks(tmp_path):
    site = make_site(tmp_path, {
        "briefing.yaml": CONFIG + "params: &p [*p]\n",
        "content/articles/a.md": article("title: A\ndate: 2024-01-01\ntags: " + "[" * 500 + "]" * 500),
        "content/articles/b.md": article("title: B\ndate: 2024-01-01\nx: &a [*a]"),
        "content/articles/c.md": article("title: C\ndate: 2024-01-01\ntitle M"),
    })
    result = run_cli("build", "--source", site)
    assert result.code == 1
    assert "Traceback" not in result.text
    assert "briefing.yaml:3: config:" in result.text
    assert "content/articles/a.md:4: front matter:" in result.text
    assert "content/articles/b.md:4: front matter:" in result.text
    assert "content/articles/c.md:4: front matter: expected 'key: value'" in result.text


# --- time ------------------------------------------------------------------------------------

def _parse_seconds(count: int) -> float:
    """The best of three timings of parsing front matter with ``count`` items in every list."""
    import gc
    import time

    front = ("title: A\ndate: 2024-01-01\nabout:\n" + "".join(f"  - target-{i}\n" for i in range(count))
             + "related: [" + ", ".join(f"r{i}" for i in range(count)) + "]\n"
             + "tags: [" + ", ".join(f"t{i}" for i in range(count)) + "]\n")
    best = float("inf")
    gc.collect()
    gc.disable()  # the collector's pauses are not the parser's time
    try:
        for _ in range(3):
            start = time.perf_counter()
            doc, diags = parse_document("content/articles/x.md", f"---\n{front}---\n", DocType.ARTICLE, "x")
            best = min(best, time.perf_counter() - start)
            assert doc is not None and len(doc.about) == count and not diags
    finally:
        gc.enable()
    return best


def test_thousands_of_about_entries_parse_in_time_linear_in_their_number():
    small, double = _parse_seconds(3000), _parse_seconds(6000)
    assert double < 3 * small + 0.05, (small, double)  # quadratic would be 4x


def test_a_source_date_epoch_beyond_the_year_9999_is_a_one_line_usage_error(tmp_path, monkeypatch):
    site = make_site(tmp_path, {"briefing.yaml": CONFIG, "content/articles/a.md": article("title: A\ndate: 2024-01-01")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "999999999999999")
    result = run_cli("build", "--source", site)
    assert result.code == 2
    assert result.text.strip() == ("SOURCE_DATE_EPOCH=999999999999999: not a time this tool can show; "
                                   "expected seconds since 1970 before the year 10000")


@pytest.mark.parametrize(("front", "expected"), [
    ("title: A\n" + "k" * 2000 + ": x",
     "content/articles/x.md:3: front matter: expected 'key: value', found '" + "k" * 57
     + "...': a key may be at most 1024 characters long"),
    ("title: 'unclosed\ndate: 2024-01-01",
     "content/articles/x.md:2: front matter: a quote opened here is never closed; close it on the same value, "
     "or write the value without quotes"),
    ("title: A\n- x",
     "content/articles/x.md:3: front matter: expected 'key: value', found '- x' (a list item must be indented "
     "under its key)"),
])
def test_yaml_mistakes_are_reported_on_their_line_in_plain_words(front, expected):
    _, diags = parse(front)
    assert diags == [expected]
