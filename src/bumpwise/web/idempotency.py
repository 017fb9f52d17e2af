"""``Idempotency-Key`` for the routes that create: one dependency per kind of caller, and one
``Once`` object whose ``json`` (API) or ``page`` (forms) runs the route's service calls through
``services.idempotency.once``. Without a key a route behaves as it always did.

The API takes the key from the ``Idempotency-Key`` header; a form from its hidden
``idempotency_key`` field (the ``once()`` macro), so a double submit stores once, or, when the
field is missing, from the header (the session player's queued posts send both).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, JsonValue

from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import idempotency
from bumpwise.services.idempotency import KEY_LIFETIME, Answer, KeyedRequest
from bumpwise.services.principal import Principal
from bumpwise.web.context import AppContext
from bumpwise.web.csrf import FIELD as CSRF_FIELD
from bumpwise.web.deps import (
    ApiUser,
    BearerCredentials,
    Ctx,
    MaybePageUser,
    Now,
    Today,
    api_principal,
    app_context,
    client_address,
)

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = frozenset({"content-type", "location", "set-cookie", "content-disposition"})
HEADER_DOC = (
    f"Send the same key when you retry this request: a repeat answers with the first answer and "
    f"stores nothing. {idempotency.KEY_RULE[0].upper()}{idempotency.KEY_RULE[1:]}; kept for "
    f"{KEY_LIFETIME.total_seconds() / 3600:.0f} hours."
)
KeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description=HEADER_DOC,
        json_schema_extra=lambda schema: _key_pattern(schema),
    ),
]


def _key_pattern(schema: dict[str, JsonValue]) -> None:
    """The key's rule in the schema, on the string (the check stays ``idempotency.checked_key``,
    whose 422 names the header)."""
    branches = schema.get("anyOf", [schema])
    for branch in branches if isinstance(branches, list) else []:
        if isinstance(branch, dict) and branch.get("type") == "string":
            branch["pattern"] = f"^{idempotency.KEY_PATTERN.pattern}$"


@dataclass(frozen=True)
class Once:
    ctx: AppContext
    now: datetime
    keyed: KeyedRequest | None

    def json(self, action: Callable[[UnitOfWork], Any], status: int = 201) -> Response:
        """The API's answer: the action's result as JSON with ``status``."""
        return self._json_in(self.ctx.uow, action, status)

    async def json_together(self, action: Callable[[UnitOfWork], Any], status: int = 201) -> Response:
        """``json``, committed together with the writes that arrive at the same time
        (persistence.group_commit): one commit for all of them. A keyed action reads its key first,
        so its batch goes to a thread at once. The action must have no effect outside its
        transaction (it may run twice)."""
        return await self.ctx.writes.run(
            lambda uow: self._json_in(lambda: uow, action, status), reads=self.keyed is not None
        )

    def _json_in(
        self, new_uow: Callable[[], UnitOfWork], action: Callable[[UnitOfWork], Any], status: int
    ) -> Response:
        if self.keyed is None:
            return _json(action(new_uow()), status)
        return self._run(new_uow, action, lambda result: _answer_of(_json(result, status)))

    def page(self, action: Callable[[UnitOfWork], Response]) -> Response:
        """A form's answer: whatever response the action builds (a redirect, a page)."""
        if self.keyed is None:
            return action(self.ctx.uow())
        return self._run(self.ctx.uow, action, _answer_of)

    def _run(
        self,
        new_uow: Callable[[], UnitOfWork],
        action: Callable[[UnitOfWork], Any],
        answer: Callable[[Any], Answer],
    ) -> Response:
        assert self.keyed is not None
        secret = self.ctx.settings.secret_key
        done = idempotency.once(new_uow, secret, self.keyed, self.now, action, answer)
        return _response_of(done)


def _json(result: Any, status: int) -> Response:
    """A model straight to JSON bytes by pydantic (``jsonable_encoder`` costs several times more)."""
    if isinstance(result, BaseModel):
        return Response(result.model_dump_json().encode(), status_code=status, media_type="application/json")
    return JSONResponse(jsonable_encoder(result), status_code=status)


def _answer_of(response: Response) -> Answer:
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in response.raw_headers
        if name.decode("latin-1").lower() in KEPT_HEADERS
    )
    return Answer(response.status_code, bytes(response.body), headers)


def _response_of(answer: Answer) -> Response:
    response = Response(answer.body, status_code=answer.status)
    response.raw_headers = [
        *(h for h in response.raw_headers if h[0] != b"content-type"),
        *((name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers),
    ]
    if answer.replayed:
        response.raw_headers.append((REPLAYED_HEADER.lower().encode(), b"true"))
    return response


def _user_scope(principal: Principal) -> str:
    return f"user:{principal.user_id}"


def _anonymous_scope(request: Request, client: str) -> str:
    """The route and the client's address: another client cannot reach this client's answers."""
    fingerprint = hashlib.sha256(f"{request.url.path}\n{client}".encode()).hexdigest()[:40]
    return f"anon:{fingerprint}"


async def _api_digest(request: Request) -> str:
    return idempotency.request_digest(
        request.method.encode(), request.url.path.encode(), await request.body()
    )


async def api_once(request: Request, ctx: Ctx, now: Now, user: ApiUser, key: KeyHeader = None) -> Once:
    if key is None:
        return Once(ctx, now, None)
    keyed = KeyedRequest(
        key=idempotency.checked_key(key, HEADER),
        scope=_user_scope(user),
        digest=await _api_digest(request),
        user_id=user.user_id,
        field=HEADER,
    )
    return Once(ctx, now, keyed)


@dataclass(frozen=True)
class ApiCreate:
    """A signed-in caller's create on the API: who, which day, and its ``Once``, solved as one
    dependency (FastAPI solves each of a route's dependencies again on every request; a busy
    write route takes this one instead of five)."""

    user: Principal
    today: date
    once: Once

    @property
    def ctx(self) -> AppContext:
        return self.once.ctx

    @property
    def now(self) -> datetime:
        return self.once.now


async def api_create(
    request: Request, now: Now, today: Today, credentials: BearerCredentials, key: KeyHeader = None
) -> ApiCreate:
    """The context and the caller are read here rather than declared as dependencies of their
    own: FastAPI 0.165 works out each declared dependency's cache key and scopes again on every
    request, which cost a log write more than its route matching (issue 18). The clock stays
    declared (tests set the day through it), and the token and key too, for validation and the
    OpenAPI document."""
    ctx = app_context(request)
    user = await api_principal(ctx, now, credentials)
    return ApiCreate(user, today, await api_once(request, ctx, now, user, key))


async def anonymous_api_once(
    request: Request,
    ctx: Ctx,
    now: Now,
    client: Annotated[str, Depends(client_address)],
    key: KeyHeader = None,
) -> Once:
    if key is None:
        return Once(ctx, now, None)
    keyed = KeyedRequest(
        key=idempotency.checked_key(key, HEADER),
        scope=_anonymous_scope(request, client),
        digest=await _api_digest(request),
        user_id=None,
        field=HEADER,
    )
    return Once(ctx, now, keyed)


async def form_once(
    request: Request, ctx: Ctx, now: Now, user: MaybePageUser, client: Annotated[str, Depends(client_address)]
) -> Once:
    form = await request.form()
    key = form.get(FORM_FIELD) or request.headers.get(HEADER)
    if not isinstance(key, str) or not key:
        return Once(ctx, now, None)
    fields = sorted(
        (name, value)
        for name, value in form.multi_items()
        if name not in (CSRF_FIELD, FORM_FIELD) and isinstance(value, str)
    )
    digest = idempotency.request_digest(
        request.method.encode(), request.url.path.encode(), repr(fields).encode()
    )
    keyed = KeyedRequest(
        key=idempotency.checked_key(key, FORM_FIELD),
        scope=_user_scope(user) if user is not None else _anonymous_scope(request, client),
        digest=digest,
        user_id=user.user_id if user is not None else None,
        field=FORM_FIELD,
    )
    return Once(ctx, now, keyed)


ApiOnce = Annotated[Once, Depends(api_once)]
Create = Annotated[ApiCreate, Depends(api_create)]
AnonymousApiOnce = Annotated[Once, Depends(anonymous_api_once)]
FormOnce = Annotated[Once, Depends(form_once)]
