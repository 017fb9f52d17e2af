"""Errors the services raise, beside the domain's ``InputError`` (HTTP 422).

BumpwiseError
├── InputError              (domain) bad input: names the field and the allowed values → 422
└── ServiceError            a request the service refuses; ``status`` is the HTTP status
    ├── Unauthorized        no valid credentials → 401 (pages: sign in first)
    ├── Forbidden           signed in, but this role may not do this → 403
    ├── NotFound            nothing here, or nothing this person may see → 404
    ├── Conflict            it already exists, or the state does not allow it → 409
    └── RateLimited         too many failed sign-ins or requests → 429 with Retry-After
"""

from __future__ import annotations

from bumpwise.domain.errors import BumpwiseError


class ServiceError(BumpwiseError):
    status = 400

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(message)

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "message": self.message, "allowed": []}


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class RateLimited(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int, field: str = "password") -> None:
        super().__init__(message, field)
        self.retry_after = retry_after
