"""Render a Markdown body once: HTML with link placeholders, heading ids, a plain summary."""

from __future__ import annotations

import functools
import html
import re
import threading
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import InlineProcessor

from generator.markup import frontlist, inline, linear
from generator.markup.balance import balanced, cut_at_unclosed_comment, without_comments
from generator.markup.fastpath import FastPath
from generator.markup.fences import fences_opened_as_on_github
from generator.markup.filelinks import file_links
from generator.markup.foreign import foreign_markup
from generator.markup.gfm import (
    StrikeExtension,
    backslash_breaks,
    gfm_html,
    hashtags_as_text,
    separate_quotes,
)
from generator.markup.headingids import clear_of_theme_ids
from generator.markup.htmlblocks import mark_container_lines, put_back, unparted_markdown
from generator.markup.htmltext import text_runs
from generator.markup.hugoshortcodes import hugo_read
from generator.markup.inline_fast import InlineFast
from generator.markup.linear_footnotes import cap_backlinks
from generator.markup.linknames import named_links
from generator.markup.liquid import liquid_read
from generator.markup.listbreaks import lists_nested_by_two, lists_under_text, pasted_lists
from generator.markup.localfiles import local_files
from generator.markup.nesting import MAX_DEPTH, limit_nesting
from generator.markup.notecheck import footnotes_defined_twice, undefined_footnotes
from generator.markup.obsidian import comments_left_out, embeds_read, inline_footnotes
from generator.markup.obsolete import current_html, images_without_alt
from generator.markup.outline import outline_without_gaps
from generator.markup.pageanchors import page_anchors
from generator.markup.rendered import RenderedBody
from generator.markup.speedups import LazyTocExtension, reused_html_formatter, tune
from generator.markup.strictattrs import strict_attr_lists
from generator.markup.uniqueids import unique_ids
from generator.markup.wikilink import WIKILINK, wikilink_ref
from generator.model.document import LinkRef
from generator.model.slugs import slugify

#: Placeholders for cross-links in rendered HTML: private-use characters that Markdown and
#: HTML serialisation leave alone. ``\ue000<n>\ue001`` is link number n of the document.
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')
_TAGS = re.compile(r"<[^>]+>")


def _heading_slug(value: str, separator: str, sink: list[LinkRef] | None = None) -> str:
    # A cross-link in a heading counts as its written label or target, not its placeholder
    # (``sink``: the links of the renderer whose heading it is, never another's).
    def written(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return f" {sink[index].label or sink[index].target} " if sink is not None and index < len(sink) else " "

    value = PLACEHOLDER.sub(written, value)
    slug = slugify(value) if value.strip() else "section"
    return clear_of_theme_ids(slug)


class _WikiLinkProcessor(InlineProcessor):
    """Replaces ``[[target#anchor|label]]`` with a numbered placeholder and records it."""

    reads_forward = True  # reads only its match (see generator.markup.inline)

    def __init__(self, pattern: str, sink: list[LinkRef], md: markdown.Markdown | None = None):
        super().__init__(pattern, md)
        self.sink = sink

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown's API name
        index = len(self.sink)
        # Split the link's own text, with escapes undone: ``[[x\|label]]`` (needed in a table) is
        # ``[[x|label]]``.
        inner = _ESCAPED.sub(lambda e: chr(int(e.group(1))), self.unescape(m.group(0)[2:-2]))
        self.sink.append(wikilink_ref(inner))
        return f"\ue000{index}\ue001", m.start(0), m.end(0)


_ESCAPED = re.compile("\x02(\\d+)\x03")


class _WikiLinkExtension(Extension):
    def __init__(self, sink: list[LinkRef]):
        super().__init__()
        self.sink = sink

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.inlinePatterns.register(_WikiLinkProcessor(WIKILINK, self.sink, md), "briefing-wikilink", 175)


class _Renderer:
    """One configured Markdown instance (not thread-safe; one per thread).

    ``tuned`` installs :mod:`generator.markup.speedups`, which skip work that cannot change the
    HTML; ``tuned=False`` is plain Python-Markdown, for comparison, with the one change the
    renderer makes to its HTML on purpose: a footnote has at most
    :data:`~generator.markup.linear_footnotes.MAX_BACKLINKS` back-links.
    """

    def __init__(self, tuned: bool = True) -> None:
        self.links: list[LinkRef] = []
        toc_config = {"slugify": functools.partial(_heading_slug, sink=self.links), "permalink": False}
        self.md = markdown.Markdown(
            extensions=[
                "tables", "fenced_code", "footnotes",
                LazyTocExtension(**toc_config) if tuned else TocExtension(**toc_config),
                "codehilite", "sane_lists", "attr_list", _WikiLinkExtension(self.links), StrikeExtension(),
            ],
            extension_configs={
                "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True,
                               **({"pygments_formatter": reused_html_formatter} if tuned else {})},
                "footnotes": {"UNIQUE_IDS": False},
            },
            output_format="html",
        )
        strict_attr_lists(self.md)  # {redacted} is text, {#id .class} attributes (strictattrs.py)
        separate_quotes(self.md)  # > A, a blank line, > B: two quotes, as on GitHub (gfm.py)
        self.tuning = tune(self.md) if tuned else None
        processor = inline.install(self.md) if tuned else None
        self.linear_links = linear.install(self.md) if tuned else []
        if tuned:
            frontlist.install(self.md)  # blocks taken from the front in constant time
        else:
            cap_backlinks(self.md)
        #: Renders dense texts inside Markdown's inline pass (generator/markup/inline_fast.py).
        self.inline_fast = InlineFast(self.md, self.links) if tuned else None
        if processor is not None:
            processor.fast_inline = self.inline_fast
        self.fast = FastPath(self.md, self.links) if tuned else None
        if self.fast is not None:
            self.fast.inline = self.inline_fast

    def convert(self, body: str) -> str:
        """The body's HTML before tables are wrapped: the fast path, else Python-Markdown."""
        self.links.clear()
        self.md.reset()
        if self.fast is not None:
            try:
                out = self.fast.render(body)
            except Exception:  # a fast-path bug must not stop a build: Markdown decides then
                out = None
            if out is not None:
                return out
            self.links.clear()
            self.md.reset()
        if self.tuning is not None:
            self.tuning.prepare(body)
        for pattern in self.linear_links:
            pattern.reset_budget(len(body))
        if self.inline_fast is not None:  # a placeholder written in the source: Markdown's pass
            self.inline_fast.enabled = "\x02" not in body
        return self.md.convert(body)

    def render(self, body: str, body_line: int) -> tuple[RenderedBody, list[tuple[int, str]]]:
        """The rendered body and warnings about it, as (line in the file, message)."""
        notes: list[tuple[int, str]] = []
        source, cut = limit_nesting(body)
        source, hushed = comments_left_out(source, body_line)  # Obsidian's %%notes%% (obsidian.py)
        notes += hushed
        source, liquid = liquid_read(source, body_line)  # Jekyll's {% tags %} (liquid.py)
        source, hugo = hugo_read(source, body_line)  # Hugo's {{< ref >}}, figure... (hugoshortcodes.py)
        source, embeds = embeds_read(source, body_line)  # Obsidian's ![[chart.png]] (obsidian.py)
        source = inline_footnotes(source)  # Obsidian's and Pandoc's ^[inline notes] (obsidian.py)
        liquid += hugo + embeds
        linked = source  # where the [[links]] are found again (a ref is one now), lines as in the body
        notes += liquid + foreign_markup(source, body_line)  # MkDocs' !!! note (foreign.py)
        source = fences_opened_as_on_github(source)  # ```rust,ignore (fences.py)
        source, tagged = hashtags_as_text(source, body_line)  # #OSINT is text, as on GitHub (gfm.py)
        source = backslash_breaks(source)  # a line ending in \ breaks there (gfm.py)
        notes += tagged
        source, hidden = cut_at_unclosed_comment(source)  # as CommonMark hides it (balance.py)
        notes += unparted_markdown(source, body_line) + images_without_alt(source, body_line)  # <details> then - [[x]] with no blank line
        source, container_lines = mark_container_lines(source)  # Markdown inside <details> (htmlblocks.py)
        if hidden is not None:
            notes.append((body_line + hidden, "an HTML comment (<!--) is never closed: the text after it is "
                                              "left out of the page, as Hugo and GitHub leave it out; close it with -->"))
        source = lists_nested_by_two(lists_under_text(pasted_lists(source)))  # lists as GitHub has them (listbreaks.py)
        if cut:
            more = f" (and {len(cut) - 1} more lines)" if len(cut) > 1 else ""
            notes.append((body_line + cut[0], f"list or quote nested more than {MAX_DEPTH} levels{more}; "
                                              "deeper levels are shown as text"))
        try:
            out = gfm_html(_wrap_tables(put_back(self.convert(source), container_lines)))  # tasks, bare links
            out = current_html(out)  # <center>, <font>, <o:p> pasted from Word made HTML5 (obsolete.py)
            notes += undefined_footnotes(out, body, body_line) + footnotes_defined_twice(source, body_line)
            out, unbalanced = balanced(out, body, body_line)  # raw HTML kept inside the body (balance.py)
            out = outline_without_gaps(out)  # ### under the title is an h2 (outline.py)
            out = unique_ids(out)  # <div id="main">, {#doc-title}: once on the page (uniqueids.py)
            out, nowhere = page_anchors(out, body, body_line)  # [x](#Key-Findings) (pageanchors.py)
            notes += nowhere
            more = out.find(SUMMARY_DIVIDER)
            first = _paragraphs_before(out, more) if more >= 0 else None
            out = without_comments(out)  # reviewers' notes are never published
            notes += unbalanced
        except RecursionError:  # nesting the limit above did not catch: show the text as it is
            first = None
            self.links.clear()
            self.md.reset()
            out = _as_text(source)
            notes.append((body_line, "nested too deeply to render as Markdown; shown as plain text"))
        links = tuple(_with_lines(self.links, linked, body_line))
        out, files = file_links(out, body, body_line, len(links))  # [x](other.md): cross-links too
        out, unnamed = named_links(out, body, body_line)  # [](https://x.org): its address (linknames.py)
        notes += unnamed
        links += tuple(files)
        ids = tuple(_HEADING_ID.findall(out))
        ids += tuple(re.findall(r'id="(fn:[^"]+|fnref:[^"]+)"', out))
        words, joined = _words_and_joined(out)
        return RenderedBody(html=out, links=links, heading_ids=ids, first_paragraph=_first_paragraph(out) if first is None else first,
                            words=words, joined=joined, files=local_files(out, body, body_line)), notes


#: Hugo's summary divider: the paragraphs before it are the document's summary.
SUMMARY_DIVIDER = "<!--more-->"


def _paragraphs_before(out: str, end: int) -> str:
    """The inner HTML of the paragraphs of ``out`` before offset ``end``, joined by a space."""
    return " ".join(re.findall(r"<p>(.*?)</p>", out[:end], re.S))


def _first_paragraph(out: str) -> str:
    """The inner HTML of the first closed ``<p>`` that holds text (a body may open with an
    image: its paragraph has none), or ``""``. Each paragraph is looked at once."""
    start = out.find("<p>")
    while start >= 0 and (end := out.find("</p>", start + 3)) >= 0:
        inner = out[start + 3:end]
        if "<" not in inner or _TAGS.sub("", inner).strip():
            return inner
        start = out.find("<p>", end + 4)
    return ""


def _words_and_joined(out: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A body's :func:`top_words` and :func:`~generator.markup.joined.body_joined`, with its
    tags taken out once for both (they are most of the work on a body of dense markup; the
    words are those of ``_TAGS.sub(" ", out)``, see :func:`text_runs`)."""
    from generator.markup.joined import joined_in  # joined.py imports this module

    if '<div class="highlight">' in out:  # code blocks count for joined forms, not for words
        return top_words(_text_of(out)), joined_in(_TAGS.sub(" ", out))
    text = text_runs(out)
    if _BACKLINK in text:  # a footnote's back-links: an arrow, not a word (one unescaping each);
        text = text.replace(_BACKLINK, " ")  # between non-word characters, joining nothing
    joined = joined_in(text)
    if "\ue000" in text:
        text = PLACEHOLDER.sub(" ", text)
    return top_words(html.unescape(text)), joined


#: The text of a footnote's back-link (``&#8617;``, an arrow).
_BACKLINK = "&#8617;"


def _as_text(source: str) -> str:
    """A body as escaped paragraphs of text, for one Markdown cannot render."""
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n[ \t]*\n", source))
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


_local = threading.local()


def render_body(body: str, body_line: int = 1) -> tuple[RenderedBody, list[tuple[int, str]]]:
    """Render a Markdown body, with warnings about it as (line in the file, message)."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer.render(body, body_line)


def render_markdown(body: str, body_line: int = 1) -> RenderedBody:
    """Render a Markdown body; cross-links become placeholders listed in ``links``."""
    return render_body(body, body_line)[0]


def _wrap_tables(html_text: str) -> str:
    """Put each table in a labelled, focusable region so a wide table scrolls by keyboard too.

    Regions are landmarks, and landmarks on one page need distinct names: a body with one
    table labels it "Table", with several "Table 1", "Table 2" ...
    """
    count = html_text.count("<table>")
    if not count:
        return html_text
    parts = html_text.split("<table>")
    out = [parts[0]]
    for number, part in enumerate(parts[1:], 1):
        label = "Table" if count == 1 else f"Table {number}"
        out.append(f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">\n<table>')
        out.append(part)
    return "".join(out).replace("</table>", "</table>\n</div>")


def _with_lines(links: list[LinkRef], body: str, body_line: int) -> list[LinkRef]:
    """Give each recorded link the line of its ``[[...]]`` in the file.

    The k-th link to a target is the k-th ``[[`` followed by the target's first word (one
    pass over the body finds every ``[[`` and its line); a link not found there takes the line
    of the link before it. A link written again on the same line is the same (immutable) link.
    """
    if not links:
        return []
    lines_of: dict[str, list[int]] = {}
    count = last = 0
    newlines = body.count
    for m in _LINK_START.finditer(body):
        start = m.start()
        count += newlines("\n", last, start)
        last = start
        found = lines_of.get(m.group(1))
        if found is None:
            lines_of[m.group(1)] = [count]
        else:
            found.append(count)
    # Each target word's lines, taken in turn; once they run out, a link keeps the line before.
    turns = {word: iter(found) for word, found in lines_of.items()}
    words: dict[int, Iterator[int] | None] = {}  # id of the link as recorded -> its word's turn
    made: dict[tuple[int, int], LinkRef] = {}  # by (id of the link as recorded, line)
    out = []
    line = 0
    for ref in links:
        key = id(ref)
        turn = words.get(key, _UNSEEN)
        if turn is _UNSEEN:  # (None: its word is not in the body)
            turn = words[key] = turns.get(ref.target.split(" ", 1)[0])  # the target may have been wrapped
        if turn is not None:
            line = next(turn, line)
        placed = made.get((key, line))
        if placed is None:
            placed = made[(key, line)] = LinkRef(ref.target, ref.anchor, ref.label, body_line + line, "body")
        out.append(placed)
    return out


_UNSEEN: Any = object()

#: ``[[`` and the first word of what follows (up to a space, a line break or a link's ``]``,
#: ``|`` or ``#``), the way :func:`_with_lines` finds a link again.
_LINK_START = re.compile(r"\[\[\s*([^\s\[\]|#\\]*)")


_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
STOPWORDS = frozenset(
    "the and for are but not you all any can had her was one our out day get has him his how man new "
    "now old see two way who did its let put say she too use that with have this will your from "
    "they know want been good much some time very when come here just like long make many more only "
    "over such take than them well were what which while into also their there these those would "
    "could should about after before other being where does each most then".split()
)
_STOP_BYTES = frozenset(word.encode() for word in STOPWORDS)
SEARCH_WORDS = 48
#: Punctuation common in prose outside ASCII (dashes, curly quotes, ellipsis, no-break space,
#: the back-link arrow of footnotes):
#: replaced by spaces before splitting, which leaves most texts ASCII.
_PROSE_PUNCTUATION = "\u2014\u2013\u2019\u2018\u201c\u201d\u2026\u00a0\u00ab\u00bb\u2022\u21a9"
assert not any(_WORD.match(ch + ch) for ch in _PROSE_PUNCTUATION)
#: UTF-8 bytes to split on: every ASCII byte but letters and digits. Bytes of non-ASCII
#: characters are kept; a token holding any is split again by ``_WORD``.
_SPLIT_TABLE = bytes(c if (c >= 128 or chr(c).isalnum()) else 32 for c in range(256))


def _folded_tokens(text: str) -> tuple[list[bytes], bool]:
    """A text case-folded and split at C speed on everything but letters, digits and non-ASCII
    characters, as UTF-8 tokens; and whether it was ASCII (then every token is letters and
    digits). Prose punctuation goes first, which leaves most texts ASCII: case-folding ASCII
    is lower-casing, and punctuation has no case, so the order does not matter."""
    for mark in _PROSE_PUNCTUATION:
        if mark in text:
            text = text.replace(mark, " ")
    if text.isascii():
        return text.encode("ascii").lower().translate(_SPLIT_TABLE).split(), True
    return text.casefold().encode("utf-8", "surrogatepass").translate(_SPLIT_TABLE).split(), False


def _word_tokens(text: str) -> list[bytes]:
    """The matches of ``_WORD`` in the case-folded text, in order, as UTF-8 bytes.

    The same words as ``_WORD.findall``, several times faster: ASCII letters and digits are
    word characters and other ASCII is not, so splitting on the rest finds the words of an
    ASCII text; only tokens holding other characters go through the expression.
    """
    tokens, ascii_only = _folded_tokens(text)
    if ascii_only:
        return [token for token in tokens if len(token) > 1]
    words: list[bytes] = []
    add = words.append
    for token in tokens:
        if token.isascii():
            if len(token) > 1:
                add(token)
        else:
            words.extend(w.encode("utf-8", "surrogatepass")
                         for w in _WORD.findall(token.decode("utf-8", "surrogatepass")))
    return words


def words_of(text: str) -> list[str]:
    """Lower-cased words of two or more letters, without common English stop words."""
    return [w.decode("utf-8", "surrogatepass") for w in _word_tokens(text) if w not in _STOP_BYTES]


def word_set(text: str) -> frozenset[str]:
    """The distinct words of :func:`words_of`."""
    return frozenset([w.decode("utf-8", "surrogatepass") for w in set(_word_tokens(text)).difference(_STOP_BYTES)])


def top_words(text: str, limit: int = SEARCH_WORDS) -> tuple[str, ...]:
    """The ``limit`` most frequent distinctive words of a text (ties in first-seen order)."""
    tokens, ascii_only = _folded_tokens(text)
    counts = Counter(tokens if ascii_only else _word_tokens(text))
    # A stable sort by count keeps equal counts in first-seen order; one-letter tokens and
    # stop words are passed over there, which leaves the order of the others as it is.
    found: list[str] = []
    for word, _ in sorted(counts.items(), key=itemgetter(1), reverse=True):
        if len(word) > 1 and word not in _STOP_BYTES:
            found.append(word.decode("utf-8", "surrogatepass"))
            if len(found) >= limit:
                break
    return tuple(found)


_CODE_BLOCK = re.compile(r'<div class="highlight">.*?</div>', re.S)


def _text_of(fragment: str) -> str:
    """HTML fragment to text: code blocks, tags and link placeholders out, entities decoded."""
    if '<div class="highlight">' in fragment:
        fragment = _CODE_BLOCK.sub(" ", fragment)
    return html.unescape(PLACEHOLDER.sub(" ", _TAGS.sub(" ", fragment)))


def plain_text(fragment: str) -> str:
    """HTML fragment to plain text (tags removed, entities decoded, spaces collapsed)."""
    return " ".join(_text_of(fragment).split())
