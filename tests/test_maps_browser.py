"""The maps in headless Chromium: Tab reaches a marker, its focus shows, Enter follows it to the
location's page; and no page with a map asks for anything outside the site."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import build_ok, make_site
from test_maps import SITE
from test_serve_browser import context  # noqa: F401 - the fixture

TAB_LIMIT = 80


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request."""

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path):
    """The map site built and served over HTTP from its output folder."""
    out = build_ok(make_site(tmp_path, SITE), "-o", tmp_path / "out", "--no-cache")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _focused(page) -> dict:
    return page.evaluate("""() => { const el = document.activeElement;
        return {cls: el.getAttribute('class') || '', label: el.getAttribute('aria-label'),
                href: el.getAttribute('href'), svg: el instanceof SVGElement}; }""")


def test_tab_reaches_a_map_marker_and_enter_follows_it(context, served: str) -> None:  # noqa: F811
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + "/locations/")
    page.wait_for_load_state("load")
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = _focused(page)
        if "map-marker" in now["cls"].split():
            break
    else:
        raise AssertionError("Tab never reached a map marker")
    assert now["svg"] and now["label"] and now["href"].startswith("/locations/")
    # The focused marker looks focused: its circle takes the focus colour.
    fill = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('circle')).fill")
    idle = page.evaluate("() => getComputedStyle(document.querySelector('a.map-marker:not(:focus) circle')).fill")
    assert fill != idle
    page.keyboard.press("Enter")
    page.wait_for_url(served + now["href"])
    assert page.locator("h1").inner_text().strip() == now["label"].split(",")[0]
    # The location page has its locator map, drawn (the SVG has a size on screen).
    box = page.locator("figure.map svg").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    for url in ("/articles/alpha/", "/"):
        page.goto(served + url)
        page.wait_for_load_state("load")
    outside = [u for u in requests if urlsplit(u).netloc != urlsplit(served).netloc and not u.startswith("data:")]
    assert outside == []
