"""Publishing to S3 against a real S3 API server (moto) on 127.0.0.1, plus the header rules."""

from __future__ import annotations

import hashlib
import io
import itertools
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.errors import BriefingError, UsageError
from generator.publish import PublishOptions, publish_site
from generator.publish import s3 as s3_module
from generator.publish.media import CachePolicy, content_type, is_fingerprinted
from generator.publish.progress import Progress
from generator.publish.targets import TargetSpec, parse_target

boto3 = pytest.importorskip("boto3", reason="the s3 extra (boto3) is part of the test extras")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is part of the test extras")

SITE = {
    "index.html": b"<h1>home</h1>",
    "articles/a/index.html": b"<p>a</p>",
    "static/style.3f2a9c1b.css": b"body{}",
    "static/logo.png": b"\x89PNG\r\n\x1a\nfake",
    "feed.xml": b"<feed/>",
    "search-index.json": b"[]",
    "robots.txt": b"User-agent: *\n",
}

_names = itertools.count()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto S3 server on a free port of 127.0.0.1, with dummy credentials in the environment."""
    home = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        mp.setenv("AWS_CONFIG_FILE", str(home / "config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
        mp.delenv("AWS_PROFILE", raising=False)
        mp.delenv("AWS_ENDPOINT_URL", raising=False)
        port = free_port()
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.stop()


@pytest.fixture
def client(endpoint: str) -> Any:
    """A boto3 client talking to the test server."""
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(client: Any) -> str:
    """A new, empty bucket."""
    name = f"briefs-{next(_names)}"
    client.create_bucket(Bucket=name)
    return name


def write_site(root: Path, files: dict[str, bytes]) -> Path:
    """Create a built site holding ``files``."""
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def objects(client: Any, bucket: str, prefix: str = "") -> dict[str, bytes]:
    """Every object under ``prefix`` as key -> bytes."""
    found = {}
    for item in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def publish(site: Path, target: str | TargetSpec, endpoint: str, progress: Progress | None = None, **options: Any):
    """Publish ``site`` to ``target`` on the test server."""
    spec = parse_target(target) if isinstance(target, str) else target
    spec = TargetSpec(**{**spec.__dict__, "endpoint_url": endpoint})
    progress = progress or Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    return publish_site(site, spec, PublishOptions(source=site.parent, **options), progress=progress)


@pytest.fixture
def puts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of every PutObject the publisher sends (counted on the wire, not in the plan)."""
    sent: list[str] = []
    real = s3_module.make_client

    def counting_client(endpoint_url: str | None) -> Any:
        made = real(endpoint_url)
        made.meta.events.register("before-parameter-build.s3.PutObject", lambda params, **_: sent.append(params["Key"]))
        made.meta.events.register("before-parameter-build.s3.CreateMultipartUpload",
                                  lambda params, **_: sent.append(params["Key"]))
        return made

    monkeypatch.setattr(s3_module, "make_client", counting_client)
    return sent


# -- headers ----------------------------------------------------------------------------------


def test_content_types_carry_a_charset_for_text() -> None:
    assert content_type("a/index.html") == "text/html; charset=utf-8"
    assert content_type("feed.xml") == "application/xml; charset=utf-8"
    assert content_type("timeline.json") == "application/json; charset=utf-8"
    assert content_type("static/app.1234abcd.js") == "text/javascript; charset=utf-8"
    assert content_type("static/font.woff2") == "font/woff2"
    assert content_type("static/logo.png") == "image/png"
    assert content_type("CNAME") == "application/octet-stream"


def test_cache_control_by_kind_and_configurable() -> None:
    policy = CachePolicy()
    assert is_fingerprinted("static/style.3f2a9c1b.css") and not is_fingerprinted("style.3f2a9c1b.css")
    assert policy.for_path("static/style.3f2a9c1b.css") == "public, max-age=31536000, immutable"
    assert policy.for_path("index.html") == policy.for_path("feed.xml") == "public, max-age=300"
    assert policy.for_path("static/logo.png") == "public, max-age=3600"
    custom = CachePolicy.from_mapping({"html": "no-cache"})
    assert custom.for_path("a/index.html") == "no-cache" and custom.assets == policy.assets
    with pytest.raises(UsageError, match="cache_control.htm: unknown key"):
        CachePolicy.from_mapping({"htm": "no-cache"})


def test_s3_spec_parsing() -> None:
    spec = parse_target("s3://bucket/some/prefix/")
    assert (spec.bucket, spec.prefix) == ("bucket", "some/prefix")
    assert parse_target("s3://bucket").prefix == ""
    with pytest.raises(UsageError):
        parse_target("s3:///prefix")
    with pytest.raises(UsageError):
        parse_target("s3://bucket/../x")


# -- against the server -----------------------------------------------------------------------


def test_publish_sets_types_cache_control_and_hash(tmp_path: Path, endpoint: str, client: Any, bucket: str) -> None:
    site = write_site(tmp_path / "site", SITE)
    report = publish(site, f"s3://{bucket}/briefs", endpoint)
    assert objects(client, bucket) == {f"briefs/{k}": v for k, v in SITE.items()}
    assert len(report.plan.uploads) == len(SITE)
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        "feed.xml": ("application/xml; charset=utf-8", "public, max-age=300"),
        "search-index.json": ("application/json; charset=utf-8", "public, max-age=300"),
        "static/style.3f2a9c1b.css": ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        "static/logo.png": ("image/png", "public, max-age=3600"),
    }
    for path, (kind, cache) in expected.items():
        head = client.head_object(Bucket=bucket, Key=f"briefs/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), path
        assert head["Metadata"]["briefing-sha256"] == hashlib.sha256(SITE[path]).hexdigest()


def test_second_publish_uploads_nothing(tmp_path: Path, endpoint: str, client: Any, bucket: str,
                                        puts: list[str]) -> None:
    site = write_site(tmp_path / "site", SITE)
    publish(site, f"s3://{bucket}/briefs", endpoint)
    assert len(puts) == len(SITE)
    puts.clear()
    report = publish(site, f"s3://{bucket}/briefs", endpoint)
    assert puts == [] and report.plan.changes_nothing and len(report.plan.unchanged) == len(SITE)
    (site / "index.html").write_bytes(b"<h1>home v2</h1>")
    report = publish(site, f"s3://{bucket}/briefs", endpoint)
    assert puts == ["briefs/index.html"] and report.bytes_sent == len(b"<h1>home v2</h1>")


def test_new_cache_policy_reuploads_what_it_changes(tmp_path: Path, endpoint: str, client: Any, bucket: str,
                                                   puts: list[str]) -> None:
    site = write_site(tmp_path / "site", SITE)
    publish(site, f"s3://{bucket}/p", endpoint)
    puts.clear()
    spec = TargetSpec(**{**parse_target(f"s3://{bucket}/p").__dict__, "cache": CachePolicy(html="no-cache")})
    publish(site, spec, endpoint)
    assert sorted(puts) == ["p/articles/a/index.html", "p/feed.xml", "p/index.html", "p/search-index.json"]
    assert client.head_object(Bucket=bucket, Key="p/index.html")["CacheControl"] == "no-cache"


def test_multipart_objects_are_compared_by_stored_hash(tmp_path: Path, endpoint: str, client: Any, bucket: str,
                                                      puts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s3_module, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(s3_module, "MULTIPART_CHUNK", 5 * 1024 * 1024)
    big = bytes(range(256)) * (24 * 1024)  # 6 MiB: two parts
    site = write_site(tmp_path / "site", {"index.html": b"home", "static/report.pdf": big})
    publish(site, f"s3://{bucket}/p", endpoint)
    head = client.head_object(Bucket=bucket, Key="p/static/report.pdf")
    assert head["ETag"].strip('"').endswith("-2")  # a multipart ETag: not an MD5 of the bytes
    assert head["ContentType"] == "application/pdf"
    assert head["Metadata"]["briefing-sha256"] == hashlib.sha256(big).hexdigest()
    puts.clear()
    assert publish(site, f"s3://{bucket}/p", endpoint).plan.changes_nothing and puts == []


def test_keys_outside_the_prefix_are_never_touched(tmp_path: Path, endpoint: str, client: Any, bucket: str) -> None:
    outside = {"index.html": b"root", "briefs-old/index.html": b"sibling", "other/x.css": b"x"}
    for key, data in outside.items():
        client.put_object(Bucket=bucket, Key=key, Body=data)
    client.put_object(Bucket=bucket, Key="briefs/stale/index.html", Body=b"stale")
    site = write_site(tmp_path / "site", SITE)
    report = publish(site, f"s3://{bucket}/briefs", endpoint, delete=True)
    assert report.plan.deletes == ("stale/index.html",)
    everything = objects(client, bucket)
    for key, data in outside.items():
        assert everything[key] == data
    assert "briefs/stale/index.html" not in everything
    assert {k for k in everything if k.startswith("briefs/")} == {f"briefs/{k}" for k in SITE}


def test_objects_without_our_hash_are_replaced(tmp_path: Path, endpoint: str, client: Any, bucket: str) -> None:
    client.put_object(Bucket=bucket, Key="p/index.html", Body=SITE["index.html"])  # same bytes, no metadata
    site = write_site(tmp_path / "site", SITE)
    report = publish(site, f"s3://{bucket}/p", endpoint)
    assert "index.html" in report.plan.replaces


def test_dry_run_uploads_nothing(tmp_path: Path, endpoint: str, client: Any, bucket: str, puts: list[str]) -> None:
    client.put_object(Bucket=bucket, Key="p/gone.html", Body=b"stale")
    site = write_site(tmp_path / "site", SITE)
    progress = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    report = publish(site, f"s3://{bucket}/p", endpoint, progress, dry_run=True, delete=True)
    assert objects(client, bucket) == {"p/gone.html": b"stale"}
    out = progress.out.getvalue()  # type: ignore[attr-defined]
    assert "upload  index.html" in out and "delete  gone.html" in out and "nothing was changed" in out
    assert report.dry_run and puts == []


def test_max_deletes_applies_to_buckets(tmp_path: Path, endpoint: str, client: Any, bucket: str) -> None:
    for i in range(4):
        client.put_object(Bucket=bucket, Key=f"p/old/{i}.html", Body=b"stale")
    site = write_site(tmp_path / "site", SITE)
    with pytest.raises(UsageError, match="refusing to delete 4 files"):
        publish(site, f"s3://{bucket}/p", endpoint, delete=True, max_deletes=2)
    assert set(objects(client, bucket)) == {f"p/old/{i}.html" for i in range(4)}
    publish(site, f"s3://{bucket}/p", endpoint, delete=True, max_deletes=2, yes=True)
    assert set(objects(client, bucket)) == {f"p/{k}" for k in SITE}


def test_network_failure_midway_then_rerun_completes(tmp_path: Path, endpoint: str, client: Any, bucket: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import EndpointConnectionError

    old = {k: b"old " + v for k, v in SITE.items()}
    site = write_site(tmp_path / "site", old)
    publish(site, f"s3://{bucket}/p", endpoint)
    write_site(site, SITE)
    real = s3_module.make_client
    calls = itertools.count()

    def flaky_client(endpoint_url: str | None) -> Any:
        made = real(endpoint_url)

        def cut(**_: Any) -> None:
            if next(calls) >= 3:  # the network goes away after three uploads, for every retry too
                raise EndpointConnectionError(endpoint_url=endpoint_url)

        made.meta.events.register("before-send.s3.PutObject", cut)
        return made

    monkeypatch.setattr(s3_module, "make_client", flaky_client)
    monkeypatch.setattr(s3_module, "MAX_ATTEMPTS", 2)  # retried, but without a long back-off
    progress = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    with pytest.raises(BriefingError, match="run the same command again"):
        publish(site, f"s3://{bucket}/p", endpoint, progress)
    reported = [line.split()[1] for line in progress.stream.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert len(reported) == 3
    now = objects(client, bucket)
    for path in reported:
        assert now[f"p/{path}"] == SITE[path]  # every file reported as sent is there in full
    for path in SITE:
        assert now[f"p/{path}"] in (old[path], SITE[path])
    monkeypatch.setattr(s3_module, "make_client", real)
    report = publish(site, f"s3://{bucket}/p", endpoint)
    assert len(report.plan.sends) == len(SITE) - 3
    assert objects(client, bucket) == {f"p/{k}": v for k, v in SITE.items()}


def test_missing_bucket_is_a_usage_error(tmp_path: Path, endpoint: str) -> None:
    site = write_site(tmp_path / "site", SITE)
    with pytest.raises(UsageError, match="no such bucket"):
        publish(site, "s3://no-such-bucket-here/p", endpoint)


def test_missing_boto3_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    site = write_site(tmp_path / "site", SITE)
    with pytest.raises(UsageError, match=r"pip install 'briefing\[s3\]'"):
        publish_site(site, "s3://bucket/p", PublishOptions(source=tmp_path))


def test_cli_publishes_to_s3_with_endpoint_url(tmp_path: Path, endpoint: str, client: Any, bucket: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    source = tmp_path / "src"
    (source / "content" / "articles").mkdir(parents=True)
    (source / "content" / "articles" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nText.\n")
    args = ["publish", f"s3://{bucket}/briefs", "--source", str(source), "--endpoint-url", endpoint,
            "--base-url", "https://briefs.example.org/"]
    assert main(args) == 0
    keys = set(objects(client, bucket))
    assert "briefs/index.html" in keys and "briefs/articles/a/index.html" in keys
    assert all(key.startswith("briefs/") for key in keys)
    capsys.readouterr()
    assert main(args) == 0
    assert "0 uploaded" in capsys.readouterr().out


def test_cli_publishes_to_s3_only_what_the_targets_limit_allows(tmp_path: Path, endpoint: str, client: Any,
                                                              bucket: str, capsys: pytest.CaptureFixture[str]) -> None:
    from audiencesite import CONFIG, files, left_out_count, write

    from generator.cli import main

    tree = files()
    tree["briefing.yaml"] = CONFIG + (f"publish:\n  partners:\n    target: s3://{bucket}/partners\n"
                                      f"    endpoint_url: {endpoint}\n    max_marking: TLP:GREEN\n")
    source = write(tmp_path / "src", tree)
    assert main(["publish", "partners", "--source", str(source), "--dry-run"]) == 0
    assert f"for TLP:GREEN ({left_out_count('TLP:GREEN')} documents above it left out)" in capsys.readouterr().out
    assert objects(client, bucket) == {}
    assert main(["publish", "partners", "--source", str(source), "--audience", "TLP:AMBER"]) == 2
    assert main(["publish", "partners", "--source", str(source)]) == 0
    assert main(["publish", f"s3://{bucket}/public", "--source", str(source), "--endpoint-url", endpoint]) == 0
    for prefix, shown, hidden in (("partners/", "zzqgrn", ("zzqamb", "zzqstr", "zzqred")),
                                  ("public/", "zzqclr", ("zzqgrn", "zzqamb", "zzqstr", "zzqred"))):
        published = objects(client, bucket, prefix)
        text = b"".join(key.encode() + body.lower() for key, body in published.items())
        assert shown.encode() in text
        assert [token for token in hidden if token.encode() in text] == []
