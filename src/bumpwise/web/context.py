"""What every request may need, built once by ``create_app`` and kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.templating import Jinja2Templates

from bumpwise.bootstrap import Components


@dataclass(frozen=True)
class AppContext(Components):
    """The composition root's parts (``bumpwise.bootstrap``) and the page templates."""

    templates: Jinja2Templates
