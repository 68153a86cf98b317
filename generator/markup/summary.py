"""A document's plain-text summary, made from its first paragraph when none is given."""

from __future__ import annotations

import html
import re

from generator.markup.markdown import _TAGS, PLACEHOLDER

#: A summary is cut at a word near this many characters.
SUMMARY_LENGTH = 280
#: Where a first part may end: before a tag or a space.
_CUT = re.compile("[< ]")
#: The first part of a paragraph read for its summary (grown fourfold while too short).
_FIRST_READ = 4096


def summarise(first_paragraph_html: str, labels: list[str] | None = None) -> str:
    """A plain-text summary from the first paragraph (its cross-links given their ``labels``,
    its tags taken out, its entities decoded, its spaces collapsed), cut at a word near
    :data:`SUMMARY_LENGTH` characters.

    Only a first part of a long paragraph is read (a paragraph of 1 MB of footnote references
    is 15 MB of HTML). The part ends before a ``<`` or a space with every ``<`` before it
    closed, so it holds the same tags and cross-links as the whole (a cross-link's placeholder
    is digits); and its text must end past the last entity begun in it (a ``;`` or a space
    after its last ``&``), so each entity decodes as in the whole. Its text is then the start of the whole text (its last word perhaps cut short),
    and once that is longer than the cut, the summary is the same as the whole paragraph's.
    """
    size = len(first_paragraph_html)
    read = _FIRST_READ
    while read < size:
        end = _cut_point(first_paragraph_html, read)
        if end < 0:
            break
        stripped = _stripped(first_paragraph_html[:end], labels)
        if _entities_closed(stripped):
            text = " ".join(html.unescape(stripped).split())
            if len(text) > SUMMARY_LENGTH:
                return _cut(text)
        read *= 4
    return _cut(" ".join(html.unescape(_stripped(first_paragraph_html, labels)).split()))


def _cut_point(fragment: str, start: int) -> int:
    """The first ``<`` or space at or after ``start`` with every ``<`` before it closed by a
    ``>`` (so ``<[^>]+>`` finds the same tags before it in the part as in the whole), or -1."""
    found = _CUT.search(fragment, start)
    while found is not None:
        at = found.start()
        if fragment.rfind(">", 0, at) >= fragment.rfind("<", 0, at):
            return at
        found = _CUT.search(fragment, at + 1)
    return -1


def _stripped(fragment: str, labels: list[str] | None) -> str:
    """The fragment with its cross-links' labels in, and its tags out."""
    if labels is not None:
        fragment = PLACEHOLDER.sub(lambda m: html.escape(labels[int(m.group(1))]) if int(m.group(1)) < len(labels) else "", fragment)
    if "footnote-ref" in fragment:  # a footnote's number is no part of the sentence
        fragment = _FOOTNOTE_REF.sub("", fragment)
    return _TAGS.sub("", fragment)


#: A footnote reference as the renderers write it: ``<sup id="fnref:1"><a class="footnote-ref"
#: href="#fn:1">1</a></sup>``.
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"<>]*"><a class="footnote-ref"[^<>]*>[^<>]*</a></sup>')


def _entities_closed(text: str) -> bool:
    """Whether an entity begun by the last ``&`` of ``text`` ends in it: a ``;`` or a space
    follows that ``&`` (no character reference runs past either), or there is none."""
    last = text.rfind("&")
    return last < 0 or any(mark in text[last + 1:] for mark in (";", " ", "\t", "\n", "\f"))


def _cut(text: str) -> str:
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
