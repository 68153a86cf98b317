"""Python-Markdown's footnotes in time linear in the text, whatever the text.

Three of the footnotes extension's steps grow with the square of a document's footnotes or
references: its reference expression is tried to the end of the text from every ``[^`` when
no ``]`` is left (:class:`_ClosedSearch`), a repeated reference's next free id is searched
for from the first (:class:`_ResumingRefs`), and a reference's number is found by searching
the list of footnotes, or of references, for it (:class:`_IndexedFootnotes`: 10,000 distinct
footnotes took seconds). :func:`install` replaces them with steps that give the same HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions.footnotes import (
    RE_REF_ID,
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnotePostTreeprocessor,
)
from markdown.serializers import _escape_attrib_html, to_html_string

#: Back-links a footnote's item carries at most: one to each of its first references. Markdown
#: gives one to every reference; a note referred to 200,000 times made 22 MB of back-links,
#: 60 % of its page, which no reader follows (each reference still has its own id).
MAX_BACKLINKS = 100

#: The code of Markdown's ``makeFootnoteRefId``, which :meth:`_ResumingRefs.footnote_ref_ids`
#: repeats in one loop.
_MAKE_REF_ID = FootnoteExtension.makeFootnoteRefId.__code__


class _ClosedSearch:
    """A footnote reference's expression, searched only where a ``]`` can still close it.

    ``\\[\\^([^\\]]*)\\]`` tried at each ``[^`` runs to the next ``]``; with no ``]`` left,
    every ``[^`` is tried to the end of the text. Every ``[^`` with a ``]`` anywhere after it
    matches, so searching only up to the last ``]`` finds the same matches in linear time.
    """

    def __init__(self, compiled: re.Pattern[str]):
        self.compiled = compiled

    def finditer(self, data: str, pos: int = 0):  # noqa: ANN201 - an iterator of matches
        """The expression's matches in ``data[pos:]``, as ``re`` finds them."""
        return self.compiled.finditer(data, pos, data.rfind("]") + 1)

    def __getattr__(self, name: str) -> object:
        return getattr(self.compiled, name)


class _ResumingRefs:
    """Mix-in for the footnotes extension: a repeated reference's next free id is looked for
    from the last one given, not from the first (which made n references to one footnote
    cost n squared). The ids tried before the last one given are all taken, and stay taken
    for the document, so the ids are the same."""

    def reset(self) -> None:
        """Forget the document's ids (Markdown's own reset, and the places to resume from)."""
        super().reset()  # type: ignore[misc]
        self._resume: dict[str, str] = {}
        self._numbers: dict[str, list] = {}  # see next_ref_id

    def unique_ref(self, reference: str, found: bool = False) -> str:
        """The reference, or the next of its numbered forms no other reference has taken."""
        if not found:
            return reference
        resume = self.__dict__.setdefault("_resume", {})
        original = reference
        reference = resume.get(original, reference)
        used = self.used_refs  # type: ignore[attr-defined]
        if reference not in used:
            used.add(reference)
            found_refs = self.found_refs  # type: ignore[attr-defined]
            found_refs[original] = found_refs.get(original, 0) + 1
            return reference
        separator = self.get_separator()  # type: ignore[attr-defined]
        while reference in used:
            ref, rest = reference.split(separator, 1)
            m = RE_REF_ID.match(ref)
            reference = f"{m.group(1)}{int(m.group(2)) + 1}{separator}{rest}" if m else f"{ref}2{separator}{rest}"
        resume[original] = reference
        used.add(reference)
        found_refs = self.found_refs  # type: ignore[attr-defined]
        found_refs[original] = found_refs.get(original, 0) + 1
        return reference

    def footnote_ref_ids(self, id: str, count: int) -> list[str]:  # noqa: A002 - Markdown's name
        """``makeFootnoteRefId(id, found=True)`` called ``count`` times (the same ids, the
        same record of them), in one loop; ``None`` where that method is not Markdown's."""
        if getattr(type(self).makeFootnoteRefId, "__code__", None) is not _MAKE_REF_ID:
            return [self.makeFootnoteRefId(id, found=True) for _ in range(count)]  # type: ignore[attr-defined]
        separator = self.get_separator()  # type: ignore[attr-defined]
        if self.getConfig("UNIQUE_IDS"):  # type: ignore[attr-defined]
            reference = f"fnref{separator}{self.unique_prefix:d}-{id}"  # type: ignore[attr-defined]
        else:
            reference = f"fnref{separator}{id}"
        return self.unique_refs(reference, count)

    def next_ref_id(self, id: str) -> str:  # noqa: A002 - Markdown's name
        """``makeFootnoteRefId(id, found=True)``: after the first, from the number of the id
        given last (``fnref7:x`` -> ``fnref8:x``), the same step as :meth:`unique_ref` takes
        from that id, without reading it again."""
        numbers = self.__dict__.setdefault("_numbers", {})
        state = numbers.get(id)
        if state is None:
            given = self.makeFootnoteRefId(id, found=True)  # type: ignore[attr-defined]
            separator = self.get_separator()  # type: ignore[attr-defined]
            head, _, tail = given.partition(separator)
            numbered = RE_REF_ID.fullmatch(head)
            own = getattr(type(self).makeFootnoteRefId, "__code__", None) is _MAKE_REF_ID
            if own and separator and not any(c.isalnum() for c in separator) and (head == "fnref" or numbered):
                original = self._resume_key(id, separator)
                numbers[id] = [original, int(numbered.group(2)) if numbered else 1, separator + tail]
            return given
        original, number, tail = state
        used = self.used_refs  # type: ignore[attr-defined]
        number += 1
        given = f"fnref{number}{tail}"
        while given in used:
            number += 1
            given = f"fnref{number}{tail}"
        state[1] = number
        used.add(given)
        self._resume[original] = given
        found_refs = self.found_refs  # type: ignore[attr-defined]
        found_refs[original] = found_refs.get(original, 0) + 1
        return given

    def next_ref_ids(self, id: str, count: int) -> list[str]:  # noqa: A002 - Markdown's name
        """:meth:`next_ref_id` called ``count`` times, in one go when the next numbers are
        all free (the usual case: a run of references to one footnote)."""
        state = self.__dict__.get("_numbers", {}).get(id)
        if state is None or count < 2:
            out = [self.next_ref_id(id)]
            state = self._numbers.get(id)
            if state is None or count < 2:
                return out + [self.next_ref_id(id) for _ in range(count - 1)]
            count -= 1
        else:
            out = []
        original, number, tail = state
        run = [f"fnref{n}{tail}" for n in range(number + 1, number + count + 1)]
        used = self.used_refs  # type: ignore[attr-defined]
        if not used.isdisjoint(run):  # a number taken by another form: one at a time
            return out + [self.next_ref_id(id) for _ in range(count)]
        used.update(run)
        state[1] = number + count
        self._resume[original] = run[-1]
        found_refs = self.found_refs  # type: ignore[attr-defined]
        found_refs[original] = found_refs.get(original, 0) + count
        return out + run if out else run

    def _resume_key(self, id: str, separator: str) -> str:  # noqa: A002 - Markdown's name
        """The reference Markdown's ``makeFootnoteRefId`` starts from."""
        if self.getConfig("UNIQUE_IDS"):  # type: ignore[attr-defined]
            return f"fnref{separator}{self.unique_prefix:d}-{id}"  # type: ignore[attr-defined]
        return f"fnref{separator}{id}"

    def unique_refs(self, reference: str, count: int) -> list[str]:
        """``unique_ref(reference, found=True)`` called ``count`` times, in one loop: after
        the first, each call steps on from the id the call before gave (which is taken) to
        the next numbered form (``fnref2:x``, ``fnref3:x``, ...) no reference has taken."""
        first = self.unique_ref(reference, True)
        if count < 2:
            return [first]
        separator = self.get_separator()  # type: ignore[attr-defined]
        ref, rest = first.split(separator, 1)
        numbered = RE_REF_ID.fullmatch(ref)
        if numbered is None and ref != "fnref":  # another form: Markdown's step each time
            return [first] + [self.unique_ref(reference, True) for _ in range(count - 1)]
        number = int(numbered.group(2)) if numbered is not None else 1
        used = self.used_refs  # type: ignore[attr-defined]
        tail = separator + rest
        run = [f"fnref{n}{tail}" for n in range(number + 1, number + count)]
        if used.isdisjoint(run):  # the next numbers all free (so far the usual case): taken at once
            used.update(run)
            out = [first, *run]
            self.__dict__.setdefault("_resume", {})[reference] = out[-1]
            found_refs = self.found_refs  # type: ignore[attr-defined]
            found_refs[reference] = found_refs.get(reference, 0) + count - 1
            return out
        out = [first]
        for _ in range(count - 1):
            number += 1
            given = f"fnref{number}{separator}{rest}"
            while given in used:
                number += 1
                given = f"fnref{number}{separator}{rest}"
            used.add(given)
            out.append(given)
        self.__dict__.setdefault("_resume", {})[reference] = out[-1]
        found_refs = self.found_refs  # type: ignore[attr-defined]
        found_refs[reference] = found_refs.get(reference, 0) + count - 1
        return out


class _IndexedFootnotes:
    """Mix-in for the footnotes extension: each footnote's place among the footnotes, and
    among the references, kept in a table as they are added (Markdown searches its lists).

    The footnotes are only ever added to, and the references only appended by
    :meth:`addFootnoteRef`, until ``reset`` makes new ones; a table is made again whenever
    its list is not the one it was made for or has another length.
    """

    def addFootnoteRef(self, id: str) -> None:  # noqa: N802, A002 - Markdown's names
        """Record a reference's footnote the first time it is referred to, in order."""
        places = self._places(self.footnote_order, "_order_places")  # type: ignore[attr-defined]
        if id not in places:
            places[id] = len(self.footnote_order)  # type: ignore[attr-defined]
            self.footnote_order.append(id)  # type: ignore[attr-defined]
            self._order_places = (self.footnote_order, places, len(self.footnote_order))  # type: ignore[attr-defined]

    def number_of(self, id: str) -> int:  # noqa: A002 - Markdown's name
        """The footnote's number: its place among the footnotes, or among the references."""
        if self.getConfig("USE_DEFINITION_ORDER"):  # type: ignore[attr-defined]
            return self._places(self.footnotes, "_definition_places")[id] + 1  # type: ignore[attr-defined]
        return self._places(self.footnote_order, "_order_places")[id] + 1  # type: ignore[attr-defined]

    def _places(self, items: object, name: str) -> dict[str, int]:
        kept = self.__dict__.get(name)
        if kept is None or kept[0] is not items or kept[2] != len(items):  # type: ignore[arg-type]
            places: dict[str, int] = {}
            for place, item in enumerate(items):  # type: ignore[call-overload]
                places.setdefault(item, place)
            kept = self.__dict__[name] = (items, places, len(items))  # type: ignore[arg-type]
        return kept[1]


class _IndexedFootnoteRefs:
    """Mix-in for the footnotes extension's inline processor: Markdown's ``handleMatch``, with
    the footnote's number looked up (:meth:`_IndexedFootnotes.number_of`)."""

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802, ANN201 - Markdown's API
        footnotes = self.footnotes  # type: ignore[attr-defined]
        id = m.group(1)  # noqa: A001 - Markdown's name
        if id not in footnotes.footnotes:
            return None, None, None
        footnotes.addFootnoteRef(id)
        number = footnotes.number_of(id)
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", footnotes.makeFootnoteRefId(id, found=True))
        a.set("href", "#" + footnotes.makeFootnoteId(id))
        a.set("class", "footnote-ref")
        a.text = footnotes.getConfig("SUPERSCRIPT_TEXT").format(number)
        return sup, m.start(0), m.end(0)


class _RawDuplicates:
    """Mix-in for the footnotes extension's duplicates step: the extra back-links of a
    footnote referred to n times, as one piece of HTML in Markdown's raw-HTML stash, not n
    copied elements (200,000 references to one footnote took seconds to copy and serialise),
    and at most :data:`MAX_BACKLINKS` of them in all.

    Markdown appends the copies of the back-link, each with its own ``href``, to the last
    element of the footnote; the HTML here is that of each copy as Markdown's serialiser
    writes it, put after that element's last child, where the copies would follow it. Only a
    back-link without children, in an element whose last child is the back-link itself, is
    done this way; anything else takes Markdown's step.
    """

    def add_duplicates(self, li: etree.Element, duplicates: int) -> None:  # noqa: D102 - Markdown's step
        duplicates = min(duplicates, MAX_BACKLINKS)
        separator = self.footnotes.get_separator()  # type: ignore[attr-defined]
        for link in li.iter("a"):
            if link.attrib.get("class", "") == "footnote-backref":
                break
        else:
            return
        last = list(li)[-1] if len(li) else None
        if last is None or len(link) or not len(last) or last[-1] is not link or link.tail:
            super().add_duplicates(li, duplicates)  # type: ignore[misc]
            return
        ref, rest = link.attrib["href"].split(separator, 1)
        marker = "\ue010"
        copy = etree.Element(link.tag, dict(link.attrib))
        copy.text = link.text
        copy.set("href", marker)
        before, after = to_html_string(copy).split(marker)
        html = "".join(f"{before}{_escape_attrib_html(f'{ref}{index}{separator}{rest}')}{after}"
                       for index in range(2, duplicates + 1))
        self.offset += duplicates - 1  # type: ignore[attr-defined]
        link.tail = self.md.htmlStash.store(html)  # type: ignore[attr-defined]


class _CappedDuplicates:
    """Mix-in for the footnotes extension's own duplicates step: at most :data:`MAX_BACKLINKS`
    back-links, copied as Markdown copies them (the renderer without its speed-ups, kept to
    compare with, makes the HTML the linear step makes)."""

    def add_duplicates(self, li: etree.Element, duplicates: int) -> None:  # noqa: D102 - Markdown's step
        super().add_duplicates(li, min(duplicates, MAX_BACKLINKS))  # type: ignore[misc]


def cap_backlinks(md: markdown.Markdown) -> None:
    """Give the footnotes extension of ``md`` (if it has it) at most :data:`MAX_BACKLINKS`
    back-links per footnote, without the linear steps of :func:`install`."""
    duplicates = md.treeprocessors["footnote-duplicate"] if "footnote-duplicate" in md.treeprocessors else None
    if type(duplicates) is FootnotePostTreeprocessor:
        duplicates.__class__ = type("CappedFootnotePostTreeprocessor", (_CappedDuplicates, FootnotePostTreeprocessor), {})


def install(md: markdown.Markdown) -> None:
    """Make the footnotes extension of ``md`` (if it has it) linear."""
    if "footnote" not in md.inlinePatterns:
        return
    footnote = md.inlinePatterns["footnote"]
    if footnote.pattern == r"\[\^([^\]]*)\]" and not isinstance(footnote.compiled_re, _ClosedSearch):
        footnote.compiled_re = _ClosedSearch(footnote.compiled_re)
    extension = getattr(footnote, "footnotes", None)
    if (extension is not None and not isinstance(extension, _ResumingRefs)
            and hasattr(extension, "used_refs") and hasattr(extension, "unique_ref")):
        extension.__class__ = type("Linear" + type(extension).__name__,
                                   (_ResumingRefs, _IndexedFootnotes, type(extension)), {})
    duplicates = md.treeprocessors["footnote-duplicate"] if "footnote-duplicate" in md.treeprocessors else None
    if type(duplicates) is FootnotePostTreeprocessor:
        duplicates.__class__ = type("LinearFootnotePostTreeprocessor", (_RawDuplicates, FootnotePostTreeprocessor), {})
        duplicates.md = md
    if type(footnote) is FootnoteInlineProcessor and isinstance(extension, _IndexedFootnotes):
        footnote.__class__ = type("LinearFootnoteInlineProcessor", (_IndexedFootnoteRefs, FootnoteInlineProcessor),
                                  {"wraps": FootnoteInlineProcessor})
