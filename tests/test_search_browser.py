"""The search page in headless Chromium on the example site: an alias, a joined form,
highlighting, a filter used with the keyboard, and no request outside the site."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, build_ok
from test_serve_browser import context  # noqa: F401 - the Chromium fixture


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site built and served over HTTP on localhost; yields its origin."""
    out = tmp_path_factory.mktemp("search-site") / "site"
    build_ok(REPO, "--output", str(out))
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page(context, served: str):  # noqa: F811
    """A page that records (and refuses) every request outside the site."""
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(served + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    opened.outside = outside
    yield opened
    assert outside == [], outside


def _types(page) -> list[str]:
    return page.locator("#search-results li .type").evaluate_all("els => els.map(e => e.textContent)")


def _titles(page) -> list[str]:
    return page.locator("#search-results a.result-title").all_inner_texts()


def test_an_alias_finds_the_location_and_marks_the_match(page, served: str) -> None:
    from playwright.sync_api import expect

    page.goto(served + "/search/")
    page.locator("#search-input").focus()
    page.keyboard.type("khmeimim")
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible()
    titles = _titles(page)
    assert "Hmeimim Air Base" in titles
    assert len(titles) > 1  # documents naming the base come with it
    base = results.filter(has=page.locator("a.result-title", has_text="Hmeimim Air Base"))
    marks = base.locator("mark").all_inner_texts()
    assert any(m.lower().startswith("khmeimim") for m in marks), marks
    assert "khmeimim" in page.url  # the query is in the address, shareable


def test_a_joined_form_finds_the_hyphenated_name(page, served: str) -> None:
    from playwright.sync_api import expect

    page.goto(served + "/search/")
    page.locator("#search-input").fill("s400")
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible()
    marks = page.locator("#search-results mark").all_inner_texts()
    assert any(m.upper() == "S-400" for m in marks), marks
    # Dates read as a person writes them.
    dates = page.locator("#search-results time").all_inner_texts()
    assert dates and all(d.split(",")[0].split()[1] in
                         "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split() for d in dates), dates


def test_a_filter_is_usable_with_the_keyboard(page, served: str) -> None:
    from playwright.sync_api import expect

    page.goto(served + "/search/")
    page.locator("#search-input").fill("hmeimim")
    expect(page.locator("#search-results li").first).to_be_visible()
    before = _types(page)
    assert "Location" in before and len(set(before)) > 1, before
    # Tab from the query field to the type filter and choose "Locations" with the arrow keys.
    page.locator("#search-input").focus()
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-type":
            break
    assert page.evaluate("document.activeElement.id") == "search-type"
    assert page.locator("label[for='search-type']").inner_text() == "Type"
    while page.locator("#search-type").input_value() != "location":
        page.keyboard.press("ArrowDown")
    expect(page.locator("#search-results li")).to_have_count(len([t for t in before if t == "Location"]))
    after = _types(page)
    assert after and set(after) == {"Location"}, after
    assert "type=location" in page.url
    # The tag filter lists the site's tags once the index is loaded.
    options = page.locator("#search-tag option").all_inner_texts()
    assert options[0] == "Any tag" and len(options) > 2


def test_results_never_parse_index_text_as_html(page, served: str) -> None:
    page.goto(served + "/search/")
    page.locator("#search-input").fill("russia")
    page.locator("#search-results li").first.wait_for()
    tags = page.evaluate("""() => Array.from(document.querySelectorAll('#search-results *'))
        .map(el => el.tagName.toLowerCase())""")
    assert set(tags) <= {"li", "a", "p", "span", "time", "mark"}, set(tags)


def test_the_page_exists_in_the_build(served: str) -> None:
    assert served.startswith("http://127.0.0.1:")
    assert Path(REPO / "themes" / "default" / "static" / "search.js").is_file()
