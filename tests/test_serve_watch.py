"""Watching, debouncing and the rebuild loop: every kind of editor save ends in the right batch and message."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from servehelpers import Collector, FakeBuilder, make_site

from generator.serve.livereload import Hub
from generator.serve.loop import RebuildLoop
from generator.serve.watcher import ChangeBatch, ChangeQueue, Watcher, is_editor_noise

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


def test_a_rebuild_finishing_after_stop_starts_no_watch_thread(tmp_path: Path) -> None:
    """The serve loop re-watches after each rebuild; one that ends after the preview stopped
    must not schedule a folder, whose reader thread nothing would ever stop (and threads left
    running keep every later build in the process from forking workers)."""
    site = make_site(tmp_path)
    watcher = Watcher(ChangeQueue(quiet=0.05), ignored=[site / "site"])
    watcher.watch([site / "content"])
    watcher.start()
    watcher.stop()
    before = set(threading.enumerate())
    assert watcher.watch([site / "content", site / "static"]) is False
    time.sleep(0.2)
    assert not [t for t in threading.enumerate() if t not in before and t.is_alive()]
