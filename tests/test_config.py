"""Site configuration: every key optional, unknown keys and wrong types reported with lines."""

from __future__ import annotations

from dataclasses import fields

import pytest
from conftest import BASIC_SITE, build, make_site, page

from generator.config import SiteConfig, parse_config


def test_every_key_is_optional():
    config, diags = parse_config("")
    assert diags == []
    assert config == SiteConfig()


def test_a_comment_only_file_is_an_empty_config():
    config, diags = parse_config("# nothing set yet\n")
    assert (config, diags) == (SiteConfig(), [])


def test_every_documented_key_is_accepted():
    text = (
        "title: Brief\ndescription: About things\nauthor: Desk\nbase_url: https://example.org/b/\n"
        "language: de\ntheme: default\ntimezone: Europe/Berlin\noutput: public\ncontent_dir: content\n"
        "cache_dir: .cache\nhome_limit: 3\nfeed_limit: 20\nrelated_limit: 4\npaginate: 15\nfingerprint_assets: false\n"
        "show_build_time: false\nsearch: no\nstrict: yes\nmarking: tlp:green\naudience: TLP:AMBER+STRICT\n"
        "params:\n  colour: blue\npublish:\n  target: git:gh-pages\n"
        "likelihood_scale: house\nlikelihood_scales:\n  house:\n    - likely: 60-90\n"
        "source_aliases:\n  Reuters: [Reuters News]\n"
    )
    config, diags = parse_config(text)
    assert diags == []
    assert {f.name for f in fields(SiteConfig)} <= {line.split(":")[0] for line in text.splitlines()} | {"params", "publish"}
    assert config.title == "Brief"
    assert config.base_url == "https://example.org/b/"
    assert config.base_path == "/b/"
    assert config.home_limit == 3
    assert config.fingerprint_assets is False
    assert config.search is False
    assert config.strict is True
    assert config.params == {"colour": "blue"}
    assert config.publish == {"target": "git:gh-pages"}
    assert (config.marking, config.audience) == ("TLP:GREEN", "TLP:AMBER+STRICT")


def test_marking_defaults_to_tlp_clear_and_the_audience_to_everything():
    config = SiteConfig()
    assert (config.marking, config.audience_limit) == ("TLP:CLEAR", None)
    assert config.marking_of(None) == "TLP:CLEAR" and config.marking_of("TLP:RED") == "TLP:RED"


@pytest.mark.parametrize("key", ["marking", "audience"])
def test_a_marking_setting_that_is_not_tlp_2_names_the_markings(key: str):
    _, diags = parse_config(f"title: Brief\n{key}: SECRET\n")
    (diag,) = diags
    assert (diag.line, diag.field, diag.is_error) == (2, key, True)
    assert "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED" in diag.message


def test_unknown_key_reported_with_line_and_did_you_mean():
    _, diags = parse_config("title: Brief\n\nbase_ulr: /x/\n")
    (diag,) = diags
    assert diag.is_error
    assert str(diag) == "briefing.yaml:3: base_ulr: unknown setting; did you mean 'base_url'?"


def test_unknown_key_without_a_near_match_lists_the_known_keys():
    _, diags = parse_config("zzzz: 1\n")
    (diag,) = diags
    assert diag.line == 1
    assert "title" in diag.message and "base_url" in diag.message


@pytest.mark.parametrize(("text", "line", "key", "needle"), [
    ("title: Brief\nhome_limit: ten\n", 2, "home_limit", "whole number"),
    ("title: Brief\n\nsearch: maybe\n", 3, "search", "true or false"),
    ("params: 3\n", 1, "params", "mapping"),
    ("title: [a, b]\n", 1, "title", "text"),
    ("feed_limit: -1\n", 1, "feed_limit", "0 or more"),
    ("title: x\ntimezone: Mars/Olympus\n", 2, "timezone", "time zone"),
])
def test_wrong_type_reported_with_line(text, line, key, needle):
    _, diags = parse_config(text)
    (diag,) = diags
    assert (diag.line, diag.field, diag.is_error) == (line, key, True)
    assert needle in diag.message


def test_list_value_is_described_as_a_list():
    _, diags = parse_config("title: [a, b]\n")
    assert "found a list" in diags[0].message


def test_yaml_error_in_config_has_its_line():
    _, diags = parse_config("title: Brief\n  nested: wrong\n")
    (diag,) = diags
    assert diag.line == 2


def test_base_url_gets_a_trailing_slash():
    assert parse_config("base_url: /briefs\n")[0].base_url == "/briefs/"
    assert parse_config("base_url: https://example.org/briefs\n")[0].base_path == "/briefs/"


def test_title_that_looks_like_a_boolean_stays_text():
    assert parse_config("title: yes\n")[0].title == "yes"


def test_fingerprint_changes_with_any_setting():
    assert SiteConfig().fingerprint() == SiteConfig().fingerprint()
    assert SiteConfig().fingerprint() != SiteConfig(title="Other").fingerprint()


# -- through a build ----------------------------------------------------------------------------

def test_site_without_config_builds_with_defaults(tmp_path):
    files = {k: v for k, v in BASIC_SITE.items() if k != "briefing.yaml"}
    site = make_site(tmp_path, files)
    result = build(site)
    assert result.code == 0, result.text
    assert page(site / "site", "").title.endswith("Briefing")


def test_config_errors_fail_the_build_with_every_problem(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "titel: Brief\nhome_limit: ten\n"})
    result = build(site)
    assert result.code == 1
    assert "Traceback" not in result.text
    assert "briefing.yaml:1: titel: unknown setting; did you mean 'title'?" in result.err
    assert "briefing.yaml:2: home_limit: expected a whole number, found 'ten'" in result.err
    assert not (site / "site").exists()


def test_config_output_key_sets_the_output_folder(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: Brief\noutput: public\n"})
    assert build(site).code == 0
    assert (site / "public" / "index.html").is_file()
    assert not (site / "site").exists()


def test_non_utf8_config_is_an_error_naming_it(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: Caf\u00e9\n".encode("latin-1")})
    result = build(site)
    assert result.code == 1
    assert result.err.startswith("briefing.yaml:")


def test_unknown_theme_is_an_error(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: Brief\ntheme: no-such-theme\n"})
    result = build(site)
    assert result.code == 1
    assert "briefing.yaml:2: theme:" in result.err


def test_a_base_url_written_without_its_scheme_is_an_error_that_shows_it_with_one() -> None:
    for written, expected in (("example.org/briefs/", "https://example.org/briefs/"),
                              ("www.example.com", "https://www.example.com"), ("localhost:8000/", "https://localhost:8000/")):
        _, diags = parse_config(f"title: T\nbase_url: {written}\n")
        assert [str(d) for d in diags] == [
            f"briefing.yaml:2: base_url: {written!r} starts with a host name but has no scheme; "
            f"expected {expected} (or a path that starts with '/')"]
    for fine in ("/briefs/", "briefs", "https://example.org/b/", "v1.2/docs"):
        assert parse_config(f"base_url: {fine}\n")[1] == [], fine


def test_the_relative_base_url_notice_names_no_file_when_the_default_is_taken(tmp_path) -> None:
    site = make_site(tmp_path, BASIC_SITE)
    (site / "briefing.yaml").unlink(missing_ok=True)
    run = build(site)
    assert run.code == 0, run.text
    assert "notice: base_url is not set, so it is '/', a path" in run.err
    assert "briefing.yaml:" not in run.err
