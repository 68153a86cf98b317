"""Python-Markdown's inline pass for one text, rendered directly, for texts dense with inline forms.

Python-Markdown's inline pass makes an element for each inline form (an emphasis, a link, a
footnote reference), stashes it behind a placeholder, puts it back into the tree and
serialises it: some 15 microseconds an element, so a 1 MB paragraph of ``_a_`` took 4 s and
one of footnote references 9 s, in linear time. :class:`InlineFast` renders the text of a
paragraph, list item or table cell itself, to exactly the HTML that pass and the steps after
it give, and :mod:`generator.markup.inline_tree` hands that HTML to Markdown's raw-HTML stash
in place of the text (the serialised page is the same). At the first thing it is not certain
of it returns ``None`` and Markdown's own pass takes the text.

It renders, in Markdown's order of patterns: single-backtick code spans, backslash escapes,
footnote references, ``[[cross-links]]``, links (with a plain ``"title"``), images, autolinks,
hard line breaks, simple raw HTML tags, entities, and plain, non-nested ``*em*``,
``**strong**``, ``_em_`` and ``__strong__``. It declines a text holding anything else that
Markdown could read as markup: reference links (when the document defines references), a
``[^`` or ``](`` it did not take, an asterisk or loose underscore outside a plain span, a
``<`` that could open a tag, braces (attribute lists), the ``[TOC]`` marker, tabs, control or
private-use characters, unusual whitespace. ``tests/test_markdown_inline_fast.py`` compares
it with Python-Markdown on generated dense texts.

Within one document (its footnotes dictionary, new on each reset, tells one from the next),
the HTML of each short text taken is kept by its text: the same text again renders to the
same HTML but for its footnote references, given ids anew, and its cross-links, recorded and
numbered anew, in the same order (a document of many equal short blocks renders each once).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown
from markdown.serializers import _escape_attrib_html, _escape_cdata  # Markdown's own escaping
from markdown.util import code_escape

from generator.markup.wikilink import WIKILINK, wikilink_ref
from generator.model.document import LinkRef

#: Anything that sends a text to Markdown at once: characters (see the module notes), braces,
#: the table of contents marker, strike-through (gfm.py).
_TEXT_BAIL = re.compile("[\x00-\x09\x0b-\x1f\x7f{}\ue000-\ue007" + "".join(
    re.escape(chr(c)) for c in range(0x80, 0x3001) if chr(c).isspace()) + "]|\\[TOC\\]|~~|==")
_CODE_SPAN = re.compile(r"(?<![`\\])`([^`]+)`(?!`)")
_ESCAPE = re.compile(r"\\(.)", re.S)
_FOOTNOTE = re.compile(r"\[\^([^\]\[\s\ue000-\ue007\\]+)\]")
_WIKI = re.compile(WIKILINK)
_NO_PIECE = "\ue000-\ue007"
_HREF = rf"([^\s()<>\"'\\{_NO_PIECE}]+)"
_TITLE = rf'(?: "([^"\s()<>\\{_NO_PIECE}](?:[^"\n()<>\\{_NO_PIECE}]*[^"\s()<>\\{_NO_PIECE}])?)")?'
_IMAGE = re.compile(rf"!\[([^\[\]\n*_`\\<>!{_NO_PIECE}]+)\]\({_HREF}{_TITLE}\)")
_LINK = re.compile(rf"(?<!!)\[([^\[\]\n]+)\]\({_HREF}{_TITLE}\)")
_AUTOLINK = re.compile(rf"<([A-Za-z][A-Za-z0-9+.-]*://[^<>\s\"'@\\{_NO_PIECE}]*)>")
_BREAK = re.compile(r"  \n(?![ \n])")
#: A raw HTML tag Markdown's own expression takes whole: a name and double-quoted attributes.
_TAG = re.compile(rf'</?[a-zA-Z][a-zA-Z0-9]*(?: [a-zA-Z][a-zA-Z0-9-]*="[^"<>\\\n{_NO_PIECE}]*")* ?/?>')
#: A ``<`` left over that Markdown could still read as a tag, autolink or address.
_OPEN_ANGLE = re.compile(r"<(?![ \n=]|$)")
#: Plain emphasis: ``*x*``/``**x**`` not touching another asterisk, around text without
#: asterisks that neither starts nor ends with a space; ``_x_``/``__x__`` outside words around
#: text without underscores or asterisks that starts and ends with a letter or digit.
_EMPHASIS = re.compile(r"(?<!\*)(\*\*?)([^*\s](?:[^*]*[^*\s])?)\1(?!\*)"
                       r"|(?<![\w_])(__?)([^\W_](?:[^_*]*[^\W_])?)\3(?![\w_])")
#: An underscore that is not between two letters or digits (then it could mark emphasis).
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_PIECE = re.compile("\ue002([0-9]+)\ue003")
_PLACEHOLDER = re.compile("\ue000([0-9]+)\ue001")  # a cross-link's
#: Where a footnote reference goes in a text's HTML, until its id is given.
_NOTE = "\ue007"
#: Where a cross-link's placeholder goes, until it is numbered.
_LINKED = "\ue006"
_DYNAMIC = re.compile("([\ue006\ue007])")
#: A character that may start inline markup (a text without any is only escaped).
_MARKUP = re.compile(r"[`\\\[\]<*_]|  \n")
#: The tag name at the start of HTML, as Markdown's raw-HTML step's ``isblocklevel`` reads it.
_TAG_START = re.compile(r"</?([a-zA-Z0-9]+)[ >]")
#: Markdown's entity expression: each entity in text is one node of its inline stash.
_ENTITY = re.compile(r"&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);")


#: What Markdown's raw-HTML block step leaves as it is (see :func:`html_is_inline`): a ``<``
#: before a space, ``=`` or digit, a simple tag, an autolink.
_SAFE_ANGLE = re.compile(r'<(?:[ =0-9]|/?[a-zA-Z][a-zA-Z0-9]*(?: [a-zA-Z][a-zA-Z0-9-]*="[^"<>\n]*")* ?/?>'
                         r"|[A-Za-z][A-Za-z0-9+.-]*://[^<>\s\"']*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
#: Elements whose content an HTML parser reads as raw text.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                       "plaintext", "noscript"})
#: ``&#`` not starting a whole character reference: Markdown's raw-HTML step may change it
#: (it completes ``&#65 `` to ``&#65;``).
BARE_CHARREF = re.compile(r"&#(?![0-9]+;|[xX][0-9a-fA-F]+;)")


def html_is_inline(md: markdown.Markdown, source: str) -> bool:
    """Whether Markdown's raw-HTML block step would leave ``source`` as it is: no character
    reference it completes, and every ``<`` a plain ``<``, an autolink or a simple tag of an
    element that is neither block-level nor raw text."""
    if "&#" in source and BARE_CHARREF.search(source):
        return False
    if "<" not in source:
        return True
    if "<" in _SAFE_ANGLE.sub("", source):
        return False
    names = {name.lower() for name in _TAG_NAME.findall(source)}
    return not any(md.is_block_level(name) or name in _RAW_TEXT for name in names)


class _Decline(Exception):
    """The text holds something this renderer does not render exactly."""


class InlineFast:
    """Renders one text as Markdown's inline pass would (see the module notes), or declines.

    ``md`` is the configured Markdown instance (its footnotes, references, escapable
    characters and raw-HTML step are read); ``links`` receives each cross-link in order.
    """

    def __init__(self, md: markdown.Markdown, links: list[LinkRef]):
        self.md = md
        self.links = links
        self.footnotes = md.inlinePatterns["footnote"].footnotes if "footnote" in md.inlinePatterns else None
        raw = md.postprocessors["raw_html"] if "raw_html" in md.postprocessors else None
        self._block_level: Callable[[str], bool] | None = getattr(raw, "isblocklevel", None)
        self._pieces: list[str] = []
        self._notes: list[str] = []  # the footnotes of the text's references, in order
        #: How many nodes Markdown's inline pass would have stashed for the last text taken:
        #: its placeholders are numbered in order, and one left in a page (a link destination
        #: holding a code span, a Markdown quirk) shows the number.
        self.stashes = 0
        self.enabled = True
        #: After rendering a heading's text: its HTML as the table of contents step names the
        #: heading from it (escapes undone there, after serialising).
        self.name = ""
        self._raw: dict[int, str] = {}  # escapes' pieces: the character escaped
        #: Per footnote referred to in the document: its reference's HTML after the id (its
        #: number is fixed once it is first referred to); for the footnotes of ``_owner``.
        self._after: dict[str, str] = {}
        self._owner: object = None
        self._referred = False  # whether the document defines references (for the memo)
        #: Short texts taken in this document (the footnotes of ``_owner``), by text (a
        #: heading's by text and ``notes``, without cross-links): the same text renders to
        #: the same HTML, but for its footnote references, which are given ids anew, and its
        #: cross-links, which are recorded and numbered anew (see _again).
        self._memo: dict[object, tuple[str | list[str], tuple[str, ...], tuple[LinkRef, ...], int, str]] = {}
        self._linked: list[tuple[int, LinkRef]] = []  # cross-links of the text: (piece, link)
        self._keep = False  # whether the text is kept (short enough)
        self._blocks: dict[str, bool] = {}  # tag names: block-level or not

    def render(self, text: str, heading: bool = False, notes: bool = False) -> str | None:
        """The HTML of ``text``'s inline content, or ``None`` to leave it to Markdown;
        ``heading`` also sets :attr:`name`, without the footnote references when ``notes``
        (as the table of contents names a heading), else declining a heading with any."""
        if not self.enabled or self._block_level is None:
            return None
        footnotes = self.footnotes
        if footnotes is not None and (self._owner is not footnotes.footnotes  # another document
                                      or self._referred != bool(self.md.references)):
            self._owner, self._after, self._memo = footnotes.footnotes, {}, {}
            self._referred = bool(self.md.references)
        found = self._memo.get((text, notes) if heading else text)
        if found is not None:
            out, idents, refs, self.stashes, self.name = found
            if heading and refs:  # its name holds its cross-links' placeholders: numbered anew
                self.name = _numbered(self.name, len(self.links))
            return self._again(out, idents, refs) if idents or refs else out  # type: ignore[arg-type]
        if _TEXT_BAIL.search(text):
            return None
        mark = len(self.links)
        try:
            out = self._render(text, heading, notes)
        except _Decline:
            del self.links[mark:]
            return None
        return out

    def _piece(self, html: str) -> str:
        self._pieces.append(html)
        return f"\ue002{len(self._pieces) - 1}\ue003"

    def _render(self, text: str, heading: bool = False, notes: bool = False) -> str:
        if not _MARKUP.search(text):  # plain text: nothing but escaping
            self._pieces = []
            self.stashes = len(_ENTITY.findall(text)) if "&" in text else 0
            out = _escape_cdata(text)
            if heading:
                self.name = out
            if self.footnotes is not None and len(text) <= 500:
                self._memo[(text, notes) if heading else text] = (out, (), (), self.stashes, self.name)
            return out
        self._pieces = []
        self._notes = []
        self._raw = {}
        self._linked = []
        self.stashes = 0
        source, mark = text, len(self.links)
        keep = self._keep = self.footnotes is not None and len(source) <= 500  # kept for the document
        if "`" in text:
            text = _CODE_SPAN.sub(self._code, text)
            if "`" in text:
                raise _Decline
        if "\\" in text:
            text = _ESCAPE.sub(self._escape, text)
        if "[" in text:
            if "[^" in text:
                text = self._footnotes(text)
            if "[[" in text:
                text = _WIKI.sub(self._wikilink, text)
            if "](" in text:
                text = _LINK.sub(self._link, text)
                if "![" in text:
                    text = _IMAGE.sub(self._image, text)
                if "](" in text:
                    raise _Decline
            if self.md.references and "[" in text:
                raise _Decline  # a reference link or its short form
        out = self._rest(text)
        self.stashes += len(self._pieces)  # each piece is one node of Markdown's stash
        head = out
        while head.startswith("\ue002"):  # how the HTML starts
            end = head.index("\ue003")
            head = self._pieces[int(head[1:end])] + head[end + 1:]
        if head.startswith("<") and self._starts_block(head):
            raise _Decline  # Markdown's raw-HTML step would take it out of its paragraph
        if heading:
            if self._notes and not notes:
                raise _Decline  # the table of contents names a heading without them
            self.name = self._name(out)
        if keep:
            for index, _ in self._linked:  # numbered last (see _again)
                self._pieces[index] = _LINKED
        while "\ue002" in out:  # pieces may hold pieces (a link's text)
            out = _PIECE.sub(lambda m: self._pieces[int(m.group(1))], out)
        idents = tuple(self._notes)
        refs = tuple(ref for _, ref in self._linked) if keep else ()
        if refs:
            made: str | list[str] = _DYNAMIC.split(out)
            if made[1::2].count(_LINKED) != len(refs) or made[1::2].count(_NOTE) != len(idents):
                raise _Decline  # (never: each piece is in the HTML once)
            del self.links[mark:]  # recorded again, in order, by _again
        else:
            made = out.split(_NOTE) if idents else out
        if keep:
            name = _numbered(self.name, -mark) if heading and refs else self.name  # from 0 in the memo
            self._memo[(source, notes) if heading else source] = (made, idents, refs, self.stashes, name)
        return self._again(made, idents, refs) if idents or refs else out  # type: ignore[arg-type]

    def _again(self, made: list[str], idents: tuple[str, ...], refs: tuple[LinkRef, ...]) -> str:
        """A text's HTML from its template: ``made`` split at its footnote references (to
        ``idents``) and, with cross-links (``refs``), at those too (the marks kept)."""
        if not refs:
            return self._fill(made, idents)
        sups = iter(self._sups(idents)) if idents else iter(())
        links = iter(refs)
        sink = self.links
        out = [made[0]]
        for index in range(1, len(made), 2):
            if made[index] == _LINKED:
                out.append(f"\ue000{len(sink)}\ue001")
                sink.append(next(links))
            else:
                out.append(next(sups))
            out.append(made[index + 1])
        return "".join(out)

    def _starts_block(self, head: str) -> bool:
        """Whether HTML starting with a tag starts with a block-level one (Markdown's
        raw-HTML step's test, remembered by tag name)."""
        name = _TAG_START.match(head)
        if name is None:
            return self._block_level(head)  # type: ignore[misc]
        key = name.group(1)
        found = self._blocks.get(key)
        if found is None:
            found = self._blocks[key] = bool(self._block_level(head))  # type: ignore[misc]
        return found

    def _name(self, out: str) -> str:
        """A heading's HTML with its escapes undone, as the table of contents reads it."""
        raw = self._raw
        if self._notes:  # footnote references are left out
            out = out.replace(_NOTE, "")
        pieces = self._pieces

        def piece(match: re.Match[str]) -> str:
            index = int(match.group(1))
            found = raw.get(index)
            return pieces[index] if found is None else found
        while "\ue002" in out:
            out = _PIECE.sub(piece, out)
        return out

    def _rest(self, text: str) -> str:
        """What Markdown's patterns after the links do to a text (or a link's text)."""
        if "<" in text:
            if "://" in text:
                text = _AUTOLINK.sub(self._autolink, text)
            text = _TAG.sub(lambda m: self._piece(m.group(0)), text)
            if _OPEN_ANGLE.search(text):
                raise _Decline
        if "  \n" in text:
            text = _BREAK.sub(lambda m: self._piece("<br>\n"), text)
            if "  \n" in text:
                raise _Decline  # a break followed by white space: Markdown drops the space
        out, stashes = _emphasis(text)
        self.stashes += stashes
        return out

    # -- one construct each -------------------------------------------------------------
    def _code(self, match: re.Match[str]) -> str:
        content = match.group(1).strip()
        if not content:
            raise _Decline
        return self._piece(f"<code>{code_escape(content)}</code>")

    def _escape(self, match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in self.md.ESCAPED_CHARS:
            if char.isalnum() or char == " ":
                return match.group(0)  # Markdown leaves it as text
            raise _Decline
        self._raw[len(self._pieces)] = char
        return self._piece(_escape_cdata(char))

    def _footnotes(self, text: str) -> str:
        """The text with each footnote reference marked (:data:`_NOTE`: no later pattern
        reads the mark otherwise than a piece's), its footnote kept in :attr:`_notes`; the
        references are made once the text is taken."""
        footnotes = self.footnotes
        parts = _FOOTNOTE.split(text)
        idents = parts[1::2]
        if idents:
            if footnotes is None or not hasattr(footnotes, "number_of") or not footnotes.footnotes.keys() >= set(idents):
                raise _Decline  # a reference to no footnote stays text, for Markdown's other patterns
            text = _NOTE.join(parts[0::2])
            self._notes = idents
            self.stashes += len(idents)  # each is one node of Markdown's stash
        if "[^" in text:
            raise _Decline
        return text

    def _fill(self, segments: list[str], idents: tuple[str, ...]) -> str:
        """A taken text's HTML, its footnote references (to ``idents``, in order) put
        between the ``segments``."""
        if len(idents) == 1:  # most texts with references have one
            ident = idents[0]
            after, clean = self._after.get(ident) or self._after_of(ident)
            footnotes = self.footnotes
            step = getattr(footnotes, "next_ref_id", None)
            ref = step(ident) if step is not None else footnotes.makeFootnoteRefId(ident, found=True)
            return f'{segments[0]}<sup id="{ref if clean else _escape_attrib_html(ref)}{after}{segments[1]}'
        out = segments + segments[1:]  # the segments with the references between them
        out[0::2] = segments
        out[1::2] = self._sups(idents)
        return "".join(out)

    def _sups(self, idents: tuple[str, ...]) -> list[str]:
        """The HTML of footnote references to ``idents``, in order, as the footnotes
        extension makes them (and records them: numbers, ids taken, counts)."""
        footnotes = self.footnotes
        if len(idents) > 1 and idents.count(idents[0]) == len(idents):  # a run to one footnote
            run = getattr(footnotes, "next_ref_ids", None)
            if run is not None:
                after, clean = self._after.get(idents[0]) or self._after_of(idents[0])
                ids = run(idents[0], len(idents))
                return [f'<sup id="{ref}{after}' for ref in (ids if clean else map(_escape_attrib_html, ids))]
        bulk = getattr(footnotes, "footnote_ref_ids", None)
        places: dict[str, list[int]] = {}  # per footnote: its references' places, in order
        for index, ident in enumerate(idents):
            found = places.get(ident)
            if found is None:
                found = places[ident] = []
            found.append(index)
        pieces = [""] * len(idents)
        single = len(places) == 1
        for ident, indexes in places.items():
            after, clean = self._after.get(ident) or self._after_of(ident)
            # Ids of one footnote's references never equal another's, so they are given per
            # footnote (in order within it), as Markdown gives them reference by reference.
            if bulk is not None:
                ids = bulk(ident, len(indexes))
            else:
                ids = [footnotes.makeFootnoteRefId(ident, found=True) for _ in indexes]
            if not clean:
                ids = [_escape_attrib_html(ref) for ref in ids]
            if single:  # every reference to one footnote: its ids in order
                return [f'<sup id="{ref}{after}' for ref in ids]
            for index, ref in zip(indexes, ids, strict=True):
                pieces[index] = '<sup id="' + ref + after
        return pieces

    def _after_of(self, ident: str) -> tuple[str, bool]:
        """A footnote's first reference in the document: recorded, and the HTML of its
        references after their ids, and whether those ids need no escaping, kept."""
        footnotes = self.footnotes
        footnotes.addFootnoteRef(ident)  # in order of first reference, as Markdown
        number = footnotes.number_of(ident)
        href = _escape_attrib_html("#" + footnotes.makeFootnoteId(ident))
        label = _escape_cdata(footnotes.getConfig("SUPERSCRIPT_TEXT").format(number))
        after = f'"><a class="footnote-ref" href="{href}">{label}</a></sup>'
        written = footnotes.get_separator() + ident  # the ids are "fnref", digits, "-" and these
        found = self._after[ident] = (after, _escape_attrib_html(written) == written)
        return found

    def _wikilink(self, match: re.Match[str]) -> str:
        inner = match.group(0)[2:-2]
        if "\ue002" in inner:
            raise _Decline
        index = len(self.links)
        ref = wikilink_ref(inner)
        self.links.append(ref)
        if self._keep:
            self._linked.append((len(self._pieces), ref))
        return self._piece(f"\ue000{index}\ue001")

    def _link(self, match: re.Match[str]) -> str:
        label, href, title = match.groups()
        if not label.strip(" "):
            raise _Decline
        attrs = f'href="{_escape_attrib_html(href)}"'
        if title is not None:
            attrs += f' title="{_escape_attrib_html(title)}"'
        return self._piece(f"<a {attrs}>{self._rest(label)}</a>")

    def _image(self, match: re.Match[str]) -> str:
        alt, src, title = match.groups()
        if not alt.strip(" ") or alt != alt.strip():
            raise _Decline
        attrs = f'alt="{_escape_attrib_html(alt)}" src="{_escape_attrib_html(src)}"'
        if title is not None:
            attrs += f' title="{_escape_attrib_html(title)}"'
        return self._piece(f"<img {attrs}>")

    def _autolink(self, match: re.Match[str]) -> str:
        url = match.group(1)
        return self._piece(f'<a href="{_escape_attrib_html(url)}">{_escape_cdata(url)}</a>')


def _numbered(name: str, shift: int) -> str:
    """A heading's name with its cross-links' placeholders (``\ue000n\ue001``) numbered
    ``shift`` on."""
    return _PLACEHOLDER.sub(lambda m: f"\ue000{int(m.group(1)) + shift}\ue001", name)


def _emphasis(text: str) -> tuple[str, int]:
    """Escape ``text`` and turn its plain emphasis spans into tags; decline at any other
    asterisk or loose underscore. Returns the HTML and the number of nodes Markdown would
    stash for it (an entity or an emphasis span each)."""
    entities = len(_ENTITY.findall(text)) if "&" in text else 0
    if "*" not in text and "_" not in text:
        return _escape_cdata(text), entities
    parts = _EMPHASIS.split(text)  # text, then per span its four groups and the text after
    # The texts around the spans, checked in one go (a NUL, never in a text taken, stands for
    # each end: an underscore next to it is as loose as at an end).
    _check_plain("\0".join(parts[0::5]))
    out: list[str] = []
    for index in range(0, len(parts) - 1, 5):
        out.append(_escape_cdata(parts[index]))
        run, inner = (parts[index + 1], parts[index + 2]) if parts[index + 1] else (parts[index + 3], parts[index + 4])
        if "_" in inner and _LOOSE_UNDERSCORE.search(inner):
            raise _Decline
        tag = "strong" if len(run) == 2 else "em"
        out.append(f"<{tag}>{_escape_cdata(inner)}</{tag}>")
    out.append(_escape_cdata(parts[-1]))
    return "".join(out), entities + len(parts) // 5


def _check_plain(text: str) -> None:
    if "*" in text or ("_" in text and _LOOSE_UNDERSCORE.search(text)):
        raise _Decline
