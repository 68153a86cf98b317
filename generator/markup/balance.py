"""Raw HTML in a body kept inside the body: every element it opens is closed in it, and no end
tag of its closes an element of the page around it.

A body's raw HTML is the author's own and is kept (``README``), but the page wraps the body in
the theme's own elements. An author's ``<div class="box">`` never closed took the rest of the
page into it (the sources, the footer, the page's landmarks), and a stray ``</div>`` (left over
from a paste) closed the theme's body container early. So the body's HTML is balanced as a
browser would read it, and the author told where:

* an element opened and never closed is closed at the end of the body (a warning for those
  whose end tag HTML requires, such as ``div``; not for ``p``, ``li`` or ``td``, whose end tag
  HTML lets an author leave out);
* an end tag that closes nothing the body opened is left out (a warning);
* an end tag that closes an element opened before others still open closes those first, and
  a new ``p``, ``li``, ``dt``/``dd``, ``tr``, ``td``/``th`` or ``option`` closes the one
  before it, as HTML's parser does, so the written end tags match.

Markdown's own HTML is always balanced; a body is looked at only when its source holds a tag,
and rewritten only when the count of some element's start and end tags differs (a check in C).
The pass is linear in the body's size.
"""

from __future__ import annotations

import re
from collections import Counter

from generator.markup.fencing import Fences

#: Elements that have no end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
#: Elements whose end tag HTML lets an author leave out: closed quietly.
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
                          "optgroup", "colgroup", "caption", "rb", "rt", "rp"})
#: Elements that are the page's, never the body's: their tags are left out wherever they are.
PAGE_ONLY = frozenset({"html", "head", "body"})
#: Start tags that close an open ``p`` (HTML's block-level elements).
_CLOSES_P = frozenset({"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
                       "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                       "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"})
#: A start tag that closes an open element of the same group (``<li>`` the ``li`` before it).
_SIBLINGS = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
             "td": ("td", "th"), "th": ("td", "th"), "option": ("option",)}
#: A comment, an element whose text holds no tags (a script, a style) whole, or a start or end
#: tag (its name, ``/`` when it ends, ``/`` when it closes itself). A tag's text stops at the
#: next ``<`` whatever its quotes say, so each ``<`` is looked at from once: linear.
_TOKEN = re.compile(
    r"<!--(?:.*?-->|.*\Z)|<(script|style|textarea|title)\b[^<>]*>(?:.*?</\1\s*>|.*\Z)"
    r"""|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[\s/](?:[^<>"']|"[^"<>]*"|'[^'<>]*')*?)?(/?)>""", re.S | re.I)
#: Anything in a source that may be a raw tag or comment.
_RAW = re.compile(r"</?[a-zA-Z]|<!--")


def without_comments(out: str) -> str:
    """``out`` without its HTML comments: a reviewer's ``<!-- source is ASSET-7 -->`` is never
    published, in the page or the feed (those in code are text; scripts and styles keep theirs)."""
    if "<!--" not in out:
        return out
    return _TOKEN.sub(lambda m: "" if m.group(0).startswith("<!--") and m.group(0).endswith("-->") else m.group(0),
                      out)


#: A line that opens an HTML comment (CommonMark's HTML block), and a fence line.
_COMMENT_LINE = re.compile(r"^ {0,3}<!--", re.M)


def cut_at_unclosed_comment(source: str) -> tuple[str, int | None]:
    """``source`` up to a line opening an HTML comment that nothing closes, and that line's
    index (``None``: no such line). Hugo and GitHub hide all that follows such a line, as
    CommonMark says; Python-Markdown showed it, a reviewer's note and the paragraphs after it."""
    if "<!--" not in source:
        return source, None
    last_close = source.rfind("-->")
    fences = Fences()
    at = 0
    for number, line in enumerate(source.split("\n")):
        if not fences.is_fence(line) and not fences.in_code and at > last_close and _COMMENT_LINE.match(line):
            return source[:at], number
        at += len(line) + 1
    return source, None


#: At most so many warnings a body (then one more says how many are left unsaid).
MAX_NOTES = 20


def balanced(out: str, source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``out`` (a body's HTML) balanced (see the module's notes), with a warning per element
    left open or end tag left out, at its line in ``source`` (the body, from ``body_line``)."""
    if _RAW.search(source) is None or _counts_match(out, source):
        return out, []
    pieces: list[str] = []
    found: list[tuple[int, str, str]] = []  # (offset in out, the tag as written, message)
    stack: list[tuple[str, int]] = []  # open elements: (name, their start tag's offset in out)
    opened: dict[str, int] = {}  # how many of each name the stack holds (a stray end tag: no search)
    at = 0
    for match in _TOKEN.finditer(out):
        start, end = match.span()
        if match.group(3) is None:  # a comment, script or style: whole, unless it runs to the end
            opaque = match.group(0)
            if not _closed(opaque, match.group(1)):
                closer = "-->" if match.group(1) is None else f"</{match.group(1).lower()}>"
                pieces += [out[at:end], closer]
                at = end
                what = "a comment (<!--)" if match.group(1) is None else f"<{match.group(1).lower()}>"
                found.append((start, opaque[:4], f"raw HTML: {what} is never closed; closed at the end of the body"))
            continue
        name, ending = match.group(3).lower(), bool(match.group(2))
        if name in PAGE_ONLY:
            pieces.append(out[at:start])
            at = end
            found.append((start, match.group(0), f"raw HTML: <{match.group(2)}{name}> belongs to the page, not "
                                                 "to a body; left out"))
            continue
        if not ending:
            if name in VOID or match.group(4):
                continue
            closing = _implied(stack, name, opened)
            if closing:
                pieces += [out[at:start], closing]
                at = start
            stack.append((name, start))
            opened[name] = opened.get(name, 0) + 1
            continue
        depth = -1
        if opened.get(name):  # the nearest open one (those above it are taken off: linear in all)
            depth = next(i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name)
        if depth < 0:
            pieces.append(out[at:start])
            at = end
            if name not in VOID and name != "p":  # a paragraph's end after a block closed it: Markdown's
                found.append((start, match.group(0), f"raw HTML: </{name}> closes nothing the body opened; "
                                                     "left out"))
            continue
        if depth < len(stack) - 1:  # elements opened inside it and left open: closed first
            pieces += [out[at:start], _close(stack[depth + 1:], found, out, f"where its <{name}> ends")]
            at = start
        for gone, _ in stack[depth:]:
            opened[gone] -= 1
        del stack[depth:]
    pieces.append(out[at:])
    if stack:
        pieces.append(("" if out.endswith("\n") else "\n") + _close(stack, found, out, "at the end of the body"))
    return "".join(pieces), _with_lines(found, source, body_line)


def _with_lines(found: list[tuple[int, str, str]], source: str, body_line: int) -> list[tuple[int, str]]:
    """The messages found, first ``MAX_NOTES`` in document order, each at the line where its tag
    is written: looked for in the source from the one before (the author's tags are in the
    same order in the source as in its HTML), so the source is read once."""
    found.sort()
    notes: list[tuple[int, str]] = []
    at = line = 0
    for _, tag, message in found[:MAX_NOTES]:
        where = source.find(tag, at)
        if where < 0:  # Markdown may have written it otherwise: its name
            head = re.match(r"</?[a-zA-Z][a-zA-Z0-9-]*|<!--", tag)
            where = source.find(head.group(0), at) if head else -1
        if where >= 0:
            line += source.count("\n", at, where)
            at = where
        notes.append((body_line + line, message))
    if len(found) > MAX_NOTES:
        notes.append((body_line + line, f"raw HTML: {len(found) - MAX_NOTES} more tags like these"))
    return notes


def _counts_match(out: str, source: str) -> bool:
    """Whether every element (void ones aside) has as many end tags as start tags, every
    comment and script is closed, and no page element is there: then the HTML is left as it
    is. Markdown's own HTML is always balanced, so only the names of the tags the source
    writes are counted (in C: a body may hold a million tags); tags in scripts and comments
    count too, which only ever sends a body to the full pass."""
    if "<!--" in out and out.count("<!--") > out.count("-->"):
        return False
    names = set(map(str.lower, _RAW_NAMES.findall(source)))
    if names & PAGE_ONLY or names & _CLOSES_P:  # a raw block tag may sit in a paragraph: the full pass
        return False
    names -= VOID
    if len(names) > 40:  # counted all at once instead
        return _all_counts_match(out)
    low = out.lower() if names else out
    for name in names:
        starts = len(re.findall(f"<{name}(?=[\\s/>])", low))
        closing_itself = len(re.findall(f"<{name}(?:\\s[^<>]*)?/>", low)) if "/>" in low else 0
        if starts - closing_itself != len(re.findall(f"</{name}\\s*>", low)):
            return False
    return True


def _all_counts_match(out: str) -> bool:
    """:func:`_counts_match` for every name at once."""
    starts = Counter(map(str.lower, _START_NAMES.findall(out)))
    ends = Counter(map(str.lower, _END_NAMES.findall(out)))
    closing_themselves = Counter(map(str.lower, _SELF_CLOSING.findall(out))) if "/>" in out else Counter()
    for name, count in starts.items():
        if name not in VOID and count - closing_themselves[name] != ends[name]:
            return False
    return all(name in starts or name in VOID for name in ends)


_RAW_NAMES = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
_START_NAMES = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])")
_END_NAMES = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_SELF_CLOSING = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?/>")


def _closed(opaque: str, name: str | None) -> bool:
    """Whether a comment (``name`` None) or a script or style (its name) ends in its text."""
    if name is None:
        return opaque.endswith("-->") and len(opaque) >= 7
    return re.search(rf"</{name}\s*>\Z", opaque, re.I) is not None


def _implied(stack: list[tuple[str, int]], name: str, opened: dict[str, int]) -> str:
    """The end tags a start tag ``name`` implies (a ``p`` or sibling left open), popped."""
    closing = ""
    if name in _CLOSES_P and stack and stack[-1][0] == "p":
        stack.pop()
        opened["p"] -= 1
        closing += "</p>"
    siblings = _SIBLINGS.get(name)
    if siblings and stack and stack[-1][0] in siblings:
        gone = stack.pop()[0]
        opened[gone] -= 1
        closing += f"</{gone}>"
    return closing


def _close(open_: list[tuple[str, int]], found: list[tuple[int, str, str]], out: str, where: str) -> str:
    """End tags for the elements ``open_`` (innermost last), with a warning for each whose end
    tag HTML requires (closed ``where``)."""
    for name, start in open_:
        if name not in OPTIONAL_END:
            found.append((start, out[start:out.find(">", start) + 1],
                          f"raw HTML: <{name}> is never closed; closed {where}"))
    return "".join(f"</{name}>" for name, _ in reversed(open_))
