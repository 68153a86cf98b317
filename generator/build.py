"""One Builder orchestrates a build and keeps its caches between builds in a running process."""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__, guard, memo, resume
from generator.assets import Asset, AssetMemo, collect_assets
from generator.audience import PrivateFiles, split
from generator.cache import ParseCache
from generator.clock import build_time
from generator.config import CONFIG_NAME, SiteConfig
from generator.errors import BuildError, Diagnostic, error
from generator.gctuning import HeapBetweenBuilds, collector_paused
from generator.graph.delta import GraphDelta, update_graph
from generator.graph.site import SiteGraph, build_graph
from generator.inputs import input_snapshot, linked_folders
from generator.loading import SourceLoader
from generator.markup.localfiles import missing_files
from generator.memo import MEMO
from generator.model.marking import EVERYONE_INSIDE
from generator.output import SiteWriter
from generator.render.early import EarlyWrites, OpenPages, write_early
from generator.render.env import make_environment, template_dirs, theme_dirs
from generator.render.execute import render_outputs
from generator.render.outputs import Output, Planner
from generator.render.views import Urls
from generator.result import BuildResult
from generator.resume import edits_of, trusts
from generator.siteload import load_site_config
from generator.sources import tree_files
from generator.state import BuildState, sig_digest
from generator.tradecraft.basis import basis_warnings
from generator.workers import max_jobs


@dataclass
class _LastBuild:
    """What a running builder keeps of its last good build for a one-document rebuild."""

    graph: SiteGraph
    outputs: dict[str, Output]
    #: None: collected again (a resumed build's last build ran in another process)
    assets: tuple[list[Any], dict[str, str], list[Diagnostic]] | None


class Builder:
    """Builds one site; call :meth:`build` again after edits for an incremental rebuild."""

    def __init__(self, source: Path | str = ".", output: Path | str | None = None, *, drafts: bool = False,
                 base_url: str | None = None, strict: bool = False, quiet: bool = True,
                 jobs: int | None = None, use_cache: bool = True, atomic_swap: bool = True,
                 fingerprint: bool | None = None, progress: Any = None, one_shot: bool = False,
                 force: bool = False, audience: str | None = None):
        self.source = Path(source).resolve()
        self._output_arg = Path(output).resolve() if output is not None else None
        self.drafts = drafts
        self.base_url = base_url
        #: Who the build is for (``--audience``; ``None``: ``audience:`` of briefing.yaml, else
        #: everyone inside; ``""``: everyone inside whatever briefing.yaml says, as ``serve`` does).
        self.audience = audience
        self.strict = strict
        self.quiet = quiet
        self.jobs = min(jobs, max_jobs()) if jobs and jobs > 0 else (os.cpu_count() or 1)
        self.use_cache = use_cache
        self.atomic_swap = atomic_swap
        self.fingerprint = fingerprint
        self.progress = progress
        #: Built once and closed (the ``build`` command): a build with nothing to compare
        #: signatures against then skips the work only later builds in this process would use.
        self.one_shot = one_shot
        #: Build into a non-empty folder that briefing did not write (``--force``).
        self.force = force
        #: The output folder this builder has checked and written once (no need to ask again).
        self._cleared: Path | None = None
        self._heap = HeapBetweenBuilds()
        self.config, _ = self._load_config()
        self.loader = SourceLoader(self.source, drafts=drafts, jobs=self.jobs, progress=progress)
        self._state = BuildState(None)
        self._related_memo: dict = {}
        self._asset_memo = AssetMemo()
        self._private = PrivateFiles()
        self._search_memo: dict = {}
        self._last: _LastBuild | None = None
        self._env: jinja2.Environment | None = None
        self._env_key: Any = None
        self._writer: SiteWriter | None = None
        self._cache: ParseCache | None = None
        #: The content files' stats the last input snapshot found (``resume.changed_files`` takes them).
        self._input_stats: dict[str, tuple[int, int, int, int]] = {}
        #: Pages a browser has open (``serve``), rendered ahead of each rebuild (``render/early.py``).
        self.early: OpenPages | None = None
        self._early: EarlyWrites | None = None

    # -- paths ------------------------------------------------------------------------
    @property
    def output(self) -> Path:
        """The output folder."""
        if self._output_arg is not None:
            return self._output_arg
        return (self.source / self.config.output).resolve()

    @property
    def content_dir(self) -> Path:
        """The content folder."""
        return self.source / self.config.content_dir

    @property
    def cache_dir(self) -> Path:
        """The persistent cache folder."""
        return self.source / self.config.cache_dir

    def watch_paths(self) -> list[Path]:
        """What a live preview must watch: content, templates, static, themes, config, and the
        folders links among them lead to."""
        folders = [self.content_dir, self.source / "templates", self.source / "static",
                   *theme_dirs(self.source, self.config.theme)]
        # A watcher does not follow links: the folders linked ones lead to are watched too.
        linked = linked_folders(folders, self.source, self.ignored_paths())
        return [p for p in dict.fromkeys([*folders, self.source / CONFIG_NAME, *linked])]

    def ignored_paths(self) -> list[Path]:
        """Folders a watcher must never report: the output and the cache."""
        return [self.output, self.cache_dir]

    # -- config -----------------------------------------------------------------------
    def _load_config(self) -> tuple[SiteConfig, list[Diagnostic]]:
        return load_site_config(self.source, base_url=self.base_url, audience=self.audience,
                                fingerprint=self.fingerprint)

    # -- the build --------------------------------------------------------------------
    def build(self, changed: set[Path] | None = None) -> BuildResult:
        """Build the site; ``changed`` names files known to have changed (others are checked by stat)."""
        with collector_paused():
            self._early, result = None, None
            try:
                result = self._build(changed)
            finally:  # a failed build shows the last good site: pages written early go back
                if self._early is not None and (result is None or not result.ok):
                    self._early.undo(self._state.forget)
            if self._cache is not None:  # the writes a one-shot build holds together, saved at once
                self._cache.commit()
            if not self.one_shot:
                self._heap.after_build()
            return result

    def _build(self, changed: set[Path] | None) -> BuildResult:
        start = time.perf_counter()
        timings: dict[str, float] = {}
        config, diags = self._load_config()
        settings_changed = config.fingerprint() != self.config.fingerprint()
        if settings_changed:
            self._state.reset()
            self._related_memo.clear()
            self._search_memo.clear()
        self.config = config
        output = self.output
        if any(d.is_error and d.field in ("content_dir", "cache_dir") for d in diags):
            # Where the inputs are is unknown: nothing is checked, read or written.
            return BuildResult(ok=False, output=output, diagnostics=sorted(set(diags)))
        guard.check_output_folder(output, self.source, guard.site_folders(self.source, config))
        if self._cleared != output:
            guard.remove_dead_leftovers(output)
        if self._cache is None and self.use_cache:
            self._cache = ParseCache(self.cache_dir, together=self.one_shot and self.atomic_swap)
            self._state = BuildState(self._cache)
        if self._cleared != output:
            guard.check_cleanable(output, force=self.force, built_here=lambda: self._built_here(output))
        self._state.set_output(output)
        changed_rel = {self._rel(Path(p)) for p in (changed or ())}
        last, self._last = self._last, None
        trusted = changed_rel if changed is not None and not settings_changed \
            and trusts(changed, self.content_dir, self.loader.files) else None
        old_files = self.loader.files
        snapshot = None
        if self._state.fresh and self._cache is not None:
            snapshot = self._snapshot(config)
            saved = self._state.snapshot_matches(snapshot, output)
            if saved is not None:
                return BuildResult(ok=True, output=output, diagnostics=list(saved["diagnostics"]),
                                   unchanged=saved["files"], documents=saved["documents"],
                                   drafts_left_out=saved.get("drafts", 0), audience=config.audience_limit,
                                   left_out=saved.get("left_out", 0),
                                   duration=time.perf_counter() - start, timings={"snapshot": time.perf_counter() - start})

        base = self._resume(config, output) if self.one_shot and self._state.fresh and last is None else None
        self._input_stats = {}  # taken by the resume, if any: not held through the build
        if base is not None:  # as a running builder would after a save: only the changed files
            trusted, changed_rel, last = base.changed, base.changed, _LastBuild(base.graph, {}, None)
            old_files = self.loader.files
        mark = time.perf_counter()
        MEMO.begin(self._cache, lazy=base is not None)
        docs, bodies, _hashes, parse_diags, parsed = self.loader.load(config, self._cache, changed_rel, diags, trusted)
        diags += parse_diags
        # Documents above the audience are left out here, before the graph: no view sees them.
        shown = split(docs, bodies, config)
        timings["parse"] = time.perf_counter() - mark

        mark = time.perf_counter()
        updated = None
        incremental = trusted is not None and last is not None  # only saved Markdown files changed
        if incremental:
            edits = edits_of(trusted, old_files, self.loader, last.graph, shown)
            if edits == []:  # saved without a change
                updated = dataclasses.replace(last.graph, memo={}), GraphDelta()
            elif edits:
                updated = update_graph(last.graph, edits)
        if updated is not None:
            graph, delta = updated
        else:
            graph, delta = build_graph(config, shown.docs, shown.bodies, self._related_memo, shown.hidden), None
        diags += graph.diagnostics
        timings["graph"] = time.perf_counter() - mark

        mark = time.perf_counter()
        # A one-shot build without a cache saves no manifest: nothing reads the files' hashes.
        track = not (self.one_shot and self._cache is None)
        env = self._environment(config)
        if incremental and last.assets is not None:
            assets, asset_names, asset_diags = last.assets
            diags += asset_diags
        else:
            asset_diags = []
            if self._cache is not None and not self._asset_memo:
                saved = self._cache.get_state("assets")
                if isinstance(saved, dict):
                    self._asset_memo.update(saved)
            assets, asset_names = collect_assets(self.source, theme_dirs(self.source, config.theme), self.content_dir,
                                                 self.loader.content_files, config.fingerprint_assets, asset_diags,
                                                 self._asset_memo, hash_all=track)
            diags += asset_diags
        private = self._private.files(shown, config, assets, self.content_dir,
                                      [self.source / "static"], template_dirs(self.source, config.theme))
        urls = Urls(config.base_path, config.absolute_base, asset_names)
        if self.one_shot:  # the search index and views a resumed build updates: the base's, or kept for a base
            self._search_memo.update(search_index=base and base.search, kept_views=base and base.kept,
                                     keep_search_index=self.atomic_swap and self._cache is not None)
        planner = Planner(graph, env, urls, build_time(config), self._search_memo, keep_state=not self.one_shot,
                          keep_views=self.one_shot and self.atomic_swap and self._cache is not None)
        if self.early is not None and last is not None and not any(d.is_error for d in diags):
            self._early = write_early(planner, delta, self.early, output)
            timings["early"] = time.perf_counter() - start  # the open pages written, from the start
        diags += basis_warnings(graph)  # from the graph as it stands: a rebuild reports what a clean build does
        outputs = planner.outputs(last.outputs if last is not None else None, delta, base and base.digests)
        diags += planner.diagnostics
        files: dict[str, bytes] = {}
        copies: dict[str, Asset] = {}
        origin: dict[str, str] = {}
        for out in outputs:
            origin[out.path] = out.sources[0] if out.sources else "(generated)"
        for asset in assets:
            if asset.out in private:  # only documents left out for the audience use it
                continue
            if asset.out in origin:
                diags.append(error(asset.rel_source, 0, "output",
                                   f"would write /{asset.out}, which {origin[asset.out]} also writes; rename one"))
                continue
            origin[asset.out] = asset.rel_source
            copies[asset.out] = asset
        diags += missing_files(shown.bodies, config.content_dir, origin, config.base_path)  # chart.png not there
        files[guard.MARKER] = guard.build_marker(audience=config.audience_limit or EVERYONE_INSIDE)
        timings["plan"] = time.perf_counter() - mark

        if self.strict or config.strict:
            diags = [d.promoted() for d in diags]
        failed = any(d.is_error for d in diags)
        result = BuildResult(ok=False, output=output, diagnostics=sorted(set(diags)),
                             documents=len(shown.docs), parsed=parsed,
                             drafts_left_out=self.loader.drafts_left_out,
                             audience=config.audience_limit, left_out=len(shown.hidden),
                             graph="full" if delta is None else "updated", resumed=base is not None)
        if failed:
            result.duration = time.perf_counter() - start
            result.timings = timings
            return result

        mark = time.perf_counter()
        global_sig = planner.global_signature()
        state = self._state
        comparable = state.begin(global_sig, output)
        persist = self.atomic_swap
        writer = self._writer_for(output)
        # A one-shot build works each signature out where its output would be rendered (in parallel). With nothing
        # to compare against, it renders every output and needs them only to save them (not at all without a cache);
        # comparing with the digests a last process saved, it renders only the outputs whose digest differs.
        carried = base is not None and delta is not None and comparable
        deferred = self.one_shot and (not comparable or (persist and state.fresh)) and not carried
        keep = state.keeper(output, writer.manifest) if deferred and comparable else None
        sign = deferred and persist and self._cache is not None
        planner.digest_on_render = sign or not deferred
        session = writer.begin(atomic_swap=self.atomic_swap, track=track)
        try:
            for rel, data in files.items():
                session.put(rel, data)
            for rel, asset in copies.items():
                session.put_file(rel, asset.source, asset.size, asset.digest)
            new_sigs: dict[str, Any] = {}
            if deferred:
                todo = list(outputs)
            elif carried:
                assert base is not None
                new_sigs, todo, kept = resume.compare(outputs, state.digests or {}, base.digests, output,
                                                      writer.manifest)
                session.keep_all(kept)
            else:
                new_sigs, todo, kept = state.compare(outputs, comparable, output, writer.manifest)
                session.keep_all(kept)
            timings["compare"] = time.perf_counter() - mark
            mark = time.perf_counter()
            render_errors = render_outputs(todo, session, self.jobs, self.progress, planner.warm, planner.fragments,
                                           sign=sign, keep=keep)
            result.rendered = sum(out.path not in session.kept for out in todo)
            timings["render"] = time.perf_counter() - mark
            if render_errors:
                render_errors = [self._relative(d) for d in render_errors]
                session.abort()
                result.diagnostics = sorted(set(result.diagnostics) | set(render_errors))
                result.duration = time.perf_counter() - start
                result.timings = timings
                return result
            mark = time.perf_counter()
            report = session.commit()
        except BaseException:
            session.abort()
            raise
        timings["write"] = time.perf_counter() - mark
        # A build that worked out every signature is the base of later resumed builds.
        saves_base = self.one_shot and persist and self._cache is not None and not carried
        state.lineage = (resume.new_token(), 0) if saves_base else (base.token, base.count + 1) if carried else None
        if deferred:
            state.finish_digests(global_sig, [out.path for out in outputs], session, persist=persist)
        elif carried:
            if persist:
                state.save_digests(sig_digest(global_sig), new_sigs)
            state.reset()
        else:
            state.finish(global_sig, new_sigs, persist=persist)
        token, state.lineage = state.lineage, None
        # Every view was made (none taken over from a last build): what no view used goes.
        MEMO.save(self._cache, complete=last is None)
        if self._cache is not None and persist:
            self._cache.set_state("manifest", writer.manifest)
            self._cache.set_state("output", str(output))
            if snapshot is not None:
                state.save_snapshot(snapshot, output, documents=result.documents, drafts=result.drafts_left_out,
                                    left_out=result.left_out,
                                    files=len(outputs) + len(files) + len(copies), diagnostics=result.diagnostics, listing=writer.listing())
        result.ok = True
        self._cleared = output
        if saves_base and state.saved_digests is not None and token is not None:
            # What a new process needs, saved last, when this build's partials, views and memo are let go.
            planner.fragments._done.clear()
            MEMO.begin(None)
            resume.save(self.cache_dir, self._resume_key(config), token[0], self.loader, graph,
                        state.saved_digests, self._search_memo.pop("search_index", None))
        elif not carried:  # a carried output's signature is the saved digest, not worked out here
            self._last = _LastBuild(graph, {out.path: out for out in outputs}, (assets, asset_names, asset_diags))
        result.written, result.removed, result.unchanged = report.written, report.removed, report.unchanged
        result.duration = time.perf_counter() - start
        result.timings = timings
        return result

    # -- helpers ----------------------------------------------------------------------
    def _resume(self, config: SiteConfig, output: Path) -> resume.Base | None:
        """The base of a resumed build (``generator/resume.py``), if this build may carry on from it."""
        if self._cache is None:
            return None
        signatures = self._state.loaded = self._cache.get_state("signatures")
        if resume.lineage(signatures) is None or not output.is_dir():
            return None
        return resume.load(self.cache_dir, self._resume_key(config), signatures, self.loader,
                           self.content_dir, self.cache_dir, self._input_stats)

    def _resume_key(self, config: SiteConfig) -> str:
        self._environment(config)
        return resume.state_key(self._header(config), self._env_key)

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.source).as_posix()
        except (ValueError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
            return path.as_posix()

    def _environment(self, config: SiteConfig) -> jinja2.Environment:
        key = [config.theme]
        for folder in template_dirs(self.source, config.theme):
            for entry in tree_files(str(folder)):  # not rglob: it recurses once per folder level
                try:
                    if not entry.is_file():
                        continue
                    stat = entry.stat()
                except OSError:  # a link that loops or leads nowhere
                    continue
                key.append((entry.path, stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns))
        if self._env is None or key != self._env_key:
            bytecode = self.cache_dir / "templates" if self.use_cache else None
            self._env = make_environment(self.source, config.theme, bytecode)
            self._env_key = key
        return self._env

    def _built_here(self, output: Path) -> bool:
        """Whether the site's cache (of this or an earlier version) records a build into exactly
        ``output``: a folder built before builds left a marker may be cleaned."""
        return self._cache is not None and str(output) in self._cache.state_of_any_version("output")

    def _writer_for(self, output: Path) -> SiteWriter:
        if self._writer is None or self._writer.output != output:
            manifest = self._cache.get_state("manifest") if self._cache else None
            if not isinstance(manifest, dict) or (self._cache and self._cache.get_state("output") != str(output)):
                manifest = {}
            self._writer = SiteWriter(output, manifest)
        return self._writer

    def _relative(self, diagnostic: Diagnostic) -> Diagnostic:
        """A template diagnostic with its path relative to the site when the template is the site's."""
        path = Path(diagnostic.path)
        if path.is_absolute() and path.is_relative_to(self.source):
            return dataclasses.replace(diagnostic, path=path.relative_to(self.source).as_posix())
        return diagnostic

    def _snapshot(self, config: SiteConfig) -> str:
        """A digest of every input's name, size, mtime, ctime and inode (through linked folders
        too), plus the options and version: equal snapshots mean a build would change nothing."""
        header = self._header(config)
        roots = [self.content_dir, self.source / "templates", self.source / "static", self.source / CONFIG_NAME,
                 *theme_dirs(self.source, config.theme)]
        self._input_stats = {}
        return input_snapshot(header, roots, self.source, [self.output, self.cache_dir], self._input_stats)

    def _header(self, config: SiteConfig) -> str:
        # The code too, not only its version: an upgrade that keeps the version number (an
        # install from a newer commit) must not take the shortcut past pages it renders otherwise.
        return repr((__version__, memo.code_fingerprint().hex(), config.fingerprint(), self.drafts, self.strict,
                     self.base_url, self.fingerprint, str(self.output), os.environ.get("SOURCE_DATE_EPOCH")))

    def close(self) -> None:
        """Save what the next build needs, release the cache database and the frozen heap."""
        if not self.one_shot:
            gc.unfreeze()
        if self._cache is not None:
            if self._asset_memo.dirty:
                self._cache.set_state("assets", dict(self._asset_memo))
                self._asset_memo.dirty = False
            if not self.atomic_swap and not self._state.fresh:
                self._state.save_signatures()
                if self._writer is not None:
                    self._cache.set_state("manifest", self._writer.manifest)
            self._cache.close()
            self._cache = None


def build_site(source: Path | str = ".", output: Path | str | None = None, *, drafts: bool = False,
               base_url: str | None = None, strict: bool = False, quiet: bool = True,
               jobs: int | None = None, use_cache: bool = True, audience: str | None = None) -> BuildResult:
    """Build a site once; raises :class:`~generator.errors.BuildError` when it fails."""
    builder = Builder(source, output, drafts=drafts, base_url=base_url, strict=strict, quiet=quiet,
                      jobs=jobs, use_cache=use_cache, one_shot=True, audience=audience)
    try:
        result = builder.build()
    finally:
        builder.close()
    if not result.ok:
        raise BuildError(result.diagnostics)
    return result


__all__ = ["BuildResult", "Builder", "build_site", "__version__"]
