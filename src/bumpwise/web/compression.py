"""Compressed answers: the GZip middleware's settings, and kept answers compressed once.

Every browser and the session player ask for gzip. The middleware compresses each answer again,
and at Starlette's default level 9 that cost more than serving a kept page itself (measured on a
29 kB ``today`` body: 540 µs at level 9, 226 µs at level 4 for 4 % more bytes; a 94 kB ``week``
body 1,877 µs against 746 µs for 7 % more; ``bench/README.md``). So answers are compressed at level
4, and a kept answer (a member's page kept rendered, a cached exercise list) keeps its compressed
copy for as long as it is kept itself: compressed on the first answer that asks for it, then sent
as it is.
"""

from __future__ import annotations

import gzip
from weakref import WeakKeyDictionary

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

GZIP_MINIMUM_BYTES = 500
"""Smaller answers gain nothing from compression."""
GZIP_LEVEL = 4

_COMPRESSED: WeakKeyDictionary[object, bytes] = WeakKeyDictionary()
"""Each kept answer's gzip copy, gone with the kept answer."""


def compressed_once(kept: object, body: bytes) -> bytes:
    """``body`` gzipped, made once for ``kept`` (the object a cache keeps it in). Two threads
    may both make it the first time; either copy is the same."""
    found = _COMPRESSED.get(kept)
    if found is None:
        found = _COMPRESSED[kept] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    return found


def accepts_gzip(scope: Scope) -> bool:
    """As the GZip middleware decides."""
    return "gzip" in Headers(scope=scope).get("accept-encoding", "")


class KeptAnswer(Response):
    """A kept answer's body, sent gzipped from its kept copy to a client that accepts gzip (the
    middleware leaves an answer that already has a ``Content-Encoding`` as it is)."""

    def __init__(self, body: bytes, kept: object, *, media_type: str, headers: dict[str, str]) -> None:
        super().__init__(body, media_type=media_type, headers=headers)
        self.kept = kept

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(self.body) >= GZIP_MINIMUM_BYTES and accepts_gzip(scope):
            self.body = compressed_once(self.kept, bytes(self.body))
            headers = MutableHeaders(raw=self.raw_headers)
            headers["content-encoding"] = "gzip"
            headers["content-length"] = str(len(self.body))
            headers.add_vary_header("Accept-Encoding")
        await super().__call__(scope, receive, send)
