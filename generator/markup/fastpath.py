"""A direct renderer for the plain Markdown most briefings are written in.

Python-Markdown costs several milliseconds per document, most of it spent trying patterns and
processors that plain prose never triggers. Most documents use only paragraphs, ``#``
headings, rules, flat lists, simple quotes, pipe tables, fenced code and inline forms.
:meth:`FastPath.render` renders such a document in one pass and returns exactly the HTML that
Python-Markdown, configured as :mod:`generator.markup.markdown` configures it, returns. At the
first construct it is not certain of, it returns ``None`` and the caller uses Python-Markdown.

Being exact matters more than coverage, so every rule here errs towards ``None``: a line that
could start any other block (indented, ``-``, ``+``, ``>``, ``|``, ``=``, numbered, a fence in
a paragraph, a rule-like line among others), raw HTML that is not a simple inline tag,
footnotes other than references and one-line definitions in blocks of their own
(:mod:`generator.markup.fastpath_notes`), reference links, attribute lists, a line break in a
list item, tabs, unusual whitespace, loose lists. Texts (paragraphs, list items, cells, headings) are rendered by
:class:`~generator.markup.inline_fast.InlineFast`, which declines what it cannot render
exactly; a heading's id is made from its HTML as the table of contents step sees it (escapes
undone). Fenced code goes through Python-Markdown's own fenced-code step, so highlighting is
its own. ``tests/test_markdown_fastpath.py`` compares both renderers on the example site,
generated corpora and many assembled snippets.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from itertools import groupby

import markdown
from markdown.extensions.toc import strip_tags

from generator.markup.fastpath_inline import inline_pass, take_copies
from generator.markup.fastpath_notes import DEFINITION, footnotes_of, notes_html
from generator.markup.fastpath_text import _Bail, fenced_blocks, plain_blocks
from generator.markup.headingids import ID_START, fill_heading_ids
from generator.markup.inline_fast import InlineFast, html_is_inline
from generator.model.document import LinkRef

#: Anything in the whole source that sends the document to Python-Markdown: tabs, carriage
#: returns and other control characters, whitespace other than space and newline (Python's
#: ``strip`` would remove it where Markdown's patterns would not), and the private-use
#: characters both renderers use as placeholders.
_SOURCE_BAIL = re.compile("[\x00-\x09\x0b-\x1f\x7f\ue000-\ue007" + "".join(
    re.escape(chr(c)) for c in range(0x80, 0x3001) if chr(c).isspace()) + "]")
#: The same for text outside fenced code: raw HTML, escapes, attribute lists, the
#: table-of-contents marker, footnotes, images, double backticks, and ``[name]:`` anywhere (a
#: reference definition, also after a list or quote marker or with a line break in the name).
_TEXT_BAIL = ("{", "[TOC]", "[^", "``")  # (as _holds_text_bail looks for them)
_REFERENCE_LINE = re.compile(r"\[[^\[\]]*\]:")
_HEADING = re.compile(r"(#{1,6}) +(.*[^#])")
_ULIST = re.compile(r"[*+-] +(.*)")
_OLIST = re.compile(r"([0-9]+)\. +(.*)")
_QUOTE = re.compile(r"> ?(.*)")
_RULE_LIKE = re.compile(r"[-*_ =]+")
_UNDERLINE = re.compile(r"[=-]+ *")  # a setext heading's second line
_NUMBERED = re.compile(r"[0-9]+\.(?: |$)")
_TEXT_MARKER = re.compile("\ue004([0-9]+)\ue005")  # where a text's HTML goes (see _slot)
_SEPARATOR_CELL = re.compile(r" *:?-+:? *")
#: Characters a paragraph line may not start with: each can begin another kind of block.
_BLOCK_STARTS = frozenset(" #>-+=|:~{")
#: The first characters of a line that may make a one-line block other than a paragraph
#: (of ``*``, ``_`` and a backtick, only some lines do), or a footnote definition.
_LANE_STOPS = frozenset(" #>-+=|:~{*_`0123456789")


#: A block's place in the element tree, for the order of the inline pass: an ``int`` is an
#: element with text (the index of its text slot); a list is an element with child elements.
Node = int | list["Node"]


class FastPath:
    """Renders plain documents without Python-Markdown, or declines (see the module notes).

    ``md`` is the configured Python-Markdown instance (its fenced-code step and its table of
    contents settings are used); ``links`` receives each ``[[cross-link]]`` in the order the
    Markdown extension would record it.

    Blocks are parsed first, leaving a numbered slot for each element's text; the texts are
    then rendered in the order Python-Markdown's inline pass visits them (the cross-links are
    numbered in that order), and the heading ids are given last, in document order, as its
    table of contents step does.
    """

    def __init__(self, md: markdown.Markdown, links: list[LinkRef]):
        self.md = md
        self.links = links
        toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
        #: Without the table of contents extension (or with anchors added to headings) the
        #: fast path is not used at all, so its heading slugs are always the extension's.
        self.usable = (
            toc is not None and not toc.use_anchors and not toc.use_permalinks
            and "fenced_code_block" in md.preprocessors and "table" in md.parser.blockprocessors
        )
        self.slugify: Callable[[str, str], str] = getattr(toc, "slugify", None) or (lambda value, sep: value)
        self.sep: str = getattr(toc, "sep", "-")
        hr = md.parser.blockprocessors["hr"] if "hr" in md.parser.blockprocessors else None
        #: Markdown's expression for a rule (a block of one such line is one).
        self._rule: re.Pattern[str] | None = getattr(hr, "SEARCH_RE", None)
        self._slots: list[str] = []
        self._lane: list[tuple[int, int]] = []  # one-line paragraphs: (part, slot)
        self._check_lines = True
        self._headings: set[int] = set()
        self._names: dict[int, str] = {}  # a heading's HTML as its id is made from
        #: Renders every text (``InlineFast``); without it the fast path is not used.
        self.inline: InlineFast | None = InlineFast(md, links)
        #: The footnotes extension, when its footnotes are the fast path's too
        #: (:mod:`generator.markup.fastpath_notes`); else a ``[^`` declines the document.
        self.footnotes = footnotes_of(md)
        self._notes = False  # whether the document holds ``[^`` (footnotes may be taken)

    def render(self, source: str) -> str | None:
        """The HTML Python-Markdown would give ``source``, or None when unsure."""
        if not self.usable or self.inline is None or not source.strip() or _SOURCE_BAIL.search(source):
            return None
        if ("&#" in source or "<" in source) and not html_is_inline(self.md, source):
            return None  # raw HTML blocks, or text Markdown's raw-HTML step changes
        self._notes = "[^" in source
        if self._notes and (self.footnotes is None or self.footnotes.getConfig("PLACE_MARKER") in source):
            return None
        mark = len(self.links)
        self._slots = []
        self._lane = []
        self._copies: dict[int, int] = {}  # see inline_pass
        self._headings = set()
        self._names = {}
        # Most documents hold none of what sends a line to Python-Markdown: then no line is
        # searched for it (a document that does is checked line by line, fences aside).
        self._check_lines = _holds_text_bail(source)
        try:
            parts, nodes = self._document(source)
            notes = self._notes_node(nodes) if self._notes else []
            texts = inline_pass(nodes, self._slots, self._headings, self.inline, self._inline, self._names, self._copies)
            if texts is None:
                raise _Bail
            for position, slot in self._lane:
                parts[position] = f"<p>{texts[slot]}</p>"
            out = self._fill(texts, "\n".join(parts))
            if notes:
                out = "\n".join((out, notes_html(self.footnotes, [texts[slot] for slot in notes])))  # type: ignore[arg-type]
            return out.strip()
        except _Bail:
            del self.links[mark:]
            return None

    def _slot(self, text: str, nodes: list[Node]) -> str:
        """Keep an element's text for the inline pass, as the next of ``nodes``; returns the
        marker its HTML replaces."""
        self._slots.append(text)
        nodes.append(len(self._slots) - 1)
        return f"\ue004{len(self._slots) - 1}\ue005"

    def _fill(self, texts: list[str], joined: str) -> str:
        """The page: heading-id markers replaced with unique ids (in document order), then
        text markers with their HTML."""
        if ID_START in joined:
            joined = fill_heading_ids(joined, self._slots, self._names, self._slug)
        pieces = _TEXT_MARKER.split(joined)  # HTML, text number, HTML, text number, ..., HTML
        pieces[1::2] = map(texts.__getitem__, map(int, pieces[1::2]))
        return "".join(pieces)

    def _slug(self, written: str) -> str:
        """A heading's slug, from its HTML as the table of contents step reads it."""
        slug = self.slugify(html.unescape(strip_tags(written)), self.sep)
        if self._notes and self.footnotes.get_separator() in slug:  # type: ignore[union-attr]
            raise _Bail  # it could meet a footnote's id, which the table of contents avoids
        return slug

    # -- blocks ---------------------------------------------------------------------
    def _document(self, source: str) -> tuple[list[str], list[Node]]:
        """Top level: fenced code, then blank-line separated blocks."""
        parts: list[str] = []
        nodes: list[Node] = []
        blocks = fenced_blocks(self.md, source) if "```" in source or "~~~" in source else plain_blocks(source)
        previous = ""
        notes, check = self._notes, self._check_lines
        slots, lane = self._slots, self._lane
        laned, again = None, None  # the last line taken as a paragraph; as a heading or a rule
        # Equal blocks in a row are counted (without fences): a line taken as paragraph, at once.
        runs = groupby(blocks) if type(blocks) is list and "```" not in source and "~~~" not in source else None
        for item, group in runs if runs is not None else ((item, None) for item in blocks):
            left = 1 if group is None else len(list(group))
            while left:
                left -= 1
                if item == laned and type(item) is str:  # it and its copies after it, at once
                    self._copies[len(slots)] = left
                    take_copies(item, left + 1, slots, nodes, lane, parts)
                    previous, left = "p", 0
                    continue
                if again is not None and item == again[0] and type(item) is str:  # it and its copies, at once
                    if again[1] == "heading":
                        self._heading_copies(again[3], again[2], left + 1, nodes, parts)
                    else:
                        parts.extend(["<hr>"] * (left + 1))
                    previous, left = again[1], 0
                    continue
                if type(item) is not str:  # fenced code's HTML
                    parts.append(item)
                    previous = "code"
                    continue
                if "\n" in item:
                    lines = item.split("\n")
                    if notes and item.startswith("[^") and DEFINITION.fullmatch(lines[0]):
                        self._define(lines)  # no element: the block before stays the last one
                    else:
                        previous = self._blocks(lines, parts, nodes, previous)
                    continue
                line = item
                if notes and line.startswith("[^") and "]:" in line and DEFINITION.fullmatch(line):
                    self._define([line])
                    continue
                if not check or not _holds_text_bail(line, notes):
                    head = line[0]
                    # One line that can only be a paragraph: the checks of _blocks, _block and
                    # _check_plain in one (its text is the inline pass's to check); its HTML is
                    # put in its part once rendered (see render).
                    if head not in _LANE_STOPS or (head in "*_`" and not _RULE_LIKE.fullmatch(line) and not (
                            line.startswith(("* ", "```")) or line == "*")):
                        if not line.rstrip(" ").endswith("|"):
                            slots.append(line)
                            nodes.append(len(slots) - 1)
                            lane.append((len(parts), len(slots) - 1))
                            parts.append("")
                            previous, laned = "p", line
                            continue
                previous = self._blocks([line], parts, nodes, previous)
                if previous in ("heading", "hr"):  # the same line again is the same block (see _blocks)
                    heading = _HEADING.fullmatch(line) if previous == "heading" else None
                    again = (line, previous, len(heading.group(1)), heading.group(2).strip(" ")) if heading else (line, "hr", 0, "") if previous == "hr" else None
        return parts, nodes

    def _define(self, lines: list[str]) -> None:
        """Record a block of footnote definitions, one a line, each text a plain paragraph,
        as the footnotes extension's block step records them."""
        footnotes = self.footnotes
        assert footnotes is not None
        for line in lines:
            definition = DEFINITION.fullmatch(line)
            if definition is None:
                raise _Bail  # a line of another kind: a continuation (no table starts so)
            text = definition.group(2).rstrip(" ")
            if _RULE_LIKE.fullmatch(text) or _holds_text_bail(text, False):
                raise _Bail  # a rule, or a reference or definition inside the footnote
            self._check_plain(text)
            footnotes.setFootnote(definition.group(1), text)

    def _notes_node(self, nodes: list[Node]) -> list[int]:
        """The footnotes' ``div`` in the tree (``div > ol > li > p``, after every block): the
        slots of their texts, in definition order."""
        footnotes = self.footnotes
        if footnotes is None or not footnotes.footnotes:
            return []
        items: list[Node] = []
        for text in footnotes.footnotes.values():
            item: list[Node] = []
            self._slot(text, item)
            items.append(item)
        nodes.append([items])
        return [item[0] for item in items]  # type: ignore[misc]

    def _blocks(self, lines: list[str], parts: list[str], nodes: list[Node], previous: str) -> str:
        """Render one blank-line separated block (split at heading lines); returns its kind."""
        if self._check_lines and _holds_text_bail("\n".join(lines), self._notes):
            raise _Bail
        if self._rules(lines):
            parts.append("\n".join(["<hr>"] * len(lines)))
            return "hr"
        for line in lines:
            if _RULE_LIKE.fullmatch(line):
                raise _Bail  # a rule in a block of several lines, a setext heading, a marker
        if len(lines) > 1 and any(line.startswith("#") for line in lines):
            if lines[0].startswith("|") or lines[1].startswith("|"):
                raise _Bail  # a table would claim the whole block first
            run: list[str] = []
            for line, group in groupby(lines):
                count = len(list(group))
                if line.startswith("#"):
                    if run:
                        previous = self._block(run, parts, nodes, previous)
                        run = []
                    previous = self._block([line], parts, nodes, previous)
                    if count > 1:  # the same heading again: its copies at once
                        heading = _HEADING.fullmatch(line)
                        self._heading_copies(heading.group(2).strip(" "), len(heading.group(1)), count - 1, nodes, parts)
                else:
                    run.extend([line] * count)
            if run:
                previous = self._block(run, parts, nodes, previous)
            return previous
        return self._block(lines, parts, nodes, previous)

    def _heading_copies(self, text: str, level: int, count: int, nodes: list[Node], parts: list[str]) -> None:
        """``count`` headings of one text and level in a row, taken as :meth:`_block` takes one
        (the inline pass is told they are copies)."""
        first = len(self._slots)
        self._slots.extend([text] * count)
        nodes.extend(range(first, first + count))
        self._headings.update(range(first, first + count))
        self._copies[first] = count - 1
        parts.extend([f'<h{level} id="{ID_START}{n}\ue007">\ue004{n}\ue005</h{level}>' for n in range(first, first + count)])

    def _rules(self, lines: list[str]) -> bool:
        """Whether a block is rules only: lines Markdown's rule expression matches, none after
        the first an underline (Markdown would make the line before it a setext heading)."""
        rule = self._rule
        if rule is None or lines[0][0] == " " or not rule.search(lines[0]):
            return False
        for line in lines[1:]:
            if line[0] == " " or _UNDERLINE.fullmatch(line) or not rule.search(line):
                return False
        return True

    def _block(self, lines: list[str], parts: list[str], nodes: list[Node], previous: str) -> str:
        """Render a block of one kind: heading, list, quote, table or paragraph."""
        first = lines[0]
        if first.startswith("#"):
            heading = _HEADING.fullmatch(first)
            if heading is None or len(lines) > 1 or heading.group(2).rstrip(" ").endswith("#"):
                raise _Bail
            text = heading.group(2).strip(" ")
            if not text:
                raise _Bail
            level = len(heading.group(1))
            marker = self._slot(text, nodes)
            self._headings.add(len(self._slots) - 1)
            parts.append(f'<h{level} id="\ue006{len(self._slots) - 1}\ue007">{marker}</h{level}>')
            return "heading"
        if first.startswith(("-", "*", "+")) and _ULIST.fullmatch(first):
            if previous == "ul":
                raise _Bail  # Markdown would merge it into the list before (a loose list)
            parts.append(self._list("ul", "", self._items(_ULIST, 1, lines, nodes)))
            return "ul"
        if first[0].isdigit() and _NUMBERED.match(first):
            numbered = _OLIST.fullmatch(first)
            if previous == "ol" or numbered is None:
                raise _Bail
            start = numbered.group(1)
            attrs = f' start="{start}"' if start != "1" else ""
            parts.append(self._list("ol", attrs, self._items(_OLIST, 2, lines, nodes)))
            return "ol"
        if first.startswith(">"):
            if previous == "blockquote":
                raise _Bail  # Markdown would continue the quote before
            inner: list[str] = []
            for line in lines:
                quoted = _QUOTE.fullmatch(line)
                if quoted is None:
                    raise _Bail
                inner.append(quoted.group(1))
            if inner[-1] == "" and (len(inner) == 1 or inner[-2] != ""):
                raise _Bail  # one closing ">" line leaves a newline in the last block's text
            children: list[Node] = []
            parts.append("<blockquote>\n" + "\n".join(self._nested(inner, children)) + "\n</blockquote>")
            nodes.append(children)
            return "blockquote"
        if first.startswith("|"):
            parts.append(self._table(lines, nodes))
            return "table"
        self._check_plain(first)
        for line in lines[1:]:
            self._check_plain(line.lstrip(" "))  # a paragraph's later lines may be indented
        parts.append("<p>" + self._slot("\n".join(lines), nodes) + "</p>")
        return "p"

    def _nested(self, lines: list[str], nodes: list[Node]) -> list[str]:
        """A quote's content: blocks of plain lines (no fences: those were taken out first)."""
        parts: list[str] = []
        block: list[str] = []
        previous = ""
        for line in lines + [""]:
            if line.strip(" "):
                if line.startswith(("```", "~~~")):
                    raise _Bail
                block.append(line)
            else:
                if line:
                    raise _Bail
                if block:
                    previous = self._blocks(block, parts, nodes, previous)
                    block = []
        if not parts:
            raise _Bail
        return parts

    def _items(self, marker: re.Pattern[str], group: int, lines: list[str], nodes: list[Node]) -> list[str]:
        """A tight list's items (text markers): an item is a marked line and the plain,
        unmarked (possibly indented) lines after it, which Markdown joins to it."""
        items: list[list[str]] = []
        for line in lines:
            if line.endswith("  "):
                raise _Bail  # a line break in a list item
            match = marker.fullmatch(line)
            if match is not None:
                text = match.group(group)
                if _RULE_LIKE.fullmatch(text):
                    raise _Bail
                self._check_plain(text)
                items.append([text])
            else:
                self._check_plain(line.lstrip(" "))
                items[-1].append(line)
        children: list[Node] = []
        nodes.append(children)
        return [self._slot("\n".join(item), children) for item in items]

    @staticmethod
    def _list(tag: str, attrs: str, items: list[str]) -> str:
        body = "".join(f"<li>{item}</li>\n" for item in items)
        return f"<{tag}{attrs}>\n{body}</{tag}>"

    def _table(self, lines: list[str], nodes: list[Node]) -> str:
        """A pipe table whose every row has outer pipes and the header's number of cells."""
        if len(lines) < 3:
            raise _Bail
        rows = []
        for line in lines:
            if not (line.startswith("|") and line.endswith("|")) or len(line) < 2 or "\\" in line:
                raise _Bail
            cells = line[1:-1].split("|")
            if any(cell.count("`") % 2 for cell in cells):
                raise _Bail  # a code span across a pipe: Markdown keeps the pipe in the cell
            rows.append(cells)
        width = len(rows[0])
        if width < 2 or any(len(row) != width for row in rows):
            raise _Bail
        align = []
        for cell in rows[1]:
            if not _SEPARATOR_CELL.fullmatch(cell):
                raise _Bail
            cell = cell.strip(" ")
            if cell.startswith(":") and cell.endswith(":"):
                align.append(' style="text-align: center;"')
            elif cell.startswith(":"):
                align.append(' style="text-align: left;"')
            elif cell.endswith(":"):
                align.append(' style="text-align: right;"')
            else:
                align.append("")
        head: list[Node] = []
        body: list[Node] = []
        out = ["<table>\n<thead>\n", self._row("th", rows[0], align, head), "</thead>\n<tbody>\n"]
        out += [self._row("td", row, align, body) for row in rows[2:]]
        out.append("</tbody>\n</table>")
        nodes.append([head, body])
        return "".join(out)

    def _row(self, tag: str, cells: list[str], align: list[str], nodes: list[Node]) -> str:
        out = ["<tr>\n"]
        row: list[Node] = []
        for cell, style in zip(cells, align, strict=True):
            text = cell.strip(" ")
            if text:
                out.append(f"<{tag}{style}>{self._slot(text, row)}</{tag}>\n")
            else:
                out.append(f"<{tag}{style}></{tag}>\n")
        out.append("</tr>\n")
        nodes.append(row)
        return "".join(out)

    @staticmethod
    def _check_plain(line: str) -> None:
        """Refuse a paragraph line that could begin or end another kind of block."""
        if not line:
            raise _Bail
        head = line[0]
        if head in _BLOCK_STARTS or line.rstrip(" ").endswith("|"):
            raise _Bail
        if head == "*" and (line.startswith("* ") or line == "*"):
            raise _Bail
        if head == "`" and line.startswith("```"):
            raise _Bail
        if head.isdigit() and _NUMBERED.match(line):
            raise _Bail

    # -- inline ---------------------------------------------------------------------
    def _inline(self, slot: int) -> str:
        """A text's inline HTML, by the direct inline renderer; for a heading also the HTML
        its id is made from, as the table of contents step sees it (escapes undone)."""
        text = self._slots[slot]
        inline = self.inline
        assert inline is not None
        if slot in self._headings:
            if (len(text) - len(text.rstrip("\\"))) % 2:
                raise _Bail  # Markdown's heading expression fails at a lone closing backslash
            out = inline.render(text, heading=True, notes=True)
            self._names[slot] = inline.name
        else:
            out = inline.render(text)
        if out is None:
            raise _Bail
        return out


def _holds_text_bail(text: str, notes: bool = False) -> bool:
    """Whether ``text`` (a document or one block) holds something of :data:`_TEXT_BAIL`
    (footnote references aside when ``notes``) or a definition."""
    return ("{" in text or "[TOC]" in text or "``" in text or (not notes and "[^" in text)
            or ("]:" in text and _REFERENCE_LINE.search(text) is not None))
