"""HTML a word processor or an old site leaves in a body, made what HTML5 allows.

Text pasted from Word or an old CMS carries elements HTML5 has dropped (the HTML checker
rejects each): ``<center>`` becomes ``<div class="center">`` (the theme centres it),
``<font color="red">`` a plain ``<span>`` (a colour picked on white paper can be unreadable on
the dark theme, or below the contrast readers need), ``<tt>`` ``<code>``, ``<strike>`` ``<s>``,
``<acronym>`` ``<abbr>``, ``<big>``, ``<blink>`` and ``<marquee>`` a ``<span>``; Office's own
tags (``<o:p>``, ``<w:Sdt>``) go, what they hold stays. A raw ``<img>`` without ``alt`` gets an
empty one (the page stays valid) and a warning at its line: describe the image for readers who
cannot see it. An old named anchor (``<a name="x">``) is ``<a id="x">``, and Word's own style
properties (``mso-...``, ``tab-stops``) leave ``style`` attributes. Markdown's own HTML and code
are never touched (escaped text matches no tag).
One pass, linear in the text.
"""

from __future__ import annotations

import re

from generator.markup.fencing import lines_outside_code

_OLD = re.compile(r"<(/?)(center|font|tt|big|strike|acronym|blink|marquee|[a-z]+:[a-z][\w-]*)\b([^<>]*)>", re.I)
_SWAP = {"center": "div", "font": "span", "tt": "code", "big": "span", "strike": "s", "acronym": "abbr",
         "blink": "span", "marquee": "span"}
_KEPT = re.compile(r"\s(title|id|class|lang|dir|style)\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_IMG = re.compile(r"<img\b(?![^<>]*\salt\s*=)([^<>]*?)(/?)>", re.I)
_IMG_LINE = re.compile(r"<img\b(?![^<>]*\salt\s*=)[^<>]*>", re.I)


def current_html(out: str) -> str:
    """``out`` with obsolete and Office elements made HTML5 (see the module's notes)."""
    if "<" not in out:
        return out
    if _OLD.search(out):
        out = _OLD.sub(_swap, out)
    if "<img" in out or "<IMG" in out:
        out = _IMG.sub(lambda m: f'<img{m.group(1)} alt=""{m.group(2)}>', out)
    if " name" in out and ("<a" in out or "<A" in out):
        out = _NAMED_ANCHOR.sub(_anchor_id, out)
    if "style" in out:
        out = _OFFICE_STYLE.sub(_without_office_css, out)
    return out


#: An old named anchor (``<a name="x">``, no ``href`` or ``id``): HTML5 has ``id`` for it.
_NAMED_ANCHOR = re.compile(r"<a\b(?![^<>]*\s(?:id|href)\s*=)([^<>]*?)\sname\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
#: A style attribute holding Word's own properties (``mso-bidi-font-weight``, ``tab-stops``...).
_OFFICE_STYLE = re.compile(r"(\sstyle\s*=\s*)(\"[^\"<>]*\"|'[^'<>]*')", re.I)
_OFFICE_PROPERTY = re.compile(r"\s*(?:mso-|tab-stops|layout-grid-mode|text-autospace|punctuation-wrap)", re.I)


def _anchor_id(found: re.Match[str]) -> str:
    """``<a name="x">`` as ``<a id="x">`` (spaces, which no id holds, as hyphens)."""
    value = found.group(2)[1:-1].strip()
    return f'<a{found.group(1)} id="{"-".join(value.split()) or "anchor"}"'


def _without_office_css(found: re.Match[str]) -> str:
    """A style attribute without Word's own properties, which no browser reads (and the HTML
    checker rejects); no attribute when nothing else was in it."""
    quote, css = found.group(2)[0], found.group(2)[1:-1]
    if not _OFFICE_PROPERTY.search(css):
        return found.group(0)
    kept = [part for part in css.split(";") if part.strip() and not _OFFICE_PROPERTY.match(part)]
    return f"{found.group(1)}{quote}{';'.join(kept)}{quote}" if kept else ""


def _swap(found: re.Match[str]) -> str:
    closing, name, attributes = found.group(1), found.group(2).lower(), found.group(3)
    new = _SWAP.get(name)
    if new is None:  # o:p, w:Sdt...: Office's own tags go
        return ""
    if closing:
        return f"</{new}>"
    kept = "".join(f" {m.group(1).lower()}={m.group(2)}" for m in _KEPT.finditer(attributes))
    if name == "center":
        given = re.search(r" class=([\"'])(.*?)\1", kept)
        kept = kept.replace(given.group(0), f' class="center {given.group(2)}"') if given else ' class="center"' + kept
    return f"<{new}{kept}>"


def images_without_alt(source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each raw ``<img>`` written without ``alt``."""
    if "<img" not in source and "<IMG" not in source:
        return []
    notes: list[tuple[int, str]] = []
    for number, line in lines_outside_code(source.split("\n")):
        if "`" in line or line[:4] == "    ":
            continue  # code (a line with a code span is left alone)
        if "<" in line and _IMG_LINE.search(line):
            notes.append((body_line + number, "an <img> without alt text: describe the image (alt=\"...\") for "
                                              "readers who cannot see it, or alt=\"\" if it only decorates"))
    return notes
