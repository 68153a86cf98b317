"""Headless Chromium for tests that read built pages: one browser, a static server for a built
site, a guard that records any request leaving the site, and axe-core for accessibility.

A browser test never skips under ``CI=true``: what it needs missing is a failure there.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where the browser test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[object]:
    """A launched headless Chromium (Playwright's sync API), closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def axe_source() -> str:
    """The text of axe.min.js, as bundled by the ``axe-playwright-python`` test extra."""
    try:
        import axe_playwright_python
    except ImportError:
        unavailable("axe-core is missing (pip install -e '.[test]' brings axe-playwright-python)")
    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not path.is_file():
        unavailable(f"{path} is missing from axe-playwright-python")
    return path.read_text(encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve a built site's folder on 127.0.0.1; yields its base URL (``http://host:port/``)."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def guard_requests(context: object, base: str) -> list[str]:
    """Abort every request of ``context`` that leaves ``base``; returns the list they go to."""
    outside: list[str] = []
    origin = urlsplit(base).netloc

    def route(route: object) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc == origin:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", route)
    return outside


def pages_of(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths relative to its root."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out
