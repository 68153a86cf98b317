"""Reading the content folder: which Markdown files there are, parsed once per content version."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import ParseCache
from generator.config import SiteConfig
from generator.errors import Diagnostic, error, warning
from generator.model.document import Document
from generator.model.pickling import pickled_as_call
from generator.model.slugs import slug_from_filename
from generator.parsing import ParseResult, parse_batch, parse_file
from generator.sources import MARKDOWN_SUFFIXES, content_type_of, digest, escaping_link, walk_names
from generator.workers import may_fork, start_worker

#: The stat recorded for a file that could not be read: never equal to a real one, so the
#: next build tries again.
_UNREAD = (-1, -1, -1)


def content_outside(content: Path, site: Path) -> list[Diagnostic] | None:
    """Why the content folder is not read when links take it outside the site folder (``[]``
    when ``content_dir`` itself points outside: the settings report that), else ``None``."""
    outside = escaping_link(content, site)
    if outside is None:
        return None
    link, target = outside
    if not content.is_relative_to(site) or ".." in content.relative_to(site).parts:
        return []
    return [error(link.relative_to(site).as_posix(), 0, "file",
                  f"symbolic link to {target} points outside the site folder; no content is read from "
                  f"outside the site: move the folder into the site folder (or link to a folder inside it)")]


def _unreadable(rel: str, exc: OSError) -> ParseResult:
    reason = exc.strerror or type(exc).__name__
    return None, None, [error(rel, 1, "file", f"cannot be read ({reason}); check its permissions")]


def pickled_batch(jobs: list[tuple]) -> list[bytes]:
    """Parse several files into pickled results (for the cache and the builder alike)."""
    return [pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) for result in parse_batch(jobs)]


def read_batch(jobs: list[tuple]) -> list[tuple[ParseResult, str, str]]:
    """Read, hash and parse several files (one worker's share of a first build without a
    cache): each job is (path in the site, file path, type, file name stem, time zone[,
    likelihood scale]); each result the parse, the file's hash ("" when unreadable) and its
    default slug."""
    out = []
    for rel, file_path, doc_type, stem, tz_name, *scale in jobs:
        default_slug = slug_from_filename(stem)
        try:
            with open(file_path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            out.append((_unreadable(rel, exc), "", default_slug))
            continue
        out.append((parse_file(rel, data, doc_type, default_slug, tz_name, *scale), digest(data), default_slug))
    return out

def read_pickled_batch(jobs: list[tuple]) -> list[tuple[bytes | ParseResult, str, str]]:
    """:func:`read_batch` with each readable file's parse pickled (for a new cache and the
    builder alike)."""
    return [(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) if file_digest else result, file_digest, slug)
            for result, file_digest, slug in read_batch(jobs)]


#: Below this many files a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 64


@pickled_as_call
@dataclass
class FileState:
    """A content file as last read: its stat, its content key and what parsing it gave."""

    stat: tuple[int, ...]
    digest: str
    result: ParseResult


class SourceLoader:
    """Finds and parses the site's Markdown files, keeping each file's result between builds."""

    def __init__(self, source: Path, *, drafts: bool = False, jobs: int = 1,
                 progress: Callable[[str, int, int], None] | None = None):
        self.source = source
        self.drafts = drafts
        self.jobs = jobs
        self.progress = progress
        self.config = SiteConfig()
        self._cache: ParseCache | None = None
        #: Every Markdown file's state by path relative to the site.
        self.files: dict[str, FileState] = {}
        #: Every file found under content/ (assets included) by the last scan.
        self.content_files: list[str] = []
        self._kind_notes: dict[str, Diagnostic] = {}
        #: The settings the kept parses were made with (time zone, likelihood scale).
        self._parse_settings: str | None = None
        #: The last load's documents, bodies, content hashes and per-file diagnostics.
        self._loaded: tuple[list[Document], dict[str, Any], dict[str, str], dict[str, list[Diagnostic]]] | None = None

    def shown(self, doc: Document | None) -> bool:
        """Whether a parse result is a document the site shows (drafts only with ``drafts``)."""
        return doc is not None and (not doc.draft or self.drafts)

    @property
    def drafts_left_out(self) -> int:
        """How many files the last load left out as drafts (counted when asked: a rebuild's
        own pages come before its summary)."""
        if self.drafts:
            return 0
        return sum(1 for state in self.files.values() if state.result[0] is not None and state.result[0].draft)

    def load(self, config: SiteConfig, cache: ParseCache | None, changed: set[str], diags: list[Diagnostic],
             trusted: set[str] | None = None) -> tuple[list[Document], dict[str, Any], dict[str, str], list[Diagnostic], int]:
        """Documents (drafts left out unless shown), their bodies and content hashes, the files'
        diagnostics and how many files were parsed. ``changed`` files are read again even when
        their stat matches; with ``trusted``, only those files are looked at (no scan)."""
        self.config = config
        self._cache = cache
        content = self.source / config.content_dir
        reported = False
        if trusted is not None:
            # Only the named files changed: keep every other file's state as it was.
            states = dict(self.files)
            kind_notes = dict(self._kind_notes)
            found = []
            for rel in sorted(trusted):
                states.pop(rel, None)
                kind_notes.pop(rel, None)
                if (self.source / rel).is_file():
                    found.append(str(self.source / rel))
        else:
            outside = content_outside(content, self.source)
            if outside is not None:
                diags.extend(outside)
                reported = True
                self.content_files = []
            else:
                skip = frozenset({os.path.realpath(self.source / config.cache_dir)})
                self.content_files = walk_names(content, self.source, diags, skip=skip)
            found = [p for p in self.content_files if _suffix(p) in MARKDOWN_SUFFIXES]
            states = {}
            kind_notes = {}
        if not content.is_dir() and not reported:
            diags.append(error(self.config.content_dir + "/", 0, "",
                               f"folder not found in {self.source}; expected {self.config.content_dir}/ with "
                               f"articles/ and notes/ (run 'briefing init' to start a site)"))
        tz_name = self.config.timezone
        scale = self.config.scale
        # Everything a parse depends on besides the file: part of each parse's key, and when it
        # changes every file is parsed again (a kept parse may no longer be right).
        settings = f"{tz_name}:{scale.ident if scale is not None else 'none'}"
        same_settings = self._parse_settings == settings
        self._parse_settings = settings
        todo: list[tuple] = []
        todo_meta: dict[str, tuple[tuple[int, ...], str, str]] = {}
        # Files never read before, with no cache to look up: read, hashed and parsed by the
        # workers (the builder's own time is the build's bottleneck).
        unread: list[tuple[str, str, str, str, str]] = []
        unread_meta: dict[str, tuple[tuple[int, ...], str]] = {}
        # A cache with no parse saved yet (a first build) has nothing to look up: files are
        # read by the workers, as without a cache, so the builder never holds their bytes.
        new_cache = self._cache is not None and not self.files and not self._cache.has_entries()
        source_prefix = len(str(self.source)) + 1
        content_prefix = len(str(content)) + 1
        for text_path in found:
            stem = os.path.splitext(os.path.basename(text_path))[0]  # ``Path.stem``: the name has a suffix
            rel = text_path[source_prefix:].replace(os.sep, "/")
            in_content = text_path[content_prefix:].replace(os.sep, "/")
            if stem == "_index" and in_content.count("/") < 2:  # Hugo's text of a list page, not a document
                listed = "/" + in_content.rpartition("/")[0] + ("/" if "/" in in_content else "")
                diags.append(warning(rel, 1, "file", f"Hugo's text for the list at {listed} is not read here (the "
                                                     "site makes its lists); left out: put an introduction in a "
                                                     "page under pages/ and link it"))
                continue
            if stem in ("index", "_index") and in_content.count("/") >= 2:  # a page bundle (Hugo's
                stem = in_content.rsplit("/", 2)[-2]  # articles/x/index.md) is named by its folder
            kind = content_type_of(in_content)
            if kind.note:
                kind_notes[rel] = warning(rel, 1, "file", kind.note)
            st = os.stat(text_path)
            stat_key = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
            old = self.files.get(rel)
            if old is not None and old.stat == stat_key and rel not in changed and same_settings:
                states[rel] = old
                continue
            if old is None and (self._cache is None or new_cache):
                unread.append((rel, text_path, kind.type.value, stem, tz_name, scale))
                unread_meta[rel] = (stat_key, kind.type.value)
                continue
            try:
                with open(text_path, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                states[rel] = FileState(_UNREAD, "", _unreadable(rel, exc))
                continue
            file_digest = digest(data)
            default_slug = slug_from_filename(stem)
            key_digest = f"{file_digest}:{kind.type.value}:{default_slug}:{settings}"
            if old is not None and old.digest == key_digest:
                states[rel] = FileState(stat_key, key_digest, old.result)
                continue
            todo.append((rel, data, kind.type.value, default_slug, tz_name, scale))
            todo_meta[rel] = (stat_key, key_digest, file_digest)
        cached: dict[str, Any] = {}
        if self._cache is not None and todo:
            keys = {job[0]: ParseCache.key(job[0], todo_meta[job[0]][1]) for job in todo}
            hits = self._cache.get_many(list(keys.values()))
            cached = {rel: hits[key] for rel, key in keys.items() if key in hits}
        jobs = [job for job in todo if job[0] not in cached]
        results = dict(cached)
        blobs: dict[str, bytes] = {}
        if self._cache is not None:
            # Pickled once, where parsed: the same bytes go to the cache and to this process.
            blobs = self._parse(jobs, pickled_batch)
            results.update((rel, pickle.loads(blob)) for rel, blob in blobs.items())
        else:
            results.update(self._parse(jobs, parse_batch))
        for rel, (result, file_digest, default_slug) in self._parse(
                unread, read_pickled_batch if new_cache else read_batch).items():
            stat_key, kind_value = unread_meta[rel]
            key_digest = f"{file_digest}:{kind_value}:{default_slug}:{settings}" if file_digest else ""
            if new_cache and file_digest:
                self._cache.put_pickled(ParseCache.key(rel, key_digest), result)  # type: ignore[union-attr, arg-type]
                result = pickle.loads(result)  # type: ignore[arg-type]
            states[rel] = FileState(stat_key if file_digest else _UNREAD, key_digest, result)
        for rel, (stat_key, key_digest, _) in todo_meta.items():
            states[rel] = FileState(stat_key, key_digest, results[rel])
            if rel not in cached and self._cache is not None:
                self._cache.put_pickled(ParseCache.key(rel, key_digest), blobs[rel])
        if self._cache is not None:
            self._cache.flush()
            self._prune(states, trusted, scanned=not reported and content.is_dir())
        previous_files, self.files = self.files, states
        self._kind_notes = kind_notes
        patched = self._patched(trusted, previous_files) if trusted is not None else None
        if patched is not None:
            docs, bodies, hashes, file_diags_of = self._loaded = patched
        else:
            docs, bodies, hashes, file_diags_of = [], {}, {}, {}
            for rel in sorted(states):
                doc, body, file_diags = states[rel].result
                if file_diags:
                    file_diags_of[rel] = list(file_diags)
                if self.shown(doc):
                    docs.append(doc)
                    bodies[rel] = body
                    hashes[rel] = states[rel].digest
            self._loaded = (docs, bodies, hashes, file_diags_of)
        out_diags = list(kind_notes.values()) + [d for rel in sorted(file_diags_of) for d in file_diags_of[rel]]
        return docs, bodies, hashes, out_diags, len(jobs) + len(unread)

    def _prune(self, states: dict[str, FileState], trusted: set[str] | None, *, scanned: bool) -> None:
        """Keep in the cache only the entries of the files now there: drop the old entry of
        each named file that changed or went; after a full scan, every entry no file uses (a
        file deleted or edited while no build ran, another version's). A scan that found no
        content folder prunes nothing: the folder may be back for the next build."""
        assert self._cache is not None
        if trusted is not None:
            dead = []
            for rel in trusted:
                old, new = self.files.get(rel), states.get(rel)
                if old is not None and old.digest and (new is None or new.digest != old.digest):
                    dead.append(ParseCache.key(rel, old.digest))
            self._cache.drop(dead)
        elif scanned:
            self._cache.prune({ParseCache.key(rel, state.digest) for rel, state in states.items() if state.digest})

    def _patched(self, trusted: set[str], previous: dict[str, FileState]) -> tuple | None:
        """The last load's lists with the edited files' documents swapped in, when only files
        that were there and stay shown (or hidden) changed; else ``None``."""
        if self._loaded is None or not all(rel in self.files and rel in previous for rel in trusted):
            return None
        docs, bodies, hashes, file_diags_of = (list(self._loaded[0]), dict(self._loaded[1]),
                                               dict(self._loaded[2]), dict(self._loaded[3]))
        for rel in trusted:
            old_doc = previous[rel].result[0]
            doc, body, file_diags = self.files[rel].result
            if self.shown(old_doc) != self.shown(doc):
                return None
            if file_diags:
                file_diags_of[rel] = list(file_diags)
            else:
                file_diags_of.pop(rel, None)
            if self.shown(doc):
                try:
                    docs[docs.index(old_doc)] = doc
                except ValueError:
                    return None
                bodies[rel] = body
                hashes[rel] = self.files[rel].digest
        return docs, bodies, hashes, file_diags_of

    def _parse(self, jobs: list[tuple], batch: Callable[[list[tuple]], list]) -> dict[str, Any]:
        """``batch`` applied to every job (in worker processes for many), by the job's path."""
        if not jobs:
            return {}
        total = len(jobs)
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        # No fork while another thread runs (see generator.workers): a running preview parses
        # the files an edit names here.
        if self.jobs <= 1 or total < PARALLEL_THRESHOLD or (method == "fork" and not may_fork()):
            out = {}
            for done, job in enumerate(jobs, 1):
                out[job[0]] = batch([job])[0]
                if self.progress and done % 200 == 0:
                    self.progress("parse", done, total)
            return out
        # Imported here: a build that parses a few files (a resumed one) never starts a pool.
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        size = max(8, min(64, total // (self.jobs * 8) or 8))
        chunks = [jobs[i : i + size] for i in range(0, total, size)]
        out: dict[str, ParseResult] = {}
        with ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context(method),
                                 initializer=start_worker) as pool:
            done = 0
            for chunk, results in zip(chunks, pool.map(batch, chunks), strict=True):
                for job, parsed in zip(chunk, results, strict=True):
                    out[job[0]] = parsed
                done += len(chunk)
                if self.progress:
                    self.progress("parse", done, total)
        return out


def _suffix(path: str) -> str:
    """A file's suffix, lower-cased, as ``Path.suffix`` has it for any name a walk finds (no
    name of a dot and no more: those are ignored)."""
    return os.path.splitext(path)[1].lower()
