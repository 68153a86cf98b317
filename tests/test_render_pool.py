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
            f"---\ntitle: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\ntags: [t{i % 7}, common]\n"
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


def _saved_signatures(site: Path) -> dict:
    from generator.cache import ParseCache

    cache = ParseCache(site / ".briefing-cache")
    try:
        return cache.get_state("signatures")
    finally:
        cache.close()


def test_a_one_shot_parallel_build_saves_the_signatures_a_serial_build_works_out(tmp_path: Path) -> None:
    # The one-shot build works each signature out in the worker that renders its page; what it
    # saves must be what a build comparing in this process saves, output for output.
    eager_site, deferred_site = _site(tmp_path, "eager"), _site(tmp_path, "deferred")
    eager = Builder(eager_site, tmp_path / "one", jobs=1)
    assert eager.build().ok
    eager.close()
    one_shot = Builder(deferred_site, tmp_path / "two", jobs=2, one_shot=True)
    result = one_shot.build()
    one_shot.close()
    assert result.ok and result.rendered == len(_saved_signatures(deferred_site)["outputs"])
    saved, expected = _saved_signatures(deferred_site), _saved_signatures(eager_site)
    assert saved["global"] == expected["global"]
    assert saved["outputs"] == expected["outputs"]


def test_parallel_render_with_a_site_card_partial_writes_the_same_bytes(tmp_path: Path) -> None:
    # Workers make the cards list pages show ahead of them; a site's own card partial is the
    # one they must use.
    card = {"templates/partials/card.html": '<article class="mine">{{ doc.title }} ({{ heading }})</article>'}
    site = _site(tmp_path, "src", card)
    one, two = _build(site, tmp_path / "one", 1), _build(site, tmp_path / "two", 2)
    assert one.ok and two.ok
    assert 'class="mine"' in (tmp_path / "two" / "tags" / "common" / "index.html").read_text()
    for rel in snapshot(tmp_path / "one"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_list_partials_are_made_ahead_only_with_the_bundled_list_macros(tmp_path: Path) -> None:
    from generator.render.env import bundled_list_macros, make_environment

    plain = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n"}, "plain")
    own = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n",
                               "templates/partials/macros.html": "{% macro card_list(docs) %}{% endmacro %}"}, "own")
    assert bundled_list_macros(make_environment(plain, "default", None))
    assert not bundled_list_macros(make_environment(own, "default", None))



def test_pages_of_a_render_worker_that_dies_are_rendered_by_the_builder(tmp_path: Path, monkeypatch) -> None:
    import os

    from generator.render import execute

    site = _site(tmp_path, "src")
    one = _build(site, tmp_path / "one", 1)
    real = execute._render_chunk
    marker = tmp_path / "died"

    def first_worker_dies(indices: list[int]):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return real(indices)
        os._exit(3)

    monkeypatch.setattr(execute, "_render_chunk", first_worker_dies)
    two = _build(site, tmp_path / "two", 2)
    assert marker.exists()
    assert one.ok and two.ok and one.rendered == two.rendered
    files_one, files_two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert files_one.keys() == files_two.keys()
    assert all(files_one[rel][0] == files_two[rel][0] for rel in files_one)
