"""The parallel render (forked workers for document pages, site-wide pages in the parent)
writes the same bytes as a single process, and reports template errors the same way."""

from __future__ import annotations

from pathlib import Path

from conftest import make_site, snapshot

from generator.build import Builder
from generator.render.execute import PARALLEL_PAGES

DOCS = PARALLEL_PAGES + 60


def _site(tmp_path: Path, name: str, extra: dict[str, str] | None = None) -> Path:
    files = {}
    for i in range(DOCS):
        files[f"content/articles/a{i:04d}.md"] = (
            f"---\ntitle: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\ntags: [t{i % 7}, shared]\n"
            f"actors: [Actor {i % 5}]\nlocation: Place {i % 3}\nconfidence: moderate\n---\n\n"
            f"Body {i} links [[a{(i + 1) % DOCS:04d}]] and *emphasis*.\n\n## Part\n\nMore.\n")
    files.update(extra or {})
    return make_site(tmp_path, files, name)


def _build(site: Path, out: Path, jobs: int):
    builder = Builder(site, out, jobs=jobs, use_cache=False)
    try:
        return builder.build()
    finally:
        builder.close()


def test_parallel_render_writes_the_same_bytes(tmp_path: Path) -> None:
    site = _site(tmp_path, "src")
    one, two = _build(site, tmp_path / "one", 1), _build(site, tmp_path / "two", 2)
    assert one.ok and two.ok and one.rendered == two.rendered
    assert snapshot(tmp_path / "one").keys() == snapshot(tmp_path / "two").keys()
    for rel in snapshot(tmp_path / "one"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_parallel_render_reports_template_errors(tmp_path: Path) -> None:
    broken = {"templates/article.html": "{{ page.title }}{{ page.nothing.deeper }}"}
    site = _site(tmp_path, "src", broken)
    one, two = _build(site, tmp_path / "one", 1), _build(site, tmp_path / "two", 2)
    assert not one.ok and not two.ok
    assert [str(d) for d in one.errors] == [str(d) for d in two.errors]
    assert 0 < len(two.errors) <= 20
