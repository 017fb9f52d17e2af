"""`bumpwise export pdf --coach --logo --accent`: the logo is embedded, checked by its content."""

from __future__ import annotations

from pathlib import Path

from cli_support import run, write
from imagesupport import pdf_images, png_bytes

PROFILE = {"stage": {"kind": "pregnant", "week": 20}, "activity_level": "active", "days_per_week": 3}


def test_the_logo_and_colour_are_printed(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(30, 10, (20, 160, 60)))
    out = tmp_path / "plan.pdf"
    result = run("export", "pdf", write(tmp_path, PROFILE), "--start", "2026-03-02", "--coach", "Dana",
                 "--logo", str(logo), "--accent", "#7a3b69", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    [image] = pdf_images(out.read_bytes(), tmp_path)
    assert image[3:5] == ["30", "10"]  # width and height of our logo


def test_a_file_that_is_not_what_its_name_says_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    result = run(
        "export", "pdf", write(tmp_path, PROFILE), "--logo", str(fake), "--out", str(tmp_path / "x.pdf")
    )
    assert result.returncode == 2
    assert "logo" in result.stderr and "not a valid image/png" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
