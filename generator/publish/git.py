"""The git target: one commit per publish on a branch (``git:gh-pages``), made with plumbing.

Nothing in a working tree is touched: blobs are written with ``hash-object``, the tree is
assembled in a temporary index (``GIT_INDEX_FILE``), the commit made with ``commit-tree`` on
top of the branch's tip (history kept) and published with ``update-ref`` or ``push``.
Credentials are git's own (credential helpers, SSH agents); URLs are printed without them.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from generator import __version__
from generator.errors import BriefingError, UsageError
from generator.publish.base import PublishOptions, Target
from generator.publish.files import LocalFile, inline_file
from generator.publish.plan import Plan
from generator.publish.progress import Progress
from generator.publish.targets import TargetSpec

#: Files a GitHub Pages branch needs kept or added.
NOJEKYLL = ".nojekyll"
CNAME = "CNAME"

_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")


def redact(text: str) -> str:
    """``https://user:token@host/x`` -> ``https://***@host/x`` (also inside git's messages)."""
    return _CREDENTIALS.sub("***@", text)


_REF_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//")


def _printable(text: str) -> bool:
    """True when ``text`` is valid Unicode without control characters."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a non-UTF-8 argument, surrogate-escaped by Python
        return False
    return text.isprintable()


def _shown(text: str) -> str:
    """``text`` quoted for a one-line message (controls and undecodable bytes escaped)."""
    return repr(text)


def branch_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a branch to publish to (the rules of ``git check-ref-format
    --branch``), or None. ``HEAD``, ``@`` and names starting with ``-`` are refused too: git
    reads them as a revision or an option, not as a branch."""
    if not name:
        return "it is empty"
    if not _printable(name):
        return "it contains a control character or bytes that are not UTF-8"
    if name.startswith("-"):
        return "it starts with '-'"
    if name in ("HEAD", "@"):
        return f"{name} names a commit in git, not a branch"
    if _REF_FORBIDDEN.search(name):
        return "it contains a space, '..', '@{', '//' or one of ~ ^ : ? * [ \\"
    if name.endswith(("/", ".")):
        return "it ends with '/' or '.'"
    if any(part.startswith(".") or part.endswith(".lock") for part in name.split("/")):
        return "a part starts with '.' or ends with '.lock'"
    return None


def open_target(spec: TargetSpec, options: PublishOptions) -> GitTarget:
    """The git target for ``git:[REMOTE:]BRANCH``."""
    return GitTarget(spec, options)


class GitTarget(Target):
    """A branch of the site's repository, optionally pushed to a remote (name or URL)."""

    def __init__(self, spec: TargetSpec, options: PublishOptions) -> None:
        self.branch = spec.branch or "gh-pages"
        self.ref = f"refs/heads/{self.branch}"
        self.remote = spec.remote
        self.force = options.force
        self.message = options.message or spec.message
        self._scratch = tempfile.TemporaryDirectory(prefix="briefing-git-")
        self._env = _git_env()
        self.tip: str | None = None
        self.entries: dict[str, tuple[str, str, str]] = {}  # path -> (mode, type, object)
        try:
            self._check_branch_name()
            self.git_dir = self._find_repo(options.source)
            self.own_repo = self.git_dir is not None
            if self.git_dir is None:
                if self.remote is None:
                    raise UsageError(f"{options.source}: not in a git repository; publish to a remote "
                                     "instead (git:REMOTE:BRANCH, or remote: in briefing.yaml)")
                self.git_dir = Path(self._scratch.name) / "work.git"
                self._run("init", "--bare", "-q", str(self.git_dir), git_dir=False)
            where = f"of {redact(self.remote)}" if self.remote else f"in {self.git_dir}"
            self.label = f"git branch {self.branch} {where}"
            self.source_head = self._source_head() if self.own_repo else None
            self.object_format = self._run("rev-parse", "--show-object-format", check=False).strip() or "sha1"
        except BaseException:
            self.close()
            raise

    # -- Target -----------------------------------------------------------------------------

    def prepare(self, files: dict[str, LocalFile]) -> dict[str, LocalFile]:
        """Add an empty ``.nojekyll`` so GitHub Pages serves the files as they are."""
        if NOJEKYLL not in files:
            files = {**files, NOJEKYLL: inline_file(NOJEKYLL, b"")}
        return files

    def fingerprint(self, file: LocalFile) -> str:
        """The git blob id of the file's bytes (what ``hash-object`` would give)."""
        algo = hashlib.sha256 if self.object_format == "sha256" else hashlib.sha1
        digest = algo(b"blob %d\0" % file.size)
        for chunk in file.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def remote_state(self, files: dict[str, LocalFile]) -> dict[str, str | None]:
        """The files on the branch's tip (fetched first when there is a remote)."""
        self.tip = self._remote_tip() if self.remote else self._local_tip()
        if self.tip is None:
            return {}
        listing = self._run("ls-tree", "-r", "-z", "--full-tree", self.tip)
        state: dict[str, str | None] = {}
        for record in filter(None, listing.split("\0")):
            meta, path = record.split("\t", 1)
            mode, kind, obj = meta.split(" ")
            self.entries[path] = (mode, kind, obj)
            state[path] = obj if (kind, mode) == ("blob", "100644") else f"{mode}:{obj}"
        return state

    def protected(self) -> frozenset[str]:
        """An existing ``CNAME`` (custom domain) and any submodule stay on the branch."""
        keep = {path for path, (_m, kind, _o) in self.entries.items() if kind != "blob"}
        if CNAME in self.entries:
            keep.add(CNAME)
        return frozenset(keep)

    def apply(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> None:
        """Write blobs, build the tree in a temporary index, commit, then move or push the branch."""
        blobs = self._write_blobs([files[path] for path in plan.sends])
        lines = []
        for path in plan.unchanged + plan.stale + plan.protected:
            mode, kind, obj = self.entries[path]
            lines.append(f"{mode} {kind} {obj}\t{path}")
        for path in plan.sends:
            lines.append(f"100644 blob {blobs[path]}\t{path}")
        index = Path(self._scratch.name) / "index"
        index.unlink(missing_ok=True)
        env = {"GIT_INDEX_FILE": str(index)}
        self._run("update-index", "--add", "-z", "--index-info", stdin="\0".join(lines) + "\0", env=env)
        tree = self._run("write-tree", env=env).strip()
        parents = [] if (self.force or self.tip is None) else ["-p", self.tip]
        commit = self._run("commit-tree", tree, *parents, "-F", "-", stdin=self._commit_message(plan),
                           env=self._identity()).strip()
        if self.remote:
            self._push(commit)
        else:
            self._run("update-ref", "-m", "briefing publish", self.ref, commit, self.tip or "0" * 40)
        new = set(plan.uploads)
        for path in plan.sends:
            progress.advance("uploaded" if path in new else "replaced", path, files[path].size)
        for path in plan.deletes:
            progress.advance("deleted", path)
        progress.note(f"commit {commit[:12]} on {self.branch}")

    def close(self) -> None:
        """Remove the temporary index and scratch repository."""
        self._scratch.cleanup()

    # -- helpers ----------------------------------------------------------------------------

    def _run(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None,
             check: bool = True, git_dir: bool = True) -> str:
        command = ["git", f"--git-dir={self.git_dir}", *args] if git_dir else ["git", *args]
        result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                                cwd=self._scratch.name, env={**self._env, **(env or {})})
        if check and result.returncode != 0:
            message = redact(result.stderr.strip() or result.stdout.strip())
            raise BriefingError(f"git {args[0]} failed for {self.label or self.branch}: {message}")
        return result.stdout if result.returncode == 0 else ""

    def _check_branch_name(self) -> None:
        expected = "expected git:BRANCH or git:REMOTE:BRANCH, e.g. git:gh-pages or git:origin:gh-pages"
        problem = branch_name_problem(self.branch)
        if problem is None:
            result = subprocess.run(["git", "check-ref-format", self.ref], capture_output=True,
                                    cwd=self._scratch.name, env=self._env)
            problem = None if result.returncode == 0 else "git refuses it"
        if problem is not None:
            raise UsageError(f"{_shown(self.branch)} is not a valid branch name: {problem} ({expected})")
        if self.remote is not None and (self.remote.startswith("-") or not _printable(self.remote)):
            raise UsageError(f"{_shown(self.remote)} is not a valid remote: a remote is a name such as "
                             f"origin or a URL, and may not start with '-' ({expected})")

    def _find_repo(self, source: Path) -> Path | None:
        result = subprocess.run(["git", "-C", str(source), "rev-parse", "--absolute-git-dir"],
                                capture_output=True, text=True, env=self._env)
        return Path(result.stdout.strip()) if result.returncode == 0 else None

    def _source_head(self) -> str | None:
        head = self._run("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).strip()
        return head or None

    def _local_tip(self) -> str | None:
        self._refuse_checked_out()
        tip = self._run("rev-parse", "--verify", "-q", f"{self.ref}^{{commit}}", check=False).strip()
        return tip or None

    def _remote_tip(self) -> str | None:
        assert self.remote is not None
        listing = self._run("ls-remote", "--heads", self.remote, self.ref)
        tips = [line.split("\t")[0] for line in listing.splitlines() if line.endswith("\t" + self.ref)]
        if not tips:
            return None
        if not self._has_commit(tips[0]):
            try:
                self._run("fetch", "--no-tags", "--no-write-fetch-head", "-q", self.remote, self.ref)
            except BriefingError as exc:
                if "no-write-fetch-head" not in str(exc):
                    raise
                self._run("fetch", "--no-tags", "-q", self.remote, self.ref)  # git before 2.29
            if not self._has_commit(tips[0]):
                raise BriefingError(f"{self.label}: could not fetch the branch tip {tips[0][:12]}")
        return tips[0]

    def _has_commit(self, obj: str) -> bool:
        return bool(self._run("cat-file", "-t", obj, check=False).strip() == "commit")

    def _checked_out(self) -> bool:
        listing = self._run("worktree", "list", "--porcelain", check=False)
        return f"branch {self.ref}" in listing.splitlines()

    def _refuse_checked_out(self) -> None:
        if self._checked_out():
            raise UsageError(f"{self.label}: the branch is checked out; publishing to it would "
                             "change your working tree (use another branch, or a remote)")

    def _write_blobs(self, files: list[LocalFile]) -> dict[str, str]:
        on_disk = [f for f in files if f.data is None]
        ids: dict[str, str] = {}
        if on_disk:
            out = self._run("hash-object", "-w", "--no-filters", "--stdin-paths",
                            stdin="".join(f"{f.source}\n" for f in on_disk))
            ids.update(zip([f.path for f in on_disk], out.split(), strict=True))
        for file in files:
            if file.data is not None:
                result = subprocess.run(
                    ["git", f"--git-dir={self.git_dir}", "hash-object", "-w", "--no-filters", "--stdin"],
                    input=file.data, capture_output=True, cwd=self._scratch.name, env=self._env, check=True)
                ids[file.path] = result.stdout.decode().strip()
        for file in files:
            if ids[file.path] != self.fingerprint(file):
                raise BriefingError(f"{file.path}: git stored different bytes than were read; "
                                    "was the site changed during the publish?")
        return ids

    def _commit_message(self, plan: Plan) -> str:
        if self.message:
            return self.message if self.message.endswith("\n") else self.message + "\n"
        counts = (f"{len(plan.uploads)} new, {len(plan.replaces)} changed, "
                  f"{len(plan.deletes)} deleted")
        origin = f" from {self.source_head}" if self.source_head else ""
        return f"Publish site ({counts})\n\nBuilt by briefing {__version__}{origin}.\n"

    def _identity(self) -> dict[str, str]:
        """git's configured identity, or a neutral one where none is set (CI runners)."""
        extra: dict[str, str] = {}
        for role in ("AUTHOR", "COMMITTER"):
            if subprocess.run(["git", f"--git-dir={self.git_dir}", "var", f"GIT_{role}_IDENT"],
                              capture_output=True, cwd=self._scratch.name, env=self._env).returncode:
                extra.setdefault(f"GIT_{role}_NAME", "briefing")
                extra.setdefault(f"GIT_{role}_EMAIL", "briefing@localhost")
        return extra

    def _push(self, commit: str) -> None:
        assert self.remote is not None
        refspec = f"{'+' if self.force else ''}{commit}:{self.ref}"
        result = subprocess.run(["git", f"--git-dir={self.git_dir}", "push", "-q", self.remote, refspec],
                                capture_output=True, text=True, cwd=self._scratch.name, env=self._env)
        if result.returncode != 0:
            detail = redact(result.stderr.strip())
            hint = ("the branch moved on the remote meanwhile; run the same command again"
                    if "rejected" in detail else "nothing was changed on the remote")
            raise BriefingError(f"{self.label}: push failed ({hint}): {detail}")
        if self.own_repo and not self._checked_out():
            local = self._run("rev-parse", "--verify", "-q", f"{self.ref}^{{commit}}", check=False).strip()
            ahead = not local or self.force or subprocess.run(
                ["git", f"--git-dir={self.git_dir}", "merge-base", "--is-ancestor", local, commit],
                capture_output=True, cwd=self._scratch.name, env=self._env).returncode == 0
            if ahead:
                self._run("update-ref", "-m", "briefing publish", self.ref, commit, local or "0" * 40)


def _git_env() -> dict[str, str]:
    """The environment for git: the user's, minus variables that would redirect it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")}
    if not sys.stdin.isatty():
        env["GIT_TERMINAL_PROMPT"] = "0"  # fail instead of waiting for a password nobody types
    return env
