"""The placeholders ``briefing new`` writes are reported once a document is published with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BASIC_SITE, build, copy_example_site, make_site, run_cli

from generator.model.skeleton import placeholder_warnings


def _new(site: Path, kind: str, title: str) -> Path:
    result = run_cli("new", kind, title, "--source", site)
    assert result.code == 0, result.text
    return next((site / "content" / f"{kind}s").glob(f"{title.lower().replace(' ', '-')}.md"))


def _publish(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")


def _warnings(text: str, path: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(path + ":") and "briefing new" in line
            or line.startswith(path + ":") and "empty bullet" in line]


def test_a_published_article_with_the_skeletons_placeholders_gets_a_warning_for_each(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    article = _new(site, "article", "Convoy seen")
    _publish(article)
    result = build(site)
    assert result.code == 0, result.text
    found = _warnings(result.err, "content/articles/convoy-seen.md")
    fields = [re.match(r"[^:]+:(\d+): warning: ([a-z ]+):", line).group(2) for line in found]
    assert fields == ["confidence", "sources", "sources", "sources", "sources", "body"], found
    lines = article.read_text(encoding="utf-8").splitlines()
    for line in found:
        number = int(line.split(":")[1])
        assert "placeholder" in lines[number - 1] or "own words" in lines[number - 1]
    assert "content/articles/convoy-seen.md:8: warning: confidence: still the placeholder written by " \
           "'briefing new'" in result.err
    assert "6 warnings" in result.err


def test_a_published_note_with_the_skeletons_placeholders_gets_warnings_and_strict_fails(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    _publish(_new(site, "note", "Coastal outlook"))
    checked = run_cli("check", "--source", site)
    assert checked.code == 0, checked.text
    found = _warnings(checked.err, "content/notes/coastal-outlook.md")
    # confidence, the key judgment's text and likelihood, the indicator bullet, the assessment sentence
    assert len(found) == 5, found
    assert any(":11: warning: key_judgments: text: still the placeholder" in line for line in found), found
    assert any(":12: warning: key_judgments: likelihood: still the placeholder" in line for line in found), found
    strict = build(site, "--strict")
    assert strict.code == 1
    assert "content/notes/coastal-outlook.md:9: confidence: still the placeholder" in strict.err


def test_a_draft_may_keep_its_placeholders(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    _new(site, "article", "Work in progress")
    result = build(site, "--drafts", "--strict")
    assert result.code == 0, result.text
    assert "placeholder" not in result.err


def test_filled_in_values_or_a_deleted_comment_silence_the_warning(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    article = _new(site, "article", "Filled in")
    text = article.read_text(encoding="utf-8").replace("draft: true\n", "")
    text = re.sub(r"confidence: moderate  # placeholder.*", "confidence: moderate", text)
    text = re.sub(r'name: "Name of the source"  # placeholder.*', 'name: "Reuters"', text)
    text = re.sub(r"url: https://example.org/where-you-read-it  # placeholder.*", "url: https://reuters.com/x", text)
    text = re.sub(r"reliability: F  # placeholder.*", "reliability: B", text)
    text = re.sub(r"credibility: 6  # placeholder.*", "credibility: 2", text)
    text = text.replace("What happened, according to the source, in your own words.", "A convoy was seen.")
    article.write_text(text, encoding="utf-8")
    result = build(site, "--strict")
    assert result.code == 0, result.text
    assert "placeholder" not in result.err


def test_the_example_site_and_the_init_sample_have_no_placeholder_warnings(tmp_path):
    example = copy_example_site(tmp_path / "example")
    sample = tmp_path / "sample"
    assert run_cli("init", sample).code == 0
    for site in (example, sample):
        result = run_cli("check", "--source", site)
        assert result.code == 0, result.text
        assert "placeholder" not in result.err and "empty bullet" not in result.err


def test_the_old_skeletons_source_and_empty_bullets_are_reported_too():
    text = ('---\ntitle: T\ndate: 2024-01-01\nsource:\n  name: "Name of the source"\n'
            "  url: https://example.org/where-you-read-it\n---\n\n## Key judgements\n\n-\n\n"
            "Setext heading\n-\n\n```\n-\n```\n")
    found = placeholder_warnings("n.md", text, 9)
    assert [(d.line, d.field) for d in found] == [(5, "source"), (6, "source"), (11, "body")]
    assert all(not d.is_error for d in found)


@pytest.mark.parametrize("size", [20_000, 40_000])
def test_placeholder_check_reads_a_large_document_once(size):
    import time

    text = "---\ntitle: T\n---\n" + "- item\n-\n" * size
    start = time.perf_counter()
    found = placeholder_warnings("big.md", text, 4)
    assert len(found) == size
    assert time.perf_counter() - start < 0.5 * size / 20_000

