"""Backlink sections show the sentence around each link (render/linkcontext.py), read back
from built pages with the HTML parser: plain text, the link's words marked, cut at words,
audience-safe, and fresh after an edit of the linking sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import Html, build_ok, make_site, page, text_of

from generator.build import Builder
from generator.verify import compare_folders

TARGET = """\
---
title: Quay works at Tartus
date: 2024-12-01
marking: TLP:CLEAR
---
Dredgers were seen at the northern quay.
"""

LINKER = """\
---
title: Berths for larger ships
date: 2024-12-05
marking: TLP:GREEN
---
Nothing here links anywhere. Engineers lengthened the quay, as [[quay-works-at-tartus|the quay report]] shows, and added two berths. A later sentence.

A second paragraph names [[quay-works-at-tartus]] again. A third mention of [[quay-works-at-tartus]] is not shown.
"""

LONG = """\
---
title: A very long sentence
date: 2024-12-04
---
{before} [[quay-works-at-tartus]] {after}
"""

ASSESSOR = """\
---
title: The port matters
date: 2024-12-06
about: [quay-works-at-tartus]
---
We assess the works continue; the text here has no cross-link.
"""

ESCAPES = """\
---
title: Markup in text
date: 2024-12-03
---
AT&T writes `<b>bold</b>` near [[quay-works-at-tartus]] and *emphasis*.
"""

TERM_LINKER = """\
---
title: Moscow's view
date: 2024-12-02
---
Officials in Moscow praised [[Russia|the Russian navy]] for the deployment.
"""

ACTOR = """\
---
title: Russia
---
The Russian state.
"""

PAGE = """\
---
title: Method
---
How we work.
"""

PAGE_LINKER = """\
---
title: Grading note
date: 2024-12-02
tags: [method]
---
Sources are graded as described in [[method]], on two scales.
"""

BEFORE = " ".join(f"b{i}" for i in range(40))
AFTER = " ".join(f"a{i}" for i in range(40)) + "."

FILES = {
    "briefing.yaml": "title: Context brief\nbase_url: https://example.org/\n",
    "content/articles/quay-works-at-tartus.md": TARGET,
    "content/notes/berths.md": LINKER,
    "content/notes/long.md": LONG.format(before=BEFORE, after=AFTER),
    "content/notes/assessor.md": ASSESSOR,
    "content/notes/escapes.md": ESCAPES,
    "content/notes/moscow.md": TERM_LINKER,
    "content/actors/russia.md": ACTOR,
    "content/pages/method.md": PAGE,
    "content/notes/grading.md": PAGE_LINKER,
}

TARGET_URL = "articles/quay-works-at-tartus/"


def _entry(html: Html, url: str):
    """The backlink entry (``li.backlink``) whose title links to ``url``."""
    for li in html.all("li", cls="backlink"):
        title = li.find(".//a")
        if title is not None and title.get("href") == url:
            return li
    raise AssertionError(f"no backlink entry for {url}")


def _contexts(li) -> list[str]:
    return [text_of(q) for q in li.iter("blockquote") if "backlink-context" in (q.get("class") or "")]


def _marked(li) -> list[str]:
    return [text_of(m) for m in li.iter("mark")]


def test_a_backlink_shows_the_sentence_around_the_link_with_its_words_marked(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    html = page(out, TARGET_URL)
    li = _entry(html, "/notes/berths/")
    assert _contexts(li) == [
        "Engineers lengthened the quay, as the quay report shows, and added two berths.",
        "A second paragraph names Quay works at Tartus again.",
    ]  # the first two, each its own sentence; the third mention is left out
    assert _marked(li) == ["the quay report", "Quay works at Tartus"]
    meta = text_of(next(p for p in li.iter("p") if p.get("class") == "backlink-meta"))
    assert "Analyst note" in meta and "5 December 2024" in meta and "TLP:GREEN" in meta
    # No card: no summary paragraph repeated in the backlink section.
    assert not [p for p in li.iter("p") if p.get("class") == "card-summary"]


def test_a_long_sentence_is_cut_at_words_with_an_ellipsis_on_each_side(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    (context,) = _contexts(_entry(page(out, TARGET_URL), "/notes/long/"))
    words = context.split()
    assert words[0] == "…" and words[-1] == "…"
    link_at = words.index("Quay")
    assert words[1:link_at] == [f"b{i}" for i in range(15, 40)]  # 25 words before
    assert words[link_at + 4:-1] == [f"a{i}" for i in range(25)]  # 25 words after


def test_abbreviations_and_initials_do_not_cut_the_sentence_short(tmp_path: Path) -> None:
    linker = ("---\ntitle: Abbreviations\ndate: 2024-12-07\n---\nAn earlier sentence. Brigades, e.g. the 5th under "
              "Gen. J. Smith, moved to [[quay-works-at-tartus|the quay]] approx. two km from the U.S. berth. "
              "Another sentence follows!\n")
    out = build_ok(make_site(tmp_path, {**FILES, "content/notes/abbreviations.md": linker}))
    assert _contexts(_entry(page(out, TARGET_URL), "/notes/abbreviations/")) == [
        "Brigades, e.g. the 5th under Gen. J. Smith, moved to the quay approx. two km from the U.S. berth."]


def test_a_front_matter_link_keeps_a_compact_entry_without_a_sentence(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    html = page(out, TARGET_URL)
    li = _entry(html, "/notes/assessor/")
    assert _contexts(li) == []
    section = next(s for s in html.all("section") if s.get("aria-labelledby") == "assessed-heading")
    assert li in list(section.iter("li"))


def test_the_context_is_plain_text_never_the_linking_documents_markup(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    li = _entry(page(out, TARGET_URL), "/notes/escapes/")
    (quote,) = [q for q in li.iter("blockquote")]
    assert text_of(quote) == "AT&T writes <b>bold</b> near Quay works at Tartus and emphasis."
    assert [el.tag for el in quote.iter()] == ["blockquote", "p", "mark"]


def test_term_pages_and_plain_pages_show_contexts_too(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    li = _entry(page(out, "actors/russia/"), "/notes/moscow/")
    assert _contexts(li) == ["Officials in Moscow praised the Russian navy for the deployment."]
    li = _entry(page(out, "method/"), "/notes/grading/")
    assert _contexts(li) == ["Sources are graded as described in Method, on two scales."]


def test_the_banner_counts_the_linking_documents_marking(tmp_path: Path) -> None:
    out = build_ok(make_site(tmp_path, FILES))
    banner = page(out, TARGET_URL).one("p", cls="tlp-banner-top")
    assert "TLP:GREEN" in text_of(banner)  # the page shows a TLP:GREEN note's sentence


# -- audience ---------------------------------------------------------------------------------

SECRET = """\
---
title: Zzsecret canary title
date: 2024-12-07
marking: TLP:RED
---
The zzsecret body cites [[quay-works-at-tartus]] in a zzsecret sentence.
"""

MENTIONS_SECRET = """\
---
title: Open note
date: 2024-12-08
marking: TLP:CLEAR
---
Compare [[secret]] with [[quay-works-at-tartus]] for the dates.
"""


def test_an_audience_build_shows_no_hidden_document_or_its_title_in_contexts(tmp_path: Path) -> None:
    files = {**FILES, "content/notes/secret.md": SECRET, "content/notes/open.md": MENTIONS_SECRET}
    site = make_site(tmp_path, files)
    everyone = build_ok(site, "-o", tmp_path / "all")
    assert "/notes/secret/" in page(everyone, TARGET_URL).hrefs()
    out = build_ok(site, "--audience", "TLP:CLEAR", "-o", tmp_path / "clear")
    html = page(out, TARGET_URL)
    links = html.hrefs()
    assert "/notes/secret/" not in links and "/notes/berths/" not in links  # RED and GREEN left out
    assert "zzsecret" not in (out / TARGET_URL / "index.html").read_text(encoding="utf-8").casefold()
    # The visible note's sentence shows the hidden link as the words written, never its title.
    assert _contexts(_entry(html, "/notes/open/")) == [
        "Compare secret with Quay works at Tartus for the dates."]
    assert "TLP:CLEAR" in text_of(html.one("p", cls="tlp-banner-top"))
    for path in out.rglob("*"):
        if path.is_file():
            assert b"canary title" not in path.read_bytes().lower(), path


# -- freshness --------------------------------------------------------------------------------

def _clean(site: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    builder = Builder(site, out, use_cache=False, jobs=1)
    result = builder.build()
    builder.close()
    assert result.ok, [str(d) for d in result.errors]


def _edit(site: Path, old: str, new: str) -> Path:
    path = site / "content/notes/berths.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_an_edit_of_the_linking_sentence_rerenders_the_target_in_a_running_builder(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    changed = _edit(site, "Engineers lengthened the quay", "Divers inspected the quay")
    result = builder.build(changed={changed})
    assert result.ok
    assert "Divers inspected the quay, as the quay report shows" in page(out, TARGET_URL).text
    _clean(site, clean)
    assert compare_folders(clean, out) == []
    changed = _edit(site, "added two berths", "found no damage")
    assert builder.build(changed={changed}).ok
    _clean(site, clean)
    assert compare_folders(clean, out) == []
    builder.close()


def test_an_edit_of_the_linking_sentence_rerenders_the_target_in_a_new_process(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = Builder(site, out, jobs=1)
    assert first.build().ok
    first.close()
    _edit(site, "A second paragraph names", "A later paragraph cites")
    second = Builder(site, out, jobs=1)  # a new process starts like this: the cache only
    assert second.build().ok
    second.close()
    assert "A later paragraph cites Quay works at Tartus again." in page(out, TARGET_URL).text
    _clean(site, clean)
    assert compare_folders(clean, out) == []
