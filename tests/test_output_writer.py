"""The output edge: atomic swap, only-changed writes, pruning, refusals, collisions, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import (
    ARTICLE,
    BASIC_SITE,
    REPO,
    build,
    build_ok,
    chdir,
    copy_example_site,
    make_site,
    page,
    pin_theme,
    snapshot,
    tree,
)

from generator.guard import check_output_folder
from generator.output import SiteWriter

ARTICLE_PATH = "content/articles/2024-12-06-russia-moves-air-defence-to-hmeimim.md"
ARTICLE_PAGE = "articles/russia-moves-air-defence-to-hmeimim/index.html"


@pytest.fixture
def basic_site(basic_site: Path) -> Path:
    """The basic site with a pinned theme: these tests compare two builds."""
    return pin_theme(basic_site)


# -- a failed build leaves the previous site intact ---------------------------------------------

@pytest.mark.parametrize(("rel", "text"), [
    ("templates/article.html", '{% extends "document.html" %}{% block content %}{{ page.nope }}{% endblock %}'),
    ("templates/page.html", "{% if %}"),
    ("content/notes/bad.md", "---\ntitle: Bad\ndate: 2024-02-30\n---\n"),
    ("briefing.yaml", "titel: typo\n"),
], ids=["undefined-variable", "template-syntax", "content-error", "config-error"])
def test_failed_build_leaves_the_previous_site_untouched(basic_site, rel, text):
    out = build_ok(basic_site)
    before = snapshot(out)
    (basic_site / ARTICLE_PATH).write_text(ARTICLE.replace("Trucks", "Lorries"), encoding="utf-8")
    path = basic_site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = build(basic_site)
    assert result.code == 1
    assert "untouched" in result.err
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".site")) == []


def test_failure_while_writing_restores_the_old_output(tmp_path, monkeypatch):
    out = tmp_path / "out"
    writer = SiteWriter(out)
    writer.write({"index.html": b"old", "a/index.html": b"old a"}, atomic_swap=True)
    before = snapshot(out)

    real_rename = os.rename

    def failing_rename(src, dst):
        if Path(dst) == out and ".staging" in Path(src).name:  # the swap of the new site into place
            raise OSError("disk on fire")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(OSError, match="disk on fire"):
        SiteWriter(out).write({"index.html": b"new", "b/index.html": b"b"}, atomic_swap=True)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging or old folder left


def _big_site(out: Path) -> dict[str, bytes]:
    files = {f"p{i}/index.html": f"page {i}".encode() for i in range(100)}
    files["index.html"] = b"home"
    SiteWriter(out).write(files, atomic_swap=True)
    return files


def test_a_small_change_to_a_big_site_replaces_files_in_place(tmp_path):
    out = tmp_path / "out"
    files = _big_site(out)
    folder, kept = out.stat().st_ino, (out / "p1/index.html").stat().st_ino
    files = {**files, "index.html": b"new home", "p100/index.html": b"new page"}
    del files["p2/index.html"]
    report = SiteWriter(out).write(files, atomic_swap=True)
    assert sorted(report.written) == ["index.html", "p100/index.html"] and report.removed == ["p2/index.html"]
    assert out.stat().st_ino == folder  # not swapped: only the changed files were touched
    assert (out / "p1/index.html").stat().st_ino == kept
    assert {rel: data for rel, (data, _) in snapshot(out).items()} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_while_replacing_in_place_puts_the_old_files_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    files = _big_site(out)
    before = snapshot(out)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2 and ".undo" not in str(src):
            raise OSError("disk on fire")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    changed = {**files, "index.html": b"new home", "p1/index.html": b"new one", "p100/index.html": b"new"}
    del changed["p3/index.html"]
    with pytest.raises(OSError, match="disk on fire"):
        SiteWriter(out).write(changed, atomic_swap=True)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_while_staging_leaves_the_output_alone(tmp_path):
    out = tmp_path / "out"
    SiteWriter(out).write({"index.html": b"old"}, atomic_swap=True)
    before = snapshot(out)
    with pytest.raises(OSError):
        # 'x' as a file and as a folder cannot both be written
        SiteWriter(out).write({"index.html": b"new", "x": b"file", "x/index.html": b"dir"}, atomic_swap=True)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# -- only changed bytes are written ---------------------------------------------------------------

def test_rebuild_without_changes_writes_nothing(basic_site):
    out = build_ok(basic_site)
    before = snapshot(out)
    result = build(basic_site)
    assert result.code == 0
    assert "0 files written" in result.err
    assert snapshot(out) == before  # bytes and mtime_ns


def test_rebuild_without_cache_still_keeps_unchanged_files(basic_site):
    out = build_ok(basic_site)
    before = snapshot(out)
    build_ok(basic_site, "--no-cache")
    assert snapshot(out) == before


def test_body_edit_rewrites_only_the_files_it_changes(basic_site):
    out = build_ok(basic_site)
    before = snapshot(out)
    (basic_site / ARTICLE_PATH).write_text(ARTICLE.replace("Trucks on the M1", "Lorries on the M1"),
                                           encoding="utf-8")
    build_ok(basic_site)
    after = snapshot(out)
    assert set(after) == set(before)
    changed = {rel for rel in after if after[rel] != before[rel]}
    assert ARTICLE_PAGE in changed
    assert "Lorries" in (out / ARTICLE_PAGE).read_text(encoding="utf-8")
    for rel in ("about/index.html", "tags/index.html", "robots.txt", "actors/index.html"):
        assert rel not in changed, rel
    assert not any(rel.startswith("static/") for rel in changed)


def test_a_build_without_the_cache_also_rewrites_only_the_files_it_changes(basic_site):
    # Without a cache there is no manifest of the last build's files: each file's bytes are
    # compared with what the output folder holds.
    out = build_ok(basic_site, "--no-cache")
    before = snapshot(out)
    (basic_site / ARTICLE_PATH).write_text(ARTICLE.replace("Trucks on the M1", "Lorries on the M1"),
                                           encoding="utf-8")
    build_ok(basic_site, "--no-cache")
    after = snapshot(out)
    assert set(after) == set(before)
    changed = {rel for rel in after if after[rel] != before[rel]}
    assert ARTICLE_PAGE in changed and "Lorries" in (out / ARTICLE_PAGE).read_text(encoding="utf-8")
    for rel in ("about/index.html", "tags/index.html", "robots.txt", "actors/index.html"):
        assert rel not in changed, rel


def test_deleted_document_pages_are_removed(basic_site):
    out = build_ok(basic_site)
    assert (out / ARTICLE_PAGE).is_file()
    (basic_site / ARTICLE_PATH).unlink()
    (basic_site / "content/notes/coastal-bases.md").write_text(
        "---\ntitle: Coastal\ndate: 2024-12-08\n---\nNo links any more.\n", encoding="utf-8")
    build_ok(basic_site)
    assert not (out / "articles" / "russia-moves-air-defence-to-hmeimim").exists()
    assert not (out / "tags" / "logistics").exists()
    assert (out / "notes/coastal-bases/index.html").is_file()


def test_hosting_files_in_the_output_folder_are_kept(basic_site):
    out = build_ok(basic_site)
    (out / "CNAME").write_text("briefs.example.org\n")
    (out / ".nojekyll").write_text("")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    build_ok(basic_site)  # nothing changed
    (basic_site / ARTICLE_PATH).write_text(ARTICLE.replace("Trucks", "Lorries"), encoding="utf-8")
    build_ok(basic_site)  # a change: the site is swapped
    (basic_site / "content/pages/about.md").unlink()
    build_ok(basic_site)  # a removal
    assert (out / "CNAME").read_text() == "briefs.example.org\n"
    assert (out / ".nojekyll").exists()
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert not (out / "about").exists()


def test_stray_files_in_the_output_folder_are_removed(basic_site):
    out = build_ok(basic_site)
    (out / "stale.html").write_text("old")
    (out / "old-section").mkdir()
    (out / "old-section" / "index.html").write_text("old")
    build_ok(basic_site)
    assert not (out / "stale.html").exists()
    assert not (out / "old-section").exists()


# -- refusing dangerous output folders ----------------------------------------------------------

@pytest.fixture
def no_writes(monkeypatch):
    """A safety net: if a refusal ever fails, nothing is written anyway."""
    def refuse(*args, **kwargs):
        raise AssertionError("the output folder should have been refused before writing")
    for name in ("write", "begin"):
        if hasattr(SiteWriter, name):
            monkeypatch.setattr(SiteWriter, name, refuse)


@pytest.mark.parametrize("where", ["root", "home", "source", "parent", "content", "content-sub", "templates"])
def test_dangerous_output_folder_is_refused_before_touching_anything(tmp_path, monkeypatch, no_writes, where):
    site = make_site(tmp_path, BASIC_SITE)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    output = {
        "root": Path("/"), "home": home, "source": site, "parent": tmp_path,
        "content": site / "content", "content-sub": site / "content" / "articles" / "out",
        "templates": site / "templates" / "out",
    }[where]
    before = tree(tmp_path)
    result = build(site, "--output", output)
    assert result.code == 2, result.text
    assert "refusing" in result.err
    assert "Traceback" not in result.text
    assert tree(tmp_path) == before  # not even a cache folder was made


def test_source_folder_given_as_a_relative_path_is_refused(tmp_path, no_writes):
    site = make_site(tmp_path, BASIC_SITE)
    with chdir(site):
        result = build(Path("."), "--output", ".")
    assert result.code == 2


def test_output_folder_that_is_a_file_is_refused(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    (tmp_path / "afile").write_text("x")
    result = build(site, "--output", tmp_path / "afile")
    assert result.code == 2
    assert (tmp_path / "afile").read_text() == "x"


def test_output_folder_below_a_file_is_refused_without_a_traceback(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    (tmp_path / "afile").write_text("x")
    result = build(site, "--output", tmp_path / "afile" / "site")
    assert result.code == 2
    assert "afile" in result.err and "Traceback" not in result.text


def test_check_output_folder_accepts_a_sibling_and_a_child(tmp_path):
    site = tmp_path / "src"
    check_output_folder(tmp_path / "out", site)
    check_output_folder(site / "site", site)


# -- collisions ----------------------------------------------------------------------------------

def test_two_sources_writing_one_output_path_is_an_error_naming_both(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/russia-moves-air-defence-to-hmeimim/index.html":
                                "<p>hand-made</p>"})
    result = build(site)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if "index.html" in x)
    assert "content/articles/russia-moves-air-defence-to-hmeimim/index.html" in line
    assert ARTICLE_PATH in line


def test_site_static_and_content_file_with_one_path_are_an_error(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "static/logo.png": b"one", "content/static/logo.png": b"two"})
    result = build(site)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if "logo.png" in x)
    assert "static/logo.png" in line and "content/static/logo.png" in line


def test_page_slug_taken_by_the_site_is_an_error(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/pages/tags.md": "---\ntitle: Tags\n---\nMine.\n"})
    result = build(site)
    assert result.code == 1
    assert "content/pages/tags.md" in result.err


# -- determinism ---------------------------------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in snapshot(folder).items()}


def test_two_builds_into_different_folders_are_byte_identical(tmp_path):
    site = pin_theme(copy_example_site(tmp_path / "src"))
    one = build_ok(site, "--output", tmp_path / "one")
    two = build_ok(site, "--output", tmp_path / "two", "--no-cache")
    first, second = _files(one), _files(two)
    assert len(first) > 30
    assert sorted(first) == sorted(second)
    for rel in first:
        assert first[rel] == second[rel], rel


def test_copies_of_a_site_in_different_folders_build_byte_identical(tmp_path):
    one = build_ok(pin_theme(make_site(tmp_path, BASIC_SITE, "a")))
    two = build_ok(pin_theme(make_site(tmp_path / "deeper" / "path", BASIC_SITE, "b")))
    assert _files(one) == _files(two)


def test_builds_in_separate_processes_with_different_hash_seeds_are_identical(tmp_path):
    site = pin_theme(copy_example_site(tmp_path / "src"))
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(site), "--output",
                               str(out), "--no-cache", "--quiet"], env=env, cwd=REPO, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outputs.append(_files(out))
    assert outputs[0] == outputs[1]


def _today_strings() -> list[str]:
    now = datetime.now(UTC)
    return [now.strftime("%Y-%m-%d"), f"{now.day} {now.strftime('%B')} {now.year}"]


def test_no_wall_clock_time_in_pages(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: T\nshow_build_time: false\n"})
    out = build_ok(site)
    for rel, data in _files(out).items():
        text = data.decode("utf-8", "replace")
        for needle in _today_strings():
            assert needle not in text, (rel, needle)


def test_build_time_comes_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: T\nshow_build_time: true\n"})
    out = build_ok(site)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "2023-11-14T22:13:20Z" in home
    for needle in _today_strings():
        assert needle not in home


def test_page_content_is_unchanged_by_the_output_folder_name(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    out = build_ok(site, "--output", tmp_path / "some-unusual-output-name")
    for rel, data in _files(out).items():
        assert b"some-unusual-output-name" not in data, rel
        assert str(tmp_path).encode() not in data, rel


def test_article_page_bytes_survive_a_rebuild_after_a_failure(basic_site):
    out = build_ok(basic_site)
    good = (out / ARTICLE_PAGE).read_bytes()
    (basic_site / "content/notes/bad.md").write_text("---\ntitle: Bad\n---\n", encoding="utf-8")
    assert build(basic_site).code == 1
    (basic_site / "content/notes/bad.md").unlink()
    build_ok(basic_site)
    assert (out / ARTICLE_PAGE).read_bytes() == good
    assert page(out, "").h1

