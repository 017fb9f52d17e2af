"""Real images built in memory for the tests (no binary fixtures in the repository)."""

from __future__ import annotations

import struct
import zlib


def png_bytes(width: int = 2, height: int = 1, rgb: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    """A valid one-colour PNG that Pillow, WeasyPrint and browsers can draw."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
