"""The three things Hugo's and GitHub's Markdown do that Python-Markdown does not.

Authors coming from Hugo (Goldmark) or GitHub write:

* ``~~struck out~~``: shown struck out (``<del>``), not with its tildes, and ``==marked==``
  (Obsidian's, Typora's and many editors' highlight) shown marked (``<mark>``);
* ``- [ ] open`` and ``- [x] done``: task list items, with a box ticked or not;
* a bare ``https://example.org/report`` or ``www.example.org``: a link.

Strike-through is an inline pattern of Python-Markdown's (:class:`StrikeExtension`), so it
nests with emphasis and links as other inline forms do and code spans keep their tildes. The
fast renderers decline a text holding ``~~`` (see :mod:`generator.markup.inline_fast`);
highlighting is one too, alike.

Task boxes and bare links are found in the rendered HTML (:func:`gfm_html`), which both
renderers give alike: boxes at the start of a list item, links in text outside tags, links,
code and preformatted blocks. Both passes are linear in the size of the HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import AUTOMAIL_RE, InlineProcessor
from markdown.util import AtomicString

from generator.markup.fencing import lines_outside_code

#: ``~~text~~``: the text neither starts nor ends with a space and holds no ``~~`` (so a
#: search from each opening pair stops at the next pair: linear in the text).
STRIKE = r"(?<!~)~~(?!~)([^\s~](?:(?:[^~]|~(?!~))*?[^\s~])?)~~(?!~)"


class _StrikeProcessor(InlineProcessor):
    """``~~text~~`` as ``<del>text</del>``; the text's own inline forms are rendered after."""

    reads_forward = True  # reads only its match (see generator.markup.inline)

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown's API name
        element = etree.Element("del")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


#: ``==text==``: as :data:`STRIKE`, with ``=`` (``a == b`` and ``==`` alone stay as written).
MARK = r"(?<!=)==(?!=)([^\s=](?:(?:[^=]|=(?!=))*?[^\s=])?)==(?!=)"


class _MarkProcessor(_StrikeProcessor):
    """``==text==`` as ``<mark>text</mark>``; the text's own inline forms are rendered after."""

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown's API name
        element = etree.Element("mark")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class _PlainMailProcessor(InlineProcessor):
    """``<analyst@example.org>`` as a plain ``mailto:`` link, as GitHub and Hugo write it.
    Python-Markdown writes every letter as a character reference (``&#109;&#97;...``), which
    the site's link handling took for a relative path: the link led nowhere."""

    reads_forward = True  # reads only its match (see generator.markup.inline)

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown's API name
        email = self.unescape(m.group(1)).removeprefix("mailto:")
        element = etree.Element("a", href="mailto:" + email)
        element.text = AtomicString(email)
        return element, m.start(0), m.end(0)


class _SeparateQuoteProcessor(BlockQuoteProcessor):
    """A quote parted from the quote before it by a blank line is a quote of its own, as on
    GitHub and in CommonMark (Python-Markdown made one quote of them: several sources quoted
    in a row read as one); ``>`` on the line between keeps one quote of several paragraphs."""

    def lastChild(self, parent: etree.Element) -> etree.Element | None:  # noqa: N802 - Markdown's API name
        """The element a quote would continue: never a quote before it."""
        child = super().lastChild(parent)
        return None if child is not None and child.tag == "blockquote" else child


def separate_quotes(md: markdown.Markdown) -> None:
    """Put :class:`_SeparateQuoteProcessor` in place of ``md``'s quote step."""
    if "quote" in md.parser.blockprocessors:
        md.parser.blockprocessors.register(_SeparateQuoteProcessor(md.parser), "quote", QUOTE_PRIORITY)


#: Where Python-Markdown registers its quote step.
QUOTE_PRIORITY = 20


class StrikeExtension(Extension):
    """Registers ``~~strike-through~~`` and ``==highlight==`` before emphasis, after links and
    code, and writes ``<name@host>`` as a plain ``mailto:`` link."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.inlinePatterns.register(_StrikeProcessor(STRIKE, md), "briefing-strike", 65)
        md.inlinePatterns.register(_MarkProcessor(MARK, md), "briefing-mark", 64)
        md.inlinePatterns.register(_PlainMailProcessor(AUTOMAIL_RE, md), "automail", 110)


#: A task box at the start of a list item, tight (``<li>[ ] ``) or loose (``<li>\n<p>[x] ``).
_TASK = re.compile(r"(<li>(?:\n?<p>)?)\[([ xX])\](?=[ \n])")
_BOX = {
    " ": '<input type="checkbox" class="task" disabled aria-label="not done">',
    "x": '<input type="checkbox" class="task" disabled checked aria-label="done">',
}

#: What the link finder looks at: the start and end tags of the elements whose text is left
#: alone, and bare web addresses (not inside a word, another address or an attribute's quotes).
_SCAN = re.compile(
    r"<(/?)(a|code|pre|script|style|textarea)\b[^<>]*>"
    r"""|(?<![\w/@.:%&#=?+\-"'])(?:https?://|www\.)(?=[\w-])[^\s<>"]*""", re.I)
#: The start of an address (what comes before it is looked at apart: a look-behind first made
#: the search try every position of the body in turn).
_ADDRESS_START = re.compile(r"(?:https?://|www\.)[\w-]")


def _address_in_text(out: str) -> bool:
    """Whether some address may be in text rather than a tag or the text of a link or code: a
    quick look before :func:`_linkify` (each address of a link's own text, as ``<https://x>``
    writes it, is passed over by looking at the tag right before it)."""
    for match in _ADDRESS_START.finditer(out):
        start = match.start()
        before = out[start - 1:start]
        if before in ('"', "'", "="):  # an attribute's value
            continue
        if before != ">":
            return True
        tag = out[out.rfind("<", 0, start):start]
        if not tag.startswith(("<a ", "<a>", "<code")):
            return True
    return False
#: Characters a bare address does not end with (GitHub's rule): punctuation closing a sentence.
_TRAILING = "?!.,:*_~'"


#: A ``%`` in a link's or image's address that starts no escape (``?q=50%``, ``pic%.png``).
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ADDRESS_WITH_PERCENT = re.compile(r'(\s(?:href|src|poster)=")([^"]*%[^"]*)"')
_ADDRESS_WITH_SPACE = re.compile(r'(\s(?:href|src|poster)=")([^" <>]* [^"<>]*)"')


#: A link's address written as a web address without its scheme (``www.example.org/report``).
_WWW_HREF = re.compile(r'(<a\b[^<>]*?\shref=")(www\.[\w-]+\.[^"\s]*")')

#: A quote GitHub shows as an alert: ``> [!NOTE]`` on its first line (Obsidian's callouts too:
#: more kinds, a ``+``/``-`` for folding, and a title after the marker).
_ALERT = re.compile(r"<blockquote>\n<p>\[!([A-Za-z]+)\][+-]?(?: ([^\n<]*))?(?:</p>\n<p>|\n|</p>)")
#: Each kind of alert or callout, and the alert it is shown as (the five GitHub has).
ALERT_KINDS = {
    "note": "note", "tip": "tip", "important": "important", "warning": "warning", "caution": "caution",
    "info": "note", "todo": "note", "abstract": "note", "summary": "note", "tldr": "note", "example": "note",
    "quote": "note", "cite": "note", "question": "note", "help": "note", "faq": "note", "success": "note",
    "check": "note", "done": "note", "hint": "tip", "attention": "warning", "danger": "caution",
    "error": "caution", "failure": "caution", "fail": "caution", "missing": "caution", "bug": "caution",
}


def _alerts(out: str) -> str:
    """Quotes that open with ``[!NOTE]`` (``TIP``, ``IMPORTANT``, ``WARNING``, ``CAUTION``) as
    GitHub shows them: a titled note, not a quote that says ``[!NOTE]``."""
    parts: list[str] = []
    at = 0
    for match in _ALERT.finditer(out):
        if match.start() < at:  # inside an alert already made
            continue
        end = _closing_quote(out, match.end())
        if end < 0:
            continue
        written = match.group(1).lower()
        kind = ALERT_KINDS.get(written)
        if kind is None:  # [!something] of no known kind: a quote that says so
            continue
        title = (match.group(2) or "").strip() or written.capitalize()
        opened = match.group(0).endswith("<p>") or match.group(0).endswith("\n")
        parts += [out[at:match.start()], f'<div class="alert alert-{kind}" role="note">\n'
                  f'<p class="alert-title">{title}</p>\n' + ("<p>" if opened else ""),
                  out[match.end():end], "</div>"]
        at = end + len("</blockquote>")
    if not parts:
        return out
    parts.append(out[at:])
    return "".join(parts)


def _closing_quote(out: str, start: int) -> int:
    """Where the ``</blockquote>`` closing the quote open at ``start`` is, or -1."""
    depth = 1
    at = start
    while depth:
        close = out.find("</blockquote>", at)
        if close < 0:
            return -1
        inner = out.find("<blockquote>", at, close)
        if inner >= 0:
            depth, at = depth + 1, inner + 12
        else:
            depth, at = depth - 1, close + 13
    return at - 13


def gfm_html(out: str) -> str:
    """``out`` with task boxes and bare web addresses made what Hugo and GitHub make them, a
    link to ``www.example.org`` a link to that site (not to a file of that name beside the page), and
    a ``%`` that starts no escape in an address written ``%25`` and a space ``%20``, as
    Goldmark writes them (the address means the same; as written it is not a valid URL)."""
    if "%" in out:
        out = _ADDRESS_WITH_PERCENT.sub(lambda m: m.group(1) + _LONE_PERCENT.sub("%25", m.group(2)) + '"', out)
    if ' href="' in out or ' src="' in out:  # [report](<my file.pdf>): a space is no part of a URL
        out = _ADDRESS_WITH_SPACE.sub(lambda m: m.group(1) + m.group(2).strip().replace(" ", "%20") + '"', out)
    if ' href="www.' in out:  # [site](www.example.org): a web address, not a file beside the page
        out = _WWW_HREF.sub(r"\1https://\2", out)
    if "<blockquote>\n<p>[!" in out:
        out = _alerts(out)
    if "[" in out and "<li>" in out:
        out = _TASK.sub(lambda m: m.group(1) + _BOX[m.group(2).lower()], out)
    if ("://" in out or "www." in out) and _address_in_text(out):
        out = _linkify(out)
    return out


def _linkify(out: str) -> str:
    """Bare addresses in text as links; text inside links, code and scripts is left alone, as
    is an address inside a tag. The scan stops only at those elements' tags and at addresses
    (in C between them), and whether an address is inside a tag is read from the text since the
    one before: linear in the body."""
    parts: list[str] = []
    at = 0
    depth = 0  # how many links, code, scripts... are open
    seen = 0  # up to where the text was read for tags' brackets
    in_tag = False
    for match in _SCAN.finditer(out):
        start = match.start()
        if match.group(2) is not None:
            depth = max(0, depth - 1) if match.group(1) else depth + 1
            seen, in_tag = match.end(), False
            continue
        opened, closed = out.rfind("<", seen, start), out.rfind(">", seen, start)
        if opened >= 0 or closed >= 0:
            in_tag = opened > closed
        seen = start
        if depth or in_tag:
            continue
        address = _trimmed(match.group(0))
        href = address if "://" in address else "http://" + address
        parts.append(out[at:start])
        parts.append(f'<a href="{href}">{address}</a>')
        at = start + len(address)
    if not parts:
        return out
    parts.append(out[at:])
    return "".join(parts)


def _trimmed(address: str) -> str:
    """An address without the punctuation that ends its sentence, a closing bracket it does
    not open, or an entity (``&gt;``) at its end (each character looked at once or twice)."""
    end = len(address)
    unopened = address.count(")") - address.count("(")
    while end:
        last = address[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and unopened > 0:
            end -= 1
            unopened -= 1
        elif last == ";" and (entity := _ENTITY_END.search(address, max(0, end - 12), end)):
            end = entity.start()
        else:
            break
    return address[:end]


_ENTITY_END = re.compile(r"&[a-zA-Z0-9#]+;$")


#: A line opening with ``#`` and no space after the marks (in a quote too): not a heading on
#: GitHub or in Hugo (CommonMark), where Python-Markdown would make ``#OSINT`` one.
_NOT_A_HEADING = re.compile(r"((?: {0,3}> ?)*) {0,3}(#{1,6})[^#\s]")


def hashtags_as_text(source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``source`` with each line that opens with ``#word`` (``#OSINT``, ``#Russia #Syria``) kept
    as text, as GitHub and Hugo show it, and a warning (line in the file, message) where two or
    more marks (``##Findings``) look like a heading missing its space."""
    if "#" not in source:
        return source, []
    lines = source.split("\n")
    notes: list[tuple[int, str]] = []
    for number, line in lines_outside_code(lines):
        if "#" not in line[:80]:
            continue
        found = _NOT_A_HEADING.match(line)
        if found is None:
            continue
        at = found.start(2)
        lines[number] = line[:at] + "\\" + line[at:]
        if len(found.group(2)) > 1:
            notes.append((body_line + number, f"{line.strip()[:40]!r} is not a heading (no space after the "
                                              f"{found.group(2)}), as on GitHub and in Hugo; it is shown as "
                                              f"text: write '{found.group(2)} ' to make it one"))
    return "\n".join(lines), notes


def backslash_breaks(source: str) -> str:
    """``source`` with a line ending in a backslash (``first line\\``) followed by more text
    written as a hard line break (two spaces), as CommonMark, GitHub and Hugo read it; an
    escaped backslash (``\\\\``), a table row and code are left as written."""
    if "\\\n" not in source:
        return source
    lines = source.split("\n")
    for number, line in lines_outside_code(lines[:-1]):
        if not line.endswith("\\") or line[:4] == "    ":
            continue
        slashes = len(line) - len(line.rstrip("\\"))
        if slashes % 2 and lines[number + 1].strip() and not line.lstrip().startswith("|"):
            lines[number] = line[:-1] + "  "
    return "\n".join(lines)
