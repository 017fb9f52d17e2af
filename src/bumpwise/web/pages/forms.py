"""Reading HTML forms: repeated fields become lists, empty fields are left out (so defaults
apply), and the CSRF field is dropped. Works with any number of checkboxes, JavaScript off."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from bumpwise.web.csrf import FIELD as CSRF_FIELD

IDEMPOTENCY_FIELD = "idempotency_key"
"""Read by ``web.idempotency``; never part of what a form asks for."""

LIST_FIELDS = frozenset(
    {
        "equipment",
        "conditions",
        "warning_signs",
        "symptoms",
        "items_done",
        "passed_tests",
        "tags",
        "stages",
        "checked_attributes",
        "primary_muscles",
        "secondary_muscles",
    }
)


class Form(dict[str, str | list[str]]):
    """A form as read: one text per field, a list for a field of ``LIST_FIELDS``."""

    def text(self, key: str, default: str = "") -> str:
        """The text of a one-value field; ``default`` when it was left empty (or is a list)."""
        value = self.get(key)
        return value if isinstance(value, str) else default

    def optional(self, key: str) -> str | None:
        """The text of a one-value field, or None when it was left empty."""
        value = self.get(key)
        return value if isinstance(value, str) else None


async def read_form(request: Request) -> Form:
    form = await request.form()
    data = Form()
    for key in set(form.keys()) - {CSRF_FIELD, IDEMPOTENCY_FIELD}:
        values = [v.strip() for v in form.getlist(key) if isinstance(v, str)]
        if key in LIST_FIELDS:
            data[key] = [v for v in values if v]
        elif values and values[-1]:
            data[key] = values[-1]
    return data


FormData = Annotated[Form, Depends(read_form)]


async def read_logo(request: Request) -> bytes | None:
    """The file chosen in a form's ``logo`` field; None when none was chosen. The app's request
    size limit bounds how much is read."""
    form = await request.form()
    upload = form.get("logo")
    if not isinstance(upload, UploadFile):
        return None
    try:
        return await upload.read() if upload.filename else None
    finally:
        await upload.close()


LogoUpload = Annotated[bytes | None, Depends(read_logo)]
