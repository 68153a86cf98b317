"""The search index (format 3) read back as JSON: aliases, joined forms, term rows, filter data,
audience builds and incremental edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_site

from generator.build import Builder

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

BASE = """\
---
title: Hmeimim Air Base
aliases: [Khmeimim, Hmeymim]
summary: Russia's main air base in Syria.
marking: {marking}
---
The base sits south of Latakia.
"""

ARTICLE = """\
---
title: Russia moves S-400 launchers
date: 2024-12-04
location: Hmeimim Air Base
actors: [Russia]
tags: [air defence, logistics]
confidence: high
---
Two Su-24 jets and a well-known convoy were seen near Ḥamā on the U.S. maps.
"""

NOTE = """\
---
title: Coastal priorities
date: 2024-12-05
location: Khmeimim
tags: [logistics]
confidence: low
---
Supply flights continue.
"""

SECRET = """\
---
title: Quiet relocation
date: 2024-12-06
marking: TLP:RED
location: Zarqaville Strip
actors: [Hushgroup]
tags: [redtagword]
confidence: moderate
---
Nothing for the public here.
"""

SECRET_PLACE = """\
---
title: Zarqaville Strip
aliases: [Zarqalias]
marking: TLP:RED
---
A hidden place.
"""

RUSSIA_HIDDEN_ALIAS = """\
---
title: Russia
aliases: [Redfedalias]
marking: TLP:RED
---
A page only insiders see.
"""


def _files(base_marking: str = "TLP:CLEAR") -> dict[str, str]:
    return {
        "briefing.yaml": "title: Search test\nbase_url: https://example.org/\n",
        "content/locations/hmeimim-air-base.md": BASE.format(marking=base_marking),
        "content/locations/zarqaville-strip.md": SECRET_PLACE,
        "content/actors/russia.md": RUSSIA_HIDDEN_ALIAS,
        "content/articles/s400.md": ARTICLE,
        "content/notes/coastal.md": NOTE,
        "content/notes/quiet.md": SECRET,
    }


def decode(postings: str) -> list[int]:
    """Base64 VLQ gaps to row numbers (as static/search.js reads them).

    Written apart from ``render/search.decode_postings`` on purpose: it is the oracle the
    generator's own decoder and the index it writes are checked against, so it must not be
    that decoder."""
    out, previous, value, shift = [], -1, 0, 0
    for ch in postings:
        digit = B64.index(ch)
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        previous += value + 1
        out.append(previous)
        value = shift = 0
    return out


def _build(src: Path, out: Path, audience: str | None = None) -> tuple[bytes, dict]:
    builder = Builder(src, out, use_cache=False, jobs=1, audience=audience)
    result = builder.build()
    builder.close()
    assert result.ok, result
    raw = (out / "search-index.json").read_bytes()
    return raw, json.loads(raw)


class Index:
    """The parsed index with words decoded to row numbers."""

    def __init__(self, data: dict):
        self.data = data
        self.rows = data["d"]
        self.t = {w: decode(p) for w, p in data["t"].items()}
        self.b = {w: decode(p) for w, p in data["b"].items()}

    def row(self, title: str) -> int:
        found = [n for n, row in enumerate(self.rows) if row[0] == title]
        assert len(found) == 1, (title, found)
        return found[0]

    def finds(self, word: str) -> set[str]:
        """Titles of the rows a word (exactly) finds in titles, terms or bodies."""
        return {self.rows[n][0] for n in self.t.get(word, []) + self.b.get(word, [])}


@pytest.fixture(scope="module")
def everyone(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("search")
    return Index(_build(make_site(root, _files()), root / "out")[1])


def test_the_format_is_version_3(everyone: Index) -> None:
    assert everyone.data["v"] == 3
    assert all(w == w.lower() for w in everyone.t)


def test_an_alias_finds_the_term_page_and_the_documents_naming_it(everyone: Index) -> None:
    found = everyone.finds("khmeimim")
    assert {"Hmeimim Air Base", "Russia moves S-400 launchers", "Coastal priorities"} <= found
    # ...and the canonical name finds the document that wrote the alias.
    assert "Coastal priorities" in everyone.finds("hmeimim")
    assert "Russia moves S-400 launchers" in everyone.finds("hmeymim")


def test_joined_forms_of_titles_and_bodies(everyone: Index) -> None:
    assert "Russia moves S-400 launchers" in everyone.finds("s400")
    assert "Russia moves S-400 launchers" in everyone.finds("su24")  # body word
    assert "Russia moves S-400 launchers" in everyone.finds("us")  # U.S.
    assert "wellknown" not in everyone.t and "wellknown" not in everyone.b  # everyday hyphenation


def test_words_are_case_and_accent_folded(everyone: Index) -> None:
    assert "Russia moves S-400 launchers" in everyone.finds("hama")
    assert not any(ch in w for w in [*everyone.t, *everyone.b] for ch in "āḤ")


def test_term_pages_are_rows_with_their_aliases(everyone: Index) -> None:
    row = everyone.rows[everyone.row("Hmeimim Air Base")]
    assert row[1] == "/locations/hmeimim-air-base/" and row[2] == "location"
    assert row[4] == "Russia's main air base in Syria." and row[8] == ["Khmeimim", "Hmeymim"]
    types = {r[0]: r[2] for r in everyone.rows}
    assert types["logistics"] == "tag" and types["air defence"] == "tag" and types["Russia"] == "actor"
    assert everyone.row("logistics") in everyone.t["logistics"]


def test_rows_carry_what_the_filters_read(everyone: Index) -> None:
    tags = everyone.data["g"]
    assert tags == sorted(tags, key=lambda name: name.replace(" ", "-"))
    article = everyone.rows[everyone.row("Russia moves S-400 launchers")]
    assert article[2] == "article" and article[3] == "2024-12-04" and article[6] == "high"
    assert sorted(tags[n] for n in article[7]) == ["air defence", "logistics"]
    note = everyone.rows[everyone.row("Coastal priorities")]
    assert note[2] == "note" and note[6] == "low" and [tags[n] for n in note[7]] == ["logistics"]


@pytest.mark.parametrize("audience", ["TLP:CLEAR", "TLP:AMBER"])
def test_nothing_above_the_audience_is_in_the_index(tmp_path: Path, audience: str) -> None:
    raw, data = _build(make_site(tmp_path, _files()), tmp_path / "out", audience)
    text = raw.decode("utf-8").lower()
    for secret in ("quiet relocation", "zarqaville", "zarqalias", "hushgroup", "redtagword", "redfedalias",
                   "a hidden place", "only insiders"):
        assert secret not in text, secret
    index = Index(data)
    assert "Russia" in {r[0] for r in index.rows}  # the public actor stays, without the hidden alias
    assert index.rows[index.row("Russia")][2] == "actor" and len(index.rows[index.row("Russia")]) < 9


def test_a_term_page_above_the_audience_takes_its_aliases_with_it(tmp_path: Path) -> None:
    raw, data = _build(make_site(tmp_path, _files(base_marking="TLP:AMBER")), tmp_path / "out", "TLP:GREEN")
    assert b"hmeymim" not in raw.lower() and b"Russia's main air base" not in raw
    index = Index(data)
    # The documents that wrote a name keep it: the term stays, under the names written.
    assert "Coastal priorities" in index.finds("khmeimim")
    assert "Coastal priorities" not in index.finds("hmeimim")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    src = make_site(tmp_path, _files())
    first, _ = _build(src, tmp_path / "a")
    second, _ = _build(src, tmp_path / "b")
    assert first == second


def _after_edits(tmp_path: Path, edits) -> tuple[bytes, bytes]:
    """The index a running builder writes after each edit, and a clean build's of the result."""
    src = make_site(tmp_path, _files())
    builder = Builder(src, tmp_path / "out", atomic_swap=False, jobs=1)
    assert builder.build().ok
    for edit in edits:
        assert builder.build(changed=edit(src)).ok
    builder.close()
    clean, _ = _build(src, tmp_path / "clean")
    return (tmp_path / "out" / "search-index.json").read_bytes(), clean


def _rewrite(src: Path, rel: str, old: str, new: str) -> set[Path]:
    path = src / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return {path}


def test_an_alias_edit_on_a_term_page_reaches_the_index(tmp_path: Path) -> None:
    kept, clean = _after_edits(tmp_path, [
        lambda src: _rewrite(src, "content/locations/hmeimim-air-base.md", "Hmeymim", "Latakia Airfield")])
    assert kept == clean
    index = Index(json.loads(kept))
    assert "Russia moves S-400 launchers" in index.finds("airfield")
    assert "hmeymim" not in index.t


def test_body_title_and_marking_edits_keep_the_index_equal_to_a_clean_build(tmp_path: Path) -> None:
    kept, clean = _after_edits(tmp_path, [
        lambda src: _rewrite(src, "content/articles/s400.md", "Su-24", "MiG-29"),
        lambda src: _rewrite(src, "content/notes/coastal.md", "title: Coastal priorities", "title: Coastal T-72 plan"),
        lambda src: _rewrite(src, "content/locations/hmeimim-air-base.md", "marking: TLP:CLEAR", "marking: TLP:AMBER"),
        lambda src: _rewrite(src, "content/notes/coastal.md", "tags: [logistics]", "tags: [armour]"),
    ])
    assert kept == clean
    index = Index(json.loads(kept))
    assert "Russia moves S-400 launchers" in index.finds("mig29") and "su24" not in index.b
    assert "Coastal T-72 plan" in index.finds("t72")
    assert index.rows[index.row("Hmeimim Air Base")][5] == "TLP:AMBER"
    assert "armour" in index.data["g"]


def _equal_to_clean_builds_at_each_step(tmp_path: Path, steps: list[tuple[str, str, str]],
                                        before_each: Callable[[Builder], None] | None = None) -> bytes:
    """Make each ``(file, old, new)`` edit in turn in one running builder (``before_each`` called
    on it first); after each, its index must equal a clean build's. The last clean index."""
    src = make_site(tmp_path, _files())
    builder = Builder(src, tmp_path / "out", atomic_swap=False, jobs=1)
    assert builder.build().ok
    clean = b""
    for number, (rel, old, new) in enumerate(steps):
        if before_each is not None:
            before_each(builder)
        assert builder.build(changed=_rewrite(src, rel, old, new)).ok
        clean, _ = _build(src, tmp_path / f"clean{number}")
        assert (tmp_path / "out" / "search-index.json").read_bytes() == clean, (number, new)
    builder.close()
    return clean


def test_tag_edits_that_add_and_remove_term_rows_keep_the_index_equal_to_a_clean_build_at_each_step(
        tmp_path: Path) -> None:
    """A new tag renumbers the tags after it and moves every term row after its own: the rows
    moved and the words' postings are redone in a running builder, equal to a clean build."""
    article = "content/articles/s400.md"
    clean = _equal_to_clean_builds_at_each_step(tmp_path, [
        (article, "tags: [air defence, logistics]", "tags: [aaa first, air defence, logistics]"),
        ("content/notes/coastal.md", "tags: [logistics]", "tags: [logistics, mmm middle, zzz last]"),
        (article, "tags: [aaa first, air defence, logistics]", "tags: [air defence, logistics]"),
        ("content/notes/coastal.md", "tags: [logistics, mmm middle, zzz last]", "tags: [zzz last]"),
        (article, "actors: [Russia]", "actors: [Russia, Aardvark Group]"),
    ])
    index = Index(json.loads(clean))
    assert "Aardvark Group" in index.finds("aardvark") and "aaa first" not in index.data["g"]


def test_postings_decode_to_the_numbers_they_were_written_from() -> None:
    from generator.render.search import decode_postings, encode_postings

    for numbers in ([], [0], [0, 1, 3], [5, 4100, 4101, 200_000, 10_000_000], list(range(0, 9000, 7))):
        assert decode_postings(encode_postings(numbers)) == numbers
        assert decode(encode_postings(numbers)) == numbers  # as the browser's script reads them


def test_an_index_saved_and_loaded_between_edits_writes_what_a_clean_build_writes(tmp_path: Path) -> None:
    """The saved index keeps its postings only as written (a new process decodes the words an
    edit touches): after a save and a load before each edit, the index equals a clean build's."""
    import pickle

    def save_and_load(builder: Builder) -> None:
        index = builder._search_memo["search_index"]
        saved = pickle.loads(pickle.dumps(index))
        assert saved.postings == ({}, {}) and saved.encoded == index.encoded
        builder._search_memo["search_index"] = saved

    article = "content/articles/s400.md"
    _equal_to_clean_builds_at_each_step(tmp_path, [
        (article, "Su-24", "MiG-29"),
        (article, "tags: [air defence, logistics]", "tags: [aaa first, air defence, logistics]"),
        ("content/notes/coastal.md", "tags: [logistics]", "tags: [logistics, zzz last]"),
        (article, "tags: [aaa first, air defence, logistics]", "tags: [air defence]"),
    ], save_and_load)
