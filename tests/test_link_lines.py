"""Each cross-link is given the line of its ``[[`` in the file, as one scan of the body finds it."""

from __future__ import annotations

import random
import re

from generator.markup.markdown import _LINK_START, _with_lines, render_body
from generator.markup.wikilink import wikilink_ref
from generator.model.document import LinkRef


def oracle(links: list[LinkRef], body: str, body_line: int) -> list[LinkRef]:
    """The k-th link to a target is at the k-th ``[[`` followed by its first word; a link not
    found takes the line of the link before it (the rule, written plainly)."""
    starts: dict[str, list[int]] = {}
    for m in _LINK_START.finditer(body):
        starts.setdefault(m.group(1), []).append(m.start())
    taken: dict[str, int] = {}
    pos, out = 0, []
    for ref in links:
        word = ref.target.split(" ", 1)[0]
        found = starts.get(word, [])
        k = taken.get(word, 0)
        if k < len(found):
            pos = found[k]
            taken[word] = k + 1
        out.append(LinkRef(ref.target, ref.anchor, ref.label, body_line + body[:pos].count("\n"), "body"))
    return out


def test_lines_of_links_match_the_rule_on_random_bodies() -> None:
    rng = random.Random(7)
    pieces = ["[[a]]", "[[b c]]", "[[b\nc]]", "[[a#x|y]]", "[[ a ]]", "[[", "]]", "text ", "\n", "\n\n", "[[c]]"]
    for _ in range(2000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        inners = re.findall(r"\[\[([^\[\]|#]+(?:#[^\[\]|]*)?(?:\|[^\[\]]*)?)\]\]", body)
        links = [wikilink_ref(inner) for inner in inners]
        links += [wikilink_ref(rng.choice(["zz", "a", "b c"])) for _ in range(rng.randint(0, 2))]  # not in the body
        body_line = rng.randint(1, 9)
        assert _with_lines(links, body, body_line) == oracle(links, body, body_line), body


def test_a_link_written_many_times_on_one_line_is_found_on_that_line() -> None:
    body = "Intro.\n\n" + "[[target]] " * 5000 + "\n\nAnd [[target]] again.\n"
    rendered, _ = render_body(body, body_line=5)
    assert [ref.line for ref in rendered.links] == [7] * 5000 + [9]


def test_one_link_object_recorded_many_times_takes_its_words_lines_in_turn_and_one_object_a_line() -> None:
    """The inline pass records a link written again as the very same object: each recording
    still takes its word's next line, and a recording on a line already given is that line's
    one object."""
    rng = random.Random(11)
    pieces = ["[[a]] ", "[[a]] [[a]] ", "[[b c]] ", "text ", "\n", "\n\n"]
    for _ in range(1000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        pool = [wikilink_ref("a"), wikilink_ref("b c"), wikilink_ref("zz")]
        links = [rng.choice(pool) for _ in range(rng.randint(0, 25))]
        placed = _with_lines(links, body, 3)
        assert placed == oracle(links, body, 3), body
        one: dict[tuple[int, int], int] = {}
        for ref, found in zip(links, placed, strict=True):
            assert one.setdefault((id(ref), found.line), id(found)) == id(found)
