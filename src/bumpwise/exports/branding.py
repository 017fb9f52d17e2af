"""A coach's branding on printed workouts: name, logo and accent colour, checked on the way in.

The web app builds it from its settings or the coach's profile; the CLI from ``--coach``,
``--logo`` and ``--accent``. The logo is a local file, read once and embedded as a data URI, so
the PDF renderer never fetches anything.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from bumpwise.domain.errors import InputError

DEFAULT_ACCENT = "#2f5d62"
ACCENT_PATTERN = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 1_000_000
MAX_NAME = 80
LINK_PATTERN = re.compile(r"^https?://[^\s<>\"']{1,200}$")


@dataclass(frozen=True)
class Branding:
    coach_name: str | None = None
    logo: Path | None = None
    accent: str = DEFAULT_ACCENT
    link: str | None = None
    """An optional address of the app, printed under the title."""

    def __post_init__(self) -> None:
        if not ACCENT_PATTERN.match(self.accent):
            raise InputError("accent", f"{self.accent!r} is not a colour in the form #rgb or #rrggbb")
        if self.coach_name is not None and not 1 <= len(self.coach_name.strip()) <= MAX_NAME:
            raise InputError("coach_name", f"must be 1 to {MAX_NAME} characters")
        if self.link is not None and not LINK_PATTERN.match(self.link):
            raise InputError("link", "must be an http:// or https:// address")
        if self.logo is not None:
            _check_logo(self.logo)

    def logo_data_uri(self) -> str | None:
        if self.logo is None:
            return None
        kind = LOGO_TYPES[self.logo.suffix.lower()]
        return f"data:{kind};base64,{base64.b64encode(self.logo.read_bytes()).decode('ascii')}"


def _check_logo(path: Path) -> None:
    if path.suffix.lower() not in LOGO_TYPES:
        raise InputError("logo", f"{path.name!r} is not a logo file type", sorted(LOGO_TYPES))
    if not path.is_file():
        raise InputError("logo", f"no such file: {path}")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise InputError("logo", f"is larger than {MAX_LOGO_BYTES // 1000} kB")
