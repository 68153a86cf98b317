"""The whole preview with the real builder: every kind of editor save ends in the right site."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from servehelpers import Collector, FakeBuilder, make_site

from generator.serve.livereload import Message

ARTICLE = "---\ntitle: Test article\ndate: 2024-12-06\ntags: [a]\n---\n{body}\n"


class Live:
    """A running Preview on a small real site, with helpers to edit and to wait for reloads."""

    def __init__(self, root: Path, poll: bool) -> None:
        from generator.build import Builder
        from generator.serve.preview import Preview

        self.site = root / "src"
        (self.site / "content" / "articles").mkdir(parents=True)
        self.md = self.site / "content" / "articles" / "x.md"
        self.md.write_text(ARTICLE.format(body="Body text."))
        builder = Builder(self.site, root / "out", quiet=True, atomic_swap=False)
        self.preview = Preview(
            builder, port=0, poll=poll, poll_interval=0.1, out=open(os.devnull, "w")
        )
        self.preview.start()
        self.seen = Collector(self.preview.hub)

    def fetch(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.preview.url + path.lstrip("/"), timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def next_event(self, timeout: float = 10.0) -> Message:
        """The next reload/css/error message (waits for the rebuild that follows an edit)."""
        message = self.seen.sub.get(timeout=timeout)
        assert message is not None, "no rebuild was announced"
        return message

    def settle(self, quiet: float = 0.3) -> None:
        """Wait ``quiet`` seconds, then until no rebuild is pending or running."""
        time.sleep(quiet)
        while self.preview.queue.pending() or not self.preview.served.idle.is_set():
            time.sleep(0.05)


@pytest.fixture(params=["events", "poll"])
def live(request, tmp_path: Path):
    running = Live(tmp_path, poll=request.param == "poll")
    running.mode = request.param
    yield running
    running.preview.stop()


def test_live_plain_write_then_the_page_is_new_when_reload_arrives(live: Live) -> None:
    assert "Body text." in live.fetch("/articles/x/")[1]
    live.md.write_text(ARTICLE.format(body="Edited once."))
    assert live.next_event().event == "reload"
    status, page = live.fetch("/articles/x/")  # asked right at the reload: already complete
    assert status == 200 and "Edited once." in page and "/__briefing__/reload.js" in page


def test_live_atomic_save_and_vim_dance(live: Live) -> None:
    tmp = live.md.with_name(".x.md.tmp42")
    tmp.write_text(ARTICLE.format(body="Saved atomically."))
    os.replace(tmp, live.md)
    assert live.next_event().event == "reload"
    assert "Saved atomically." in live.fetch("/articles/x/")[1]
    os.rename(live.md, live.md.with_name("x.md~"))
    live.md.write_text(ARTICLE.format(body="Written by vim."))
    live.md.with_name("x.md~").unlink()
    live.settle()
    assert "Written by vim." in live.fetch("/articles/x/")[1]


def test_live_two_saves_within_one_mtime_tick(tmp_path: Path) -> None:
    # file events only: polling compares mtime and size, which this edit leaves unchanged
    live = Live(tmp_path, poll=False)
    try:
        before = live.md.stat()
        live.md.write_text(ARTICLE.format(body="Body TEXT."))  # same size as before
        os.utime(live.md, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert live.md.stat().st_size == before.st_size
        live.settle()
        assert "Body TEXT." in live.fetch("/articles/x/")[1]
    finally:
        live.preview.stop()


def test_live_new_deleted_and_renamed_files(live: Live) -> None:
    new = live.md.with_name("fresh.md")
    new.write_text(ARTICLE.format(body="A fresh one.").replace("Test article", "Fresh"))
    live.settle()
    assert "A fresh one." in live.fetch("/articles/fresh/")[1]
    new.rename(new.with_name("moved.md"))
    live.settle()
    assert live.fetch("/articles/fresh/")[0] == 404
    assert "A fresh one." in live.fetch("/articles/moved/")[1]
    new.with_name("moved.md").unlink()
    live.settle()
    assert live.fetch("/articles/moved/")[0] == 404


@pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")  # watchdog re-adds a watch
def test_live_renamed_folders(live: Live) -> None:
    batch = live.site / "content" / "articles" / "batch"
    batch.mkdir()
    (batch / "inner.md").write_text(ARTICLE.format(body="Inside a folder."))
    live.settle()
    assert "Inside a folder." in live.fetch("/articles/inner/")[1]
    outside = live.site / "parked"
    batch.rename(outside)
    live.settle(0.9)  # inotify holds a move out of the tree 0.5 s, waiting for its other half
    assert live.fetch("/articles/inner/")[0] == 404
    outside.rename(batch)
    live.settle()
    assert "Inside a folder." in live.fetch("/articles/inner/")[1]


def test_live_error_overlay_and_recovery(live: Live) -> None:
    live.md.write_text(
        ARTICLE.format(body="Never shown.").replace("title: Test article", "title: [x")
    )
    message = live.next_event()
    assert message.event == "build-error"
    assert any(re.match(r"content/articles/x\.md:\d+: ", e) for e in message.data["errors"])
    status, page = live.fetch("/articles/x/")
    assert status == 200 and "Body text." in page  # the last good site stays served
    live.md.write_text(ARTICLE.format(body="Fixed now."))
    assert live.next_event().event == "reload"
    assert "Fixed now." in live.fetch("/articles/x/")[1] and live.preview.hub.errors == []


def test_live_burst_of_saves_is_coalesced(live: Live) -> None:
    builds = live.preview.loop.builds
    for i in range(15):  # a formatter or "save all": saves back to back
        live.md.write_text(ARTICLE.format(body=f"Burst {i}."))
    live.settle()
    assert "Burst 14." in live.fetch("/articles/x/")[1]
    assert live.preview.loop.builds - builds <= 2  # one, or one more queued behind it


def test_live_config_edit_moves_the_base_path(live: Live) -> None:
    (live.site / "briefing.yaml").write_text("base_url: https://example.org/briefs/\n")
    assert live.next_event().event == "reload"
    assert live.preview.served.prefix == "/briefs/" and live.preview.url.endswith("/briefs/")
    assert "Body text." in live.fetch("/articles/x/")[1]  # fetch() goes through preview.url


def test_a_watch_that_cannot_start_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    from generator.errors import BriefingError
    from generator.serve.preview import Preview

    site = make_site(tmp_path / "src")
    preview = Preview(FakeBuilder(site, tmp_path / "out"), port=0, out=open(os.devnull, "w"))

    def refuse() -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(preview.watcher, "start", refuse)
    with pytest.raises(BriefingError, match="try --poll"):
        preview.start()


def test_a_running_preview_lets_the_server_in_within_a_millisecond_and_gives_the_interval_back(tmp_path: Path) -> None:
    """A rebuild runs beside the HTTP server: while a preview runs, a thread waiting for the
    interpreter (the server answering the browser that a page written ahead of the rebuild
    updated) gets it within 1 ms, not Python's 5 ms; stopped, the process's own setting is back."""
    import sys

    from generator.serve.preview import SWITCH_INTERVAL, Preview

    own = sys.getswitchinterval()
    site = make_site(tmp_path / "src")
    preview = Preview(FakeBuilder(site, tmp_path / "out"), port=0, out=open(os.devnull, "w"))
    try:
        preview.start()
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL) and SWITCH_INTERVAL <= 0.001 < own
    finally:
        preview.stop()
    assert sys.getswitchinterval() == pytest.approx(own)
