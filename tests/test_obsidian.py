"""Notes written in Obsidian: ``![[chart.png]]`` is the image beside the file, ``![[Other
note]]`` a cross-link (with a warning: its text is not embedded), and callouts (``> [!info]
Title``, folding marks, Obsidian's kinds) are titled notes as GitHub's alerts are; ``%%comments%%``
are authors' notes, never published; a ``# Title`` opening a note without ``title:`` is its title."""

from __future__ import annotations

from pathlib import Path

from conftest import Html, build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.markdown import render_body
from generator.markup.obsidian import comments_left_out, embeds_read, inline_footnotes


def test_an_embedded_image_is_the_image_and_an_embedded_note_a_cross_link_with_a_warning() -> None:
    rendered, notes = render_body("![[chart.png]] ![[maps/Hama area.jpg|300]] ![[Other note]]\n\n"
                                  "`![[kept.png]]`\n\n```\n![[code.png]]\n```\n", 5)
    html = Html(rendered.html)
    assert [(i.get("src"), i.get("alt"), i.get("width")) for i in html.all("img")] == [
        ("chart.png", "chart", None), ("maps/Hama%20area.jpg", "Hama area", "300")]
    assert [(link.target, link.line) for link in rendered.links] == [("Other note", 5)]
    assert [text_of(c) for c in html.all("code")] == ["![[kept.png]]", "![[code.png]]"]
    assert notes == [(5, "'![[Other note]]' embeds another note, which a page here does not; it is shown as a "
                         "link to it")]


def test_obsidian_callouts_are_titled_notes_and_unknown_kinds_stay_quotes() -> None:
    rendered, _ = render_body("> [!info] Sourcing caveat\n> Single source.\n\n> [!danger]-\n> Folded.\n\n"
                              "> [!tip]\n> GitHub's own.\n\n> [!rumour] not a kind\n", 1)
    html = Html(rendered.html)
    shown = [(div.get("class"), text_of(div.find("p")), text_of(div)) for div in html.all("div", cls="alert")]
    assert shown == [("alert alert-note", "Sourcing caveat", "Sourcing caveat Single source."),
                     ("alert alert-caution", "Danger", "Danger Folded."),
                     ("alert alert-tip", "Tip", "Tip GitHub's own.")]
    assert text_of(html.one("blockquote")) == "[!rumour] not a kind"


def test_a_vault_builds_with_its_images_and_links(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/notes/a.md": "---\ntitle: Alpha\ndate: 2024-12-06\n---\n![[chart.png]]\n\n![[Bravo]]\n",
        "content/notes/chart.png": b"\x89PNG\r\n\x1a\n",
        "content/notes/b.md": "---\ntitle: Bravo\ndate: 2024-12-05\n---\nB.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert [line for line in run.err.splitlines() if ": warning:" in line] == [
        "content/notes/a.md:7: warning: body: '![[Bravo]]' embeds another note, which a page here does not; it is "
        "shown as a link to it"]
    alpha = page(site / "site", "notes/a/")
    assert [i.get("src") for i in alpha.all("img") if i.get("alt") == "chart"] == ["/notes/chart.png"]
    assert "/notes/b/" in alpha.hrefs() and "/notes/a/" in page(site / "site", "notes/b/").hrefs()


def test_embeds_are_read_in_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "![[a.png]] ![[Note]] ![[ " * n + "\n", lambda text: embeds_read(text, 1), 5_000)


def test_obsidian_comments_are_left_out_of_the_page_and_code_keeps_its_percent_signs() -> None:
    rendered, notes = render_body("Seen %%source is ASSET-7%% at dawn.\n\n%%\nblock of\nprivate notes\n%%\n\n"
                                  "`printf(\"50%%\")` and `%%x%%` stay.\n\n```\n%%fenced%%\n```\n", 3)
    html = rendered.html
    assert "ASSET-7" not in html and "private" not in html and "block of" not in html
    assert "<p>Seen  at dawn.</p>" in html
    assert [text_of(c) for c in Html(html).all("code")] == ['printf("50%%")', "%%x%%", "%%fenced%%"]
    assert notes == []
    rendered, notes = render_body("Shown.\n\nHidden %%from here\n\nto the end.\n", 10)
    assert rendered.html == "<p>Shown.</p>\n<p>Hidden </p>" and [line for line, _ in notes] == [12]
    assert "never closed" in notes[0][1]


def test_a_vault_note_is_published_without_its_comments_in_page_feed_or_search(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "briefing.yaml": "title: Vault\nbase_url: https://example.org/\n",
        "content/notes/view.md": "---\ndate: 2024-12-06\ntags: ['#osint']\n---\n# Convoy view\n\n"
                                 "The convoy moved. %%Source: ASSET-7, do not publish%%\n\n[[alpha]]\n",
        "content/articles/alpha.md": "---\ntitle: Alpha\ndate: 2024-12-05\n---\nText.\n",
    })
    run = build(site)
    assert run.code == 0 and ": warning:" not in run.err, run.text
    out = site / "site"
    view = page(out, "notes/view/")
    assert view.h1 == "Convoy view" and [h.text for h in view.all("h1")] == ["Convoy view"]
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert b"ASSET-7" not in path.read_bytes(), path


def test_comments_are_read_in_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "a %%b%% `c %%` d %%\ne\n%%\n" * n, lambda text: comments_left_out(text, 1), 20_000)
    assert_linear(lambda n: "`" * n + " %%x" * n, lambda text: comments_left_out(text, 1), 20_000)


def test_a_dated_note_without_front_matter_takes_its_heading_and_its_names_date_and_the_sites_marking(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "briefing.yaml": "title: Vault\nbase_url: https://example.org/\nmarking: TLP:AMBER\n",
        "content/notes/2024-12-06-convoy-view.md": "# Convoy view\n\nThe convoy moved north; see [[alpha]].\n",
        "content/notes/undated.md": "# Undated\n\nText.\n",
        "content/articles/alpha.md": "---\ntitle: Alpha\ndate: 2024-12-05\nmarking: TLP:CLEAR\n---\nText.\n",
    })
    run = build(site)
    assert run.code == 1 and "content/notes/undated.md:1: front matter: missing" in run.err, run.text
    (site / "content/notes/undated.md").unlink()
    run = build(site)
    assert run.code == 0, run.text
    assert "content/notes/2024-12-06-convoy-view.md:1: warning: front matter: missing: the title is read from " \
           "the heading opening the body and the date from the file's name (2024-12-06)" in run.err
    view = page(site / "site", "notes/convoy-view/")
    assert view.h1 == "Convoy view" and [h.text for h in view.all("h1")] == ["Convoy view"]
    assert view.one("time").get("datetime") == "2024-12-06" and "TLP:AMBER" in view.text
    run = build(site, "--audience", "TLP:CLEAR", "-o", tmp_path / "clear")
    assert run.code == 0, run.text
    assert not (tmp_path / "clear" / "notes" / "convoy-view").exists()


def test_inline_footnotes_are_numbered_notes_and_code_keeps_them_as_written() -> None:
    rendered, notes = render_body("Convoy moved^[Per two channels, unconfirmed.] north.\n\n"
                                  "`^[code]` and ^[second *note*]; x^[ ] stays.\n\n```\n^[fenced]\n```\n", 1)
    html = Html(rendered.html)
    assert [text_of(a) for a in html.all("a", cls="footnote-ref")] == ["1", "2"]
    assert [text_of(li).rstrip("\u21a9").strip() for li in html.all("li")] == ["Per two channels, unconfirmed.",
                                                                              "second note"]
    assert [text_of(c) for c in html.all("code")] == ["^[code]", "^[fenced]"]
    assert "x^[ ] stays." in rendered.html and notes == []


def test_inline_footnotes_are_read_in_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "a^[note] `^[code]` b ^[c]\n" * n, inline_footnotes, 20_000)
