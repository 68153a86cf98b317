"""Every internal link and anchor resolves: the checker itself, the example site, a 1,000-document corpus."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from linkcheck import check_site
from navhelpers import REPO, build

MAKE_CORPUS = REPO / "bench" / "make_corpus.py"  # the project's own corpus generator


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def test_checker_accepts_good_links(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", {
        "index.html": '<a href="/a/">a</a><a href="a/#x">x</a><a href="#top" id="top">t</a>'
                      '<img src="/static/s.css"><a href="https://elsewhere.example/">e</a><a href="mailto:x@y">m</a>',
        "a/index.html": '<h2 id="x">X</h2><a href="../">up</a><a href="./#x">self</a><a href="/b/c.html#y">c</a>',
        "b/c.html": '<p><a name="y">old-style anchor</a></p><a href="../a/">back</a>',
        "static/s.css": "",
    })
    report = check_site(site)
    assert report.ok, report.problems
    assert report.pages == 3 and report.links == 10


def test_checker_finds_each_kind_of_problem(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", {
        "index.html": "\n".join([
            '<a href="/missing/">1</a>',
            '<a href="/a/#nope">2</a>',
            '<a href="../../etc/passwd">3</a>',
            '<script src="/static/app.js"></script>',
            '<a href="/a">5</a>',
            '<a href="/other/x/">6</a>',
            '<a href="#not-here">7</a>',
        ]),
        "a/index.html": '<h2 id="x">X</h2>',
    })
    problems = check_site(site).problems
    assert [p.split(":")[1] for p in problems] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "no file missing/index.html" in problems[0]
    assert "no id 'nope'" in problems[1]
    assert "climbs out" in problems[2]
    assert "without a trailing slash" in problems[4]
    assert "no id 'not-here' in index.html" in problems[6]
    # Under a base path, a rooted link outside it is a problem too.
    sub = check_site(site, "/briefs/").problems
    assert any("outside the base path" in p for p in sub)


def test_example_site_links(tmp_path: Path) -> None:
    result, out = build(REPO, tmp_path / "out")
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.warnings == [], [str(d) for d in result.warnings]
    report = check_site(out, "/", "https://example.org/")
    assert report.ok, report.problems[:20]
    assert report.pages >= 30 and report.links > 500
    result, sub = build(REPO, tmp_path / "sub", base_url="https://example.org/briefs/")
    assert result.ok
    report = check_site(sub, "/briefs/", "https://example.org/briefs/")
    assert report.ok, report.problems[:20]


def test_a_1000_document_corpus_has_every_link_and_anchor_resolved_and_a_small_search_index(tmp_path: Path) -> None:
    """One build of the project's corpus, checked two ways (one build: it is most of the time)."""
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--docs", "1000", "--out", str(src)],
                   check=True, capture_output=True, text=True)
    result, out = build(src, tmp_path / "out", jobs=os.cpu_count() or 1)
    assert result.ok, [str(d) for d in result.diagnostics][:20]
    assert result.warnings == [], [str(d) for d in result.warnings][:20]

    report = check_site(out, "/")
    assert report.ok, report.problems[:20]
    assert report.pages > 1000

    raw = (out / "search-index.json").read_bytes()
    packed = len(gzip.compress(raw, 6))
    print(f"search-index.json for 1,000 documents: {len(raw):,} bytes, {packed:,} gzipped")
    assert len(raw) < 800_000, len(raw)  # measured about 0.5 MB
    assert packed < 200_000, packed
