"""Helpers for the navigation tests: write small sites, build them, read the output back."""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import html5lib

from generator.build import Builder, BuildResult
from generator.cli import main as cli_main

REPO = Path(__file__).resolve().parent.parent


def write_site(root: Path, files: dict[str, str], config: str | None = None) -> Path:
    """Write ``{relative path: text}`` (dedented) under ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "briefing.yaml").write_text(textwrap.dedent(config).lstrip(), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def doc(title: str, date: str | None = None, body: str = "", **fields: Any) -> str:
    """A Markdown document with front matter (values as YAML via JSON, which YAML reads)."""
    lines = ["---", f"title: {json.dumps(title)}"]
    if date is not None:
        lines.append(f"date: {date}")
    for key, value in fields.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    lines.append("")
    lines.append(textwrap.dedent(body).strip())
    return "\n".join(lines) + "\n"


def build(source: Path, output: Path | None = None, **options: Any) -> tuple[BuildResult, Path]:
    """Build in-process without the parse cache; returns the result and the output folder."""
    output = output or source.parent / (source.name + "-out")
    options = {"use_cache": False, "jobs": 1, **options}
    builder = Builder(source, output, **options)
    try:
        result = builder.build()
    finally:
        builder.close()
    return result, output


def build_ok(source: Path, output: Path | None = None, **options: Any) -> Path:
    """Build and assert success; returns the output folder."""
    result, out = build(source, output, **options)
    assert result.ok, "\n".join(str(d) for d in result.diagnostics)
    return out


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``briefing ARGS`` in-process: ``(exit code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(list(args))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# -- reading HTML back ---------------------------------------------------------------

def page_file(out: Path, url_path: str) -> Path:
    """The file of a clean URL path (``tags/x/`` -> ``tags/x/index.html``)."""
    url_path = url_path.lstrip("/")
    if url_path == "" or url_path.endswith("/"):
        return out / url_path / "index.html"
    return out / url_path


def html(out: Path, url_path: str) -> ET.Element:
    """Parse a built page with an HTML5 parser (no namespaces)."""
    with page_file(out, url_path).open("rb") as fh:
        return html5lib.parse(fh, treebuilder="etree", namespaceHTMLElements=False)


def text(el: ET.Element | None) -> str:
    """The element's text, spaces collapsed."""
    return "" if el is None else " ".join("".join(el.itertext()).split())


def by_id(tree: ET.Element, ident: str) -> ET.Element | None:
    """The element with an id."""
    return tree.find(f".//*[@id='{ident}']")


def section(tree: ET.Element, heading: str) -> ET.Element | None:
    """The ``<section>`` (or ``<aside>``) whose own heading reads ``heading`` (prefix match, case-insensitive)."""
    for tag in ("section", "aside"):
        for sec in tree.iter(tag):
            for h in sec:
                if h.tag in ("h1", "h2", "h3", "h4") and text(h).casefold().startswith(heading.casefold()):
                    return sec
    return None


def hrefs(el: ET.Element | None) -> list[str]:
    """Every ``<a href>`` under an element, in order."""
    return [] if el is None else [a.get("href", "") for a in el.iter("a") if a.get("href") is not None]


def links(el: ET.Element | None) -> list[tuple[str, str]]:
    """Every ``(text, href)`` of the links under an element."""
    return [] if el is None else [(text(a), a.get("href", "")) for a in el.iter("a") if a.get("href") is not None]


def main_el(tree: ET.Element) -> ET.Element:
    """The ``<main>`` element (or the body)."""
    found = tree.find(".//main")
    return found if found is not None else tree.find(".//body")  # type: ignore[return-value]


def read_json(out: Path, name: str) -> Any:
    """A JSON output file."""
    return json.loads((out / name).read_text(encoding="utf-8"))


def all_text(out: Path, suffixes: tuple[str, ...] = (".html", ".xml", ".json", ".txt")) -> dict[str, str]:
    """Every text output file by relative path."""
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in suffixes}
