"""Real images built in memory for the tests (no binary fixtures in the repository)."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path


def png_bytes(width: int = 2, height: int = 1, rgb: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    """A valid one-colour PNG that Pillow, WeasyPrint and browsers can draw."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def huge_bilevel_png(side: int = 13_000) -> bytes:
    """A 1-bit black PNG of ``side`` × ``side`` pixels: about 20 kB on disk, but ``side``² pixels
    (169 million for the default) once decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    pixels = zlib.compress(row * side, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_signature_then_junk() -> bytes:
    """Starts like a PNG, then nothing an image decoder can read."""
    return b"\x89PNG\r\n\x1a\n" + b"this is not an image at all " * 20


def truncated_png() -> bytes:
    """A real PNG header and the first half of its pixel data."""
    whole = png_bytes(64, 64)
    return whole[: len(whole) // 2]


def pdf_images(pdf: bytes, folder: Path) -> list[list[str]]:
    """The rows of ``pdfimages -list`` (page, num, type, width, height, …), one per embedded image."""
    path = folder / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in listing.stdout.splitlines()[2:]]  # after two header lines
