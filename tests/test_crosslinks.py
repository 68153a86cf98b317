"""Cross-links ([[...]], about, related), their warnings, backlinks and related documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from linkcheck import check_site
from navhelpers import (
    build,
    build_ok,
    doc,
    hrefs,
    html,
    links,
    main_el,
    run_cli,
    section,
    text,
    write_site,
)

TARGET_BODY = """\
Opening paragraph.

## Key judgements

Judgements here.

## Second part

More.
"""

LINKER_BODY = """\
By slug [[target-report]], labelled [[target-report|the report]], to a heading
[[target-report#key-judgements]] and [[target-report#Second part|part two]].
By title [[The Target Report]] and in another case [[TARGET-REPORT]].
Qualified [[articles/target-report|qualified]].
To a term page by alias [[Khmeimim]], an actor [[russia]], a tag [[air power]], a page [[about]].
Escaped label [[target-report|<b>bold</b>]].

Inline code `[[not-a-link]]` stays.

```
[[fenced-not-a-link]]
```

~~~
[[tilde-fenced]]
~~~

    [[indented-code]]
"""


def _site(root: Path) -> Path:
    return write_site(root, {
        "content/articles/target-report.md": doc("The Target Report", "2024-12-01", TARGET_BODY,
                                                 actors=["Russia"], location="Hmeimim", tags=["air power"]),
        "content/articles/linker.md": doc("The Linker", "2024-12-02", LINKER_BODY, tags=["air power"]),
        "content/notes/assessment.md": doc("An assessment", "2024-12-03", "We assess [[target-report]].",
                                           about=["The Target Report"], related=["Khmeimim", "linker"]),
        "content/locations/hmeimim.md": doc("Hmeimim Air Base", None, "The base; see [[target-report]].",
                                            aliases=["Khmeimim"], slug="hmeimim-air-base"),
        "content/actors/russia.md": doc("Russia", None, "The state."),
        "content/pages/about.md": doc("About us", None, "About page. [[linker]]"),
    })


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = _site(tmp_path_factory.mktemp("xl") / "src")
    result, out = build(src)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.warnings == [], [str(d) for d in result.warnings]
    return out


def _body(out: Path, url: str):
    tree = html(out, url)
    return next(d for d in tree.iter("div") if "doc-body" in (d.get("class") or "").split())


def test_every_link_form_resolves(site: Path) -> None:
    body = _body(site, "articles/linker/")
    got = links(body)
    assert got[:6] == [
        ("The Target Report", "/articles/target-report/"),
        ("the report", "/articles/target-report/"),
        ("The Target Report", "/articles/target-report/#key-judgements"),
        ("part two", "/articles/target-report/#second-part"),
        ("The Target Report", "/articles/target-report/"),
        ("The Target Report", "/articles/target-report/"),
    ]
    assert got[6:11] == [
        ("qualified", "/articles/target-report/"),
        ("Hmeimim Air Base", "/locations/hmeimim-air-base/"),
        ("Russia", "/actors/russia/"),
        ("air power", "/tags/air-power/"),
        ("About us", "/about/"),
    ]
    # A label is text, never markup.
    assert got[11] == ("<b>bold</b>", "/articles/target-report/")
    assert body.find(".//b") is None


def test_links_in_code_are_left_as_written(site: Path) -> None:
    body = _body(site, "articles/linker/")
    code = " ".join(text(c) for c in body.iter("code"))
    for written in ("[[not-a-link]]", "[[fenced-not-a-link]]", "[[tilde-fenced]]", "[[indented-code]]"):
        assert written in code
    assert len(hrefs(body)) == 12


def test_about_and_related_resolve_like_body_links(site: Path) -> None:
    tree = html(site, "notes/assessment/")
    main = main_el(tree)
    assert ("The Target Report", "/articles/target-report/") in links(main.find(".//dl"))
    related = section(tree, "Related")
    assert related is not None
    got = hrefs(related)
    assert "/locations/hmeimim-air-base/" in got and "/articles/linker/" in got


def test_backlinks_assessed_in_and_referenced_by(site: Path) -> None:
    tree = html(site, "articles/target-report/")
    assessed = section(tree, "Assessed in")
    referenced = section(tree, "Referenced by")
    assert assessed is not None and referenced is not None
    assert hrefs(assessed) and hrefs(assessed)[0] == "/notes/assessment/"
    # The note is listed under "Assessed in" only, not again under "Referenced by".
    ref_titles = {t for t, _ in links(referenced)}
    assert "The Linker" in ref_titles and "An assessment" not in ref_titles
    # Term pages link back too, each listed once.
    assert "Hmeimim Air Base" in ref_titles
    assert hrefs(referenced).count("/articles/linker/") == 1


def test_related_names_a_document_and_it_links_back(site: Path) -> None:
    linker = html(site, "articles/linker/")
    referenced = section(linker, "Referenced by")
    assert referenced is not None and "/notes/assessment/" in hrefs(referenced)
    assert "/about/" in hrefs(referenced)
    # A plain page shows its backlinks too.
    about = section(html(site, "about/"), "Referenced by")
    assert about is not None and "/articles/linker/" in hrefs(about)


def test_term_pages_show_documents_linking_to_them(site: Path) -> None:
    for url, who in (("locations/hmeimim-air-base/", "The Linker"), ("actors/russia/", "The Linker")):
        linked = section(html(site, url), "Linked from")
        assert linked is not None and who in text(linked), url
    # The Linker is also tagged "air power": it is listed once, with the tag's documents, and
    # not again under "Linked from" (no document twice on a term page).
    page = html(site, "tags/air-power/")
    timeline = section(page, "Timeline")
    in_timeline = set(map(id, timeline.iter("a"))) if timeline is not None else set()
    titles = [text(a) for a in page.iter("a") if text(a) == "The Linker" and id(a) not in in_timeline]
    assert titles == ["The Linker"]  # the term's own timeline stays beside the list
    linked = section(page, "Linked from")
    assert linked is None or "The Linker" not in text(linked)
    assert "An assessment" in text(section(html(site, "locations/hmeimim-air-base/"), "Linked from"))


def test_no_dead_links(site: Path) -> None:
    report = check_site(site)
    assert report.ok, report.problems


# -- related documents -------------------------------------------------------------------

def test_related_ranked_by_shared_actors_locations_tags(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/articles/base.md": doc("Base", "2024-06-01", "x", actors=["Russia"], location="Tartus",
                                        tags=["navy"]),
        "content/articles/tag-only.md": doc("Tag only", "2024-06-05", "x", tags=["navy"]),
        "content/articles/actor-only.md": doc("Actor only", "2024-06-02", "x", actors=["russia"]),
        "content/articles/place-only.md": doc("Place only", "2024-06-03", "x", location="tartus"),
        "content/articles/all.md": doc("All three", "2024-01-01", "x", actors=["Russia"], location="Tartus",
                                       tags=["Navy"]),
        "content/articles/none.md": doc("Nothing shared", "2024-06-04", "x", actors=["Turkey"]),
    })
    out = build_ok(src)
    related = section(html(out, "articles/base/"), "Related")
    assert [t for t, _ in links(related) if not t.endswith("confidence")] == [
        "All three", "Actor only", "Place only", "Tag only"]


# -- unresolved links ----------------------------------------------------------------------

BROKEN = {
    "content/articles/target-report.md": doc("Target", "2024-12-01", "## Key judgements\n\ntext"),
    "content/notes/broken.md": (
        "---\n"                                      # 1
        "title: Broken\n"                            # 2
        "date: 2024-12-02\n"                         # 3
        "about:\n"                                   # 4
        "  - target-report\n"                        # 5
        "  - target-reprot\n"                        # 6
        "related: [nowhere-at-all]\n"                # 7
        "---\n"                                      # 8
        "\n"                                         # 9
        "First line [[target-report]].\n"           # 10
        "\n"                                         # 11
        "A typo [[target-reports]] and [[target-report#key-judgments]].\n"  # 12
        "A label [[missing-thing|shown label]].\n"   # 13
    ),
}


def test_unresolved_links_warn_with_file_line_and_a_near_slug_only(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", BROKEN)
    result, out = build(src)
    assert result.ok
    warnings = [str(d) for d in result.warnings]
    assert any(w.startswith("content/notes/broken.md:12: warning: link: ") and "target-reports" in w
               and "'target-report'" in w for w in warnings), warnings
    assert any(w.startswith("content/notes/broken.md:12: warning: link: ") and "key-judgments" in w
               and "key-judgements" in w for w in warnings), warnings
    assert any(w.startswith("content/notes/broken.md:13: warning: link: ") and "missing-thing" in w
               for w in warnings), warnings
    assert any(w.startswith("content/notes/broken.md:6: warning: about: ") and "target-reprot" in w
               and "'target-report'" in w for w in warnings), warnings
    assert any(w.startswith("content/notes/broken.md:7: warning: related: ") and "nowhere-at-all" in w
               for w in warnings), warnings
    # A near slug is suggested; a target like no slug gets no suggestion (a far one misleads).
    for w in warnings:
        far = "missing-thing" in w or "nowhere-at-all" in w
        assert ("did you mean" in w) is not far, w
        assert ("target-report" in w.split(":", 4)[-1]) is not far, w
    # Rendered as marked text, never a dead <a href>.
    body = next(d for d in html(out, "notes/broken/").iter("div") if "doc-body" in (d.get("class") or ""))
    assert hrefs(body) == ["/articles/target-report/", "/articles/target-report/"]
    missing = [s for s in body.iter("span") if "xref-missing" in (s.get("class") or "")]
    assert [text(s) for s in missing] == ["target-reports", "shown label"]
    assert check_site(out).ok


def test_a_link_broken_the_same_way_on_many_lines_is_one_warning_naming_the_other_lines(tmp_path: Path) -> None:
    """The same unresolved link (or missing heading) written on many lines is one warning at
    its first line, naming the next lines and how many more; each is still marked on the page."""
    repeated = "\n\n".join(["See [[nowhere-at-all]] and [[target-report#no-such-part]]."] * 9)
    src = write_site(tmp_path / "src", {
        "content/articles/target-report.md": doc("The Target Report", "2024-11-01", TARGET_BODY),
        "content/notes/many.md": doc("Many", "2024-11-02", repeated + "\n\nOnce [[elsewhere-entirely]]."),
    })
    result, out = build(src)
    assert result.ok
    warnings = sorted(str(d) for d in result.warnings if d.path == "content/notes/many.md")
    assert warnings == [
        "content/notes/many.md:24: warning: link: [[elsewhere-entirely]] matches no document, page or term",
        "content/notes/many.md:6: warning: link: [[nowhere-at-all]] matches no document, page or term"
        " (also on lines 8, 10, 12, 14, 16 and 3 more)",
        "content/notes/many.md:6: warning: link: [[target-report#no-such-part]]: 'The Target Report' has no "
        "heading '#no-such-part'; did you mean '#second-part'? (also on lines 8, 10, 12, 14, 16 and 3 more)",
    ]
    body = next(d for d in html(out, "notes/many/").iter("div") if "doc-body" in (d.get("class") or ""))
    missing = [s for s in body.iter("span") if "xref-missing" in (s.get("class") or "")]
    assert [text(s) for s in missing] == ["nowhere-at-all"] * 9 + ["elsewhere-entirely"]
    assert hrefs(body) == ["/articles/target-report/"] * 9


def test_unresolved_links_fail_with_strict(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", BROKEN)
    code, _, err = run_cli("build", "--source", str(src), "--strict", "--quiet")
    assert code == 1
    assert re.search(r"^content/notes/broken\.md:12: link: .*target-reports", err, re.M), err
    assert not (src / "site").exists()
    code, out, err = run_cli("check", "--source", str(src))
    assert code == 0
    assert "content/notes/broken.md:12: warning: link:" in out + err
    code, _, _ = run_cli("check", "--source", str(src), "--strict")
    assert code == 1


def test_heading_holding_a_link_gets_a_readable_id(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/articles/a.md": doc("A", "2024-01-01", "## Moves by [[russia]]\n\ntext"),
        "content/articles/b.md": doc("B", "2024-01-02", "See [[a#moves-by-russia]]."),
        "content/actors/russia.md": doc("Russia", None, "x"),
    })
    result, out = build(src)
    assert result.ok and result.warnings == [], [str(d) for d in result.diagnostics]
    heading = html(out, "articles/a/").find(".//h2[@id='moves-by-russia']")
    assert heading is not None and text(heading) == "Moves by Russia"
    assert "/articles/a/#moves-by-russia" in hrefs(_body(out, "articles/b/"))


def test_link_with_a_label_in_a_table_cell(tmp_path: Path) -> None:
    body = "| when | what |\n| --- | --- |\n| today | [[target\\|the target]] and [[target#top\\|its top]] |\n"
    src = write_site(tmp_path / "src", {
        "content/articles/target.md": doc("Target", "2024-01-01", "## Top\n\nx"),
        "content/articles/table.md": doc("Table", "2024-01-02", body),
    })
    result, out = build(src)
    assert result.ok and result.warnings == [], [str(d) for d in result.diagnostics]
    cell = html(out, "articles/table/").findall(".//td")[1]
    assert links(cell) == [("the target", "/articles/target/"), ("its top", "/articles/target/#top")]


def test_self_links_are_not_backlinks(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/articles/me.md": doc("Me", "2024-01-01", "## Top\n\nSee [[me#top]] and [[me]]."),
    })
    out = build_ok(src)
    tree = html(out, "articles/me/")
    assert section(tree, "Referenced by") is None
    assert "/articles/me/#top" in hrefs(main_el(tree))


def test_related_ranked_after_prepare_equal_those_ranked_lazily_and_a_last_build_keeps_no_memo() -> None:
    import random
    from datetime import UTC

    from generator.config import SiteConfig
    from generator.graph.site import build_graph
    from generator.model.document import DocType
    from generator.model.frontmatter import parse_document

    rng = random.Random(5)
    docs = []
    for i in range(120):
        front = (f"title: Doc {i}\ndate: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                 f"actors: [{', '.join(rng.sample(['Russia', 'Turkey', 'Iran', 'Israel'], rng.randint(0, 2)))}]\n"
                 f"tags: [{', '.join(rng.sample(['navy', 'air', 'logistics', 'drones', 'ports'], rng.randint(0, 3)))}]\n")
        doc_, diags = parse_document(f"content/articles/d{i}.md", f"---\n{front}---\nBody.\n", DocType.ARTICLE, f"d{i}", UTC)
        assert doc_ is not None, diags
        docs.append(doc_)
    lazy = build_graph(SiteConfig(), docs, {})
    prepared = build_graph(SiteConfig(), docs, {})
    prepared.related.prepare(remember=False)
    ranked = 0
    for doc_ in docs:
        expected = [d.path for d in lazy.related.related(doc_)]
        assert [d.path for d in prepared.related.related(doc_)] == expected
        ranked += bool(expected)
    assert ranked > 100
    assert prepared.related.memo == {} and len(lazy.related.memo) == len(docs)


def test_a_link_by_a_slug_an_article_and_a_note_share_is_a_warning_naming_both_and_the_folder_form_is_not(
        tmp_path) -> None:
    from conftest import build as run_build
    from conftest import make_site

    site = make_site(tmp_path, {
        "content/articles/twin.md": "---\ntitle: Twin article\ndate: 2024-12-05\n---\nText.\n",
        "content/notes/twin.md": "---\ntitle: Twin note\ndate: 2024-12-05\n---\nText.\n",
        "content/articles/linker.md": ("---\ntitle: Linker\ndate: 2024-12-06\n---\nSee [[twin]].\n\n"
                                       "And [[notes/twin]], [[articles/twin]] and [[Twin note]].\n"),
    })
    run = run_build(site)
    assert run.code == 0, run.text
    warned = [line for line in run.err.splitlines() if ": warning: " in line]
    assert warned == ["content/articles/linker.md:5: warning: link: [[twin]] matches [[articles/twin]] and "
                      "[[notes/twin]], which share the slug; it links [[articles/twin]]; write [[notes/twin]] "
                      "for the other"]
