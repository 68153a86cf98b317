"""Hugo's built-in shortcodes, as authors moving from Hugo leave them in their pages.

Read before the Markdown, outside code, each where Hugo's users put it:

* ``[label]({{< ref "other.md" >}})`` (and ``relref``, ``{{% ref %}}``, an ``#anchor``) is the
  cross-link ``[[other|label]]``: found by slug as any cross-link, with its backlink; a ``ref``
  alone is ``[[other]]``;
* ``{{< figure src="map.png" caption="..." alt="..." >}}`` on its own line is a ``<figure>``
  with its image and caption;
* ``{{< highlight go >}}`` ... ``{{< /highlight >}}``, each on its own line, is a code fence;
* ``{{% note %}}`` ... ``{{% /note %}}`` (``tip``, ``warning``, ``caution``, ``important``,
  ``info``, ``alert``, ``callout``...), each on its own line, is a titled note (``> [!NOTE]``);
* ``{{< youtube ID >}}``, ``vimeo``, ``tweet``/``x``, ``instagram`` and ``gist`` embed another
  site's content, which a page here never loads: each is a link to it, with a warning;
* ``{{</* name */>}}`` is Hugo's way to show a shortcode as text: shown as ``{{< name >}}``.

A line indented as code (a tab, four spaces) is left as written. Any other shortcode is left to :mod:`generator.markup.shortcodes` (this site's own, and a
warning for an unknown name). One pass over the lines, linear in the text; lines keep their
numbers.
"""

from __future__ import annotations

import bisect
import html
import re

from generator.markup.fencing import FENCE, Fences

_REF = r"\{\{[<%]\s*(?:rel)?ref\s+\"?([^\"\s<>%{}]+)\"?\s*[>%]\}\}"
_REF_LINK = re.compile(r"\[([^\[\]|\n]*)\]\(\s*" + _REF + r"\s*\)")
_REF_ALONE = re.compile(_REF)
_NAME = re.compile(r"\s*(/?)\s*([\w.-]+)")
_ARGUMENT = re.compile(r"(?:([\w-]+)\s*=\s*)?(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|`([^`]*)`|([^\s\"'`]+))")
#: The titled notes of GitHub's quotes (generator/markup/gfm.py) Hugo themes' callouts map to.
_NOTES = {"note": "NOTE", "info": "NOTE", "hint": "NOTE", "callout": "NOTE", "alert": "NOTE", "admonition": "NOTE",
          "notice": "NOTE", "tip": "TIP", "important": "IMPORTANT", "warning": "WARNING", "danger": "CAUTION",
          "caution": "CAUTION"}
_EMBEDS = {
    "youtube": ("Video on YouTube", lambda a: f"https://www.youtube.com/watch?v={_arg(a, 'id', 0)}"),
    "vimeo": ("Video on Vimeo", lambda a: f"https://vimeo.com/{_arg(a, 'id', 0)}"),
    "tweet": ("Post on X", lambda a: f"https://x.com/{_arg(a, 'user', 0)}/status/{_arg(a, 'id', 1)}"),
    "x": ("Post on X", lambda a: f"https://x.com/{_arg(a, 'user', 0)}/status/{_arg(a, 'id', 1)}"),
    "instagram": ("Post on Instagram", lambda a: f"https://www.instagram.com/p/{_arg(a, 'id', 0)}/"),
    "gist": ("Gist on GitHub", lambda a: f"https://gist.github.com/{_arg(a, 'user', 0)}/{_arg(a, 'id', 1)}"),
}
_SECTIONS = frozenset({"articles", "notes", "pages", "actors", "locations", "sources"})


def shortcode_line(line: str) -> tuple[str, str, str] | None:
    """A line that is one shortcode and nothing else: ``(closing "/" or "", name, arguments)``."""
    text = line.strip()
    if len(text) < 7 or text[:3] not in ("{{<", "{{%") or text[-3:] not in (">}}", "%}}"):
        return None
    inner = text[3:-3]
    found = _NAME.match(inner)
    if found is None or (found.end() < len(inner) and not inner[found.end()].isspace()):
        return None
    return found.group(1), found.group(2), inner[found.end():]


def _shown_as_text(line: str) -> str:
    """``{{</* name */>}}`` (Hugo's way to write a shortcode as text) as ``{{< name >}}``, in
    entities that no later step takes for a shortcode."""
    out: list[str] = []
    at = search = 0
    while (start := line.find("{{", search)) >= 0:
        if line[start + 2:start + 5] not in ("</*", "%/*"):
            search = start + 2
            continue
        end = line.find("*/" + (">" if line[start + 2] == "<" else "%") + "}}", start + 5)
        if end < 0:  # no closing after this one: none after a later one either
            break
        opening, closing = ("&lt;", "&gt;") if line[start + 2] == "<" else ("%", "%")
        out += [line[at:start], f"&#123;&#123;{opening} {line[start + 5:end].strip()} {closing}&#125;&#125;"]
        at = search = end + 5
    return "".join(out) + line[at:]


def _arguments(text: str) -> tuple[dict[str, str], list[str]]:
    """A shortcode's named and positional arguments."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for found in _ARGUMENT.finditer(text):
        value = next((v for v in found.groups()[1:] if v is not None), "")
        if found.group(2) is not None and "\\" in value:
            value = re.sub(r"\\(.)", r"\1", value)  # "The \"map\"": a quote inside quotes
        if found.group(1):
            named[found.group(1).lower()] = value
        else:
            positional.append(value)
    return named, positional


def _arg(args: tuple[dict[str, str], list[str]], name: str, index: int) -> str:
    named, positional = args
    value = named.get(name) or (positional[index] if index < len(positional) else "")
    return re.sub(r"[^\w.-]", "", value)  # an id or user name: nothing that could end the address


def ref_target(path: str) -> str:
    """The cross-link target of a ``ref``'s path: ``b.md`` -> ``b``, ``/articles/b.md#x`` ->
    ``articles/b#x``, ``/posts/b/index.md`` -> ``b`` (a section this site has keeps its name)."""
    path, _, anchor = path.partition("#")
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[-1].lower().endswith((".md", ".markdown")):
        parts[-1] = parts[-1].rsplit(".", 1)[0]
    if len(parts) > 1 and parts[-1] in ("index", "_index"):
        parts.pop()
    slug = parts[-1] if parts else path
    target = f"{parts[0]}/{slug}" if len(parts) > 1 and parts[0] in _SECTIONS else slug
    return target + (f"#{anchor}" if anchor else "")


def _figure(args: tuple[dict[str, str], list[str]]) -> str | None:
    named, _ = args
    src = named.get("src")
    if not src:
        return None
    caption = named.get("caption") or named.get("title") or ""
    alt = named.get("alt") or caption
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if named.get("link"):
        image = f'<a href="{html.escape(named["link"])}">{image}</a>'
    shown = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{image}{shown}</figure>"


def hugo_read(source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``source`` with Hugo's built-in shortcodes read as the module's notes say, and a
    warning (line in the file, message) for each embed shown as a link."""
    if "{{<" not in source and "{{%" not in source:
        return source, []
    lines = source.split("\n")
    notes: list[tuple[int, str]] = []
    closing: dict[str, list[int]] = {}  # name -> the lines that close it, in order
    fence_lines = [0]  # fence_lines[n]: how many lines before line n open or close code
    for number, line in enumerate(lines):
        if "{{" in line and (found := shortcode_line(line)) and found[0]:
            closing.setdefault(found[1].lower(), []).append(number)
        fence_lines.append(fence_lines[-1] + (FENCE.match(line) is not None))

    def end_of(name: str, number: int) -> int:
        """The line that closes the block ``name`` opened at ``number``, or -1."""
        ends = closing.get(name, [])
        at = bisect.bisect_right(ends, number)
        return ends[at] if at < len(ends) else -1

    fences = Fences()
    block: tuple[str, int] | None = None  # the open highlight or note block: its name and end
    for number, line in enumerate(lines):
        if block is not None:
            name, end = block
            if number == end:
                lines[number] = "```" if name == "highlight" else ""
                block = None
            elif name != "highlight":
                lines[number] = "> " + line if line.strip() else ">"
            continue
        if fences.is_fence(line) or fences.in_code or "{{" not in line or line[:1] == "\t" or line[:4] == "    ":
            continue  # code, or indented as code may be: left as written
        whole = shortcode_line(line)
        name = whole[1].lower() if whole and not whole[0] else ""
        end = end_of(name, number) if whole else -1
        if end > 0 and name == "highlight":
            language = _arguments(whole[2])[1][:1]
            lines[number] = "```" + (language[0] if language else "")
            block = name, end
        elif end > 0 and name in _NOTES and fence_lines[end] == fence_lines[number + 1]:  # no code inside
            lines[number] = f"> [!{_NOTES[name]}]"
            block = name, end
        elif whole and name == "figure" and (figure := _figure(_arguments(whole[2]))):
            lines[number] = figure
        elif whole and name in _EMBEDS:
            label, address = _EMBEDS[name]
            url = address(_arguments(whole[2]))
            lines[number] = f"[{label}]({url})"
            notes.append((body_line + number, f"Hugo's {name} shortcode embeds content from another site, which "
                                              "a page here never loads; it is shown as a link to it"))
        else:
            line = _REF_LINK.sub(lambda m: f"[[{ref_target(m.group(2))}|{m.group(1)}]]" if m.group(1).strip()
                                 else f"[[{ref_target(m.group(2))}]]", line)
            line = _REF_ALONE.sub(lambda m: f"[[{ref_target(m.group(1))}]]", line)
            lines[number] = _shown_as_text(line) if "/*" in line else line
    return "\n".join(lines), notes
