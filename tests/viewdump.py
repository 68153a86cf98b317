"""Theme overrides that show everything their templates receive, for the freshness tests.

Every override writes, recursively, the whole ``page`` view and the whole ``site`` view (and
what the URL helpers give, asset names included), so any field of any linked, backlinked or
related document, term, timeline entry or setting is in the page's bytes: a page kept from an
earlier build when any of them changed differs from a clean build.

Also what keeps these tests' many small builds quick: :func:`compiled_once` (clean reference
builds share compiled templates) and :func:`scratch` (a temporary folder in memory).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import jinja2

import generator.build

#: ``partials/dump.html``: any value, mappings key by key, lists in order, sets sorted, text
#: escaped (``Markup`` too), dates, numbers and booleans as text, callables by name.
DUMP = """{% macro dump(v, depth=0) -%}
{%- if depth > 24 -%}(deep)
{%- elif v is none -%}~
{%- elif v is string -%}"{{ v|forceescape }}"
{%- elif v is number -%}{{ v }}
{%- elif v is mapping -%}{{ '{' }}{% for k, x in v.items() %}{{ k|forceescape }}={{ LEAF }}; {% endfor %}{{ '}' }}
{%- elif v is callable -%}(callable)
{%- elif v is iterable -%}[{% for x in (v|sort if v.__class__.__name__ in ('set', 'frozenset') else v) %}{{ LEAF }}, {% endfor %}]
{%- else -%}{{ v.__class__.__name__ }}:{{ v|string|forceescape }}
{%- endif -%}
{%- endmacro %}
""".replace("{{ LEAF }}", (  # text, numbers (booleans too) and None written in place: fewer macro calls
    '{% if x is string %}"{{ x|forceescape }}"{% elif x is number %}{{ x }}{% elif x is none %}~'
    '{% else %}{{ dump(x, depth + 1) }}{% endif %}'))

#: What every page override writes: the page view, the site view and what its URL helpers give.
DUMPS = """{% import "partials/dump.html" as d %}
<pre class="dump-page">{{ d.dump(page) }}</pre>
<pre class="dump-site">{{ d.dump(site) }}
{{ site.url("x/") }} {{ site.absolute("x/") }} {{ site.asset("style.css") }} {{ site.asset("extra.css") }} {{ site.asset("new.css") }}</pre>
"""

#: ``partials/card.html``: the theme's card, then everything the card view holds.
CARD = """{% include "default/partials/card.html" %}
{% import "partials/dump.html" as d %}<!-- {{ d.dump(doc) }} -->
"""


def extending(name: str) -> str:
    """An override of ``name`` that extends the theme's template and adds the dumps."""
    return f'{{% extends "default/{name}" %}}\n{{% block scripts %}}{{{{ super() }}}}\n{DUMPS}{{% endblock %}}\n'


def replacing(kind: str) -> str:
    """A whole page of its own (no theme template) that shows the dumps."""
    return ('<!DOCTYPE html>\n<html lang="{{ site.language }}">\n<head><meta charset="utf-8">'
            f'<title>{{{{ page.title }}}} · {{{{ site.title }}}}</title></head>\n<body class="{kind}">\n'
            f'<main>\n{DUMPS}</main>\n</body>\n</html>\n')


def marked(text: str, word: str) -> str:
    """An override edited: ``word`` written where the page (or card) shows it."""
    if "dump-page" in text:
        return text.replace('<pre class="dump-page">', f'<pre class="dump-page" title="{word}">', 1)
    if text == DUMP:
        return text.replace("(callable)", f"(callable {word})", 1)
    return text + f"<!-- {word} -->\n"


#: Every page template's override (some extend the theme's, some replace it) and the partials.
OVERRIDES = {
    "partials/dump.html": DUMP,
    "partials/card.html": CARD,
    "article.html": extending("article.html"),
    "note.html": extending("note.html"),
    "term.html": extending("term.html"),
    "home.html": extending("home.html"),
    "timeline.html": extending("timeline.html"),
    "taxonomy.html": replacing("taxonomy"),
    "confidence.html": replacing("confidence"),
    "page.html": replacing("page"),
}


class _MemoryBytecode(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory, by template file (Jinja checks each one's
    source checksum before using it, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_SHARED = _MemoryBytecode()


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Builds without a cache (the clean reference builds) share compiled templates within
    this context: compiling them is most of a small site's clean build. Nothing else of a
    build is shared, and the output is what compiling afresh gives."""
    make = generator.build.make_environment

    def shared(site: Any, theme: str, bytecode: Any = None) -> jinja2.Environment:
        env = make(site, theme, bytecode)
        if bytecode is None:
            env.bytecode_cache = _SHARED
        return env

    with mock.patch.object(generator.build, "make_environment", shared):
        yield


#: A folder in memory (tmpfs) where there is one: on a busy disk, making and removing the
#: files of these tests' many small builds takes most of their time.
MEMORY = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK) else None


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A new empty temporary folder (in memory when possible), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=MEMORY))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
