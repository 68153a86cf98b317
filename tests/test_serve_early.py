"""The page a browser shows is written ahead of the rest of a rebuild, and never outlives a
failed build (``generator/render/early.py``)."""

from __future__ import annotations

import http.client
import os
import time
from pathlib import Path

import pytest
from conftest import Html, make_site

from generator.build import Builder
from generator.errors import error
from generator.render import early
from generator.serve.livereload import PAGES, RELOAD, Hub
from generator.serve.preview import BrowserPages, Preview

ALPHA = "---\ntitle: Alpha convoy\ndate: 2024-12-01\ntags: [convoys]\n---\n{body}\n"
BETA = "---\ntitle: Beta note\ndate: 2024-12-02\n---\nSee [[alpha]] for the convoy.\n"
ALPHA_PAGE = "articles/alpha/index.html"
SITE = {
    "briefing.yaml": "title: Early pages\n",
    "content/articles/alpha.md": ALPHA.format(body="The convoy left at dawn."),
    "content/notes/beta.md": BETA,
}


class FakePages:
    """Browsers showing ``files``; records what the builder wrote early, and the output then."""

    def __init__(self, output: Path, files: set[str]) -> None:
        self.output = output
        self.files = files
        self.calls: list[list[str]] = []
        self.seen: dict[str, str] = {}

    def wanted(self) -> set[str]:
        return set(self.files)

    def written(self, rels: list[str]) -> None:
        self.calls.append(list(rels))
        for rel in (*rels, "articles/index.html", "tags/convoys/index.html"):
            self.seen[rel] = Html.load(self.output / rel).text


def running_builder(tmp_path: Path, files: set[str]) -> tuple[Builder, Path, FakePages]:
    site = make_site(tmp_path, SITE)
    out = tmp_path / "out"
    builder = Builder(site, out, quiet=True, atomic_swap=False, use_cache=False)
    assert builder.build().ok
    pages = builder.early = FakePages(out, files)
    return builder, site, pages


def clean_build(tmp_path: Path, site: Path) -> Path:
    out = tmp_path / "clean"
    assert Builder(site, out, quiet=True, use_cache=False).build().ok
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def save(site: Path, rel: str, text: str) -> Path:
    path = site / rel
    path.write_text(text, encoding="utf-8")
    return path


def test_an_open_page_of_an_edited_document_is_written_before_the_list_pages(tmp_path: Path) -> None:
    builder, site, pages = running_builder(tmp_path, {ALPHA_PAGE})
    edited = save(site, "content/articles/alpha.md", ALPHA.replace("Alpha convoy", "Alpha airlift").format(body="Now by air."))
    result = builder.build(changed={edited})
    assert result.ok
    assert pages.calls == [[ALPHA_PAGE]]
    assert "Now by air." in pages.seen[ALPHA_PAGE]
    # When the browsers were told, the lists still showed the old title: the rest came later.
    assert "Alpha convoy" in pages.seen["articles/index.html"]
    assert "Alpha convoy" in pages.seen["tags/convoys/index.html"]
    assert tree(builder.output) == tree(clean_build(tmp_path, site))


def test_a_page_no_browser_shows_is_not_written_early(tmp_path: Path) -> None:
    builder, site, pages = running_builder(tmp_path, {"notes/beta/index.html"})
    edited = save(site, "content/articles/alpha.md", ALPHA.format(body="Now by air."))
    assert builder.build(changed={edited}).ok
    assert pages.calls == []  # beta's page does not change with alpha's body
    assert tree(builder.output) == tree(clean_build(tmp_path, site))


def test_an_open_backlinking_page_the_edit_reaches_is_written_early(tmp_path: Path) -> None:
    builder, site, pages = running_builder(tmp_path, {"notes/beta/index.html", ALPHA_PAGE})
    edited = save(site, "content/articles/alpha.md", ALPHA.replace("Alpha convoy", "Alpha airlift").format(body="x"))
    assert builder.build(changed={edited}).ok
    assert pages.calls == [[ALPHA_PAGE, "notes/beta/index.html"]]
    assert "Alpha airlift" in pages.seen["notes/beta/index.html"]
    assert tree(builder.output) == tree(clean_build(tmp_path, site))


def fail_after_the_early_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every later render fails, as a list page's template error would."""
    import generator.build as build_module

    monkeypatch.setattr(build_module, "render_outputs",
                        lambda *args, **kwargs: [error("templates/list.html", 3, "template", "boom")])


def test_a_build_failing_after_the_early_write_puts_the_old_page_back(tmp_path: Path, monkeypatch) -> None:
    builder, site, pages = running_builder(tmp_path, {ALPHA_PAGE})
    before = (builder.output / ALPHA_PAGE).read_bytes()
    fail_after_the_early_pages(monkeypatch)
    edited = save(site, "content/articles/alpha.md", ALPHA.format(body="Now by air."))
    assert not builder.build(changed={edited}).ok
    assert pages.calls == [[ALPHA_PAGE]]  # it was written, and went back
    assert (builder.output / ALPHA_PAGE).read_bytes() == before


def test_an_early_page_that_cannot_be_put_back_is_rendered_by_the_next_build(tmp_path: Path, monkeypatch) -> None:
    builder, site, _pages = running_builder(tmp_path, {ALPHA_PAGE})
    original = (site / "content/articles/alpha.md").read_text(encoding="utf-8")
    with monkeypatch.context() as patch:
        fail_after_the_early_pages(patch)
        real_replace = early.replace_file
        writes: list[Path] = []

        def first_write_only(target: Path, data: bytes) -> None:
            writes.append(target)
            if len(writes) > 1:
                raise OSError("disk full")
            real_replace(target, data)

        patch.setattr(early, "replace_file", first_write_only)
        edited = save(site, "content/articles/alpha.md", ALPHA.format(body="Now by air."))
        assert not builder.build(changed={edited}).ok
    assert "Now by air." in Html.load(builder.output / ALPHA_PAGE).text  # stuck
    # The edit is undone: the page's signature is the last good build's again, yet the file
    # that went early is not kept.
    save(site, "content/articles/alpha.md", original)
    assert builder.build(changed={edited}).ok
    assert tree(builder.output) == tree(clean_build(tmp_path, site))


def test_a_page_that_cannot_be_written_early_is_left_to_the_build(tmp_path: Path, monkeypatch) -> None:
    builder, site, pages = running_builder(tmp_path, {ALPHA_PAGE})

    def disk_full(target: Path, data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(early, "replace_file", disk_full)
    edited = save(site, "content/articles/alpha.md", ALPHA.format(body="Now by air."))
    assert builder.build(changed={edited}).ok
    assert pages.calls == []
    assert tree(builder.output) == tree(clean_build(tmp_path, site))


def test_the_hub_tells_only_the_browsers_showing_the_pages() -> None:
    hub = Hub()
    showing, elsewhere, unknown = hub.subscribe("/articles/alpha/"), hub.subscribe("/"), hub.subscribe()
    for sub in (showing, elsewhere, unknown):
        sub.get(timeout=1)  # hello
    assert hub.open_pages() == {"/articles/alpha/", "/"}
    hub.pages_updated({"/articles/alpha/"})
    message = showing.get(timeout=1)
    assert message is not None and message.event == PAGES and message.data == {"pages": ["/articles/alpha/"]}
    assert elsewhere.get(timeout=0.05) is None and unknown.get(timeout=0.05) is None


def test_browser_pages_map_urls_under_the_base_path_to_files(tmp_path: Path) -> None:
    from generator.serve.http import Served

    out = tmp_path / "out"
    (out / "articles" / "alpha").mkdir(parents=True)
    (out / "articles" / "alpha" / "index.html").write_text("<p>a</p>")
    (out / "search-index.json").write_text("{}")
    served = Served(out, "/briefs/", Hub())
    for page in ("/briefs/articles/alpha/", "/briefs/search-index.json", "/elsewhere/", "/briefs/missing/"):
        served.hub.subscribe(page)
    pages = BrowserPages(served)
    assert pages.wanted() == {ALPHA_PAGE}
    told = served.hub.subscribe("/briefs/articles/alpha/")
    told.get(timeout=1)
    pages.written([ALPHA_PAGE])
    message = told.get(timeout=1)
    assert message is not None and message.data == {"pages": ["/briefs/articles/alpha/"]}


def test_a_preview_tells_the_browser_showing_the_saved_page_first(tmp_path: Path) -> None:
    site = make_site(tmp_path, SITE)
    builder = Builder(site, tmp_path / "out", quiet=True, atomic_swap=False)
    with Preview(builder, port=0, out=open(os.devnull, "w")) as preview:  # noqa: SIM115
        # A browser on alpha's page connects as the live-reload client does.
        connection = http.client.HTTPConnection("127.0.0.1", preview.server.port, timeout=10)
        connection.request("GET", "/__briefing__/events?page=%2Farticles%2Falpha%2F")
        response = connection.getresponse()
        assert response.status == 200
        deadline = time.monotonic() + 5
        while preview.hub.open_pages() != {"/articles/alpha/"} and time.monotonic() < deadline:
            time.sleep(0.02)
        assert preview.hub.open_pages() == {"/articles/alpha/"}
        home = preview.hub.subscribe("/")
        watching = preview.hub.subscribe("/articles/alpha/")
        for sub in (home, watching):
            sub.get(timeout=1)  # hello
        save(site, "content/articles/alpha.md", ALPHA.format(body="Now by air."))
        first = watching.get(timeout=10)
        assert first is not None and first.event == PAGES
        then = watching.get(timeout=10)
        assert then is not None and then.event == RELOAD
        only = home.get(timeout=10)
        assert only is not None and only.event == RELOAD
        assert "Now by air." in Html.load(tmp_path / "out" / ALPHA_PAGE).text
        connection.close()
