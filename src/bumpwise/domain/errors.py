"""Errors the domain raises. Every message names what was wrong and what is allowed.

BumpwiseError
├── InputError        bad user input (a profile, a command argument): exit code 2, HTTP 422
│   └── ImportFormatError   an exercise file to import is unreadable or of the wrong shape
└── DataError         the shipped or imported knowledge data is broken: names file and field
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class BumpwiseError(Exception):
    """Base of every error bumpwise raises on purpose."""


class InputError(BumpwiseError):
    """User input that bumpwise will not guess about.

    ``field`` is a dotted path into the input (``stage.week``, ``conditions[1]``) and
    ``allowed`` lists the accepted values when there is a closed set. A message built with values
    is given as a catalog id with ``%(name)s`` placeholders and the ``values`` (``message`` is then
    the English sentence filled in; ``template`` and ``values`` let a reader translate it).
    ``translate`` names the values that are catalog ids themselves (``N_("profile")``), translated
    with the sentence; the others (what a person typed) stay as they are.
    """

    def __init__(
        self,
        field: str,
        message: str,
        allowed: Sequence[str] = (),
        values: Mapping[str, object] | None = None,
        translate: Sequence[str] = (),
    ) -> None:
        self.field = field
        self.translate = tuple(translate)
        self.template = message
        self.values = dict(values or {})
        self.message = message % self.values if self.values else message
        self.allowed = tuple(allowed)
        super().__init__(self.render())

    def render(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.allowed:
            text += f" (allowed: {', '.join(self.allowed)})"
        return text

    def localized(self) -> str:
        """``render()`` in the language in force: the sentence translated, the field name and the
        allowed values (what a person types) as they are."""
        from bumpwise.domain.catalog import gettext

        message = self.localized_message()
        text = f"{self.field}: {message}" if self.field else message
        if self.allowed:
            text += gettext(" (allowed: %(values)s)", values=", ".join(self.allowed))
        return text

    def localized_message(self) -> str:
        """``message`` in the language in force (the web's answers and error boxes show it)."""
        from bumpwise.domain.catalog import gettext

        values = {
            name: gettext(value) if name in self.translate and isinstance(value, str) else value
            for name, value in self.values.items()
        }
        return gettext(self.template, **values)

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "message": self.message, "allowed": list(self.allowed)}


class ImportFormatError(InputError):
    """An import file that is not what it claims to be; nothing from it is imported."""


class DataError(BumpwiseError):
    """A knowledge file that fails validation."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        location = f"{file}: {field}" if field else file
        super().__init__(f"{location}: {message}")
