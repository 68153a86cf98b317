"""Summaries count in words ("1 file", "2 drafts left out") and ``--jobs`` stays in range."""

from __future__ import annotations

import os

import pytest
from conftest import BASIC_SITE, build, make_site, run_cli

from generator.build import Builder
from generator.wording import plural

DRAFT = "---\ntitle: Unfinished {n}\ndate: 2024-12-01\ndraft: true\n---\nNot yet.\n"


def test_plural_agrees_with_the_count():
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"


def test_build_summary_says_1_file_and_1_warning_in_the_singular(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/pages/about.md": "---\ntitle: About\n---\n[[no-such-page]]\n"})
    build(site)
    # A second paragraph: the summary (first paragraph, shown in /previews.json) stays the same.
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\n[[no-such-page]]\n\nEdited.\n")
    result = build(site)
    assert result.code == 0, result.text
    assert "1 file written" in result.err, result.err
    assert "1 warning," in result.err and "0 errors" in result.err
    assert "1 files" not in result.err and "1 warnings" not in result.err


def test_build_and_check_count_the_drafts_they_leave_out(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/d1.md": DRAFT.format(n=1),
                                "content/articles/d2.md": DRAFT.format(n=2)})
    built = build(site)
    assert built.code == 0, built.text
    assert "built: 4 documents, 2 drafts left out (use --drafts)," in built.err
    again = build(site)  # answered from the snapshot of the last build
    assert "2 drafts left out (use --drafts)" in again.err
    checked = run_cli("check", "--source", site)
    assert "check passed: 4 documents, 2 drafts left out (use --drafts), 0 warnings" in checked.err
    with_drafts = build(site, "--drafts", "--no-cache")
    assert "built: 6 documents," in with_drafts.err and "left out" not in with_drafts.err


def test_build_with_one_draft_says_1_draft_and_none_says_nothing(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/d1.md": DRAFT.format(n=1)})
    assert "1 draft left out (use --drafts)" in build(site, "--no-cache").err
    (site / "content" / "articles" / "d1.md").unlink()
    assert "left out" not in build(site, "--no-cache").err


@pytest.mark.parametrize("value", ["0", "-1", "-200"])
def test_build_refuses_jobs_below_one_with_a_usage_error(basic_site, value):
    result = run_cli("build", "--source", basic_site, "--jobs", value)
    assert result.code == 2, result.text
    assert "--jobs" in result.err and "expected 1 to" in result.err
    assert "Traceback" not in result.text
    assert not (basic_site / "site").exists()


def test_build_refuses_more_jobs_than_four_per_core_saying_the_range(basic_site, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    result = run_cli("build", "--source", basic_site, "-j", "200")
    assert result.code == 2, result.text
    assert "200 is out of range; expected 1 to 8" in result.err
    assert run_cli("build", "--source", basic_site, "-j", "8").code == 0


def test_builder_never_starts_more_than_four_workers_per_core(basic_site, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert Builder(basic_site, jobs=200).jobs == 8
    assert Builder(basic_site, jobs=3).jobs == 3
    assert Builder(basic_site).jobs == 2
