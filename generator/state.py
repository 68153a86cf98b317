"""What a build remembers for the next one: output signatures, the output manifest, an input snapshot.

In a running process the signatures are kept as values and compared directly. Across
processes they are saved as digests in the cache; while a running process writes without
saving (``briefing serve``), the saved copy is invalidated first, so a later build can never
trust signatures that no longer describe the files on disk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.cache import ParseCache
from generator.errors import Diagnostic
from generator.output import PRESERVED, WriteSession, listing_digest, stat_matches


def sig_digest(signature: Any) -> str:
    """A stable digest of a signature (tuples of text, numbers and ``None``)."""
    return hashlib.blake2b(repr(signature).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class BuildState:
    """Signatures of the outputs of the last good build, in memory and in the cache."""

    def __init__(self, cache: ParseCache | None):
        self.cache = cache
        self.global_sig: Any = None
        self.sigs: dict[str, Any] = {}
        self.digests: dict[str, str] | None = None
        #: path -> (signature, its digest) worked out while comparing, reused when saving.
        self._digested: dict[str, tuple[Any, str]] = {}
        self._saved_valid = True
        #: (base token, resumed builds since) to save with the signatures (``generator/resume.py``)
        self.lineage: tuple[str, int] | None = None
        #: The output digests last saved, and the saved signatures as :meth:`begin` read them.
        self.saved_digests: dict[str, str] | None = None
        self.loaded: Any = None

    @property
    def fresh(self) -> bool:
        """True before the first build of this process."""
        return self.global_sig is None

    def reset(self) -> None:
        """Forget everything (settings changed)."""
        self.global_sig = None
        self.sigs = {}
        self.digests = None
        self._digested = {}

    def forget(self, paths: list[str]) -> None:
        """Forget the signatures of these outputs: the next build renders them again."""
        for path in paths:
            self.sigs.pop(path, None)
            if self.digests is not None:
                self.digests.pop(path, None)

    def begin(self, global_sig: Any, output: Path) -> bool:
        """Whether outputs may be compared one by one (the site-wide inputs did not change)."""
        if not self.fresh:
            return global_sig == self.global_sig
        if self.cache is None:
            return False
        saved = self.loaded if self.loaded is not None else self.cache.get_state("signatures")
        self.loaded = None
        if (isinstance(saved, dict) and saved.get("global") == sig_digest(global_sig)
                and saved.get("output") == str(output) and output.is_dir()):
            self.digests = saved.get("outputs", {})
            return True
        return False

    def unchanged(self, path: str, signature: Any) -> bool:
        """True when an output's inputs are the same as when its file was last written."""
        if self.digests is not None:
            known = self.digests.get(path)
            if known is None:
                return False
            digest = sig_digest(signature)
            self._digested[path] = (signature, digest)
            return known == digest
        previous = self.sigs.get(path)
        return previous is not None and (previous is signature or previous == signature)

    def compare(self, outputs: list, comparable: bool, output: Path,
                manifest: dict[str, tuple[str, int, int]] | None = None) -> tuple[dict[str, Any], list, list[str]]:
        """Split planned outputs (each with ``path`` and ``signature``) into those to render and
        the paths of those whose file is up to date; also returns every output's signature.

        Nothing is up to date unless ``comparable`` (see :meth:`begin`). The first build of a
        process compares with the saved digests and also checks that each kept file is the one
        the last build wrote (its size and mtime in the writer's ``manifest``), so a file deleted
        or edited by hand since is made again; later ones compare with the signatures kept in
        memory, most of them the very same objects (outputs a one-document update took over as
        they were).
        """
        sigs: dict[str, Any] = {}
        todo: list = []
        kept: list[str] = []
        check_files = self.fresh
        manifest = manifest or {}
        for out in outputs:
            path = out.path
            sig = sigs[path] = out.signature
            if comparable and self.unchanged(path, sig) and (
                    not check_files or stat_matches(output / path, manifest.get(path))):
                kept.append(path)
            else:
                todo.append(out)
        return sigs, todo, kept

    def finish(self, global_sig: Any, sigs: dict[str, Any], *, persist: bool) -> None:
        """Remember a good build's signatures; save them now, or mark the saved ones stale."""
        self.global_sig = global_sig
        self.sigs = sigs
        self.digests = None
        if persist:
            self.save_signatures()
        self._digested = {}
        if not persist and self._saved_valid and self.cache is not None:
            for name in ("signatures", "snapshot", "manifest"):
                self.cache.set_state(name, None)
            self._saved_valid = False

    def keeper(self, output: Path, manifest: dict[str, tuple[str, int, int]]) -> Callable[[str, str], bool]:
        """``keep(path, digest)``: whether an output whose signature has that digest may keep its
        file, for a first build comparing with saved digests (see :meth:`begin`). The last build
        saved the same digest for it, and the file is still the one it wrote (its size and mtime
        in the writer's ``manifest``), so a file deleted or edited by hand since is made again."""
        digests = self.digests or {}

        def keep(path: str, digest: str) -> bool:
            return digests.get(path) == digest and stat_matches(output / path, manifest.get(path))
        return keep

    def finish_digests(self, global_sig: Any, paths: list[str], session: WriteSession, *, persist: bool) -> None:
        """Remember a one-shot build whose signatures were worked out as digests where each
        output was rendered (recorded with its file in ``session``; none when the build had no
        use for them) or compared: a file the session kept has the digest saved for it. Saved
        when persisting and complete. The state is fresh again afterwards, so a further build
        compares against what was saved, as a new process would."""
        saved = self.digests or {}
        digests = {path: saved.get(path) if path in session.kept else session.puts[path].signature
                   for path in paths}
        self.reset()
        if persist and self.cache is not None:
            complete = None not in digests.values()
            self.save_digests(sig_digest(global_sig), digests if complete else None)

    def save_digests(self, global_digest: str, digests: dict[str, str] | None) -> None:
        """Save the digests of every output's signature (``None``: forget the saved ones), with
        the :attr:`lineage` of the build."""
        if self.cache is None:
            return
        record = None
        if digests is not None:
            record = {"global": global_digest, "output": self._output, "outputs": digests}
            if self.lineage is not None:
                record.update(base=self.lineage[0], resumed=self.lineage[1])
        self.cache.set_state("signatures", record)
        self.saved_digests = digests
        self._saved_valid = digests is not None

    def save_signatures(self) -> None:
        """Write the digests of the current signatures to the cache."""
        if self.cache is None or self.global_sig is None:
            return
        digested = self._digested
        self._digested = {}

        def digest_of(path: str, sig: Any) -> str:
            known = digested.get(path)
            return known[1] if known is not None and known[0] is sig else sig_digest(sig)
        self.save_digests(sig_digest(self.global_sig), {path: digest_of(path, sig) for path, sig in self.sigs.items()})

    _output = ""

    def set_output(self, output: Path) -> None:
        """The output folder the signatures describe."""
        self._output = str(output)

    # -- the no-change shortcut --------------------------------------------------------
    @staticmethod
    def output_listing(output: Path) -> str:
        """A digest of the output folder's files with their sizes and mtimes (hosting files aside)."""
        top = str(output)
        stack = [top]
        lines: list[str] = []
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if folder == top and entry.name in PRESERVED:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    st = entry.stat(follow_symlinks=False)
                    lines.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")
        return listing_digest(lines)

    def snapshot_matches(self, snapshot: str, output: Path) -> dict[str, Any] | None:
        """The saved result of the last build when its input snapshot equals ``snapshot``."""
        if self.cache is None or not output.is_dir():
            return None
        saved = self.cache.get_state("snapshot")
        if (isinstance(saved, dict) and saved.get("snapshot") == snapshot and saved.get("output") == str(output)
                and saved.get("listing") == self.output_listing(output)):
            return saved
        return None

    def save_snapshot(self, snapshot: str, output: Path, *, documents: int, files: int,
                      diagnostics: list[Diagnostic], drafts: int = 0, left_out: int = 0,
                      listing: str | None = None) -> None:
        """Remember the inputs of a good build and what it reported; ``listing``: the output
        folder's listing as the writer knows it (:meth:`SiteWriter.listing`), else it is walked."""
        if self.cache is not None:
            self.cache.set_state("snapshot", {"snapshot": snapshot, "output": str(output), "documents": documents,
                                              "drafts": drafts, "left_out": left_out,
                                              "files": files, "diagnostics": diagnostics,
                                              "listing": listing or self.output_listing(output)})
