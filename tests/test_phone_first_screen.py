"""On a 390 px wide phone (844 px tall), the first screen of a document page shows its title and
the start of its text, and the home page shows the latest items before any statistics.
Measured in headless Chromium from the elements' bounding boxes."""

from __future__ import annotations

from pathlib import Path

from browserhelpers import chromium, guard_requests, pages_of, serve_folder

PHONE = {"width": 390, "height": 844}

TOPS = """() => {
  const top = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().top : null; };
  // The first text a reader gets: a note's key judgments (its bottom line up front), else its body.
  const body = document.querySelector('.key-judgments .kj-text, .doc-body > p, .doc-body > ul, .doc-body > ol, .doc-body > h2');
  return {title: top('h1'), text: body ? body.getBoundingClientRect().top : null,
          card: top('main .cards .card'), stats: top('main .stats'),
          width: document.documentElement.scrollWidth};
}"""


def _documents(site: Path) -> list[str]:
    return [p for p in pages_of(site) if p.startswith(("articles/", "notes/")) and p.count("/") == 2]


def test_document_and_home_first_screens_on_a_phone(built_example: Path) -> None:
    documents = _documents(built_example)
    assert documents
    problems = []
    with serve_folder(built_example) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                      has_touch=True)
        outside = guard_requests(context, base)
        page = context.new_page()
        for path in documents:
            page.goto(base + path, wait_until="load")
            tops = page.evaluate(TOPS)
            if tops["title"] is None or not 0 <= tops["title"] < PHONE["height"]:
                problems.append(f"/{path}: title at {tops['title']}")
            if tops["text"] is None or not tops["text"] < PHONE["height"] - 40:
                problems.append(f"/{path}: text starts at {tops['text']} (screen {PHONE['height']})")
            if tops["width"] > PHONE["width"]:
                problems.append(f"/{path}: scrolls sideways ({tops['width']} px wide)")
        page.goto(base, wait_until="load")
        home = page.evaluate(TOPS)
        context.close()
    assert home["card"] is not None and home["card"] < PHONE["height"] - 80, home
    assert home["stats"] is None or home["stats"] > home["card"], home
    assert not problems, "\n".join(problems)
    assert not outside, outside
