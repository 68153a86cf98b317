"""The content walk gives path strings in the order of their paths' parts, as ``Path`` sorts
them (the order every build, resumed or not, reads the files in), and the same files as the
``Path`` walk."""

from __future__ import annotations

from pathlib import Path

from generator.sources import walk, walk_names

#: Names whose text order differs from their parts' order: ``-``, `` `` and ``.`` sort before ``/``.
NAMES = ["a/x.md", "a-b/x.md", "a b/x.md", "a.b/x.md", "a/b/x.md", "a/b-c.md", "a/b.md", "A/x.md",
         "a/x.png", "ab/x.md", "a/été.md", "z.md", "a/b/c/d/e.md"]


def test_walked_names_come_in_the_order_path_sorts_them_in(tmp_path: Path) -> None:
    site = tmp_path / "site"
    content = site / "content"
    for name in NAMES:
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x\n", encoding="utf-8")
    diags: list = []
    names = walk_names(content, site, diags)
    assert not diags
    assert names == [str(p) for p in sorted(content / n for n in NAMES)]
    assert names != sorted(names), "the names chosen must tell the two orders apart"
    assert [Path(n) for n in names] == walk(content, site, [])


def test_a_linked_folder_inside_the_site_is_walked_with_its_files_in_order(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "shared" / "x-y").mkdir(parents=True)
    (site / "shared" / "x-y" / "a.md").write_text("a\n", encoding="utf-8")
    (site / "shared" / "x.md").write_text("x\n", encoding="utf-8")
    content = site / "content"
    (content / "notes").mkdir(parents=True)
    (content / "notes" / "n.md").write_text("n\n", encoding="utf-8")
    (content / "linked").symlink_to(site / "shared", target_is_directory=True)
    diags: list = []
    names = walk_names(content, site, diags)
    assert not diags
    assert names == [str(content / "linked" / "x-y" / "a.md"), str(content / "linked" / "x.md"),
                     str(content / "notes" / "n.md")]
    assert all(isinstance(n, str) for n in names)
