"""Compressed answers: a client that accepts gzip gets the same answer compressed (kept answers
from their one compressed copy), with the same ETag; one that does not gets it as it is."""

from __future__ import annotations

import gc
import gzip
import zlib

from fastapi.testclient import TestClient

from bumpwise.services.rendered import Rendered
from bumpwise.web import compression
from bumpwise.web.compression import GZIP_LEVEL, compressed_once
from websupport import api_member

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def _both(client: TestClient, path: str, headers: dict[str, str]) -> tuple[bytes, bytes, str, str]:
    """The answer's bytes as sent to a client that accepts gzip, and to one that does not, and
    their ETags."""
    zipped = client.get(path, headers={**headers, **GZIP})
    plain = client.get(path, headers={**headers, **IDENTITY})
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert "Accept-Encoding" in zipped.headers["vary"]
    sent = zipped.num_bytes_downloaded
    assert sent == int(zipped.headers["content-length"]) < len(plain.content)
    return zipped.content, plain.content, zipped.headers["etag"], plain.headers["etag"]


def test_a_member_s_kept_pages_go_compressed_to_whoever_asks_and_say_the_same(client: TestClient) -> None:
    member = api_member(client)
    for path in ("/api/v1/me/today", "/api/v1/me/week", "/api/v1/exercises?safe_for_me=true"):
        client.get(path, headers=member.headers)  # now kept
        for _ in range(2):  # the kept copy, then its kept compressed copy
            unzipped, plain, zipped_tag, plain_tag = _both(client, path, member.headers)
            assert unzipped == plain and zipped_tag == plain_tag
            assert "Authorization" in client.get(path, headers={**member.headers, **GZIP}).headers["vary"]
        cached = client.get(path, headers={**member.headers, **GZIP, "If-None-Match": plain_tag})
        assert cached.status_code == 304 and cached.content == b""


def test_public_exercise_lists_go_compressed_from_their_kept_copy(client: TestClient) -> None:
    for _ in range(2):
        unzipped, plain, zipped_tag, plain_tag = _both(client, "/api/v1/exercises?limit=20", {})
        assert unzipped == plain and zipped_tag == plain_tag


def test_a_page_that_is_not_kept_is_compressed_by_the_middleware(
    client: TestClient,
) -> None:
    page = client.get("/learn", headers=GZIP)
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    plain = client.get("/learn", headers=IDENTITY)
    assert page.content == plain.content and page.num_bytes_downloaded < len(plain.content) // 3
    small = client.get("/api/v1/me/today", headers=GZIP)
    assert small.status_code == 401 and "content-encoding" not in small.headers  # under 500 bytes


def test_a_compressed_copy_is_made_once_per_kept_answer_and_goes_with_it() -> None:
    body = b'{"words": "' + b"strong and safe " * 200 + b'"}'
    before = len(compression._COMPRESSED)
    kept = Rendered((body,), etag='"x"')
    first = compressed_once(kept, body)
    assert compressed_once(kept, body) is first and gzip.decompress(first) == body
    assert first[:2] == b"\x1f\x8b" and len(first) < len(body) // 10
    deflated = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    assert len(first) <= len(deflated.compress(body) + deflated.flush()) + 16
    other = Rendered((body,), etag='"y"')
    assert compressed_once(other, body) is not first  # another kept answer has its own
    del kept, other
    gc.collect()
    assert len(compression._COMPRESSED) == before
