"""A link to another Markdown file (``[B](b.md)``, ``[B](../notes/b.md#why)``, Pelican's
``[B]({filename}/articles/b.md)``) leads to the page made from that file, as a cross-link does;
one that names no document is a warning at its line, and stays fresh as the target changes."""

from __future__ import annotations

from pathlib import Path

from conftest import build, make_site, page, text_of

from generator.build import Builder
from generator.verify import compare_folders

FILES = {
    "content/articles/a.md": (
        "---\ntitle: Alpha\ndate: 2024-12-05\n---\n"
        "See [the report](b.md), [why](../articles/b.md#why) and\n"
        "[Pelican's way]({filename}/articles/b.md), [the note](../notes/n.md),\n"
        "[Russia](../actors/russia.md), [the deep one](2024/deep.md) and [*empty*](nothere.md).\n"),
    "content/articles/b.md": "---\ntitle: Bravo report\ndate: 2024-12-04\nslug: bravo\n---\n## Why\n\nText.\n",
    "content/articles/2024/deep.md": "---\ntitle: Deep one\ndate: 2024-12-01\n---\nUp to [b](../b.md).\n",
    "content/notes/n.md": "---\ntitle: Note N\ndate: 2024-12-06\n---\nBack to [[alpha]].\n",
    "content/actors/russia.md": "---\ntitle: Russia\n---\nSee [the deep one](../articles/2024/deep.md).\n",
}


def _links(html, text: str) -> list[str]:
    return [a.get("href") for a in html.all("a") if text_of(a) == text]


def test_links_to_markdown_files_lead_to_their_pages_and_one_to_no_document_is_a_warning_at_its_line(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    run = build(site)
    assert run.code == 0, run.text
    alpha = page(site / "site", "articles/a/")
    assert _links(alpha, "the report") == ["/articles/bravo/"]
    assert _links(alpha, "why") == ["/articles/bravo/#why"]
    assert _links(alpha, "Pelican's way") == ["/articles/bravo/"]
    assert _links(alpha, "the note") == ["/notes/n/"]
    assert _links(alpha, "Russia")[0] == "/actors/russia/"
    assert _links(alpha, "the deep one") == ["/articles/deep/"]
    assert not [a for a in alpha.all("a") if (a.get("href") or "").endswith(".md")]
    assert "content/articles/a.md:7: warning: link: [empty](nothere.md) names content/articles/nothere.md, " \
           "which is no document of this site" in run.err
    assert _links(page(site / "site", "articles/deep/"), "b") == ["/articles/bravo/"]
    assert _links(page(site / "site", "actors/russia/"), "the deep one") == ["/articles/deep/"]
    # The report lists what links to it, as for [[...]].
    assert "/articles/a/" in [a.get("href") for a in page(site / "site", "articles/bravo/").all("a")]
    assert build(site, "--strict").code == 1


def test_a_page_linking_a_markdown_file_follows_the_file_renamed_retitled_and_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    running_out, again_out = tmp_path / "running", tmp_path / "again"
    running = Builder(site, running_out, atomic_swap=False, jobs=1)
    edits = [
        ("content/articles/b.md", "title: Bravo report", "title: Bravo airlift"),
        ("content/articles/b.md", "slug: bravo", "slug: bravo-two"),
        ("content/articles/b.md", "## Why", "## Because"),
        ("content/articles/2024/deep.md", None, None),  # removed
        ("content/articles/2024/deep.md", "", FILES["content/articles/2024/deep.md"]),  # back again
    ]
    try:
        assert running.build().ok
        for number, (rel, old, new) in enumerate(edits):
            path = site / rel
            if old is None:
                path.unlink()
            elif old == "":
                path.write_text(new)
            else:
                path.write_text(path.read_text().replace(old, new))
            assert running.build(changed={path}).ok
            one_shot = Builder(site, again_out, jobs=1, one_shot=True)
            try:
                assert one_shot.build().ok
            finally:
                one_shot.close()
            clean = Builder(site, tmp_path / f"clean{number}", jobs=1, use_cache=False, one_shot=True)
            try:
                assert clean.build().ok
            finally:
                clean.close()
            assert compare_folders(tmp_path / f"clean{number}", running_out) == [], (number, "running")
            assert compare_folders(tmp_path / f"clean{number}", again_out) == [], (number, "new process")
    finally:
        running.close()
    alpha = page(running_out, "articles/a/")
    assert _links(alpha, "the report") == ["/articles/bravo-two/"]
    assert _links(alpha, "why") == ["/articles/bravo-two/"]  # its heading went: the page, with a warning


def test_a_link_to_a_file_the_audience_may_not_see_shows_the_authors_words_and_nothing_of_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": "---\ntitle: Alpha\ndate: 2024-12-05\n---\nSee [our source](s.md).\n",
        "content/articles/s.md": ("---\ntitle: Kestrel handler report\ndate: 2024-12-04\nmarking: TLP:RED\n---\n"
                                  "Kestrel met the handler.\n"),
    })
    run = build(site, "--audience", "TLP:CLEAR")
    assert run.code == 0, run.text
    out = site / "site"
    assert not (out / "articles" / "s").exists()
    alpha = page(out, "articles/a/")
    assert "our source" in alpha.text and _links(alpha, "our source") == []
    leaked = [p for p in out.rglob("*") if p.is_file() and b"Kestrel" in p.read_bytes()]
    assert leaked == []


def test_about_and_related_written_as_file_paths_find_their_documents_and_stay_fresh(tmp_path: Path) -> None:
    files = {**FILES,
             "content/notes/view.md": ("---\ntitle: View\ndate: 2024-12-07\nabout: ../articles/b.md\n"
                                       "related: [n.md, articles/2024/deep.md, nothere.md]\n---\nText.\n")}
    site = make_site(tmp_path, files)
    run = build(site)
    assert run.code == 0, run.text
    assert "content/notes/view.md:5: warning: related: 'nothere.md' names content/notes/nothere.md, " \
           "which is no document of this site" in run.err
    assert run.err.count("view.md") == 1, run.err
    out = site / "site"
    view = [a.get("href") for a in page(out, "notes/view/").all("a")]
    assert {"/articles/bravo/", "/notes/n/", "/articles/deep/"} <= set(view)
    assert "/notes/view/" in [a.get("href") for a in page(out, "articles/bravo/").all("a")]
    running = Builder(site, tmp_path / "running", atomic_swap=False, jobs=1)
    try:
        assert running.build().ok
        for rel, old, new in [("content/articles/b.md", "title: Bravo report", "title: Bravo airlift"),
                              ("content/notes/view.md", "about: ../articles/b.md", "about: 2024/deep.md"),
                              ("content/notes/view.md", "about: 2024/deep.md", "about: articles/2024/deep.md")]:
            path = site / rel
            path.write_text(path.read_text().replace(old, new))
            assert running.build(changed={path}).ok
            clean = tmp_path / "clean"
            assert build(site, "-o", clean, "--no-cache").code == 0
            assert compare_folders(clean, tmp_path / "running") == [], (rel, new)
    finally:
        running.close()
    assert "/notes/view/" in [a.get("href") for a in page(tmp_path / "running", "articles/deep/").all("a")]
