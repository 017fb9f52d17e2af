"""What compressing a member's pages costs, by zlib level, on real bodies.

A pregnant member (``bench/hot_path.py``'s ``member_credentials``) is onboarded on a fresh
SQLite file; her ``today`` and ``week`` (JSON) and her HTML ``/today`` are rendered by the app
itself (its test client, as a browser that asks for nothing compressed). Each body is then
gzipped at levels 1-9, and the kept HTML page is also gzipped the way a kept page is answered
(``web.compression``: its parts compressed once, then only the answer's values stored between
them), each timed ``--runs`` times in this process.

    .venv/bin/python bench/compression.py

Prints, per body and level: the compressed size and the median time in µs.
"""

from __future__ import annotations

import argparse
import gzip
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bumpwise.web.compression import GZIP_LEVEL, compressed_parts, filled, gzip_of
from hot_path import member_credentials


def median_us(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def bodies(folder: Path) -> dict[str, bytes]:
    from fastapi.testclient import TestClient

    from bumpwise.config import Settings
    from bumpwise.web.app import create_app
    from bumpwise.web.deps import session_cookie

    database_url = f"sqlite:///{folder / 'compression.db'}"
    token, cookie = member_credentials(database_url)
    app = create_app(Settings(env="test", database_url=database_url, cheap_password_hashing=True))
    plain = {"Accept-Encoding": "identity", "Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        client.cookies.set(session_cookie(app.state.ctx), cookie)
        return {
            "today (JSON)": client.get("/api/v1/me/today", headers=plain).content,
            "week (JSON)": client.get("/api/v1/me/week", headers=plain).content,
            "/today (HTML)": client.get("/today", headers={"Accept-Encoding": "identity"}).content,
        }


def kept_page_row(html: bytes, runs: int) -> tuple[int, float]:
    """The HTML page answered as a kept page is: its idempotency keys cut out as holes, the parts
    compressed once (not timed), each answer's values stored between them (timed)."""
    parts = re.split(rb'(?<=name="idempotency_key" value=")[^"]+', html)
    compressed = compressed_parts(parts)

    def answer() -> bytes:
        values = [secrets.token_urlsafe(24).encode() for _ in parts[1:]]
        return gzip_of(compressed, values, filled(parts, values))

    sent = answer()
    assert gzip.decompress(sent).startswith(parts[0])
    return len(sent), median_us(answer, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        found = bodies(Path(folder))
    print("| body | bytes | level | gzipped bytes | µs (median) |")
    print("|---|---|---|---|---|")
    for name, body in found.items():
        for level in range(1, 10):
            size = len(gzip.compress(body, compresslevel=level, mtime=0))
            took = median_us(partial(gzip.compress, body, compresslevel=level, mtime=0), options.runs)
            print(f"| {name} | {len(body):,} | {level} | {size:,} | {took:,.0f} |")
    html = found["/today (HTML)"]
    size, took = kept_page_row(html, options.runs)
    kept = "/today (HTML) kept: parts compressed once, values stored"
    print(f"| {kept} | {len(html):,} | {GZIP_LEVEL} | {size:,} | {took:,.0f} |")


if __name__ == "__main__":
    main()
