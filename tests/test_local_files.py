"""A file a body links or shows by a path from its Markdown file (``![chart](chart.png)``) that
the site does not have is a warning at its line; the warning goes as soon as the file is there,
in a running builder and in a new process with the cache alike."""

from __future__ import annotations

from pathlib import Path

from conftest import build, make_site
from lineartime import assert_linear

from generator.build import Builder
from generator.markup.localfiles import local_files

FILES: dict[str, str | bytes] = {
    "content/articles/a.md": (
        "---\ntitle: Alpha\ndate: 2024-12-05\n---\n"
        "See ![the chart](chart.png) and the [data](data/x.csv?v=2#row).\n"
        "\n"
        "![kept](kept.png) [about](../../about/) [bundle](b/) [static](../../static/logo.png)\n"
        "[Bravo](b/index.md) and a <video src=\"clip.mp4\" poster=\"kept.png\"></video>\n"),
    "content/articles/kept.png": b"\x89PNG\r\n\x1a\n",
    "content/articles/b/index.md": "---\ntitle: Bravo\ndate: 2024-12-04\n---\n![own](own.png)\n",
    "content/articles/b/own.png": b"\x89PNG\r\n\x1a\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
    "static/logo.png": b"\x89PNG\r\n\x1a\n",
}

MISSING = [
    "content/articles/a.md:5: warning: link: chart.png names content/articles/chart.png, "
    "which is no file or page of this site",
    "content/articles/a.md:5: warning: link: data/x.csv names content/articles/data/x.csv, "
    "which is no file or page of this site",
    "content/articles/a.md:8: warning: link: clip.mp4 names content/articles/clip.mp4, "
    "which is no file or page of this site",
]


def _missing(text: str) -> list[str]:
    return [line for line in text.splitlines() if "no file or page" in line]


def test_a_missing_file_is_a_warning_at_its_line_and_files_and_pages_that_exist_are_not(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    run = build(site)
    assert run.code == 0, run.text
    assert _missing(run.err) == MISSING
    assert build(site, "--strict").code == 1


def test_the_warning_goes_when_the_file_is_added_and_comes_back_when_it_is_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    running = Builder(site, tmp_path / "running", atomic_swap=False, jobs=1)

    def both(*changed: Path) -> tuple[list[str], list[str]]:
        one_shot = Builder(site, tmp_path / "again", jobs=1, one_shot=True)
        try:
            again = one_shot.build()
        finally:
            one_shot.close()
        ran = running.build(changed=set(changed)) if changed else running.build()  # as serve tells it
        return ([str(d) for d in ran.diagnostics if "no file" in d.message],
                [str(d) for d in again.diagnostics if "no file" in d.message])
    try:
        assert both() == (MISSING, MISSING)
        chart = site / "content/articles/chart.png"
        chart.write_bytes(b"\x89PNG\r\n\x1a\n")
        assert both(chart) == (MISSING[1:], MISSING[1:])
        chart.unlink()
        assert both(chart) == (MISSING, MISSING)
    finally:
        running.close()


def test_the_paths_and_their_lines_are_found_in_time_linear_in_their_number() -> None:
    def made(n: int) -> tuple[str, str]:
        return '<p><img alt="c" src="c.png" /> <a href="d.csv">d</a></p>\n' * n, "![c](c.png) [d](d.csv)\n" * n

    def found(given: tuple[str, str]) -> None:
        assert local_files(*given, 5) == (("c.png", 5), ("d.csv", 5))  # each path once, at its first line
    assert_linear(made, found, 5_000)


def test_pelicans_static_and_attach_markers_name_files_from_the_content_folder_or_the_markdown_file(
        tmp_path: Path) -> None:
    from conftest import page

    site = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-05\n---\n"
                                  "![map]({static}/images/map.png) ![near]({attach}near.png) "
                                  "[old](|static|/images/map.png) ![gone]({static}/images/gone.png)\n"),
        "content/images/map.png": b"\x89PNG\r\n\x1a\n",
        "content/articles/near.png": b"\x89PNG\r\n\x1a\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    alpha = page(site / "site", "articles/a/")
    assert [(img.get("alt"), img.get("src")) for img in alpha.all("img") if img.get("alt") in ("map", "near", "gone")] == [
        ("map", "/images/map.png"), ("near", "/articles/near.png"), ("gone", "/images/gone.png")]
    assert [a.get("href") for a in alpha.all("a") if a.text == "old"] == ["/images/map.png"]
    assert (site / "site/images/map.png").is_file()
    assert _missing(run.err) == ["content/articles/a.md:5: warning: link: {static}/images/gone.png names "
                                 "content/images/gone.png, which is no file or page of this site"]
