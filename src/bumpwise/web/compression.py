"""Compressed answers: the GZip middleware's settings, and kept answers compressed once.

Every browser and the session player ask for gzip. The middleware compresses each answer again,
and at Starlette's default level 9 that cost more than serving a kept page itself
(``bench/compression.py``: a 30 kB ``today`` body took 0.47-0.58 ms at level 9 and 0.16-0.23 ms at
level 4, for 4 % more bytes; a 94 kB ``week`` 1.8-2.2 ms against 0.66-0.75 ms, for 7 % more). So
answers are compressed at level 4, and a kept answer (a member's page kept rendered, a cached
exercise list) keeps its compressed copy for as long as it is kept itself: made by the first
answer that asks for it, then sent as it is.

A kept HTML page has holes that each answer fills afresh (its CSRF token, its idempotency keys).
Its parts are compressed one by one, each ending where the compressor forgets what came before
(``Z_FULL_FLUSH``), so no part refers back into a hole; an answer is the compressed parts with
its own values between them as uncompressed ("stored") blocks, and the gzip trailer's CRC-32 of
the whole page.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from weakref import WeakKeyDictionary

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

GZIP_MINIMUM_BYTES = 500
"""Smaller answers gain nothing from compression."""
GZIP_LEVEL = 4
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
"""RFC 1952: deflate, no flags, no time, unknown system."""

_COMPRESSED: WeakKeyDictionary[object, tuple[bytes, ...]] = WeakKeyDictionary()
"""Each kept answer's compressed parts, gone with the kept answer."""


def compressed_parts(parts: Sequence[bytes]) -> tuple[bytes, ...]:
    """Each part deflated so that it refers to nothing before it; the last one ends the stream."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    done = [deflate.compress(part) + deflate.flush(zlib.Z_FULL_FLUSH) for part in parts[:-1]]
    return (*done, deflate.compress(parts[-1]) + deflate.flush(zlib.Z_FINISH))


def compressed_once(kept: object, parts: Sequence[bytes]) -> tuple[bytes, ...]:
    """``compressed_parts``, made once for ``kept`` (the object a cache keeps the parts in). Two
    threads may both make them the first time; either copy is the same."""
    found = _COMPRESSED.get(kept)
    if found is None:
        found = _COMPRESSED[kept] = compressed_parts(parts)
    return found


def filled(parts: Sequence[bytes], values: Sequence[bytes]) -> bytes:
    """The parts with the values between them: the page an answer sends."""
    pieces = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        pieces += (value, part)
    return b"".join(pieces)


def gzip_of(compressed: Sequence[bytes], values: Sequence[bytes], body: bytes) -> bytes:
    """The gzip file of ``body``: the compressed parts with ``values`` stored between them (``body``
    is ``filled(parts, values)``, for the trailer)."""
    pieces = [GZIP_HEADER, compressed[0]]
    for value, part in zip(values, compressed[1:], strict=True):
        pieces += (_stored_block(value), part)
    pieces.append(struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF))
    return b"".join(pieces)


def _stored_block(value: bytes) -> bytes:
    """An uncompressed deflate block, not the last (RFC 1951, 3.2.4): starts on a byte boundary,
    as every compressed part ends on one."""
    blocks = [value[i : i + 0xFFFF] for i in range(0, len(value), 0xFFFF)] or [b""]
    return b"".join(b"\x00" + struct.pack("<HH", len(b), len(b) ^ 0xFFFF) + b for b in blocks)


def accepts_gzip(scope: Scope) -> bool:
    """As the GZip middleware decides."""
    return "gzip" in Headers(scope=scope).get("accept-encoding", "")


class KeptAnswer(Response):
    """A kept answer (``parts`` with ``values`` between them: one part and no values for a body
    without holes), sent gzipped from its kept compressed parts to a client that accepts gzip
    (the middleware leaves an answer that already has a ``Content-Encoding`` as it is)."""

    def __init__(
        self,
        kept: object,
        parts: Sequence[bytes],
        values: Sequence[bytes] = (),
        *,
        media_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(filled(parts, values), media_type=media_type, headers=headers)
        self.kept, self.parts, self.values = kept, parts, values

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(self.body) >= GZIP_MINIMUM_BYTES and accepts_gzip(scope):
            compressed = compressed_once(self.kept, self.parts)
            self.body = gzip_of(compressed, self.values, bytes(self.body))
            headers = MutableHeaders(raw=self.raw_headers)
            headers["content-encoding"] = "gzip"
            headers["content-length"] = str(len(self.body))
            headers.add_vary_header("Accept-Encoding")
        await super().__call__(scope, receive, send)
