"""Reader aids in headless Chromium: the timeline component with the keyboard, link previews,
and no request outside the site."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import make_site
from test_reader import FILES
from test_serve_browser import context  # noqa: F401 - the Chromium fixture

from generator.build import Builder


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # noqa: D102 - silence the access log
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """The reader test site, built and served as static files on a local port."""
    root = tmp_path_factory.mktemp("reader-browser")
    out = root / "out"
    builder = Builder(make_site(root, FILES), out, use_cache=False, jobs=1)
    assert builder.build().ok
    builder.close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def watched(context, served):  # noqa: F811 - the fixture of test_serve_browser
    """A page whose every request is recorded (to check none leaves the site)."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    yield page, seen
    outside = [u for u in seen if not u.startswith(served) and not u.startswith("data:")]
    assert outside == [], outside


def _visible_entries(page) -> list[str]:
    return page.eval_on_selector_all("li.entry", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_timeline_filters_with_the_keyboard_update_the_url_and_hide_entries(watched, served: str) -> None:
    from playwright.sync_api import expect

    page, _ = watched
    page.goto(served + "timeline/")
    expect(page.locator(".timeline-axis")).to_be_visible()
    expect(page.locator("form.timeline-filter")).to_be_visible()
    marks = page.locator(".timeline-mark")
    assert marks.count() == 3  # lanes by type: each dated entry once
    everything = _visible_entries(page)
    assert len(everything) == 3
    # Keyboard only: focus the confidence select, pick the next option with the arrow key.
    page.locator("#tl-confidence").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.search.includes('confidence=')")
    shown = _visible_entries(page)
    assert 0 < len(shown) < len(everything)
    assert page.locator(".timeline-mark:not([hidden])").count() == len(shown)
    # A type checkbox toggles with Space.
    page.locator('form.timeline-filter input[name="kind"][value="article"]').focus()
    page.keyboard.press("Space")
    page.wait_for_function("location.search.includes('show=')")
    assert all(not i.startswith("article-") for i in _visible_entries(page))
    # Lanes by actor: one lane per actor named, and the choice in the address.
    page.locator("#tl-lanes").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.search.includes('lanes=actor')")
    labels = page.eval_on_selector_all(".timeline-lane", "els => els.map(e => e.getAttribute('aria-label'))")
    assert "Russia" in labels and "Iran" in labels
    # Entries on the axis are focusable links with a visible focus ring.
    page.goto(served + "timeline/")
    first = page.locator(".timeline-mark").first
    first.focus()
    assert page.evaluate("document.activeElement.classList.contains('timeline-mark')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_a_shared_timeline_url_applies_its_filters(watched, served: str) -> None:
    page, _ = watched
    page.goto(served + "timeline/?tag=basing")
    page.wait_for_selector("form.timeline-filter:not([hidden])")
    assert page.locator("#tl-tag").input_value() == "basing"
    shown = _visible_entries(page)
    assert len(shown) == 1 and "beta" in shown[0]


def test_term_page_timeline_uses_the_same_component(watched, served: str) -> None:
    page, _ = watched
    page.goto(served + "actors/russia/")
    page.wait_for_selector(".term-timeline .timeline-axis")
    assert page.locator(".term-timeline #tl-actor").count() == 1


def test_focusing_an_internal_link_shows_its_preview_and_escape_hides_it(watched, served: str) -> None:
    from playwright.sync_api import expect

    page, _ = watched
    page.goto(served + "articles/alpha/")
    link = page.locator('.doc-body a.xref[href="/articles/beta/"]')
    box_before = page.locator(".doc-body").bounding_box()
    link.focus()
    card = page.locator("#preview-card")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("role", "tooltip")
    expect(card).to_contain_text("Beta report")
    expect(card).to_contain_text("High confidence")
    expect(card).to_contain_text("Beta in short.")
    expect(link).to_have_attribute("aria-describedby", "preview-card")
    assert card.evaluate("e => getComputedStyle(e).position") == "absolute"
    assert page.locator(".doc-body").bounding_box() == box_before  # no layout shift
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None
    # An external link gets no card.
    page.locator('.doc-body a.external').focus()
    page.wait_for_timeout(200)
    expect(card).to_be_hidden()
    # Hovering a term cross-link shows the term's card.
    page.locator('.doc-body a.xref[href="/actors/russia/"]').hover()
    expect(card).to_be_visible()
    expect(card).to_contain_text("The Russian state.")


def test_timeline_data_is_preloaded_and_fetched_once(watched, served: str) -> None:
    page, seen = watched
    page.goto(served + "timeline/")
    page.wait_for_selector(".timeline-enhanced")
    preload = page.eval_on_selector_all('link[rel="preload"][as="fetch"]', "els => els.map(e => e.href)")
    assert preload == [served + "timeline.json"]
    assert [u for u in seen if u.endswith("/timeline.json")] == [served + "timeline.json"]


def test_timeline_filters_redraw_the_axis_with_only_the_shown_entries(watched, served: str) -> None:
    page, _ = watched
    page.goto(served + "timeline/?tag=basing")
    page.wait_for_selector(".timeline-enhanced")
    # Marks of filtered-out entries are not on the axis at all (not merely hidden).
    hrefs = page.eval_on_selector_all(".timeline-mark", "els => els.map(e => e.getAttribute('href').slice(1))")
    assert hrefs == _visible_entries(page)
    page.locator("#tl-tag").select_option("")
    assert page.locator(".timeline-mark").count() == 3
