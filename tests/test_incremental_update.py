"""The one-document graph update (what serve does after a save) against clean builds, byte for byte.

``test_incremental_oracle.py`` mixes every kind of edit; here the edits are the ones the update
handles without rebuilding the site graph (metadata and body edits of articles and notes), many
of them aimed at its hard cases: terms that come and go, spellings that change a term's shown
name, links that start or stop resolving, headings that anchors point at, events naming terms,
dates that reorder lists. Each step must take the update path and equal a clean build.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_incremental_oracle import _clean_build, _corpus, _front, _write, replay, replay_seeds

from generator.build import Builder
from generator.verify import compare_folders

NEW_TAGS = ["Logistics", "logistics", "LOGISTICS", "air defence", "update-tag-1", "update-tag-2", "Update Tag 3"]
ACTORS = ["Russia", "Russian Federation", "Wagner Group", "Update Actor", "update actor", "NATO"]
PLACES = ["Aden", "Basra", "{name: Update Town, lat: 12.5, lon: 44.1}", "Update Town", "Kherson"]


def _docs(site: Path) -> list[Path]:
    """The articles and notes (what the update handles)."""
    return sorted((site / "content").glob("articles/*.md")) + sorted((site / "content").glob("notes/*.md"))


def _pick(site: Path, rng: random.Random) -> tuple[Path, str, str]:
    path = rng.choice(_docs(site))
    front, body = _front(path)
    return path, front, body


def _set_key(front: str, key: str, value: str | None) -> str:
    """Replace (or add, or with None drop) a top-level key, block lists included."""
    pattern = rf"^{key}:.*(\n  .*)*\n?"
    front = re.sub(pattern, "", front, flags=re.M)
    if value is not None:
        front = front.rstrip("\n") + f"\n{key}: {value}\n"
    return front


def _tags(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    tags = rng.sample(NEW_TAGS, rng.randint(0, 3))
    _write(path, _set_key(front, "tags", "[" + ", ".join(tags) + "]"), body)
    return path


def _actors(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    actors = rng.sample(ACTORS, rng.randint(0, 2))
    _write(path, _set_key(front, "actors", "[" + ", ".join(actors) + "]"), body)
    return path


def _location(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    _write(path, _set_key(front, "location", rng.choice(PLACES)), body)
    return path


def _date(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    day = f"20{rng.choice(['19', '23', '25'])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    _write(path, _set_key(front, "date", day), body)
    return path


def _confidence(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    _write(path, _set_key(front, "confidence", rng.choice(["low", "moderate", "high", None])), body)
    return path


def _summary(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    value = rng.choice([None, f"Update summary {rng.randint(0, 999)}."])
    _write(path, _set_key(front, "summary", value), body)
    return path


def _body_link(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    other = rng.choice(_docs(site)).stem
    target = rng.choice([other, f"{other}#update-heading", "update-tag-1", "Update Actor", "russia",
                         "tags/update-tag-2", "no-such-thing", "Update Town"])
    _write(path, front, body + f"\nSee [[{target}]] for more.\n")
    return path


def _first_paragraph(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    other = rng.choice(_docs(site)).stem
    _write(path, _set_key(front, "summary", None), f"Opening on [[{other}]] number {rng.randint(0, 999)}.\n\n" + body.lstrip())
    return path


def _heading(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    if "## Update heading" in body:
        body = body.replace("## Update heading\n", "")
    else:
        body += "\n## Update heading\n\nText under it.\n"
    _write(path, front, body)
    return path


def _about(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    other = rng.choice(_docs(site)).stem
    _write(path, _set_key(front, "about", rng.choice([f"[{other}]", None, "[update-tag-1]"])), body)
    return path


def _events(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    actor = rng.choice(ACTORS)
    place = rng.choice(["Aden", "Update Town", "Nowhere Special"])
    value = rng.choice([None, f"\n  - date: 2024-0{rng.randint(1, 9)}-02\n    title: Update event {rng.randint(0, 99)}\n"
                              f"    actors: [{actor}]\n    location: {place}"])
    _write(path, _set_key(front, "events", value), body)
    return path


def _body(site: Path, rng: random.Random) -> Path:
    path, front, body = _pick(site, rng)
    _write(path, front, body + f"\nAnother paragraph {rng.randint(0, 10**6)}.\n")
    return path


EDITS = [_body, _tags, _actors, _location, _date, _confidence, _summary, _body_link, _first_paragraph,
         _heading, _about, _events]


@pytest.mark.parametrize("seed", replay_seeds(3))
def test_one_document_updates_equal_clean_builds(tmp_path: Path, seed: int) -> None:
    replay(_corpus(tmp_path, 40), tmp_path, EDITS, seed, rounds=2, graph="updated")


def test_edits_the_update_cannot_take_rebuild_the_graph_and_stay_correct(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 30)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    path = _docs(site)[0]
    front, body = _front(path)
    _write(path, re.sub(r"^title:.*$", "title: A retitled document", front, flags=re.M), body)
    result = builder.build(changed={path})
    assert result.ok and result.graph == "full"
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    # and the next edit may take the update path again
    _write(path, _front(path)[0], body + "\nMore.\n")
    result = builder.build(changed={path})
    assert result.ok and result.graph == "updated"
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    builder.close()


def test_a_save_without_a_change_renders_nothing(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 20)
    builder = Builder(site, tmp_path / "out", atomic_swap=False, jobs=1)
    assert builder.build().ok
    path = _docs(site)[0]
    path.write_bytes(path.read_bytes())
    result = builder.build(changed={path})
    builder.close()
    assert result.ok and result.graph == "updated"
    assert result.rendered == 0 and result.written == []


def _small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "notes").mkdir(parents=True)
    (site / "briefing.yaml").write_text("title: Rename site\nbase_url: https://example.org/\n")
    for n, spelling in enumerate(["Alpha Unit", "Alpha Unit", "ALPHA UNIT"]):
        (site / "content" / "articles" / f"a{n}.md").write_text(
            f"---\ntitle: Article {n}\ndate: 2024-03-0{n + 1}\nactors: [{spelling}]\nlocation: Basra\n---\n"
            f"Body {n} about [[alpha unit]].\n")
    (site / "content" / "notes" / "n.md").write_text(
        "---\ntitle: A note\ndate: 2024-04-01\nconfidence: low\nevents:\n  - date: 2024-03-15\n"
        "    title: A clash\n    actors: [alpha unit]\n    location: Basra\n---\nText.\n")
    return site


def test_a_term_whose_shown_spelling_changes_is_renamed_everywhere(tmp_path: Path) -> None:
    site = _small_site(tmp_path)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    assert "Alpha Unit" in (out / "timeline" / "index.html").read_text()
    first = site / "content" / "articles" / "a0.md"
    first.write_text(first.read_text().replace("[Alpha Unit]", "[ALPHA UNIT]"))  # now 2 to 1 the other way
    result = builder.build(changed={first})
    assert result.ok and result.graph == "updated"
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    assert "ALPHA UNIT" in (out / "timeline" / "index.html").read_text()
    builder.close()


def _list_pages(builder: Builder) -> dict[str, object]:
    """The running builder's planned outputs of the archives, the confidence pages and the
    feeds of terms and levels, by path."""
    assert builder._last is not None
    def listed(path: str) -> bool:
        parts = path.split("/")
        if parts[-1] == "feed.xml" and len(parts) > 1:  # a term's or a level's feed (not the site's)
            return True
        if parts[0] in ("articles", "notes"):  # the archive's pages, not the documents'
            return parts[1] in ("index.html", "page")
        return parts[0] == "confidence" and len(parts) > 2  # a level's pages, not the index of levels
    return {path: out for path, out in builder._last.outputs.items() if listed(path)}


def test_an_edit_that_changes_no_card_takes_over_the_archive_and_confidence_pages_and_feeds(tmp_path: Path) -> None:
    """A body edit past the first paragraph changes no card, date, confidence or feed entry:
    every page of the archives and of the confidence levels, and every term's and level's feed,
    is the last build's, not planned again; an edit of a summary plans again the lists and
    feeds that show the document, and both equal clean builds."""
    site = _corpus(tmp_path, 60)
    (site / "briefing.yaml").write_text((site / "briefing.yaml").read_text() + "paginate: 5\n")
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    before = _list_pages(builder)
    assert "articles/page/2/index.html" in before and "notes/index.html" in before
    assert any(p.startswith("confidence/") and "/page/2/" in p for p in before)
    path = _docs(site)[0]
    front, body = _front(path)
    _write(path, front, body + "\nA closing sentence.\n")
    result = builder.build(changed={path})
    assert result.ok and result.graph == "updated"
    after = _list_pages(builder)
    assert after.keys() == before.keys()
    assert any(p.startswith("tags/") for p in before) and any(p.endswith("/feed.xml") for p in before)
    assert [p for p in before if after[p] is not before[p]] == []
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []

    _write(path, re.sub(r"^summary:.*$", "summary: A summary nobody wrote before.", front, flags=re.M)
           if re.search(r"^summary:", front, flags=re.M) else front + "summary: A summary nobody wrote before.\n",
           body)
    result = builder.build(changed={path})
    assert result.ok and result.graph == "updated"
    again = _list_pages(builder)
    section = path.parent.name
    assert any(again[p] is not after[p] for p in again if p.startswith(f"{section}/"))
    assert any(again[p] is not after[p] for p in again if p.startswith("tags/"))
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    builder.close()


def test_a_backlink_edit_replans_a_terms_first_page_and_takes_over_its_later_pages(tmp_path: Path) -> None:
    """A body edit around a link to an actor changes the backlink the actor's first page shows;
    its later pages show only its name, place and cards, which did not change: they are the
    last build's. Both builds equal clean builds."""
    from conftest import make_site

    files = {"briefing.yaml": "title: Pages\nbase_url: https://example.org/\npaginate: 2\n"}
    for n in range(7):
        files[f"content/articles/a{n}.md"] = (f"---\ntitle: Article {n}\ndate: 2024-03-0{n + 1}\nactors: [Wagner Group]\n"
                                              f"summary: Article {n} in short.\n---\nBody {n}.\n")
    files["content/notes/n.md"] = ("---\ntitle: A note\ndate: 2024-04-01\nsummary: The note in short.\n---\n"
                                   "We think [[Wagner Group]] moved.\n")
    site = make_site(tmp_path, files)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    assert builder._last is not None
    before = dict(builder._last.outputs)
    pages = ["actors/wagner-group/index.html", "actors/wagner-group/page/2/index.html",
             "actors/wagner-group/page/4/index.html"]
    assert all(p in before for p in pages)
    note = site / "content" / "notes" / "n.md"
    note.write_text(note.read_text().replace("We think", "We now judge that"))
    result = builder.build(changed={note})
    assert result.ok and result.graph == "updated"
    after = builder._last.outputs
    assert after[pages[0]] is not before[pages[0]]
    assert after[pages[1]] is before[pages[1]] and after[pages[2]] is before[pages[2]]
    assert "We now judge that" in (out / pages[0]).read_text()
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    builder.close()
