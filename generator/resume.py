"""A build in a new process that carries on from the last complete build, as a running builder would.

A running builder (``briefing serve``) keeps its parses and site graph between builds, so an edit
costs what it reaches. A new process (``briefing build``) has none of that: it loads every parse,
builds the graph and works out every page's signature. After a complete build (one that worked
out every output's signature) this module saves ``<cache_dir>/resume.pickle``, its *base*: the
content files' stats and parses, the site graph and the digests of every output's signature.
A later build in a new process loads it and does what a running builder does after a save: it
parses only the files whose stat differs from the base's, updates the graph in place
(``graph/delta.py``), works out the signatures of the pages the update reaches and of the
site-wide outputs, and renders only those whose digest differs from the last build's.

A resumed build does not save the base again. Each one compares with the *base* (every file
changed since, at most :data:`MAX_CHANGED`), so a page it carries over is one whose view is the
base's: it keeps its file only while the last build left that file as the base had it (the
digest saved for it now is the base's, its size and mtime the manifest's); else its signature is
worked out. The base is used only when the signatures in the cache say they descend from it
(the ``base`` token) and everything else a build depends on is as it was: the code, the
options and settings, the template files, the set of content files. Otherwise, and for any
state that cannot be read, the build starts from scratch: a broken pickle is never trusted.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

from generator.audience import Split
from generator.cache import _parser_fingerprint
from generator.graph.site import SiteGraph
from generator.graph.urls import NOT_CONTENT
from generator.loading import FileState, SourceLoader, content_outside
from generator.markup.rendered import RenderedBody, restore_body_as_saved
from generator.memo import code_fingerprint
from generator.model.document import Document
from generator.output import stat_matches
from generator.render.kept import KeptViews
from generator.render.keptstate import DISPATCH, portable, restored
from generator.render.search import SearchIndex
from generator.sources import (
    MARKDOWN_SUFFIXES,
    SKIPPED_FOLDERS,
    is_ignored_name,
    is_utf8_name,
    walk_names,
)
from generator.state import sig_digest

FILE_NAME = "resume.pickle"
#: What the saved state looks like (bump on any change of its shape).
FORMAT = 3
#: More content files changed since the base than this: a build from scratch.
MAX_CHANGED = 64
#: After this many resumed builds in a row, a build from scratch (which saves a new base).
MAX_RESUMED = 24


@dataclasses.dataclass
class Base:
    """The state a resumed build starts from."""

    graph: SiteGraph
    #: The digests of every output's signature in the base build.
    digests: dict[str, str]
    #: Content files (paths in the site) whose stat differs from the base's.
    changed: set[str]
    #: The token naming the base (kept in the signatures of the builds that descend from it).
    token: str
    #: Resumed builds since the base.
    count: int
    #: The base build's search index (``render/search.py``), or None.
    search: SearchIndex | None = None
    #: The views the base build kept (``render/kept.py``, carried by ``render/keptstate.py``), or None.
    kept: KeptViews | None = None


def state_key(header: str, env_key: Any) -> str:
    """What must be as it was for a base to be used: the options and settings (``header``), the
    code, the parsing libraries, and every template file's stat (``env_key``)."""
    return sig_digest((FORMAT, header, code_fingerprint().hex(), _parser_fingerprint(), env_key))


def new_token() -> str:
    """A fresh base token."""
    return secrets.token_hex(12)


def lineage(signatures: Any) -> tuple[str, int] | None:
    """(base token, resumed builds since) recorded with the saved signatures, if any."""
    if not isinstance(signatures, dict):
        return None
    token, count = signatures.get("base"), signatures.get("resumed")
    if isinstance(token, str) and isinstance(count, int):
        return token, count
    return None


def save(cache_dir: Path, key: str, token: str, loader: SourceLoader, graph: SiteGraph,
         digests: dict[str, str], search: SearchIndex | None = None) -> None:
    """Save the base of later resumed builds (one pickle, written whole then renamed in), with
    the search index the build made (``search``), whose rows a resumed build keeps as a running
    builder does: by the identity of the documents, bodies and terms they were made from, which
    one pickle of them all keeps; so are the views the build kept (``render/keptstate.py``)."""
    kept = portable(graph.memo.get("kept_views"))
    graph.memo.clear()  # the build's views: let go first
    related = graph.related
    # What update_graph reads of the related lists: every document page's (a build that
    # renders in forked workers, or remembers nothing, has not kept them here).
    related.remember = True
    for doc in graph.docs:
        if doc.type not in NOT_CONTENT:
            related.related(doc)
    memo = {path: (None, result) for path, (_, result) in related.memo.items()}  # keys are hashes of this process
    lean = copy.copy(related)  # without what a process works out again
    lean.__dict__.update(memo=memo, _term_keys={}, _term_ranks={}, _order=None)
    state = {"format": FORMAT, "key": key, "token": token, "files": loader.files,
             "kind_notes": loader._kind_notes, "parse_settings": loader._parse_settings,
             "loaded": loader._loaded, "graph": dataclasses.replace(graph, related=lean, memo={}),
             "digests": digests, "search": _portable_search(search, graph), "kept": kept}
    path = cache_dir / FILE_NAME
    part = cache_dir / f".{FILE_NAME}.{os.getpid()}"
    try:
        with open(part, "wb") as handle:
            pickler = pickle.Pickler(handle, protocol=5)
            pickler.dispatch_table = _DISPATCH  # shared views whole, not as their digests
            pickler.dump(state)
        os.replace(part, path)
    except Exception:  # noqa: BLE001 - no base is only slower (RecursionError on a deep value too)
        with contextlib.suppress(OSError):
            os.unlink(part)
        discard(cache_dir)


def _reduce_body(body: RenderedBody) -> tuple:
    return restore_body_as_saved, body._fields()


#: How the base is pickled: kept views whole (``render/keptstate.py``), bodies as they are.
_DISPATCH = {**DISPATCH, RenderedBody: _reduce_body}


def _portable_search(index: SearchIndex | None, graph: SiteGraph) -> tuple | None:
    """The search index with what it keeps by ``id(term)`` kept by the term itself."""
    if not isinstance(index, SearchIndex) or index._shape is None:
        return None
    terms = {id(t): t for kind in graph.taxonomies.terms.values() for t in kind.values()}
    names, numbers, base_path = index._shape
    if not all(k in terms for k in (*names, *numbers)):
        return None
    lean = copy.copy(index)
    lean._shape = None
    return lean, [(terms[k], v) for k, v in names.items()], [(terms[k], n) for k, n in numbers.items()], base_path


def _search_index(saved: Any) -> SearchIndex | None:
    """A search index saved by :func:`_portable_search`, as it was."""
    if saved is None:
        return None
    index, names, numbers, base_path = saved
    if not isinstance(index, SearchIndex):
        return None
    index._shape = ({id(t): v for t, v in names}, {id(t): n for t, n in numbers}, base_path)
    return index


def discard(cache_dir: Path) -> None:
    """Remove the saved base."""
    with contextlib.suppress(OSError):
        os.unlink(cache_dir / FILE_NAME)


def load(cache_dir: Path, key: str, signatures: Any, loader: SourceLoader, content: Path,
         skip: Path, stats: dict[str, tuple[int, int, int, int]] | None = None) -> Base | None:
    """The saved base when the last build descends from it and only content files changed
    since (few, none added or removed); the loader then holds the base's files. Else ``None``.
    ``stats``: files' stats this build found already (see :func:`changed_files`)."""
    found = lineage(signatures)
    if found is None or found[1] >= MAX_RESUMED:
        return None
    try:
        with open(cache_dir / FILE_NAME, "rb") as handle:
            state = pickle.load(handle)
        if not (isinstance(state, dict) and state.get("format") == FORMAT and state.get("key") == key
                and state.get("token") == found[0]):
            return None
        files, graph, digests = state["files"], state["graph"], state["digests"]
        search = _search_index(state["search"])
        if not (isinstance(files, dict) and isinstance(graph, SiteGraph) and isinstance(digests, dict)
                and all(type(f) is FileState for f in files.values())):
            return None
    except Exception:  # noqa: BLE001 - unreadable, foreign or broken: never trusted
        return None
    changed = changed_files(loader.source, content, files, skip, stats)
    if changed is None or len(changed[1]) > MAX_CHANGED:
        return None
    loader.files = files
    loader.content_files = changed[0]
    loader._kind_notes = state["kind_notes"]
    loader._parse_settings = state["parse_settings"]
    loader._loaded = state["loaded"]
    return Base(graph, digests, changed[1], found[0], found[1], search, restored(state.get("kept")))


def changed_files(source: Path, content: Path, files: dict[str, FileState], skip: Path,
                  stats: dict[str, tuple[int, int, int, int]] | None = None) -> tuple[list[str], set[str]] | None:
    """Every file under ``content`` and the Markdown ones whose stat differs from ``files``';
    ``None`` when the Markdown files are not the same set, or the folder has anything a scan
    would report (a link out of the site, a loop, a name that is not UTF-8).

    ``stats`` holds stats this build took already (``inputs.input_snapshot``: ``(mtime_ns,
    size, inode, ctime_ns)`` by path as found, following links): a file in it is not stat-ed
    again, as if this scan had been made when those were."""
    if content_outside(content, source) is not None or not content.is_dir():
        return None
    diags: list = []
    found = walk_names(content, source, diags, skip=frozenset({os.path.realpath(skip)}))
    if diags:
        return None
    prefix = len(str(source)) + 1
    changed: set[str] = set()
    seen = 0
    known = stats or {}
    for text in found:
        if os.path.splitext(text)[1].lower() not in MARKDOWN_SUFFIXES:  # as ``Path.suffix``
            continue
        rel = text[prefix:].replace(os.sep, "/")
        old = files.get(rel)
        if old is None:
            return None
        seen += 1
        now = known.get(text)
        if now is None:
            try:
                st = os.stat(text)
            except OSError:
                return None
            now = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        if old.stat != now:
            changed.add(rel)
    if seen != len(files):
        return None
    return found, changed


def compare(outputs: list, saved: dict[str, str], base: dict[str, str], output: Path,
            manifest: dict[str, tuple[str, int, int]]) -> tuple[dict[str, str], list, list[str]]:
    """Split a resumed build's outputs into those to render and the paths of those whose file
    is up to date; also returns every output's signature digest.

    An output the graph update does not reach (``carried``) shows what it showed in the base
    build: its digest is the base's, worked out no further while the last build saved that
    same digest for it. Any other output's signature is worked out. A file is kept when the
    last build saved its digest and it is the file that build wrote (size and mtime)."""
    digests: dict[str, str] = {}
    todo: list = []
    kept: list[str] = []
    folder = os.path.join(output, "")  # paths joined as text: a Path each costs more than the stat
    for out in outputs:
        path = out.path
        now = saved.get(path)
        if out.carried and now is not None and base.get(path) == now:
            digest = now
        else:
            digest = sig_digest(out.signature)
        digests[path] = digest
        if now == digest and stat_matches(folder + path, manifest.get(path)):
            kept.append(path)
        else:
            todo.append(out)
    return digests, todo, kept


def trusts(changed: set[Path], content_dir: Path, scanned: dict[str, FileState]) -> bool:
    """Whether ``changed`` can stand in for a scan after the one that found ``scanned``: only
    Markdown files under ``content/`` (edited, new or deleted) with nothing unusual on their path."""
    if not changed or not scanned:
        return False
    content = str(content_dir) + os.sep
    for path in changed:
        text = os.path.abspath(path)
        if not text.startswith(content) or os.path.realpath(text) != text or os.path.islink(text) \
                or not is_utf8_name(text):
            return False  # a link (a looping one resolves to itself), or a name the scan reports
        if not text.lower().endswith(MARKDOWN_SUFFIXES) or (os.path.exists(text) and not os.path.isfile(text)):
            return False
        parts = text[len(content):].split(os.sep)
        if any(is_ignored_name(part) or part in SKIPPED_FOLDERS for part in parts):
            return False
    return True


def edits_of(trusted: set[str], old_files: dict[str, FileState], loader: SourceLoader,
             graph: SiteGraph, shown: Split) -> list[tuple[Document, Document, Any]] | None:
    """The (old, new, body) replacements the ``trusted`` files' new parses amount to, if a
    graph update can take them: documents shown before and after (one left out, or let in,
    for the audience rebuilds the graph, whose link lookup knows the left-out documents)."""
    edits = []
    for rel in sorted(trusted):
        old, new = old_files.get(rel), loader.files.get(rel)
        if old is None or new is None:
            return None
        old_doc, new_doc, body = old.result[0], new.result[0], new.result[1]
        if old_doc is None or graph.by_path.get(rel) is not old_doc or not loader.shown(new_doc) \
                or not shown.shows(new_doc):
            return None
        if old_doc is new_doc:
            continue
        edits.append((old_doc, new_doc, body))
    return edits
