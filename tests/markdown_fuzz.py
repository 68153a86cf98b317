"""Random Markdown documents built from the constructs authors use and the ways they get them
wrong, for comparing the fast path with Python-Markdown (``tests/test_markdown_fastpath.py``,
and ``python tests/markdown_fuzz.py N`` for a long run)."""

from __future__ import annotations

import random
import sys

WORDS = ["the", "convoy", "Aden", "moved", "north", "IRGC", "Ünïcode", "façade", "2023", "3.5",
         "km", "(reported)", '"quoted"', "it's", "—", "e.g.", "AT&T", "Q&A", ">", "a > b", "50%",
         "x=y", "snake_case", "C#", "#7", "1.", "2)", "ok:", "end.", "«guillemets»", "~5", "@user",
         "$40", "+3", "-2", "|", "fin", "café", "Tartus", "...", "?", "!", ";", ",", ":"]

#: Inline forms the fast path renders itself...
INLINE = ["*em*", "**strong**", "*two words*", "**two words**", "a*b*c", "x**y**z", "**x**.",
          "*x*y", "`code`", "`a<b&c>`", "` spaced `", "`*not em*`", "`[[not-a-link]]`",
          "[text](https://example.org/a_b?c=1&d=2)", "[*em* link](/x)", "[`code` link](/y)",
          "[x] (y)", "[x]", "[[target]]", "[[target|Label]]", "[[t#anchor]]", "[[t#anchor|Label *x*]]",
          "[[t|wrapped\nlabel]]", "a & b", "snake_case_name", "~tilde~", "http://bare.example/x_y",
          "[[Some Title]]", "*[[target]]*", "**[link](/l)**", "(*aside*)"]
#: ... and forms it must hand to Python-Markdown (or get exactly right).
RISKY = ["* lone", "**a*", "*a**", "***both***", "*a **b** c*", "**a *b* c**", "2 * 3", "``double``",
         "`unclosed", "[t](u 'title')", "[a [b] c](/z)", "[empty]()", "[x](<angle>)", "[[t|`code`]]",
         "[[broken]", "[[x\\|y]]", "[^1]", "![i](p.png)", "<b>bold</b>", "&amp;", "&copy;", "&#91;",
         "_x_", "__x__", "_lead", "trail_", "\\*", "{: .cls}", "{x}", "[TOC]", "word  ", "tab\there",
         "nbsp\u00a0here", "\ue000", "x\\", "<https://a.b>", "[ ](/blank)", "* *", "**", "*",
         "~~strike~~", "~~a *b* [c](/d)~~", "~~ spaced ~~", "~~~x~~~", "==mark==", "==a *b*==", "a == b", "===x==="]

#: Inline constructs, whole and broken, for paragraphs of many of them (many links, open
#: brackets and cross-links in one paragraph: the inline pass's heaviest case).
LINKY = ["[a](b)", "[text](https://e.org/x)", "[a](b", "[", "]", "](", "(", ")", "[c", "[[c]]", "[[c|d]]",
         "[[t#a|L]]", "[[", "]]", "![i](x)", "![", "[a][r]", "[r]", "[a] [r]", '[a](b "t")', "[a](<b> 't')",
         "*em*", "**s**", "*", "_", "`c`", "`", "\\[", "<b>", "<http://e.com>", "&amp;", "[^1]", "word", " ", " ",
         "\n", "!", '"', "x]: y"]

LINE_STARTS = ["", "", "", "", "", "# ", "## ", "### ", "####### ", "#tag ", "- ", "* ", "+ ",
               "1. ", "2. ", "10. ", "1) ", "> ", ">", "| ", "    ", "  ", " ", "[id]: http://x ",
               "[^1]: ", "<div>", ": ", "= ", "---", "***", "___", "===", "- - -", "```", "~~~", "<b>",
               "<http://a.b> ", "<span>x</span> "]
#: Lines that are, or nearly are, rules (a block of its own of one of them is a rule).
RULES = ["---", "***", "___", "- - -", "* * *", "-----  ", " ---", "--", "===", "_ _ _", "*-*", "----x"]


def _words(rng: random.Random, low: int = 1, high: int = 8) -> str:
    out = []
    for _ in range(rng.randint(low, high)):
        roll = rng.random()
        out.append(rng.choice(RISKY) if roll < 0.015 else rng.choice(INLINE) if roll < 0.2 else rng.choice(WORDS))
    return " ".join(out)


def _line(rng: random.Random, plain: float = 0.85) -> str:
    start = "" if rng.random() < plain else rng.choice(LINE_STARTS)
    if start == "" and rng.random() < 0.5:
        return rng.choice(WORDS[:12]) + " " + _words(rng)
    text = start + _words(rng)
    if rng.random() < 0.04:
        text += rng.choice([" ", " ", "  ", " #", " ##"])
    return text


def _paragraph(rng: random.Random) -> str:
    lines = [_line(rng, 0.97)]
    for _ in range(rng.randint(0, 3)):
        lines.append(rng.choice(["", "", "  ", "    "]) + _line(rng, 0.9) if rng.random() < 0.3 else _line(rng, 0.95))
    return "\n".join(lines)


def _linky_paragraph(rng: random.Random) -> str:
    """One paragraph of many links, brackets and cross-links, now and then in long runs."""
    pieces = []
    for _ in range(rng.randint(5, 60)):
        piece = rng.choice(LINKY)
        pieces.append(piece * rng.randint(2, 30) if rng.random() < 0.1 else piece)
    return "".join(pieces).strip("\n") or "x"


def _rule(rng: random.Random) -> str:
    return "\n".join(rng.choice(RULES) for _ in range(rng.choice([1, 1, 2, 3])))


def _breaks(rng: random.Random) -> str:
    """A paragraph of lines ending in two spaces (line breaks), now and then another ending."""
    lines = [_line(rng, 0.95) + rng.choice(["  ", "  ", "  ", "   ", ""]) for _ in range(rng.randint(1, 4))]
    return "\n".join(lines)


def _heading(rng: random.Random) -> str:
    words = _words(rng, 1, 4)
    if rng.random() < 0.3:  # an inline form (or a broken one) in the heading's text
        words += " " + rng.choice(INLINE + RISKY + ["\\", "\\\\", "\\>", "\\#", "<b>x</b>"])
    return "#" * rng.choice([1, 2, 2, 3, 4, 6, 7]) + rng.choice([" ", " ", "  ", ""]) + words + rng.choice(
        ["", "", "", " #", " ##", " "])


def _list(rng: random.Random) -> str:
    numbered = rng.random() < 0.4
    first = rng.choice(["1", "1", "3", "01"])
    lines = []
    for i in range(rng.randint(1, 5)):
        marker = f"{int(first) + i if rng.random() < 0.9 else 7}. " if numbered else rng.choice(["- ", "- ", "* ", "+ ", "-  "])
        lines.append(marker + _words(rng, 1, 6))
        if rng.random() < 0.2:
            lines.append(rng.choice(["  ", "   ", "    ", "", "      "]) + _line(rng, 0.8))
    return "\n".join(lines)


def _quote(rng: random.Random) -> str:
    inner = _blocks(rng, rng.randint(1, 3), depth=1)
    lines = []
    for line in inner.split("\n"):
        lines.append(rng.choice(["> ", "> ", ">", "", "  > "]) + line if line or rng.random() < 0.8 else line)
    return "\n".join(line if line.strip() else ">" for line in lines) if rng.random() < 0.8 else "\n".join(lines)


def _table(rng: random.Random) -> str:
    width = rng.randint(1, 4)
    aligns = [rng.choice(["---", ":---", "---:", ":---:", "-", ":-:", ""]) for _ in range(width)]

    def row(cells: list[str]) -> str:
        text = " | ".join(cells)
        return rng.choice(["| " + text + " |", "| " + text + " |", "|" + text + "|", text, "| " + text])

    rows = [row([_words(rng, 1, 3) for _ in range(width)]), row(aligns)]
    for _ in range(rng.randint(0, 3)):
        cells = [rng.choice(["", _words(rng, 1, 3)]) for _ in range(width + (1 if rng.random() < 0.1 else 0))]
        rows.append(row(cells))
    return "\n".join(rows)


def _fence(rng: random.Random) -> str:
    fence = rng.choice(["```", "```", "~~~", "````"])
    lang = rng.choice(["", "python", "json", "yaml", "text", ".py", "c++", "{.x}", "py extra"])
    body = rng.choice(["x = 1\n", "{\n  \"a\": [1, 2]\n}\n", "", "a < b && c\n\n   \nend\n", "```\ninner\n"])
    close = rng.choice([fence, fence, fence + " ", "", fence + "`"])
    return f"{fence}{lang}\n{body}{close}"


def _blocks(rng: random.Random, count: int, depth: int = 0) -> str:
    makers = [_paragraph] * 6 + [_heading] * 2 + [_list] * 2 + [_table, _linky_paragraph, _rule, _breaks]
    if depth == 0:
        makers += [_quote, _fence]
    out = []
    for _ in range(count):
        out.append(rng.choice(makers)(rng))
        out.append(rng.choice(["", "", "", "\n", "  ", ""]))
    return "\n".join(out)


def random_document(rng: random.Random) -> str:
    """A document of a few blocks, mostly plain, with the odd mistake or rarer construct."""
    return _blocks(rng, rng.randint(1, 6)) + rng.choice(["", "\n", "\n\n"])


if __name__ == "__main__":  # pragma: no cover - a long run by hand
    from generator.markup.markdown import _Renderer

    fast, slow, tuned = _Renderer(), _Renderer(tuned=False), _Renderer()
    tuned.fast = None  # Python-Markdown with the speed-ups and the linear inline pass
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng, taken, bad, bad_tuned = random.Random(seed), 0, 0, 0
    for i in range(runs):
        doc = random_document(rng)
        expected = slow.convert(doc), list(slow.links)
        if (tuned.convert(doc), tuned.links) != expected:
            bad_tuned += 1
            if bad_tuned <= 5:
                print(f"--- tuned Python-Markdown differs at {i}:\n{doc!r}")
        fast.links.clear()
        fast.md.reset()
        html = fast.fast.render(doc) if fast.fast else None
        if html is None:
            continue
        taken += 1
        if (html, fast.links) != expected:
            bad += 1
            if bad <= 5:
                print(f"--- fast path differs at {i}:\n{doc!r}")
    print(f"{runs} documents, {taken} on the fast path, {bad} mismatches there, {bad_tuned} in tuned Python-Markdown")
