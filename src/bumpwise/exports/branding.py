"""A coach's branding on printed workouts: name, logo and accent colour, checked on the way in.

The web app builds it from the coach's stored settings (``services.branding``); the CLI from
``--coach``, ``--logo`` and ``--accent``. The logo travels as bytes and is embedded as a data URI,
so the PDF renderer never fetches anything. Its type is read from the bytes themselves, never
trusted from a file name or an upload's declared type.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError

DEFAULT_ACCENT = "#2f5d62"
ACCENT_PATTERN = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ACCENT_FORM = N_("a colour in the form #rgb or #rrggbb")
PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"
LOGO_SUFFIXES = {".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".svg": SVG}
RASTER_TYPES = (PNG, JPEG)
MAX_LOGO_BYTES = 1_000_000
MAX_NAME = 80
LINK_PATTERN = re.compile(r"^https?://[^\s<>\"']{1,200}$")
SVG_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.DOTALL
)


@dataclass(frozen=True)
class Logo:
    """An image file's bytes, whose content has been checked to be of ``media_type``."""

    media_type: str
    data: bytes

    def __post_init__(self) -> None:
        if not self.data:
            raise InputError("logo", N_("is an empty file"))
        if len(self.data) > MAX_LOGO_BYTES:
            raise InputError(
                "logo", N_("is larger than %(size)s kB"), values={"size": MAX_LOGO_BYTES // 1000}
            )
        if sniff_type(self.data) != self.media_type:
            raise InputError(
                "logo",
                N_("is not a valid %(type)s image"),
                sorted(LOGO_SUFFIXES),
                values={"type": self.media_type},
            )

    @classmethod
    def from_file(cls, path: Path) -> Logo:
        kind = LOGO_SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise InputError(
                "logo",
                N_("%(value)s is not a logo file type"),
                sorted(LOGO_SUFFIXES),
                values={"value": repr(path.name)},
            )
        if not path.is_file():
            raise InputError("logo", N_("no such file: %(file)s"), values={"file": str(path)})
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise InputError(
                "logo", N_("is larger than %(size)s kB"), values={"size": MAX_LOGO_BYTES // 1000}
            )
        return cls(kind, path.read_bytes())

    @classmethod
    def from_upload(cls, data: bytes, *, allowed: tuple[str, ...] = RASTER_TYPES) -> Logo:
        """An uploaded image, whatever its name says; only the ``allowed`` types are taken."""
        kind = sniff_type(data)
        if kind not in allowed:
            raise InputError("logo", N_("must be a PNG or JPEG image"), list(allowed))
        return cls(kind, data)

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def sniff_type(data: bytes) -> str | None:
    """The image type the bytes begin with, or None when they are none of ours."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if SVG_START.match(data[:4096].removeprefix(b"\xef\xbb\xbf")):
        return SVG
    return None


def check_accent(accent: str) -> str:
    if not ACCENT_PATTERN.match(accent):
        raise InputError(
            "accent",
            N_("%(value)s is not %(form)s"),
            values={"value": repr(accent), "form": ACCENT_FORM},
            translate=("form",),
        )
    return accent


def normalise_accent(accent: str) -> str:
    """``#ABC`` as ``#aabbcc``: the one form a colour picker shows and the database keeps."""
    digits = check_accent(accent)[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


@dataclass(frozen=True)
class Branding:
    coach_name: str | None = None
    logo: Logo | None = None
    accent: str = DEFAULT_ACCENT
    link: str | None = None
    """An optional address of the app, printed under the title."""

    def __post_init__(self) -> None:
        check_accent(self.accent)
        if self.coach_name is not None and not 1 <= len(self.coach_name.strip()) <= MAX_NAME:
            raise InputError("coach_name", N_("must be 1 to %(most)s characters"), values={"most": MAX_NAME})
        if self.link is not None and not LINK_PATTERN.match(self.link):
            raise InputError("link", N_("must be an http:// or https:// address"))

    def logo_data_uri(self) -> str | None:
        return None if self.logo is None else self.logo.data_uri()
