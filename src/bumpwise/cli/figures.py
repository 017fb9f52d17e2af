"""`bumpwise figures sheet`: every exercise and variant drawn at three stage weeks, for review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bumpwise.domain.knowledge import default_knowledge

app = typer.Typer(help="The exercise figures (line drawings made from the pose data).", no_args_is_help=True)


@app.command("sheet")
def sheet(
    out: Annotated[Path, typer.Option("--out", "-o", help="where to write the contact sheet")],
    pdf: Annotated[bool, typer.Option("--pdf", help="write a PDF (A4 landscape) instead of HTML")] = False,
) -> None:
    """A contact sheet of every exercise and variant at pregnancy weeks 10, 26 and 38."""
    from bumpwise.figures.library import default_figures
    from bumpwise.figures.sheet import sheet_html

    html = sheet_html(default_knowledge().exercises, default_figures())
    if pdf:
        from bumpwise.exports.pdf import html_to_pdf

        out.write_bytes(html_to_pdf(html))
    else:
        out.write_text(html, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)
