"""A document's old addresses (Hugo's ``aliases: [/old/]``, Jekyll's ``redirect_from:``) are
pages that send the reader on to where it is now; an old address the site still uses, or one
that cannot be a page of it, is a warning at its line and never overwrites anything."""

from __future__ import annotations

from pathlib import Path

from conftest import Html, build, make_site, page
from linkcheck import check_site

from generator.build import Builder

FILES: dict[str, str | bytes] = {
    "briefing.yaml": "title: Moves\nbase_url: https://example.org/brief/\nlanguage: en-GB\n",
    "content/articles/alpha.md": ("---\ntitle: Alpha airlift\ndate: 2024-12-06\n"
                                  "aliases: [/2024/12/alpha-convoy/, /old/alpha.html, Alpha convoy, /tags/]\n"
                                  "actors: [Russia]\n---\nText.\n"),
    "content/articles/beta.md": ("---\ntitle: Beta\ndate: 2024-12-05\nredirect_from:\n"
                                 "  - /2024/12/alpha-convoy/\n  - beta-old\n  - https://other.example/x/\n"
                                 "  - /../etc/\n---\nSee [[RU]] and [[alpha convoy|the convoy]].\n"),
    "content/actors/russia.md": "---\ntitle: Russia\naliases: [RU, /who/russia]\n---\nThe actor.\n",
}


def _moved_to(output: Path, rel: str, language: str = "en-GB") -> str:
    """Where the page at ``rel`` sends the reader, after checking it says so in every way."""
    html = Html.load(output / rel)
    refresh = html.one("meta", http_equiv="refresh").get("content")
    assert refresh.startswith("0; url=")
    target = refresh.removeprefix("0; url=")
    assert html.one("link", rel="canonical").get("href") == target
    assert html.one("meta", name="robots").get("content") == "noindex"
    assert [a.get("href") for a in html.one("main").iter("a")] == [target]
    assert html.root.get("lang") == language
    return target


def _warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if "warning: aliases" in line or "warning: redirect_from" in line]


def test_each_old_address_is_a_page_sending_the_reader_to_the_documents_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    run = build(site)
    assert run.code == 0, run.text
    out = site / "site"
    assert _moved_to(out, "2024/12/alpha-convoy/index.html") == "https://example.org/brief/articles/alpha/"
    assert _moved_to(out, "old/alpha.html") == "https://example.org/brief/articles/alpha/"
    assert _moved_to(out, "beta-old/index.html") == "https://example.org/brief/articles/beta/"
    assert _moved_to(out, "who/russia/index.html") == "https://example.org/brief/actors/russia/"
    # A name among the aliases stays a name: cross-links find the actor and the article by it.
    beta = page(out, "articles/beta/")
    assert "/brief/actors/russia/" in beta.hrefs()
    assert [a.get("href") for a in beta.all("a") if a.text == "the convoy"] == ["/brief/articles/alpha/"]
    assert page(out, "actors/russia/").title.startswith("Russia")
    assert "moved" not in (out / "sitemap.xml").read_text() and "alpha-convoy" not in (out / "sitemap.xml").read_text()
    assert check_site(out, "/brief/", "https://example.org/brief/").problems == []


def test_an_old_address_the_site_uses_or_cannot_have_is_a_warning_and_overwrites_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    run = build(site)
    assert _warnings(run.err) == [
        "content/articles/alpha.md:4: warning: aliases: /tags/ is a page of this site; an old address must "
        "be one the site no longer uses (left as it is)",
        "content/articles/beta.md:4: warning: redirect_from: /2024/12/alpha-convoy/ is also an old address of "
        "content/articles/alpha.md; it goes there",
        "content/articles/beta.md:7: warning: redirect_from: 'https://other.example/x/' is an address, not a "
        "path; expected the old path on this site, such as /2019/old-title/",
        "content/articles/beta.md:8: warning: redirect_from: '/../etc/' cannot be a page of this site; "
        "expected a path such as /2019/old-title/",
    ]
    assert page(site / "site", "tags/").h1 == "Tags"
    assert not (tmp_path / "etc").exists() and not (site / "etc").exists()


def test_a_document_left_out_for_the_audience_leaves_no_page_at_its_old_address(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/notes/red.md": ("---\ntitle: Red note\ndate: 2024-12-06\nmarking: TLP:RED\n"
                                 "aliases: [/notes/old-red-name/]\n---\nSecret.\n"),
        "content/notes/clear.md": "---\ntitle: Clear\ndate: 2024-12-06\naliases: [/old-clear/]\n---\nOpen.\n",
    })
    run = build(site, "--audience", "TLP:CLEAR")
    assert run.code == 0, run.text
    out = site / "site"
    assert not (out / "notes/old-red-name").exists()
    assert _moved_to(out, "old-clear/index.html", "en") == "/notes/clear/"
    assert not [p for p in out.rglob("*") if p.is_file() and (b"old-red-name" in p.read_bytes()
                                                                or b"Red note" in p.read_bytes())]


def test_old_address_pages_follow_every_edit_in_a_running_builder_and_a_new_process(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    alpha = site / "content/articles/alpha.md"
    running = Builder(site, tmp_path / "running", atomic_swap=False, jobs=1)

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.name.startswith(".")}

    def same_as_clean(*changed: Path) -> dict[str, bytes]:
        ran = running.build(changed=set(changed)) if changed else running.build()
        assert ran.ok, ran.diagnostics
        again = Builder(site, tmp_path / "again", jobs=1, one_shot=True)
        try:
            assert again.build().ok
        finally:
            again.close()
        clean = tmp_path / "clean"
        assert build(site, "--no-cache", "-o", clean).code == 0
        assert files(tmp_path / "running") == files(clean) == files(tmp_path / "again")
        return files(clean)

    try:
        same_as_clean()
        alpha.write_text(alpha.read_text().replace("date: 2024-12-06\n", "date: 2024-12-06\nslug: alpha-air\n"))
        built = same_as_clean(alpha)
        assert b"url=https://example.org/brief/articles/alpha-air/" in built["2024/12/alpha-convoy/index.html"]
        alpha.write_text(alpha.read_text().replace("/2024/12/alpha-convoy/, ", ""))
        built = same_as_clean(alpha)  # beta's claim on the address now holds
        assert b"url=https://example.org/brief/articles/beta/" in built["2024/12/alpha-convoy/index.html"]
        assert "old/alpha.html" in built
        alpha.write_text(alpha.read_text().replace("/old/alpha.html, ", ""))
        assert "old/alpha.html" not in same_as_clean(alpha)
        alpha.write_text(alpha.read_text().replace("Alpha convoy", "Alpha column"))  # the name beta links by
        assert b'href="/brief/articles/alpha' not in same_as_clean(alpha)["articles/beta/index.html"]
    finally:
        running.close()
