"""Backlink context: the sentence around a link, as the page it points at shows it.

A backlink section ("Referenced by", "Assessed in", "Linked from") lists the documents that
link to a page. Each entry shows the linking document's title, type, date and marking, and
for a link written in the body the sentence around it (at most :data:`WORDS` words either
side, cut at word boundaries with an ellipsis), with the link's own words apart so the
template can emphasise them. A link from front matter (``about:``, ``related:``) has no
sentence: its entry stays compact.

The text is plain text taken from the linking document's rendered body (tags stripped,
entities decoded; templates escape it again), with each cross-link's words as the body
shows them: a link to a document the audience build leaves out reads as the words the author
wrote, as it does in the body. It is part of the page's view, so its digest decides whether
the page is rendered again (``render/digest.py``); an edit of the linking document re-plans
the pages it links to (``graph/delta.py``: the targets of an edited document are reached).
"""

from __future__ import annotations

import html
import re
from typing import Any

from generator.graph.links import ResolvedLink
from generator.graph.site import SiteGraph
from generator.markup.markdown import PLACEHOLDER
from generator.markup.rendered import RenderedBody, unpack_html
from generator.memo import memoized
from generator.model.document import Document
from generator.render.kept import kept_views

#: Words kept either side of a link when its sentence is longer.
WORDS = 25
#: Contexts shown per linking document (the first ones in its text).
PER_DOCUMENT = 2

_CODE_BLOCK = re.compile(r'<div class="highlight">.*?</div>|<pre\b.*?</pre>', re.S)
#: Tags that end a run of text: a sentence never spans two paragraphs, items or cells.
_BLOCK = re.compile(r"</?(?:p|li|h[1-6]|blockquote|td|th|dt|dd|div|figcaption|figure|tr|table|thead|tbody|"
                    r"ul|ol|dl|section|aside|details|summary|br|hr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_FOOTNOTE_REF = re.compile(r'<sup\b[^>]*class="footnote-ref"[^>]*>.*?</sup>|<sup id="fnref[^"]*"[^>]*>.*?</sup>', re.S)
#: A stop (closing quotes and brackets with it) before a space, and the word it ends.
_SENTENCE_END = re.compile(r"(\S*?)([.!?…])[\"'”’)\]]*(?=\s)")
#: Words whose full stop does not end a sentence (lower case, without their last stop).
ABBREVIATIONS = frozenset(
    "e.g i.e etc cf vs viz al approx ca c mr mrs ms dr st gen col lt maj capt sgt adm cmdr brig cdr "
    "no nos fig figs vol p pp jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp jr sr "
    "dept govt est min max sq km ft".split())
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_NEXT_WORD = re.compile(r"\s+(\S)")


def _ends_sentence(text: str, stop: re.Match[str]) -> bool:
    """Whether ``stop`` (a match of :data:`_SENTENCE_END` in ``text``) ends a sentence: not the
    stop of an abbreviation ("e.g.", "Gen.") or of initials ("J.", "U.S."), nor one that a word
    in lower case follows."""
    if stop.group(2) != ".":
        return True
    word = stop.group(1).lstrip("(\"'“‘[").lower()
    if word in ABBREVIATIONS or _INITIALS.fullmatch(word):
        return False
    following = _NEXT_WORD.match(text, stop.end())
    return following is None or not following.group(1).islower()

#: A context: (text before the link, the link's words, text after it).
Context = tuple[str, str, str]


def _label(link: ResolvedLink) -> str:
    """A link's words as the body shows them (hidden and broken links included)."""
    return link.label


def _sentence(text: str, start: int, end: int) -> Context:
    """The sentence of ``text`` holding ``text[start:end]``, cut to :data:`WORDS` words either side."""
    before = text[:start]
    ends = [stop.end() for stop in _SENTENCE_END.finditer(text, 0, start) if _ends_sentence(text, stop)]
    if ends:
        before = before[ends[-1]:]
    padded = text + " "
    after = text[end:]
    for stop in _SENTENCE_END.finditer(padded, end):
        if _ends_sentence(padded, stop):
            after = text[end:stop.end()]
            break
    words = before.split()
    if len(words) > WORDS:
        before = "… " + " ".join(words[-WORDS:]) + (" " if before[-1:].isspace() else "")
    else:
        before = before.lstrip()
    words = after.split()
    if len(words) > WORDS:
        after = (" " if after[:1].isspace() else "") + " ".join(words[:WORDS]) + " …"
    else:
        after = after.rstrip()
    return before, text[start:end], after


#: What :func:`extract` reads of a link: its words, its target's id (``None``: unresolved),
#: whether the audience build hides its target, and where it was written (``body``, ``about``...).
PlainLink = tuple[str, "str | None", bool, str]


def plain_links(links: list[ResolvedLink]) -> tuple[PlainLink, ...]:
    """What :func:`extract` reads of each link (see :data:`PlainLink`)."""
    return tuple((_label(link), link.target.id if link.target is not None else None, bool(link.hidden),
                  link.ref.kind) for link in links)


def extract(body_html: str, links: list[ResolvedLink], target_of: dict[int, str] | None = None
            ) -> dict[str, list[Context]]:
    """The contexts of a document's body links, by target id, in the order written (at most
    :data:`PER_DOCUMENT` per target). ``body_html`` holds the link placeholders."""
    return extract_plain(body_html, plain_links(links))


def _packed_contexts(packed: bytes, links: tuple[PlainLink, ...]) -> dict[str, list[Context]]:
    """:func:`extract_plain` of a body's packed HTML (what the memo keeps it by)."""
    return extract_plain(unpack_html(packed), links)


def extract_plain(body_html: str, links: tuple[PlainLink, ...]) -> dict[str, list[Context]]:
    """:func:`extract`, from what it reads of each link (:func:`plain_links`)."""
    found: dict[str, list[Context]] = {}
    if "\ue000" not in body_html:
        return found
    fragment = _CODE_BLOCK.sub(" ", body_html)
    fragment = _FOOTNOTE_REF.sub("", fragment)
    for block in _BLOCK.split(fragment):
        if "\ue000" not in block:
            continue
        # Entities decoded, tags out; placeholders stay until the words are placed.
        raw = html.unescape(_TAG.sub("", block))
        pieces: list[str] = []
        spans: list[tuple[int, int, str]] = []
        at = 0
        length = 0
        for match in PLACEHOLDER.finditer(raw):
            chunk = raw[at:match.start()]
            pieces.append(chunk)
            length += len(chunk)
            index = int(match.group(1))
            link = links[index] if index < len(links) else None
            words = link[0] if link is not None else ""
            if link is not None and link[1] is not None and not link[2] and link[3] == "body":
                spans.append((length, length + len(words), link[1]))
            pieces.append(words)
            length += len(words)
            at = match.end()
        pieces.append(raw[at:])
        text = "".join(pieces)
        for start, end, target in spans:
            kept = found.setdefault(target, [])
            if len(kept) < PER_DOCUMENT:
                kept.append(_normalised(_sentence(text, start, end)))
    return found


def _normalised(context: Context) -> Context:
    """Whitespace collapsed, keeping one space where the text had one next to the link."""
    before, words, after = context
    b = " ".join(before.split())
    if b and before[-1:].isspace():
        b += " "
    a = " ".join(after.split())
    if a and after[:1].isspace():
        a = " " + a
    return b, " ".join(words.split()), a


def contexts_of(graph: SiteGraph, doc: Document) -> dict[str, list[Context]]:
    """The contexts of ``doc``'s body links by target id; kept by a running builder while its
    rendered body and resolved links are the very ones they were worked out from."""
    body: RenderedBody | None = graph.bodies.get(doc.path)
    links = graph.links_of(doc)
    kept = kept_views(graph).contexts
    rec = kept.get(doc.path)
    if rec is not None and rec[0] is body and rec[1] is links:
        return rec[2]
    # Kept across processes too (generator/memo.py), by the body's packed HTML and what is read of its links.
    found = memoized("contexts", _packed_contexts, body.packed, plain_links(links)) if body is not None else {}
    kept[doc.path] = (body, links, found)
    return found


def prepare_contexts(graph: SiteGraph) -> None:
    """Work out the contexts of every document a backlink section lists (see :func:`contexts_of`),
    in the builder before the render workers fork: they inherit them, rather than each extract
    again those of the documents linking to its pages (about four times each at 10,000)."""
    seen: set[int] = set()
    for found in (graph.links.referenced_by, graph.links.assessed_in):
        for docs in found.values():
            for doc in docs:
                if id(doc) not in seen:
                    seen.add(id(doc))
                    contexts_of(graph, doc)


def backlink_items(graph: SiteGraph, docs: list[Document], target_id: str, card: Any) -> list[dict[str, Any]]:
    """The entries of a backlink section: each linking document's card (``card(doc)``: title,
    URL, type, date, marking... so a theme listing them as cards still can) with
    ``contexts``, the sentences around its links to ``target_id`` (``before``, ``link``,
    ``after``: plain text), empty for a link in front matter only."""
    out = []
    for doc in docs:
        view = dict(card(doc))
        view["contexts"] = [{"before": b, "link": w, "after": a}
                            for b, w, a in contexts_of(graph, doc).get(target_id, ())]
        out.append(view)
    return out


__all__ = ["PER_DOCUMENT", "WORDS", "backlink_items", "contexts_of", "extract", "prepare_contexts"]
