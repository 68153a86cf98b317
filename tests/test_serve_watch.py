"""Watching, debouncing and the rebuild loop: every kind of editor save ends in the right site."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.errors import Diagnostic
from generator.serve.livereload import Hub, Message
from generator.serve.loop import RebuildLoop
from generator.serve.watcher import ChangeBatch, ChangeQueue, Watcher, is_editor_noise

# -- a fake builder: content/*.md -> <stem>/index.html; "BROKEN" in a file is an error -----------


@dataclass
class Result:
    ok: bool
    diagnostics: list = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duration: float = 0.0


class FakeBuilder:
    """Stands in for generator.build.Builder: full scan, writes only changed bytes."""

    def __init__(self, source: Path, output: Path, delay: float = 0.0) -> None:
        self.source = source
        self.output = output
        self.delay = delay
        self.config = SimpleNamespace(base_url="http://example.org/")
        self.calls: list[set[Path] | None] = []
        self.fail_with: Exception | None = None

    def watch_paths(self) -> list[Path]:
        s = self.source
        return [s / "content", s / "templates", s / "static", s / "briefing.yaml"]

    def ignored_paths(self) -> list[Path]:
        return [self.source / ".briefing-cache"]

    def _plan(self) -> tuple[dict[str, bytes], list[Diagnostic]]:
        plan: dict[str, bytes] = {}
        errors = []
        for md in sorted((self.source / "content").rglob("*.md")):
            text = md.read_text()
            if "BROKEN" in text:
                line = text[: text.index("BROKEN")].count("\n") + 1
                errors.append(
                    Diagnostic(str(md.relative_to(self.source)), line, "title", "bad <x>")
                )
            stem = md.relative_to(self.source / "content").with_suffix("").as_posix()
            plan[f"{stem}/index.html"] = f"<html><body>{text}</body></html>".encode()
        for css in sorted((self.source / "static").rglob("*.css")):
            plan[f"static/{css.name}"] = css.read_bytes()
        return plan, errors

    def build(self, changed: set[Path] | None = None) -> Result:
        self.calls.append(changed)
        time.sleep(self.delay)
        if self.fail_with:
            raise self.fail_with
        plan, errors = self._plan()
        if errors:
            return Result(False, errors)
        written = []
        for rel, data in plan.items():
            target = self.output / rel
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.append(rel)
        removed = []
        if self.output.is_dir():
            for path in sorted(self.output.rglob("*")):
                rel = path.relative_to(self.output).as_posix()
                if path.is_file() and rel not in plan:
                    path.unlink()
                    removed.append(rel)
        return Result(True, [], written, removed)


def make_site(root: Path) -> Path:
    (root / "content" / "articles").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "content" / "articles" / "x.md").write_text("Body text.\n")
    (root / "static" / "style.css").write_text("body{}\n")
    (root / "briefing.yaml").write_text("title: t\n")
    return root


class Collector:
    """A hub subscription that records every message."""

    def __init__(self, hub: Hub) -> None:
        self.sub = hub.subscribe()
        self.sub.get(timeout=1)  # hello

    def events(self, wait: float = 0.0) -> list[Message]:
        found = []
        deadline = time.monotonic() + wait
        while True:
            message = self.sub.get(timeout=max(0.0, deadline - time.monotonic()) or 0.001)
            if message is None:
                if time.monotonic() >= deadline:
                    return found
                continue
            found.append(message)


# -- ignore rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".x.md.swp",
        ".x.md.swo",
        "x.md~",
        "#x.md#",
        ".#x.md",
        "4913",
        ".DS_Store",
        "x.md.kate-swp",
        "x.md___jb_tmp___",
        ".goutputstream-AB12",
        "style.css.crswap",
        "sedAb12Z9",
    ],
)
def test_editor_noise_is_ignored(name: str) -> None:
    assert is_editor_noise(name)


@pytest.mark.parametrize("name", ["x.md", "style.css", "briefing.yaml", "4913.md", "a#b.md"])
def test_real_files_are_not_noise(name: str) -> None:
    assert not is_editor_noise(name)


# -- debounce and coalescing ----------------------------------------------------------------------


def test_a_burst_of_changes_is_one_batch() -> None:
    queue = ChangeQueue(quiet=0.05)
    for i in range(10):
        queue.put([Path(f"/s/{i % 3}.md")])
        time.sleep(0.005)
    batch = queue.get(timeout=1)
    assert batch == ChangeBatch(frozenset(Path(f"/s/{i}.md") for i in range(3)))
    assert queue.get(timeout=0.1) is None


def test_the_batch_waits_for_a_quiet_window() -> None:
    queue = ChangeQueue(quiet=0.1)
    queue.put([Path("/s/a.md")])
    started = time.monotonic()
    batch = queue.get(timeout=1)
    assert batch is not None and time.monotonic() - started >= 0.09


def test_a_finished_save_needs_only_a_short_window() -> None:
    queue = ChangeQueue(quiet=0.3, settled_quiet=0.01)
    queue.put([Path("/s/a.md")])
    queue.put([Path("/s/a.md")], settled=True)  # closed after writing
    started = time.monotonic()
    assert queue.get(timeout=1) is not None
    assert time.monotonic() - started < 0.15
    queue.put([Path("/s/a.md")], settled=True)
    queue.put([Path("/s/b.md")])  # still being written: the full window again
    started = time.monotonic()
    assert queue.get(timeout=1) is not None
    assert time.monotonic() - started >= 0.25


def test_a_steady_stream_still_releases_after_max_delay() -> None:
    queue = ChangeQueue(quiet=0.05, max_delay=0.2)
    stop = threading.Event()

    def stream() -> None:
        while not stop.is_set():
            queue.put([Path("/s/a.md")])
            time.sleep(0.01)

    thread = threading.Thread(target=stream)
    thread.start()
    try:
        started = time.monotonic()
        assert queue.get(timeout=2) is not None
        assert time.monotonic() - started < 0.5
    finally:
        stop.set()
        thread.join()


def test_structural_flag_is_kept_and_close_wakes_waiters() -> None:
    queue = ChangeQueue(quiet=0.01)
    queue.put([Path("/s/a")], structural=True)
    queue.put([Path("/s/b.md")])
    assert queue.get(timeout=1) == ChangeBatch(frozenset({Path("/s/a"), Path("/s/b.md")}), True)
    threading.Timer(0.05, queue.close).start()
    assert queue.get() is None


def test_changes_during_a_build_coalesce_into_one_more_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "src")
    builder = FakeBuilder(site, tmp_path / "out", delay=0.3)
    queue = ChangeQueue(quiet=0.02)
    loop = RebuildLoop(builder, Hub(), queue, out=open(os.devnull, "w"))
    thread = threading.Thread(target=loop.run)
    thread.start()
    try:
        md = site / "content" / "articles" / "x.md"
        queue.put([md])
        time.sleep(0.1)  # the first build is running now
        for i in range(8):
            md.write_text(f"Edit {i}\n")
            queue.put([md])
            time.sleep(0.02)
        deadline = time.monotonic() + 5
        while (len(builder.calls) < 2 or not loop.idle.is_set()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        assert builder.calls == [{md}, {md}]
        assert b"Edit 7" in (tmp_path / "out" / "articles/x/index.html").read_bytes()
    finally:
        queue.close()
        thread.join()


# -- the rebuild loop's messages ------------------------------------------------------------------


@pytest.fixture
def loop_site(tmp_path: Path):
    site = make_site(tmp_path / "src")
    builder = FakeBuilder(site, tmp_path / "out")
    hub = Hub()
    loop = RebuildLoop(builder, hub, ChangeQueue(), out=open(os.devnull, "w"))
    assert loop.build(None)
    return site, builder, hub, loop


def test_a_content_edit_reloads(loop_site) -> None:
    site, builder, hub, loop = loop_site
    seen = Collector(hub)
    (site / "content" / "articles" / "x.md").write_text("New body\n")
    assert loop.build({site / "content" / "articles" / "x.md"})
    assert [m.event for m in seen.events()] == ["reload"]
    assert b"New body" in (builder.output / "articles/x/index.html").read_bytes()


def test_a_stylesheet_edit_refreshes_styles_only(loop_site) -> None:
    site, _, hub, loop = loop_site
    seen = Collector(hub)
    (site / "static" / "style.css").write_text("body{color:red}\n")
    assert loop.build({site / "static" / "style.css"})
    assert [(m.event, m.data["paths"]) for m in seen.events()] == [("css", ["static/style.css"])]


def test_a_save_without_changes_sends_nothing(loop_site) -> None:
    site, _, hub, loop = loop_site
    seen = Collector(hub)
    assert loop.build({site / "content" / "articles" / "x.md"})
    assert seen.events() == []


def test_a_failed_build_shows_errors_and_keeps_the_last_good_site(loop_site) -> None:
    site, builder, hub, loop = loop_site
    seen = Collector(hub)
    md = site / "content" / "articles" / "x.md"
    md.write_text("line one\nBROKEN\n")
    assert not loop.build({md})
    (message,) = seen.events()
    assert message.event == "build-error"
    assert message.data["errors"] == ["content/articles/x.md:2: title: bad <x>"]
    assert hub.errors == message.data["errors"]
    assert b"Body text." in (builder.output / "articles/x/index.html").read_bytes()
    md.write_text("Fixed\n")
    assert loop.build({md})
    assert [m.event for m in seen.events()] == ["reload"]
    assert hub.errors == []


def test_fixing_back_to_the_last_good_text_still_clears_the_overlay(loop_site) -> None:
    site, _, hub, loop = loop_site
    md = site / "content" / "articles" / "x.md"
    good = md.read_text()
    md.write_text("BROKEN\n")
    loop.build({md})
    seen = Collector(hub)
    md.write_text(good)
    assert loop.build({md})  # writes nothing: the output already holds this text
    assert [m.event for m in seen.events()] == ["reload"] and hub.errors == []


def test_a_crashing_builder_does_not_stop_the_loop(loop_site) -> None:
    site, builder, hub, loop = loop_site
    seen = Collector(hub)
    builder.fail_with = RuntimeError("boom")
    assert not loop.build(None)
    assert seen.events()[0].data["errors"] == ["internal error: RuntimeError: boom"]
    builder.fail_with = None
    assert loop.build(None)
    assert [m.event for m in seen.events()] == ["reload"]


# -- the watcher on a real file system (inotify and polling) --------------------------------------


@pytest.fixture(params=["events", "poll"])
def watched(request, tmp_path: Path):
    site = make_site(tmp_path / "src")
    (site / "site").mkdir()
    (site / ".briefing-cache").mkdir()
    queue = ChangeQueue(quiet=0.05)
    watcher = Watcher(
        queue,
        ignored=[site / "site", site / ".briefing-cache"],
        poll=request.param == "poll",
        poll_interval=0.1,
    )
    watcher.watch(FakeBuilder(site, site / "site").watch_paths())
    watcher.start()
    time.sleep(0.1)
    yield site, queue, watcher
    watcher.stop()


def drain(queue: ChangeQueue, settle: float = 0.6) -> ChangeBatch:
    """Everything the watcher reports until it has been quiet for ``settle`` seconds."""
    paths: set[Path] = set()
    structural = False
    while (batch := queue.get(timeout=settle)) is not None:
        paths |= batch.paths
        structural = structural or batch.structural
    return ChangeBatch(frozenset(paths), structural)


def rel(site: Path, batch: ChangeBatch) -> set[str]:
    return {p.relative_to(site).as_posix() for p in batch.paths}


def test_plain_write(watched) -> None:
    site, queue, _ = watched
    (site / "content/articles/x.md").write_text("changed\n")
    assert rel(site, drain(queue)) == {"content/articles/x.md"}


def test_atomic_save_reports_the_real_file(watched) -> None:
    site, queue, _ = watched
    tmp = site / "content/articles/.x.md.tmp123"
    tmp.write_text("atomic\n")
    os.replace(tmp, site / "content/articles/x.md")
    assert rel(site, drain(queue)) == {"content/articles/x.md"}


def test_vim_backup_dance(watched) -> None:
    site, queue, _ = watched
    folder = site / "content/articles"
    (folder / ".x.md.swp").write_bytes(b"swap")
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    os.rename(folder / "x.md", folder / "x.md~")
    (folder / "x.md").write_text("from vim\n")
    (folder / "x.md~").unlink()
    (folder / ".x.md.swp").unlink()
    assert rel(site, drain(queue)) == {"content/articles/x.md"}


def test_emacs_lock_and_autosave_are_ignored(watched) -> None:
    site, queue, _ = watched
    folder = site / "content/articles"
    (folder / "#x.md#").write_text("autosave")
    os.symlink("user@host.1234", folder / ".#x.md")
    (folder / "#x.md#").unlink()
    (folder / ".#x.md").unlink()
    assert drain(queue).paths == frozenset()


def test_new_deleted_and_renamed_files(watched) -> None:
    site, queue, _ = watched
    folder = site / "content/articles"
    (folder / "new.md").write_text("new\n")
    assert rel(site, drain(queue)) == {"content/articles/new.md"}
    os.rename(folder / "new.md", folder / "renamed.md")
    assert rel(site, drain(queue)) >= {"content/articles/renamed.md"}
    (folder / "renamed.md").unlink()
    assert rel(site, drain(queue)) == {"content/articles/renamed.md"}


def test_renamed_folder_is_structural(watched) -> None:
    site, queue, _ = watched
    os.rename(site / "content/articles", site / "content/reports")
    batch = drain(queue)
    assert batch.structural
    assert "content/reports" in rel(site, batch) or "content/reports/x.md" in rel(site, batch)


def test_output_and_cache_are_never_reported(watched) -> None:
    site, queue, watcher = watched
    (site / "site" / "index.html").write_text("out")
    (site / ".briefing-cache" / "x").write_text("cache")
    (site / "unrelated.txt").write_text("not a source")
    assert drain(queue).paths == frozenset()
    assert (site / "site", True) not in watcher.watched_folders()


def test_config_file_and_a_templates_folder_created_later(watched) -> None:
    site, queue, watcher = watched
    (site / "briefing.yaml").write_text("title: changed\n")
    assert rel(site, drain(queue)) == {"briefing.yaml"}
    (site / "templates").mkdir()
    assert "templates" in rel(site, drain(queue))
    assert watcher.watch(FakeBuilder(site, site / "site").watch_paths())  # the loop does this
    (site / "templates" / "page.html").write_text("{{ page }}")
    assert rel(site, drain(queue)) == {"templates/page.html"}


def test_a_replaced_folder_is_watched_again(watched) -> None:
    site, queue, watcher = watched
    shutil.rmtree(site / "static")
    (site / "static").mkdir()
    drain(queue)
    watcher.watch(FakeBuilder(site, site / "site").watch_paths())
    (site / "static" / "style.css").write_text("p{}\n")
    assert rel(site, drain(queue)) == {"static/style.css"}


# -- the whole preview with the real builder: each kind of edit ends in the right site -----------

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
