"""Compressed answers: a client that accepts gzip gets the same answer compressed (kept answers
from their one compressed copy), with the same ETag; one that does not gets it as it is."""

from __future__ import annotations

import gc
import gzip
import re
import zlib

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bumpwise.services.rendered import Rendered
from bumpwise.web import compression
from bumpwise.web.compression import GZIP_LEVEL, compressed_once, compressed_parts, gzip_of
from websupport import api_member, form_token, sign_in_pages

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
    first = compressed_once(kept, kept.parts)
    assert compressed_once(kept, kept.parts) is first
    whole = gzip_of(first, [], body)
    assert gzip.decompress(whole) == body and len(whole) < len(body) // 10
    level = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    assert len(whole) <= len(level.compress(body) + level.flush()) + 16
    other = Rendered((body,), etag='"y"')
    assert compressed_once(other, other.parts) is not first  # another kept answer has its own
    del kept, other
    gc.collect()
    assert len(compression._COMPRESSED) == before


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.binary(max_size=3000), min_size=1, max_size=6),
    st.lists(st.binary(max_size=70_000), min_size=5, max_size=5),
)
@example([b"<p>", b"</p>", b""], [b"x" * 70_000, b"", b"", b"", b""])  # a value longer than one block
def test_a_page_with_holes_decompresses_to_its_parts_with_each_answer_s_values(
    parts: list[bytes], drawn: list[bytes]
) -> None:
    values = drawn[: len(parts) - 1]
    body = b"".join(p + v for p, v in zip(parts, [*values, b""], strict=True))
    sent = gzip_of(compressed_parts(parts), values, body)
    assert gzip.decompress(sent) == body
    assert zlib.decompressobj(31).decompress(sent) == body  # one member, nothing after it


def test_the_kept_html_page_goes_compressed_with_this_answer_s_own_token_and_keys(
    client: TestClient, app: FastAPI
) -> None:
    member = api_member(client)
    sign_in_pages(client, app, member.user_id)
    client.get("/today")  # now kept
    answers = [client.get("/today", headers=GZIP) for _ in range(2)]
    plain = client.get("/today", headers=IDENTITY)
    for answer in answers:
        assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
        assert answer.num_bytes_downloaded < len(plain.content) // 3
        assert answer.headers["content-type"] == plain.headers["content-type"] == "text/html; charset=utf-8"
    keys = [re.findall(rb'name="idempotency_key" value="([^"]+)"', a.content) for a in (*answers, plain)]
    assert keys[0] and len({tuple(k) for k in keys}) == 3  # each answer drew its own keys
    tokens = {re.findall(rb'name="csrf_token" value="([^"]+)"', a.content)[0] for a in (*answers, plain)}
    assert tokens == {form_token(app).encode()}
    key_field = rb'name="idempotency_key" value="[^"]+"'
    without_keys = {re.sub(key_field, b"", a.content) for a in (*answers, plain)}
    assert len(without_keys) == 1
