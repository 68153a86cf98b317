"""axe-core finds no violation, of any impact, on any page of the example site: light and dark
colour schemes, desktop (1280 px) and phone (390 px) widths. One browser, one page load per
page; width and colour scheme change in place (CDP ``Emulation.setEmulatedMedia``).

Every rule runs at both widths in the light scheme. The dark scheme changes colours only (the
theme's dark block redefines colour tokens and nothing else), so in dark it runs the rules that
read colours; that keeps the sweep near a minute at a hundred pages on a shared machine.
"""

from __future__ import annotations

import time
from pathlib import Path

from browserhelpers import axe_source, chromium, guard_requests, pages_of, serve_folder

WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")

#: The axe rules whose outcome depends on colours (all that differ between the two schemes).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

RUN = """(only) => axe.run(document, only ? {runOnly: only, resultTypes: ['violations']}
                                        : {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1, 3).join(' '))
})))"""


def _sweep(site: Path) -> tuple[list[str], list[str], int]:
    """Run axe over every page in every width and scheme; (violations, outside requests, runs)."""
    found: list[str] = []
    runs = 0
    axe = axe_source()
    with serve_folder(site) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 844})
        outside = guard_requests(context, base)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        for path in pages_of(site):
            page.goto(base + path, wait_until="load")
            page.add_script_tag(content=axe)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 844})
                for scheme in SCHEMES:
                    cdp.send("Emulation.setEmulatedMedia",
                             {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                    runs += 1
                    only = COLOUR_RULES if scheme == "dark" else None
                    for v in page.evaluate(RUN, only):
                        found.append(f"/{path} [{width}px {scheme}] {v['id']} ({v['impact']}): "
                                     f"{v['help']}; " + " | ".join(v["nodes"]))
        context.close()
    return found, outside, runs


def test_no_axe_violation_on_any_page_light_dark_desktop_phone(built_example: Path) -> None:
    start = time.monotonic()
    found, outside, runs = _sweep(built_example)
    print(f"axe: {runs} runs over {len(pages_of(built_example))} pages in {time.monotonic() - start:.1f} s")
    assert runs >= 4 * len(pages_of(built_example)) > 0
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found[:40])
    assert not outside, f"requests outside the site: {outside[:10]}"


def test_the_sweep_reports_a_violation_and_an_outside_request(tmp_path: Path) -> None:
    """The harness itself: a page with an unlabelled image and a request to another host is
    caught (so an empty list above means something)."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main><h1>t</h1><img src="https://example.invalid/a.png"></main></body></html>',
        encoding="utf-8")
    found, outside, runs = _sweep(tmp_path)
    assert runs == 4
    assert any(" image-alt " in line for line in found), found
    assert outside == ["https://example.invalid/a.png"]
