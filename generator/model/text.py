"""Text hygiene: control characters pasted into content never reach a page, feed or data file.

XML 1.0 forbids C0 control characters other than tab, newline and carriage return, and HTML
treats every control character (C0, DEL, C1) and noncharacter as a parse error. A vertical tab
or form feed (a line break pasted from a word processor) becomes a space, as does a Unicode
line or paragraph separator (U+2028, U+2029: YAML would break a front matter line at it); the
others are dropped.
"""

from __future__ import annotations

import re

#: Characters no output may hold: C0 controls but tab, newline and CR; DEL and C1 controls;
#: lone surrogates (only YAML escapes can make them); the noncharacters XML or HTML refuse.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: Bytes of UTF-8 text that can start such a character: C0 bytes, DEL, the lead byte of
#: U+0080-U+00BF and that of U+F000-U+FFFF (surrogates are not valid UTF-8 at all); the two
#: separators are looked for as they are (their lead byte starts curly quotes and dashes too).
_SUSPECT_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D)) + b"\x7f\xc2\xef"


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\x0b\x0c\u2028\u2029" else ""


#: The control characters of ASCII that no output may hold, as bytes.
_ASCII_CONTROLS = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D)) + b"\x7f"


def strip_controls(text: str) -> str:
    """``text`` without control characters (a vertical tab or form feed becomes a space)."""
    if len(text) > 4096 and text.isascii():  # a long ASCII text (a feed) is tested as bytes, quicker
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
            return text
    return CONTROLS.sub(_replacement, text) if CONTROLS.search(text) else text


def may_hold_controls(raw: bytes) -> bool:
    """A quick test of UTF-8 bytes: ``False`` means their text holds no control character."""
    return (len(raw.translate(None, _SUSPECT_BYTES)) != len(raw) or b"\xe2\x80\xa8" in raw
            or b"\xe2\x80\xa9" in raw)


#: Markdown an author may write in a one-line field such as ``summary:``: emphasis, code,
#: images, links and cross-links (their words are kept, the marks go).
_INLINE_MARKS = re.compile(
    r"!\[([^\]\n]*)\]\([^)\n]*\)"          # ![alt](src)
    r"|\[\[([^\]|\n]*\|)?([^\]\n]*)\]\]"   # [[target|label]], [[target]]
    r"|\[([^\]\n]+)\]\([^)\n]*\)"          # [text](url)
    r"|(\*\*|__|\*|_|`)(?=\S)([^\n]*?\S)\5(?!\w)")  # **x**, __x__, *x*, _x_, `x`


def plain_text(text: str) -> str:
    """``text`` without the Markdown marks of its inline forms (a ``summary:`` is shown as
    plain text on cards, in meta descriptions and previews)."""
    if not any(mark in text for mark in "*_`[!"):
        return text
    def words(match: re.Match[str]) -> str:
        return next(group for group in (match.group(1), match.group(3), match.group(4), match.group(6))
                    if group is not None)
    return _INLINE_MARKS.sub(words, text)


#: Accented letters in a row: a Cyrillic, Greek or Arabic file saved in its own code page reads
#: as such runs in Windows-1252 (Western text has one or two accented letters at a time).
_FOREIGN_RUN = re.compile("[\u00c0-\u00ff]{3,}")


def windows_1252(raw: bytes) -> str | None:
    """The text of a file saved as Windows-1252 (Notepad's "ANSI" on a Western system, with its
    curly quotes and dashes as single bytes) when it reads as Western text; ``None`` when a
    byte has no character there or the file reads as runs of accented letters (another code
    page: no guess is made)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _FOREIGN_RUN.search(text) else text


#: Characters that take no room: pasted with a name, they would make it another name.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def spaced_name(name: str) -> str:
    """A name with its spaces as one types them: zero-width characters out, and each run of
    spaces (non-breaking ones a word processor put in among them) one space, none at the ends."""
    if _ZERO_WIDTH.search(name):
        name = _ZERO_WIDTH.sub("", name)
    return " ".join(name.split())
