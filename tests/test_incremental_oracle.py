"""The correctness oracle: after every edit, an incremental rebuild equals a clean build, byte for byte."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import Builder
from generator.verify import compare_folders

REPO = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = REPO / "bench" / "make_corpus.py"  # the project's own corpus generator


def replay_seeds(default: int) -> list[int]:
    """The seeds of the edit replays: ``default`` in the default run (the stateful oracle,
    tests/test_incremental_stateful.py, searches random sequences besides), the seeds of
    ``BRIEFING_ORACLE_REPLAY_SEEDS=1,2,3`` to replay more."""
    listed = os.environ.get("BRIEFING_ORACLE_REPLAY_SEEDS", "").replace(",", " ").split()
    return [int(seed) for seed in listed] or [default]


def _corpus(tmp_path: Path, docs: int) -> Path:
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--docs", str(docs), "--out", str(out)],
                   check=True, capture_output=True)
    (out / "content" / "actors").mkdir(exist_ok=True)
    (out / "content" / "actors" / "russia.md").write_text(
        "---\ntitle: Russia\naliases: [Russian Federation]\nsummary: The Russian state.\n---\nRussia's forces.\n")
    # A frozen copy of the default theme: the comparison must not see the theme change mid-test.
    shutil.copytree(REPO / "themes" / "default", out / "themes" / "frozen")
    (out / "briefing.yaml").write_text(CONFIG.format(title="Oracle site", extra=""))
    return out


CONFIG = "title: {title}\nbase_url: https://example.org/\ntheme: frozen\n{extra}"


def _docs(site: Path) -> list[Path]:
    return sorted((site / "content").glob("[an]*/*.md"))


def _front(path: Path) -> tuple[str, str]:
    text = path.read_text()
    _, front, body = text.split("---\n", 2)
    return front, body


def _write(path: Path, front: str, body: str) -> None:
    path.write_text(f"---\n{front}---\n{body}")


def _edit_body(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    _write(path, front, body + f"\nAn added paragraph number {rng.randint(0, 10**6)}.\n")
    return {path}


def _edit_first_paragraph(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    _write(path, front, f"Opening words {rng.randint(0, 10**6)}. " + body.lstrip())
    return {path}


def _add_tag(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    tag = rng.choice(["oracle tag", "air defence", "Logistics", "new-term"])
    front = re.sub(r"^tags:.*(\n  - .*)*", f"tags: [{tag}]", front, flags=re.M)
    _write(path, front, body)
    return {path}


def _remove_tags(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    _write(path, re.sub(r"^tags:.*(\n  - .*)*\n", "", front, flags=re.M), body)
    return {path}


def _change_date(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    day = f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    _write(path, re.sub(r"^date:.*$", f"date: {day}", front, flags=re.M), body)
    return {path}


def _toggle_draft(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    if "draft: true" in front:
        front = front.replace("draft: true\n", "")
    else:
        front += "draft: true\n"
    _write(path, front, body)
    return {path}


def _new_file(site: Path, rng: random.Random) -> set[Path]:
    target = rng.choice(_docs(site)).stem
    n = rng.randint(0, 10**6)
    path = site / "content" / "notes" / f"oracle-note-{n}.md"
    path.write_text(f"---\ntitle: Oracle note {n}\ndate: 2024-06-0{rng.randint(1, 9)}\nabout: [{target}]\n"
                    f"actors: [Russian Federation]\ntags: [oracle tag]\nconfidence: high\n---\n"
                    f"Assesses [[{target}]] and [[russia]].\n")
    return {path}


def _delete(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    path.unlink()
    return {path}


def _rename(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    new = path.with_name(f"renamed-{rng.randint(0, 10**6)}.md")
    path.rename(new)
    return {path, new}


def _edit_term_page(site: Path, rng: random.Random) -> set[Path]:
    path = site / "content" / "actors" / "russia.md"
    aliases = rng.choice(["[Russian Federation]", "[Russian Federation, Moscow]", "[]"])
    path.write_text(f"---\ntitle: Russia\naliases: {aliases}\nsummary: Edited {rng.randint(0, 999)}.\n---\nBody.\n")
    return {path}


def _edit_template(site: Path, rng: random.Random) -> set[Path]:
    folder = site / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / "term.html"
    if path.exists() and rng.random() < 0.5:
        path.unlink()
    else:
        path.write_text('{% extends "default/term.html" %}{% block title %}'
                        f"{{{{ page.title }}}} ({rng.randint(0, 999)}){{% endblock %}}")
    return {path}


def _edit_config(site: Path, rng: random.Random) -> set[Path]:
    path = site / "briefing.yaml"
    path.write_text(CONFIG.format(title=f"Oracle site {rng.randint(0, 3)}", extra=f"home_limit: {rng.randint(3, 12)}\n"))
    return {path}


EDITS = [_edit_body, _edit_first_paragraph, _add_tag, _remove_tags, _change_date, _toggle_draft,
         _new_file, _delete, _rename, _edit_term_page, _edit_template, _edit_config]


def _clean_build(site: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    builder = Builder(site, out, use_cache=False, jobs=1, one_shot=True)  # as ``briefing build --no-cache``
    result = builder.build()
    builder.close()
    assert result.ok, [str(d) for d in result.errors]


def replay(site: Path, tmp_path: Path, edits: list, seed: int, rounds: int, graph: str | None = None) -> None:
    """Apply ``rounds`` x len(edits) edits (each kind once, then at random) to ``site`` in one
    running builder; after each, the output must equal a clean build (and, when ``graph`` is
    given, the build must have taken that graph path)."""
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    rng = random.Random(seed)
    for step in range(len(edits) * rounds):
        edit = edits[step % len(edits)] if step < len(edits) else rng.choice(edits)
        changed = edit(site, rng)
        result = builder.build(changed=changed if isinstance(changed, set) else {changed})
        assert result.ok, (edit.__name__, [str(d) for d in result.errors])
        if graph is not None:
            assert result.graph == graph, f"step {step}: {edit.__name__} took the {result.graph} graph path"
        _clean_build(site, clean)
        assert compare_folders(clean, out) == [], f"step {step}: {edit.__name__} ({changed})"
    builder.close()


@pytest.mark.parametrize("seed", replay_seeds(1))
def test_incremental_rebuilds_in_a_running_process_equal_clean_builds(tmp_path: Path, seed: int) -> None:
    replay(_corpus(tmp_path, 40), tmp_path, EDITS, seed, rounds=2)


def test_incremental_builds_across_processes_with_the_cache_equal_clean_builds(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 40)
    out, clean = tmp_path / "out", tmp_path / "clean"
    rng = random.Random(7)
    for step, edit in enumerate([None, *EDITS]):
        changed = edit(site, rng) if edit else set()
        builder = Builder(site, out, jobs=1)  # a new process would start like this: state from the cache only
        result = builder.build()
        builder.close()
        assert result.ok, [str(d) for d in result.errors]
        del changed
        _clean_build(site, clean)
        assert compare_folders(clean, out) == [], f"step {step}: {edit.__name__ if edit else 'first build'}"


def test_a_corrupt_cache_is_only_slower_never_wrong(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, jobs=1)
    assert builder.build().ok
    builder.close()
    for path in (site / ".briefing-cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a database" * 10)
    _edit_body(site, random.Random(3))
    builder = Builder(site, out, jobs=1)
    assert builder.build().ok
    builder.close()
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []


def test_parallel_build_is_byte_identical_to_a_single_job_build(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 120)
    one, two = tmp_path / "one", tmp_path / "two"
    for out, jobs in ((one, 1), (two, 2)):
        builder = Builder(site, out, jobs=jobs, use_cache=False)
        assert builder.build().ok
        builder.close()
    assert compare_folders(one, two) == []


def _cold_build_with_cache(site: Path, out: Path) -> None:
    """A build in a new builder (as a new process starts: state from the cache only)."""
    builder = Builder(site, out, jobs=1)
    result = builder.build()
    builder.close()
    assert result.ok, [str(d) for d in result.errors]


def test_an_output_file_edited_or_deleted_by_hand_is_made_again_by_the_next_build(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out, clean = tmp_path / "out", tmp_path / "clean"
    _cold_build_with_cache(site, out)
    pages = sorted(out.glob("*/*/index.html"))
    pages[0].write_text("edited by hand")
    pages[1].unlink()
    (out / "index.html").write_text("edited by hand, same size?")
    _cold_build_with_cache(site, out)
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []


def test_a_cache_written_by_another_version_is_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.cache
    import generator.parsing
    from generator.markup.rendered import RenderedBody

    site = _corpus(tmp_path, 20)
    out, clean = tmp_path / "out", tmp_path / "clean"
    real_render = generator.parsing.render_body

    def other_version_render(text: str, line: int) -> tuple[RenderedBody, list[tuple[int, str]]]:
        body, notes = real_render(text, line)
        return RenderedBody(body.html + "<p>made by another version</p>", body.links, body.heading_ids,
                            body.first_paragraph, body.words), notes

    with monkeypatch.context() as patch:
        patch.setattr(generator.cache, "__version__", "0.0.1-another")
        patch.setattr(generator.parsing, "render_body", other_version_render)
        _cold_build_with_cache(site, out)
    assert any("made by another version" in page.read_text() for page in out.glob("*/*/index.html"))
    _cold_build_with_cache(site, out)
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []


def test_a_cache_and_output_copied_from_another_site_are_never_wrong(tmp_path: Path) -> None:
    other = _corpus(tmp_path / "other", 30)
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--docs", "30", "--seed", "43", "--force",
                    "--out", str(other / "content-43")], check=True, capture_output=True)
    site = tmp_path / "site"
    shutil.copytree(other, site, ignore=shutil.ignore_patterns("content-43"))
    shutil.rmtree(site / "content" / "articles")
    shutil.rmtree(site / "content" / "notes")
    for folder in ("articles", "notes"):
        shutil.copytree(other / "content-43" / "content" / folder, site / "content" / folder)
    shutil.rmtree(other / "content-43")
    clean = tmp_path / "clean"
    _cold_build_with_cache(other, other / "site")
    shutil.copytree(other / ".briefing-cache", site / ".briefing-cache")
    shutil.copytree(other / "site", site / "site")
    _cold_build_with_cache(site, site / "site")
    _clean_build(site, clean)
    assert compare_folders(clean, site / "site") == []


def test_a_cache_written_with_another_theme_is_never_wrong(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out, clean = tmp_path / "out", tmp_path / "clean"
    shutil.copytree(site / "themes" / "frozen", site / "themes" / "other")
    base = site / "themes" / "other" / "templates" / "base.html"
    base.write_text(base.read_text().replace("<main", "<p>another theme</p><main", 1))
    (site / "briefing.yaml").write_text(CONFIG.replace("theme: frozen", "theme: other").format(title="Oracle site", extra=""))
    _cold_build_with_cache(site, out)
    assert "another theme" in (out / "index.html").read_text()
    (site / "briefing.yaml").write_text(CONFIG.format(title="Oracle site", extra=""))
    _cold_build_with_cache(site, out)
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
