"""The dev server streams files a chunk at a time and honours ``Range`` (206, 416, Accept-Ranges)."""

from __future__ import annotations

import http.client
import os
import tracemalloc
from pathlib import Path

import pytest
from test_serve_http import Running, make_output, raw

from generator.serve.http import Served
from generator.serve.ranges import UNSATISFIABLE, ByteRange, parse_range


@pytest.fixture
def site(tmp_path: Path):
    output = make_output(tmp_path)
    running = Running(Served(output))
    yield running, output
    running.close()


def _get(port: int, target: str, *headers: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    extra = "".join(f"{h}\r\n" for h in headers)
    request = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n"
    return raw(port, request.encode("latin-1"))


@pytest.mark.parametrize(("header", "expected"), [
    (None, None),
    ("bytes=0-99", ByteRange(0, 99, 1000)),
    ("bytes=990-", ByteRange(990, 999, 1000)),
    ("bytes=-10", ByteRange(990, 999, 1000)),
    ("bytes=-5000", ByteRange(0, 999, 1000)),
    ("bytes=10-99999999999999999999999999", ByteRange(10, 999, 1000)),
    (" Bytes = 5 - 6 ", ByteRange(5, 6, 1000)),
    ("bytes=1000-", UNSATISFIABLE),
    ("bytes=1000-2000", UNSATISFIABLE),
    ("bytes=-0", UNSATISFIABLE),
    ("bytes=99999999999999999999999-", UNSATISFIABLE),
    ("bytes=5-1", None),
    ("bytes=abc", None),
    ("bytes=1-2,5-6", None),
    ("items=0-1", None),
    ("bytes=٣-4", None),
    ("bytes=", None),
])
def test_range_headers_are_read_as_the_rfc_says(header: str | None, expected: ByteRange | None) -> None:
    assert parse_range(header, 1000) == expected


def test_a_range_of_an_empty_file_is_unsatisfiable() -> None:
    assert parse_range("bytes=0-", 0) is UNSATISFIABLE
    assert parse_range("bytes=-1", 0) is UNSATISFIABLE


@pytest.mark.parametrize(("header", "start", "end"), [
    ("Range: bytes=0-99", 0, 99),
    ("Range: bytes=4194000-", 4194000, 4194303),
    ("Range: bytes=-50", 4194254, 4194303),
    ("Range: bytes=100-99999999999", 100, 4194303),
])
def test_a_range_request_gets_206_with_those_bytes(site, header: str, start: int, end: int) -> None:
    running, output = site
    data = (output / "big.bin").read_bytes()
    status, headers, body = _get(running.port, "/big.bin", header)
    assert status == 206
    assert headers["content-range"] == f"bytes {start}-{end}/{len(data)}"
    assert headers["content-length"] == str(end - start + 1)
    assert headers["accept-ranges"] == "bytes"
    assert body == data[start : end + 1]


def test_an_unsatisfiable_range_gets_416_with_the_size(site) -> None:
    running, output = site
    size = (output / "big.bin").stat().st_size
    status, headers, body = _get(running.port, "/big.bin", f"Range: bytes={size}-")
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"
    assert int(headers["content-length"]) == len(body)


def test_a_file_without_range_is_sent_whole_and_says_ranges_are_accepted(site) -> None:
    running, output = site
    status, headers, body = _get(running.port, "/big.bin")
    assert status == 200 and headers["accept-ranges"] == "bytes"
    assert body == (output / "big.bin").read_bytes()


@pytest.mark.parametrize("header", ["Range: bytes=abc", "Range: bytes=1-2,5-6", "Range: lines=1-2"])
def test_a_range_that_does_not_parse_is_ignored(site, header: str) -> None:
    running, output = site
    status, _, body = _get(running.port, "/static/style.css", header)
    assert status == 200 and body == (output / "static/style.css").read_bytes()


def test_pages_are_sent_whole_with_the_reload_script_whatever_the_range(site) -> None:
    running, _ = site
    status, headers, body = _get(running.port, "/", "Range: bytes=0-9")
    assert status == 200 and "content-range" not in headers
    assert b"<p>Hello</p>" in body and b"<script" in body


def test_head_with_a_range_sends_the_headers_only(site) -> None:
    running, _ = site
    status, headers, body = _get(running.port, "/big.bin", "Range: bytes=0-9", method="HEAD")
    assert status == 206 and headers["content-length"] == "10" and body == b""


def test_range_answers_keep_the_connection_usable(site) -> None:
    running, output = site
    data = (output / "big.bin").read_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
    try:
        for start in (0, 1000, 2_000_000):
            conn.request("GET", "/big.bin", headers={"Range": f"bytes={start}-{start + 9}"})
            answer = conn.getresponse()
            assert answer.status == 206 and answer.read() == data[start : start + 10]
    finally:
        conn.close()


def test_a_large_file_is_streamed_not_read_whole(site) -> None:
    running, output = site
    size = 64 * 1024 * 1024
    with open(output / "video.mp4", "wb") as handle:
        handle.truncate(size)  # sparse: no disk used
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
    tracemalloc.start()
    try:
        conn.request("GET", "/video.mp4")
        answer = conn.getresponse()
        received = 0
        while chunk := answer.read(65536):
            received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        conn.close()
    assert answer.status == 200 and received == size
    assert peak < size / 8, f"peak {peak} bytes while serving {size}"
    os.remove(output / "video.mp4")
