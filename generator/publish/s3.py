"""The S3 target: upload to ``s3://bucket/prefix`` (AWS or any S3-compatible host), only
objects whose bytes or headers differ, never a key outside the prefix.

Each object carries the SHA-256 of its bytes in its metadata (``x-amz-meta-briefing-sha256``):
ETags are not content hashes for multipart uploads or KMS-encrypted objects, so they are never
compared. boto3 is imported only here, from the ``briefing[s3]`` extra; credentials come from
boto3's usual chain (environment, shared files, SSO, instance roles) and are never printed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any

from generator.errors import BriefingError, UsageError
from generator.publish.base import PublishOptions, Target
from generator.publish.files import LocalFile
from generator.publish.media import content_type
from generator.publish.plan import Plan, publish_phases
from generator.publish.progress import Progress
from generator.publish.targets import TargetSpec
from generator.wording import plural

#: Object metadata key holding the hex SHA-256 of the object's bytes.
HASH_KEY = "briefing-sha256"
WORKERS = 8
#: Files at least this big go up in parts (through boto3's transfer manager).
MULTIPART_THRESHOLD = 16 * 1024 * 1024
MULTIPART_CHUNK = 8 * 1024 * 1024
_DELETE_BATCH = 1000
#: Attempts per request (boto3's "standard" retry mode backs off between them).
MAX_ATTEMPTS = 5


def make_client(endpoint_url: str | None) -> Any:
    """An S3 client from boto3's credential chain (tests wrap this to inject failures)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise UsageError("publishing to S3 needs boto3; install it with: pip install 'briefing[s3]'") from None
    options: dict[str, Any] = {"retries": {"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
                               "max_pool_connections": WORKERS * 2}
    if endpoint_url and not os.environ.get("AWS_REQUEST_CHECKSUM_CALCULATION"):
        # Many S3-compatible hosts reject the CRC checksum headers newer botocore sends by
        # default; Content-MD5 (always sent for single-part uploads) still guards the bytes.
        options.update(request_checksum_calculation="when_required",
                       response_checksum_validation="when_required")
    try:
        config = Config(**options)
    except TypeError:  # botocore older than 1.36 has neither setting (nor the default)
        options.pop("request_checksum_calculation", None)
        options.pop("response_checksum_validation", None)
        config = Config(**options)
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


def open_target(spec: TargetSpec, options: PublishOptions) -> S3Target:
    """The S3 target for ``s3://bucket/prefix``."""
    return S3Target(spec)


class S3Target(Target):
    """A bucket and a key prefix; the site's ``a/index.html`` becomes ``prefix/a/index.html``."""

    hierarchical = False

    def __init__(self, spec: TargetSpec) -> None:
        assert spec.bucket is not None
        self.bucket = spec.bucket
        self.prefix = spec.prefix
        self.cache = spec.cache
        self.key_prefix = f"{self.prefix}/" if self.prefix else ""
        self.label = f"s3://{self.bucket}/{self.prefix}"
        if spec.endpoint_url:
            self.label += f" at {spec.endpoint_url}"
        self.client = make_client(spec.endpoint_url)

    def key(self, path: str) -> str:
        """The object key for a site path (always inside the prefix)."""
        if not path or path.startswith("/") or ".." in path.split("/"):
            raise BriefingError(f"{path!r}: not a publishable path")
        return self.key_prefix + path

    def headers(self, path: str) -> tuple[str, str]:
        """``(Content-Type, Cache-Control)`` for a site path."""
        return content_type(path), self.cache.for_path(path)

    def fingerprint(self, file: LocalFile) -> str:
        """Hash and headers: a new Cache-Control setting re-uploads what it changes."""
        kind, cache = self.headers(file.path)
        return f"{file.sha256}|{kind}|{cache}"

    def remote_state(self, files: dict[str, LocalFile]) -> dict[str, str | None]:
        """List the prefix; read the stored hash (HEAD) of objects whose size matches."""
        sizes: dict[str, int] = {}
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.key_prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"]
                    if not key.startswith(self.key_prefix) or key.endswith("/"):
                        continue  # folder placeholders made by consoles are not site files
                    sizes[key[len(self.key_prefix):]] = int(item["Size"])
        except Exception as exc:
            raise self._error(exc, "listing") from exc
        state: dict[str, str | None] = {path: f"size:{size}" for path, size in sizes.items()}
        same_size = [path for path, size in sizes.items() if path in files and files[path].size == size]
        with ThreadPoolExecutor(WORKERS) as pool:
            for path, stored in zip(same_size, pool.map(self._stored_fingerprint, same_size), strict=True):
                state[path] = stored
        return state

    def apply(self, plan: Plan, files: dict[str, LocalFile], progress: Progress) -> None:
        """Upload phase by phase (assets, pages, data, home page), then delete stale keys."""
        new = set(plan.uploads)
        for phase in publish_phases(plan.sends):
            self._run_phase([files[path] for path in phase], progress,
                            lambda f: "uploaded" if f.path in new else "replaced")
        for start in range(0, len(plan.deletes), _DELETE_BATCH):
            batch = plan.deletes[start:start + _DELETE_BATCH]
            self._delete(batch, progress)

    def close(self) -> None:
        """Close the client's connections."""
        closer = getattr(self.client, "close", None)
        if closer:
            closer()

    # -- helpers ----------------------------------------------------------------------------

    def _stored_fingerprint(self, path: str) -> str | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(path))
        except Exception as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return None  # deleted since it was listed
            raise self._error(exc, f"reading {path}") from exc
        stored = head.get("Metadata", {}).get(HASH_KEY)
        if not stored:
            return None  # uploaded by something else: send ours
        return f"{stored}|{head.get('ContentType', '')}|{head.get('CacheControl', '')}"

    def _run_phase(self, batch: list[LocalFile], progress: Progress, action: Callable[[LocalFile], str]) -> None:
        pool = ThreadPoolExecutor(WORKERS)
        futures: dict[Future[None], LocalFile] = {pool.submit(self._put, file): file for file in batch}
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                failed = [f for f in done if f.exception() is not None]
                for future in done:
                    if future.exception() is None:
                        file = futures[future]
                        progress.advance(action(file), file.path, file.size)
                if failed:
                    for future in pending:
                        future.cancel()
                    finished, _ = wait(pending)
                    for future in finished:
                        if not future.cancelled() and future.exception() is None:
                            file = futures[future]
                            progress.advance(action(file), file.path, file.size)
                    exc = failed[0].exception()
                    assert exc is not None
                    raise self._error(exc, f"uploading {futures[failed[0]].path}", progress) from exc
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _put(self, file: LocalFile) -> None:
        kind, cache = self.headers(file.path)
        key = self.key(file.path)
        if file.size >= MULTIPART_THRESHOLD and file.source is not None:
            from boto3.s3.transfer import TransferConfig

            config = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD,
                                    multipart_chunksize=MULTIPART_CHUNK, use_threads=False)
            extra = {"ContentType": kind, "CacheControl": cache, "Metadata": {HASH_KEY: file.sha256}}
            self.client.upload_file(str(file.source), self.bucket, key, ExtraArgs=extra, Config=config)
            return
        body = file.read()
        if hashlib.sha256(body).hexdigest() != file.sha256:
            raise BriefingError(f"{file.path}: changed while publishing; run the command again")
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=kind,
                               CacheControl=cache, ContentMD5=md5, Metadata={HASH_KEY: file.sha256})

    def _delete(self, paths: tuple[str, ...], progress: Progress) -> None:
        keys = [self.key(path) for path in paths]
        assert all(key.startswith(self.key_prefix) for key in keys)
        try:
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True})
        except Exception as exc:
            raise self._error(exc, "deleting", progress) from exc
        failed = {item.get("Key"): item.get("Message", item.get("Code", "")) for item in answer.get("Errors", [])}
        for path, key in zip(paths, keys, strict=True):
            if key not in failed:
                progress.advance("deleted", path)
        if failed:
            key, why = next(iter(failed.items()))
            raise BriefingError(f"{self.label}: could not delete {plural(len(failed), 'object')} ({key}: {why})")

    def _error(self, exc: BaseException, doing: str, progress: Progress | None = None) -> BriefingError:
        """A message a user can act on, for anything boto3 raises (no credentials in it)."""
        if isinstance(exc, BriefingError):
            return exc
        name = type(exc).__name__
        code = ""
        response = getattr(exc, "response", None)
        if isinstance(response, dict):
            code = response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404") and doing == "listing":
            return UsageError(f"{self.label}: no such bucket")
        if name in ("NoCredentialsError", "PartialCredentialsError"):
            return UsageError(f"{self.label}: no AWS credentials found (boto3 looks in "
                              "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, AWS_PROFILE, SSO "
                              "and instance roles)")
        if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            detail = f"access denied ({code})"
        else:
            detail = f"{name}: {exc}"
        where = ""
        if progress is not None and progress.total_files:
            where = (f"; {progress.done_files} of {progress.total_files} changes were made and "
                     "reported; run the same command again to complete the publish")
        return BriefingError(f"{self.label}: {doing} failed: {detail}{where}")
