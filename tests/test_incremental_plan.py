"""The build plan: which outputs each kind of edit renders again, and the no-change shortcut."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import Builder

ARTICLE = """---
title: {title}
date: {date}
summary: {summary}
tags: [{tags}]
actors: [Russia]
location: Hama
confidence: moderate
---
{body}
"""

NOTE = """---
title: Assessment
date: 2024-12-07
about: [alpha]
tags: [air defence]
actors: [Russia]
---
The note assesses [[alpha]] and [[beta]].
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site-src"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "notes").mkdir(parents=True)
    (site / "briefing.yaml").write_text("title: Plan test\nbase_url: https://example.org/\n")
    for slug, date, tags in (("alpha", "2024-12-01", "air defence"), ("beta", "2024-12-02", "logistics"),
                             ("gamma", "2024-12-03", "logistics")):
        _article(site, slug, date=date, tags=tags)
    (site / "content" / "notes" / "assessment.md").write_text(NOTE)
    return site


def _article(site: Path, slug: str, *, date: str = "2024-12-01", tags: str = "air defence",
             body: str = "First paragraph.\n\nSecond paragraph.", title: str | None = None) -> Path:
    path = site / "content" / "articles" / f"{slug}.md"
    path.write_text(ARTICLE.format(title=title or slug.title(), date=date, summary=f"About {slug}.",
                                   tags=tags, body=body))
    return path


def _rendered_after(tmp_path: Path, edit) -> set[str]:
    site = _site(tmp_path)
    builder = Builder(site, tmp_path / "out", atomic_swap=False, jobs=1)
    assert builder.build().ok
    changed = edit(site)
    result = builder.build(changed=changed)
    assert result.ok, [str(d) for d in result.errors]
    builder.close()
    return set(result.written)


def test_a_body_edit_renders_the_page_and_the_body_dependent_files_only(tmp_path: Path) -> None:
    written = _rendered_after(tmp_path, lambda site: {_article(site, "beta", date="2024-12-02", tags="logistics",
                                                               body="First paragraph.\n\nA new second paragraph.")})
    assert "articles/beta/index.html" in written
    assert not any(p.startswith(("tags/", "actors/", "locations/", "confidence/", "timeline")) for p in written)
    assert "index.html" not in written
    assert written <= {"articles/beta/index.html", "feed.xml", "search-index.json"}


def test_a_tag_edit_renders_old_and_new_term_pages_and_the_index(tmp_path: Path) -> None:
    written = _rendered_after(tmp_path, lambda site: {_article(site, "beta", date="2024-12-02", tags="air defence")})
    assert {"articles/beta/index.html", "tags/air-defence/index.html", "tags/logistics/index.html",
            "tags/index.html"} <= written
    assert "actors/russia/index.html" not in written  # its documents' cards did not change


def test_a_title_edit_reaches_every_page_that_shows_the_title(tmp_path: Path) -> None:
    written = _rendered_after(tmp_path, lambda site: {_article(site, "alpha", title="Alpha renamed")})
    # the note links to alpha and is "about" it, so its page shows alpha's title
    assert {"articles/alpha/index.html", "notes/assessment/index.html", "tags/air-defence/index.html",
            "actors/russia/index.html", "locations/hama/index.html", "timeline/index.html", "index.html",
            "confidence/moderate/index.html"} <= written


def test_a_date_edit_reorders_lists_and_the_timeline(tmp_path: Path) -> None:
    written = _rendered_after(tmp_path, lambda site: {_article(site, "alpha", date="2025-01-01")})
    assert {"articles/alpha/index.html", "timeline/index.html", "timeline.json", "index.html"} <= written


def _search_index_after(tmp_path: Path, edits) -> tuple[bytes, bytes]:
    """The search index a running builder writes after ``edits`` (each a set of changed
    files), and the one a clean build of the same sources writes."""
    site = _site(tmp_path)
    builder = Builder(site, tmp_path / "out", atomic_swap=False, jobs=1)
    assert builder.build().ok
    for edit in edits:
        assert builder.build(changed=edit(site)).ok
    builder.close()
    clean = Builder(site, tmp_path / "clean", use_cache=False, jobs=1)
    assert clean.build().ok
    return (tmp_path / "out" / "search-index.json").read_bytes(), (tmp_path / "clean" / "search-index.json").read_bytes()


def test_a_date_edit_that_moves_a_document_to_another_row_redoes_the_search_index(tmp_path: Path) -> None:
    # alpha, the oldest, becomes the newest: every row moves
    kept, clean = _search_index_after(tmp_path, [lambda site: {_article(site, "alpha", date="2025-01-01")}])
    assert kept == clean
    rows = [row[0] for row in json.loads(kept)["d"]]
    assert rows.index("Alpha") < rows.index("Gamma")


def test_editing_an_unlisted_draft_leaves_the_search_index_as_a_clean_build_has_it(tmp_path: Path) -> None:
    def draft(site: Path, words: str) -> set[Path]:
        path = site / "content" / "articles" / "delta.md"
        path.write_text(ARTICLE.format(title="Delta", date="2024-12-04", summary="Draft.", tags="logistics",
                                       body=words).replace("confidence: moderate", "confidence: moderate\ndraft: true"))
        return {path}

    kept, clean = _search_index_after(tmp_path, [
        lambda site: draft(site, "Unpublished words."),
        lambda site: draft(site, "Other unpublished words."),
        lambda site: {_article(site, "beta", date="2024-12-02", tags="logistics", body="Searchable zeppelin.")},
    ])
    assert kept == clean
    index = json.loads(kept)
    assert "Delta" not in [row[0] for row in index["d"]]
    assert "zeppelin" in index["b"] or "zeppelin" in index["t"]


def test_a_draft_toggle_removes_the_page_and_its_traces(tmp_path: Path) -> None:
    def hide(site: Path) -> set[Path]:
        path = site / "content" / "articles" / "gamma.md"
        path.write_text(path.read_text().replace("confidence: moderate", "confidence: moderate\ndraft: true"))
        return {path}

    site_out = tmp_path / "out"
    written = _rendered_after(tmp_path, hide)
    assert not (site_out / "articles" / "gamma").exists()
    assert "tags/logistics/index.html" in written


def test_a_second_build_with_nothing_changed_writes_nothing_and_repeats_the_warnings(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _article(site, "delta", body="Links to [[nowhere]].")
    out = tmp_path / "out"
    first = Builder(site, out)
    result = first.build()
    first.close()
    assert result.ok and result.warnings
    again = Builder(site, out)
    second = again.build()
    again.close()
    assert second.ok and second.written == [] and second.rendered == 0
    assert [str(d) for d in second.warnings] == [str(d) for d in result.warnings]


def test_the_no_change_shortcut_notices_a_damaged_output_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    for step in range(2):
        builder = Builder(site, out)
        assert builder.build().ok
        builder.close()
        if step == 0:
            (out / "articles" / "alpha" / "index.html").unlink()
    assert (out / "articles" / "alpha" / "index.html").is_file()


def test_a_running_builder_saves_its_state_on_close_for_the_next_process(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    serve_like = Builder(site, out, atomic_swap=False)
    assert serve_like.build().ok
    _article(site, "alpha", title="Changed while serving")
    assert serve_like.build().ok
    serve_like.close()
    _article(site, "alpha", title="Alpha")  # back to the first title: the file on disk must follow
    cli = Builder(site, out)
    assert cli.build().ok
    cli.close()
    assert "Changed while serving" not in (out / "articles" / "alpha" / "index.html").read_text()



def test_a_one_shot_build_saves_signatures_the_next_process_trusts(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    first = Builder(site, out, jobs=1, one_shot=True)
    assert first.build().ok
    first.close()
    _article(site, "beta", date="2024-12-02", tags="logistics", body="First paragraph.\n\nA new second paragraph.")
    second = Builder(site, out, jobs=1, one_shot=True)
    result = second.build()
    second.close()
    assert result.ok
    assert "articles/beta/index.html" in result.written
    assert set(result.written) <= {"articles/beta/index.html", "feed.xml", "search-index.json"}
    assert "A new second paragraph." in (out / "articles" / "beta" / "index.html").read_text()


def test_a_one_shot_build_without_a_cache_writes_what_a_comparing_build_writes(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for name, one_shot in (("eager", False), ("one-shot", True)):
        builder = Builder(site, tmp_path / name, jobs=1, use_cache=False, one_shot=one_shot)
        assert builder.build().ok
        builder.close()
    eager = {p.relative_to(tmp_path / "eager"): p.read_bytes() for p in (tmp_path / "eager").rglob("*") if p.is_file()}
    shot = {p.relative_to(tmp_path / "one-shot"): p.read_bytes() for p in (tmp_path / "one-shot").rglob("*")
            if p.is_file()}
    assert eager == shot


def test_a_new_process_after_a_build_that_found_the_files_in_place_renders_only_what_an_edit_touched(
        tmp_path: Path) -> None:
    # As the benchmark and CI run it: a cold build without the cache, a build with it (every
    # file already has the right bytes), then an edit, each in a new process.
    site = _site(tmp_path)
    out = tmp_path / "out"

    def new_process_build(**options) -> object:
        builder = Builder(site, out, jobs=1, one_shot=True, **options)
        result = builder.build()
        builder.close()
        assert result.ok
        return result

    cold = new_process_build(use_cache=False)
    everything, files = cold.rendered, len(cold.written)
    assert new_process_build().written == []
    _article(site, "beta", date="2024-12-02", tags="logistics", body="An edited body.")
    result = new_process_build()
    assert result.rendered < everything / 2, f"rendered {result.rendered} of {everything} outputs"
    assert "articles/beta/index.html" in result.written
    assert new_process_build().unchanged == files  # the no-change shortcut counts every file
