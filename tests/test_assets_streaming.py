"""Static files and content attachments are streamed into the site, never held in memory, and
copied again only when their bytes changed."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import BASIC_SITE, REPO, make_site

from generator import assets as assets_module
from generator.build import Builder, build_site
from generator.publish import PublishOptions, publish_site
from generator.publish.progress import Progress
from generator.sources import digest

ARTICLE = "content/articles/2024-12-06-russia-moves-air-defence-to-hmeimim.md"
BLOB = bytes(range(256)) * 4096 + b"tail"  # ~1 MB, more than one chunk


def _hash(path: Path) -> str:
    """The blake2b of a file, read a chunk at a time (the test's own, not the code's)."""
    hasher = hashlib.blake2b()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def _edit_article(site: Path, word: str) -> None:
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace("Trucks", word, 1), encoding="utf-8")


def test_a_large_asset_is_copied_with_peak_memory_far_below_its_size(tmp_path: Path) -> None:
    size = 300 * 1024 * 1024
    site = make_site(tmp_path, {**BASIC_SITE, "static/video.mp4": b""})
    os.truncate(site / "static" / "video.mp4", size)  # sparse: costs no disk until copied
    # VmHWM, the peak of this process's own memory: ru_maxrss would start at the parent's
    # size (Linux keeps it across exec), and the test runner may be large by now.
    script = (
        "import re, sys\n"
        "from generator.build import build_site\n"
        "build_site(sys.argv[1], jobs=1)\n"
        "print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True, text=True,
                          timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr
    peak_kib = int(done.stdout.split()[-1])
    assert peak_kib * 1024 < size / 3, f"peak memory {peak_kib} KiB for a {size}-byte asset"
    copied = site / "site" / "static" / "video.mp4"
    assert copied.stat().st_size == size
    assert _hash(copied) == _hash(site / "static" / "video.mp4")


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_rebuild_does_not_rewrite_an_unchanged_asset(tmp_path: Path, use_cache: bool) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/big.bin": BLOB, "content/articles/map.png": b"\x89PNG map"})
    first = build_site(site, use_cache=use_cache)
    assert {"static/big.bin", "articles/map.png"} <= set(first.written)
    before = (site / "site/static/big.bin").stat()
    _edit_article(site, "Lorries")  # something changed, so the build runs in full
    again = build_site(site, use_cache=use_cache)
    assert again.written and "static/big.bin" not in again.written and "articles/map.png" not in again.written
    after = (site / "site/static/big.bin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_edited_asset_is_rewritten_even_with_its_size_and_mtime_restored(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/big.bin": BLOB})
    build_site(site)
    source = site / "static/big.bin"
    st = source.stat()
    edited = b"X" + BLOB[1:]
    with open(source, "r+b") as handle:
        handle.write(b"X")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = build_site(site)
    assert "static/big.bin" in again.written
    assert (site / "site/static/big.bin").read_bytes() == edited


def test_a_new_build_does_not_read_an_unchanged_asset_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/big.bin": BLOB, "static/style.css": "p { color: red }\n"})
    build_site(site, jobs=1)
    read: list[str] = []
    real = assets_module.file_digest
    monkeypatch.setattr(assets_module, "file_digest", lambda path: read.append(str(path)) or real(path))
    _edit_article(site, "Lorries")
    build_site(site, jobs=1)
    assert read == []
    (site / "static/style.css").write_text("p { color: blue }\n", encoding="utf-8")
    build_site(site, jobs=1)
    assert read == [str(site / "static/style.css")]


def test_fingerprinted_names_are_the_digest_of_the_bytes(tmp_path: Path) -> None:
    css = ("body { color: rebeccapurple }\n" * 60000).encode()  # bigger than a read chunk
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": BASIC_SITE["briefing.yaml"] + "fingerprint_assets: true\n",
                                "static/style.css": css})
    out = build_site(site).output
    assert (out / f"static/style.{digest(css)[:10]}.css").read_bytes() == css


def test_the_running_builder_rewrites_only_edited_assets(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/a.bin": BLOB, "static/b.bin": BLOB[::-1]})
    builder = Builder(site, atomic_swap=False)
    try:
        assert builder.build().ok
        (site / "static/a.bin").write_bytes(BLOB + b"more")
        result = builder.build()
        assert result.ok and "static/a.bin" in result.written and "static/b.bin" not in result.written
        assert (site / "site/static/a.bin").read_bytes() == BLOB + b"more"
        assert (site / "site/static/b.bin").read_bytes() == BLOB[::-1]
    finally:
        builder.close()


def test_a_failed_build_leaves_the_last_copied_asset(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/a.bin": BLOB})
    build_site(site)
    (site / "static/a.bin").write_bytes(b"new bytes")
    (site / "content/notes/broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = Builder(site, one_shot=True).build()
    assert not result.ok
    assert (site / "site/static/a.bin").read_bytes() == BLOB


def test_the_running_builder_rewrites_an_asset_edited_with_its_size_and_mtime_restored(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**BASIC_SITE, "static/a.bin": BLOB})
    builder = Builder(site, atomic_swap=False)
    try:
        assert builder.build().ok
        source = site / "static/a.bin"
        st = source.stat()
        with open(source, "r+b") as handle:
            handle.write(b"Z")
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
        result = builder.build()
        assert result.ok and "static/a.bin" in result.written
        assert (site / "site/static/a.bin").read_bytes() == b"Z" + BLOB[1:]
    finally:
        builder.close()


def test_a_git_publish_hashes_a_large_file_without_holding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")
    source = tmp_path / "src"
    source.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(source)], check=True)
    built = tmp_path / "built"
    (built / "static").mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    size = 48 * 1024 * 1024
    with open(built / "static" / "video.mp4", "wb") as handle:
        handle.truncate(size)
    progress = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    tracemalloc.start()
    try:
        publish_site(built, "git:gh-pages", PublishOptions(source=source), progress=progress)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    listed = subprocess.run(["git", "-C", str(source), "ls-tree", "-r", "-l", "gh-pages"], capture_output=True,
                            text=True, check=True).stdout
    sizes = {line.split("\t")[1]: int(line.split("\t")[0].split()[3]) for line in listed.splitlines()}
    assert sizes["static/video.mp4"] == size
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"
