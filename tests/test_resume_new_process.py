"""A `briefing build` in a new process carries on from the state the last complete build saved
(``generator/resume.py``): after every kind of edit its output equals a clean build byte for byte,
and it starts from scratch whenever the saved state cannot be trusted or would not help."""

from __future__ import annotations

import pickle
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_incremental_oracle import (
    CONFIG,
    _add_tag,
    _change_date,
    _clean_build,
    _corpus,
    _delete,
    _docs,
    _edit_body,
    _edit_config,
    _edit_first_paragraph,
    _edit_template,
    _edit_term_page,
    _front,
    _new_file,
    _remove_tags,
    _rename,
    _toggle_draft,
    _write,
)
from test_pooled_compare import _new_process_build, record_slices

from generator import resume
from generator.build import Builder
from generator.cache import ParseCache
from generator.verify import compare_folders

REPO = Path(__file__).resolve().parent.parent


def _build(site: Path, out: Path, jobs: int = 1):
    """A build as `briefing build` makes it in a new process, carrying on where it can."""
    return _new_process_build(site, out, jobs=jobs, resume=True)


def _same_as_clean(site: Path, out: Path, tmp_path: Path, what: str) -> None:
    clean = tmp_path / "clean"
    _clean_build(site, clean)
    assert compare_folders(clean, out) == [], what


def _marking(site: Path, rng: random.Random) -> set[Path]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    front = re.sub(r'^marking:.*\n', "", front, flags=re.M)
    _write(path, front + f"marking: {rng.choice(['TLP:GREEN', 'TLP:AMBER', 'TLP:CLEAR'])}\n", body)
    return {path}


def _about_related(site: Path, rng: random.Random) -> set[Path]:
    notes = sorted((site / "content" / "notes").glob("*.md"))
    path = rng.choice(notes)
    targets = [p.stem for p in rng.sample(_docs(site), 2)]
    front, body = _front(path)
    front = re.sub(r"^(about|related):.*(\n  - .*)*\n", "", front, flags=re.M)
    _write(path, front + f"about: [{targets[0]}]\nrelated: [{targets[1]}]\n", body)
    return {path}


def _static_file(site: Path, rng: random.Random) -> set[Path]:
    path = site / "static" / "extra.css"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"p {{ margin: {rng.randint(0, 99)}px; }}\n")
    return {path}


#: Each kind of edit, and whether the next new process carries on from the saved state.
EDITS = [(_edit_body, True), (_edit_first_paragraph, True), (_add_tag, True), (_remove_tags, True),
         (_change_date, True), (_marking, True), (_about_related, True), (_toggle_draft, True),
         (_edit_term_page, True), (_static_file, True), (_edit_template, False), (_edit_config, False),
         (_rename, False), (_new_file, False), (_delete, False)]


@pytest.mark.parametrize(("jobs", "docs"), [(1, 24), (2, 20)])
def test_every_kind_of_edit_across_processes_equals_a_clean_build(tmp_path: Path, jobs: int, docs: int,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  request: pytest.FixtureRequest) -> None:
    forked: list[list[int]] = []
    if jobs > 1:  # forked workers render and compare the document pages, ten at most each
        request.getfixturevalue("sole_thread")  # threads an earlier test left have ended
        forked = record_slices(monkeypatch, PARALLEL_PAGES=10, SLICE=10, COMPARE_SLICE=10)
    site = _corpus(tmp_path, docs)
    out = tmp_path / "out"
    assert not _build(site, out, jobs).resumed
    assert (site / ".briefing-cache" / resume.FILE_NAME).is_file()
    rng = random.Random(11 + jobs)
    for edit, resumes in EDITS:
        edit(site, rng)
        result = _build(site, out, jobs)
        assert result.resumed == resumes, edit.__name__
        _same_as_clean(site, out, tmp_path, edit.__name__)
        # and the build after it, with nothing changed (or a second edit of the same kind)
        edit(site, rng)
        _build(site, out, jobs)
        _same_as_clean(site, out, tmp_path, f"{edit.__name__}, twice")
    assert bool(forked) == (jobs > 1) and all(len(piece) <= 10 for piece in forked)


def test_a_one_document_edit_renders_only_what_it_reaches(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 40)
    out = tmp_path / "out"
    cold = _build(site, out)
    path = sorted((site / "content" / "articles").glob("*.md"))[3]
    front, body = _front(path)
    _write(path, front, body + "\nA sentence nobody wrote before.\n")
    result = _build(site, out)
    assert result.resumed and result.graph == "updated" and result.parsed == 1
    assert result.rendered < cold.rendered // 4, (result.rendered, cold.rendered)
    assert any(rel.endswith(f"{path.stem}/index.html") for rel in result.written)
    _same_as_clean(site, out, tmp_path, "body edit")


def test_edits_undone_and_redone_over_many_resumed_builds_equal_clean_builds(tmp_path: Path) -> None:
    # Every resumed build compares with the base (the last complete build): a page an earlier
    # resumed build changed and a later edit takes back is made again, never left as it was.
    site = _corpus(tmp_path, 30)
    out = tmp_path / "out"
    _build(site, out)
    docs = _docs(site)
    originals = {p: p.read_text() for p in docs[:3]}
    rng = random.Random(5)
    for step in range(12):
        path = rng.choice(list(originals))
        choice = rng.random()
        if choice < 0.3:
            path.write_text(originals[path])
        elif choice < 0.6:
            front, body = _front(path)
            front = re.sub(r"^tags:.*(\n  - .*)*", f"tags: [step {step % 3}]", front, flags=re.M)
            _write(path, front, body)
        else:
            front, body = _front(path)
            _write(path, front, body + f"\nStep {step}.\n")
        result = _build(site, out)
        assert result.resumed, step
        _same_as_clean(site, out, tmp_path, f"step {step}")


def test_output_files_edited_or_deleted_by_hand_are_made_again_by_a_resumed_build(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out)
    _edit_body(site, random.Random(1))
    _build(site, out)
    pages = sorted(out.glob("articles/*/index.html"))
    pages[0].write_text("edited by hand")
    pages[1].unlink()
    (out / "tags").joinpath(sorted(p.name for p in (out / "tags").iterdir() if p.is_dir())[0],
                            "index.html").unlink()
    _edit_body(site, random.Random(2))
    assert _build(site, out).resumed
    _same_as_clean(site, out, tmp_path, "files edited by hand")


def _state_path(site: Path) -> Path:
    return site / ".briefing-cache" / resume.FILE_NAME


def test_many_changed_files_build_from_scratch(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 80)
    out = tmp_path / "out"
    _build(site, out)
    for path in _docs(site)[: resume.MAX_CHANGED + 1]:
        front, body = _front(path)
        _write(path, front, body + "\nOne more line.\n")
    result = _build(site, out)
    assert not result.resumed
    _same_as_clean(site, out, tmp_path, "many files")
    _edit_body(site, random.Random(4))
    assert _build(site, out).resumed  # the build from scratch saved a new base


def test_after_so_many_resumed_builds_in_a_row_one_builds_from_scratch(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resume, "MAX_RESUMED", 2)
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out)
    rng = random.Random(9)
    seen = []
    for _ in range(5):
        _edit_body(site, rng)
        seen.append(_build(site, out).resumed)
        _same_as_clean(site, out, tmp_path, f"build {len(seen)}")
    assert seen == [True, True, False, True, True]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "wrong token", "empty", "other site"])
def test_a_broken_or_foreign_saved_state_is_never_trusted(tmp_path: Path, damage: str) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out)
    state = _state_path(site)
    data = state.read_bytes()
    if damage == "garbage":
        state.write_bytes(b"\x80\x05not a pickle at all" * 50)
    elif damage == "truncated":
        state.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":
        state.write_bytes(pickle.dumps({"format": resume.FORMAT, "token": "x", "files": [1, 2]}))
    elif damage == "wrong token":
        loaded = pickle.loads(data)
        loaded["token"] = "another build"
        state.write_bytes(pickle.dumps(loaded))
    elif damage == "empty":
        state.write_bytes(b"")
    else:  # another site's state, with the signatures naming its token
        other = _corpus(tmp_path / "other", 20)
        (other / "briefing.yaml").write_text(CONFIG.format(title="Another site", extra=""))
        _build(other, tmp_path / "other-out")
        shutil.copy(_state_path(other), state)
        cache = ParseCache(site / ".briefing-cache")
        signatures = cache.get_state("signatures")
        signatures["base"] = pickle.loads(state.read_bytes())["token"]
        cache.set_state("signatures", signatures)
        cache.close()
    _edit_body(site, random.Random(3))
    assert not _build(site, out).resumed
    _same_as_clean(site, out, tmp_path, damage)


def test_a_preview_writing_without_saving_stops_the_next_build_from_resuming(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out)
    preview = Builder(site, out, atomic_swap=False, jobs=1)  # as briefing serve runs it
    assert preview.build().ok
    changed = _edit_body(site, random.Random(6))
    assert preview.build(changed=changed).ok
    _edit_body(site, random.Random(7))
    result = _build(site, out)  # while the preview still runs: it saved nothing
    preview.close()
    assert not result.resumed
    _same_as_clean(site, out, tmp_path, "after a preview")


def test_a_build_without_the_cache_or_into_another_folder_does_not_resume(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out)
    _edit_body(site, random.Random(8))
    assert not _build(site, tmp_path / "elsewhere").resumed
    _edit_body(site, random.Random(9))
    builder = Builder(site, out, jobs=1, one_shot=True, use_cache=False)  # briefing build --no-cache
    assert builder.build().ok
    builder.close()
    _edit_body(site, random.Random(10))
    _build(site, out)
    _same_as_clean(site, out, tmp_path, "after a build without the cache")


def test_the_command_line_resumes_in_new_processes(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 30)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "generator", "build", "-q", "--source", str(site)]
    subprocess.run(command, check=True, env=env)
    rng = random.Random(12)
    # Each process has its own string hashes and object ids: the views the base build kept are
    # carried into each one (render/keptstate.py), and a term page's edit changes what its term shows.
    for edit in (_edit_body, _add_tag, _change_date, _about_related, _edit_term_page, _marking, _remove_tags):
        edit(site, rng)
        subprocess.run(command, check=True, env=env)
        _same_as_clean(site, site / "site", tmp_path, edit.__name__)
