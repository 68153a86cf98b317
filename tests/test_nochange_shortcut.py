"""The no-change shortcut (a snapshot of the inputs' stats) and the loader's stat check are as
sure as a full check: an edit the stats can see is never served stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BASIC_SITE, make_site, page

from generator.build import Builder, build_site
from generator.serve.watcher import ChangeQueue, Watcher

ARTICLE = "content/articles/2024-12-06-russia-moves-air-defence-to-hmeimim.md"
URL = "/articles/russia-moves-air-defence-to-hmeimim/"
OLD_TITLE = "title: Russia moves air defence to Hmeimim"
NEW_TITLE = "title: Russia moves AIR defence to Hmeimim"  # the same size


def _linked_site(tmp_path: Path) -> Path:
    """A site whose content/articles is a symbolic link to a folder inside the site."""
    files = {k: v for k, v in BASIC_SITE.items() if not k.startswith("content/articles/")}
    files["linked/articles/" + ARTICLE.rsplit("/", 1)[1]] = BASIC_SITE[ARTICLE]
    site = make_site(tmp_path, files)
    (site / "content" / "articles").symlink_to(site / "linked" / "articles", target_is_directory=True)
    return site


def _edit_keeping_size_and_mtime(path: Path) -> None:
    """Rewrite a file in place with bytes of the same size and put its old times back."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert OLD_TITLE in text
    path.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8", newline="\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)


def _title(site: Path) -> str:
    return page(site / "site", URL).h1


def test_a_second_build_picks_up_an_edit_inside_a_symlinked_content_folder(tmp_path: Path) -> None:
    site = _linked_site(tmp_path)
    build_site(site)
    assert _title(site) == "Russia moves air defence to Hmeimim"
    target = site / "linked" / "articles" / ARTICLE.rsplit("/", 1)[1]
    target.write_text(BASIC_SITE[ARTICLE].replace(OLD_TITLE, "title: Edited through the link"),
                      encoding="utf-8", newline="\n")
    result = build_site(site)
    assert "snapshot" not in result.timings
    assert _title(site) == "Edited through the link"


def test_a_second_build_picks_up_a_new_file_in_a_symlinked_content_folder(tmp_path: Path) -> None:
    site = _linked_site(tmp_path)
    build_site(site)
    (site / "linked" / "articles" / "new-one.md").write_text("---\ntitle: A new one\ndate: 2024-12-07\n---\nBody.\n",
                                                              encoding="utf-8")
    build_site(site)
    assert page(site / "site", "/articles/new-one/").h1 == "A new one"


def test_a_same_size_edit_with_the_old_mtime_restored_is_rebuilt(tmp_path: Path) -> None:
    site = make_site(tmp_path, BASIC_SITE)
    build_site(site)
    _edit_keeping_size_and_mtime(site / ARTICLE)
    result = build_site(site)
    assert "snapshot" not in result.timings
    assert _title(site) == "Russia moves AIR defence to Hmeimim"


def test_a_same_size_edit_with_the_old_mtime_restored_is_rebuilt_by_a_new_process(tmp_path: Path) -> None:
    site = make_site(tmp_path, BASIC_SITE)

    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(site)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    run()
    _edit_keeping_size_and_mtime(site / ARTICLE)
    run()
    assert _title(site) == "Russia moves AIR defence to Hmeimim"


def test_a_same_size_edit_of_a_linked_file_with_the_old_mtime_restored_is_rebuilt(tmp_path: Path) -> None:
    site = _linked_site(tmp_path)
    build_site(site)
    _edit_keeping_size_and_mtime(site / "linked" / "articles" / ARTICLE.rsplit("/", 1)[1])
    build_site(site)
    assert _title(site) == "Russia moves AIR defence to Hmeimim"


def test_the_running_builder_rebuilds_a_same_size_edit_with_the_old_mtime_restored(tmp_path: Path) -> None:
    site = make_site(tmp_path, BASIC_SITE)
    builder = Builder(site, atomic_swap=False)
    try:
        assert builder.build().ok
        _edit_keeping_size_and_mtime(site / ARTICLE)
        result = builder.build()
        assert result.ok and result.parsed == 1
        assert _title(site) == "Russia moves AIR defence to Hmeimim"
    finally:
        builder.close()


def test_the_running_builder_picks_up_an_edit_inside_a_symlinked_content_folder(tmp_path: Path) -> None:
    site = _linked_site(tmp_path)
    builder = Builder(site, atomic_swap=False)
    try:
        assert builder.build().ok
        _edit_keeping_size_and_mtime(site / "linked" / "articles" / ARTICLE.rsplit("/", 1)[1])
        assert builder.build().ok
        assert _title(site) == "Russia moves AIR defence to Hmeimim"
    finally:
        builder.close()


def test_a_build_with_nothing_changed_still_takes_the_shortcut(tmp_path: Path) -> None:
    site = _linked_site(tmp_path)
    build_site(site)
    again = build_site(site)
    assert "snapshot" in again.timings
    assert again.documents == 4 and again.rendered == 0


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_serve_sees_an_edit_inside_a_symlinked_content_folder(tmp_path: Path, poll: bool) -> None:
    site = _linked_site(tmp_path)
    builder = Builder(site, atomic_swap=False)
    queue = ChangeQueue(quiet=0.05)
    watcher = Watcher(queue, ignored=builder.ignored_paths(), poll=poll, poll_interval=0.1)
    try:
        assert builder.build().ok
        assert (site / "linked" / "articles").resolve() in builder.watch_paths()
        watcher.watch(builder.watch_paths())
        watcher.start()
        time.sleep(0.2)
        target = site / "linked" / "articles" / ARTICLE.rsplit("/", 1)[1]
        target.write_text(BASIC_SITE[ARTICLE].replace(OLD_TITLE, "title: Seen by the watcher"), encoding="utf-8")
        batch = queue.get(timeout=5)
        # The change may come by the link's path or the real one (a poller sees both).
        assert batch is not None and target.resolve() in {p.resolve() for p in batch.paths}
        assert builder.build(set(batch.paths)).ok
        assert _title(site) == "Seen by the watcher"
    finally:
        watcher.stop()
        builder.close()


def _saved_listing(site: Path) -> str:
    from generator.cache import ParseCache

    cache = ParseCache(site / ".briefing-cache")
    try:
        return cache.get_state("snapshot")["listing"]
    finally:
        cache.close()


def test_the_listing_a_build_saves_from_its_manifest_is_the_one_a_walk_of_the_output_finds(tmp_path: Path) -> None:
    # The no-change shortcut compares the output folder's listing with the one the last build
    # saved, which that build worked out from its manifest rather than walking the folder:
    # after a cold build, an edit, an asset, a hosting file and a deletion, they are equal,
    # and a build with nothing changed takes the shortcut.
    from generator.state import BuildState

    site = make_site(tmp_path, BASIC_SITE)
    out = site / "site"
    steps = [lambda: None,
             lambda: (site / ARTICLE).write_text(BASIC_SITE[ARTICLE] + "\nOne more line.\n", encoding="utf-8"),
             lambda: (site / "static").mkdir(exist_ok=True) or (site / "static" / "extra.css").write_text("p {}\n"),
             lambda: (out / "CNAME").write_text("briefs.example.org\n"),  # hosting files stay
             lambda: (site / "static" / "extra.css").unlink()]
    for step in steps:
        step()
        build_site(site)
        assert _saved_listing(site) == BuildState.output_listing(out)
        again = build_site(site)
        assert "snapshot" in again.timings and again.rendered == 0


def test_a_build_by_other_code_of_the_same_version_renders_every_page_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An install from a newer commit keeps the version number: neither the no-change shortcut
    # nor the saved digests may keep pages the other code rendered.
    from generator import memo

    site = _linked_site(tmp_path)
    first = build_site(site)
    monkeypatch.setattr(memo, "code_fingerprint", lambda: b"other code of the same version")
    again = build_site(site)
    assert "snapshot" not in again.timings
    assert again.documents == 4 and again.rendered == first.rendered > 0
