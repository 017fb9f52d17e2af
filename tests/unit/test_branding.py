"""A coach's branding: the accent colour and the logo are checked by content, not by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bumpwise.domain.errors import InputError
from bumpwise.exports.branding import (
    JPEG,
    MAX_LOGO_BYTES,
    PNG,
    SVG,
    Branding,
    Logo,
    normalise_accent,
    sniff_type,
)
from imagesupport import png_bytes

SVG_TEXT = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def test_accent_must_be_a_hex_colour() -> None:
    with pytest.raises(InputError) as error:
        Branding(accent="red; } body { display: none")
    assert error.value.field == "accent"
    assert "#rrggbb" in error.value.message
    assert Branding(accent="#AbC").accent == "#AbC"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(png_bytes(), PNG), (b"\xff\xd8\xff\xe0" + b"\x00" * 20, JPEG), (SVG_TEXT, SVG), (b"GIF89a....", None)],
)
def test_the_type_is_read_from_the_bytes(data: bytes, kind: str | None) -> None:
    assert sniff_type(data) == kind


def test_an_upload_takes_only_png_or_jpeg_whatever_it_claims() -> None:
    assert Logo.from_upload(png_bytes()).media_type == PNG
    for refused in (SVG_TEXT, b"GIF89a....", b"<html><script>alert(1)</script>"):
        with pytest.raises(InputError) as error:
            Logo.from_upload(refused)
        assert error.value.field == "logo"
        assert error.value.allowed == (PNG, JPEG)


def test_a_logo_must_match_its_type_and_size() -> None:
    with pytest.raises(InputError, match="not a valid image/png"):
        Logo(PNG, SVG_TEXT)
    with pytest.raises(InputError, match="empty"):
        Logo(PNG, b"")
    with pytest.raises(InputError, match="larger than"):
        Logo(PNG, png_bytes() + b"\x00" * MAX_LOGO_BYTES)


def test_a_logo_file_is_checked_by_suffix_existence_and_content(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        Logo.from_file(tmp_path / "missing.png")
    with pytest.raises(InputError) as error:
        Logo.from_file(tmp_path / "logo.gif")
    assert error.value.field == "logo"
    fake = tmp_path / "fake.png"
    fake.write_bytes(SVG_TEXT)
    with pytest.raises(InputError, match="not a valid image/png"):
        Logo.from_file(fake)
    svg = tmp_path / "logo.svg"
    svg.write_bytes(SVG_TEXT)
    assert (Branding(logo=Logo.from_file(svg)).logo_data_uri() or "").startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(
    ("given", "kept"), [("#ABC", "#aabbcc"), ("#2F5D62", "#2f5d62"), ("#2f5d62", "#2f5d62")]
)
def test_accent_is_kept_in_one_form(given: str, kept: str) -> None:
    assert normalise_accent(given) == kept
