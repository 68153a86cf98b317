"""Jekyll's Liquid tags, as authors moving from Jekyll leave them in their posts.

``briefing`` has no template language in bodies, so a ``{% ... %}`` tag was shown as written,
and worse: ``{% comment %}secret draft text{% endcomment %}`` published the text it hid, and
``{% highlight python %}`` turned its code into a paragraph. Outside code:

* ``{% comment %}`` ... ``{% endcomment %}`` is left out (its lines stay, empty);
* ``{% raw %}`` and ``{% endraw %}`` go, what they hold stays;
* ``{% highlight LANG %}`` and ``{% endhighlight %}``, each on its own line, are a code fence;
* ``{{ site.baseurl }}`` (and ``site.url``) in a link is the site's root (the page puts the base
  path in front of a rooted link);
* any other tag, or ``{{ ... }}`` output, is shown as written with a warning at its line.

One pass over the lines, linear in the text; lines keep their numbers.
"""

from __future__ import annotations

import re

from generator.markup.fencing import Fences

_TAG = re.compile(r"(?<!\{)\{%-?\s*([a-zA-Z_]+)[^%{}]*-?%\}(?!\})")
_OUTPUT = re.compile(r"(?<!\{)\{\{-?\s*(?![<%])([^{}\n]*?)\s*-?\}\}(?!\})")
_SITE_ROOT = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}/?")
_HIGHLIGHT = re.compile(r"\s*\{%-?\s*highlight\s+([\w#+.-]+)[^%]*%\}\s*")
_END_HIGHLIGHT = re.compile(r"\s*\{%-?\s*endhighlight\s*-?%\}\s*")
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}")
_END_COMMENT = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_RAW_SPAN = re.compile(r"\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|$)")


def liquid_read(source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``source`` with Jekyll's Liquid tags read as the module's notes say, and a warning
    (line in the file, message) for each tag or output left as written."""
    if "{%" not in source and "{{" not in source:
        return source, []
    lines = source.split("\n")
    notes: list[tuple[int, str]] = []
    last_end = max((n for n, line in enumerate(lines) if "endhighlight" in line and _END_HIGHLIGHT.fullmatch(line)),
                   default=-1)
    fences = Fences()
    in_comment = highlighted = False
    for number, line in enumerate(lines):
        if highlighted:  # in a {% highlight %} block: code, up to its end
            if _END_HIGHLIGHT.fullmatch(line):
                lines[number] = "```"
                highlighted = False
            continue
        if in_comment:
            end = _END_COMMENT.search(line)
            lines[number] = line[end.end():] if end else ""
            in_comment = end is None
            if in_comment or not lines[number].strip():
                continue
            line = lines[number]
        if fences.is_fence(line) or fences.in_code or ("{%" not in line and "{{" not in line):
            continue
        highlight = _HIGHLIGHT.fullmatch(line)
        if highlight is not None and last_end > number:
            lines[number] = "```" + highlight.group(1)
            highlighted = True
            continue
        line, in_comment = _without_comments(line)
        line = _SITE_ROOT.sub("/", line)
        lines[number] = _RAW.sub("", line)
        line = _RAW_SPAN.sub("", line)  # what {% raw %} holds is meant as written: no warning
        for tag in _TAG.finditer(line):
            notes.append((body_line + number, f"Jekyll's Liquid tag {tag.group(0)} is not read here; it is "
                                              "shown as written"))
        for output in _OUTPUT.finditer(line):
            notes.append((body_line + number, f"Liquid output {output.group(0)} is not read here; it is "
                                              "shown as written"))
    return "\n".join(lines), notes


def _without_comments(line: str) -> tuple[str, bool]:
    """A line without its ``{% comment %}`` ... ``{% endcomment %}`` parts, and whether one
    stays open past its end."""
    while True:
        start = _COMMENT.search(line)
        if start is None:
            return line, False
        end = _END_COMMENT.search(line, start.end())
        if end is None:
            return line[:start.start()], True
        line = line[:start.start()] + line[end.end():]
