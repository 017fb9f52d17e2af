"""Idempotency keys: a write sent again with the same key gets the first answer and stores nothing.

A client that lost the answer to a create (a timeout, a dropped connection, a server restart)
sends the same request again with the same ``Idempotency-Key``. The key belongs to a scope (the
account, or for anonymous routes the route and the client's address), and is claimed by a row in
the same transaction as the write, before it: the row and the write are committed together or
not at all. A second request with the key then either finds the row and answers with the stored
first answer, or (sent at the same moment) waits for the first to commit and then finds it.

What is stored: a keyed digest of the key (never the key), a digest of the request (the same key
with another request is refused), and the first answer, sealed with a key derived from the raw
key and the app's secret, so the table alone does not reveal it (a sign-up's answer carries a new
API token). Refused requests store nothing, so a corrected request may reuse its key. Keys are
kept for ``KEY_LIFETIME``; expired keys are swept by a job (``sweep_expired``) rather than by each
keyed write, and a key sent again after it expired, before the sweep, is forgotten then.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bumpwise.adapters import security
from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError
from bumpwise.persistence.races import run_again_after_unique_race
from bumpwise.persistence.repositories import IdempotencyRepository, KeyTaken
from bumpwise.persistence.repositories.idempotency import StoredAnswer
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.errors import Conflict

KEY_LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{16,128}")
KEY_RULE = "must be 16 to 128 characters, each a letter, a digit or one of . _ : - (a UUID will do)"
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """What the caller was told: status, body and the headers worth repeating."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    replayed: bool = False


@dataclass(frozen=True)
class KeyedRequest:
    key: str
    scope: str
    digest: str
    user_id: int | None
    field: str
    """Where the key came from, named in errors: the ``Idempotency-Key`` header or a form field."""


def checked_key(raw: str, field: str) -> str:
    if not KEY_PATTERN.fullmatch(raw):
        raise InputError(field, KEY_RULE)
    return raw


def request_digest(*parts: bytes) -> str:
    """A digest of the parts that make a request this request (method, path, body)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def once(
    new_uow: Callable[[], UnitOfWork],
    secret: str,
    request: KeyedRequest,
    now: datetime,
    action: Callable[[UnitOfWork], T],
    answer: Callable[[T], Answer],
) -> Answer:
    """Run ``action`` and remember its answer under the key, or answer as the first time did.
    When a row the action inserts loses a race with a request under another key, the whole
    attempt is rolled back and run again: it then finds the winner's row."""
    key_digest = _derive(secret, "key", request.key).hex()

    def attempt() -> Answer:
        with new_uow() as uow:
            repository = uow.idempotency
            found = repository.find(request.scope, key_digest)
            if found is not None and found.live_at(now):
                return _replay(found, request, secret)
            if found is not None:  # sent again after it expired, before the sweep took it
                repository.forget_expired_key(found.key_id, now)
            try:
                key_id = _claim(repository, request, key_digest, now)
            except KeyTaken:
                uow.rollback()
                return _answer_of_the_winner(repository, request, key_digest, secret, now)
            first = _run_held(uow, request, action, answer)
            repository.record_answer(key_id, first.status, _seal(secret, request.key, _encode(first)))
            uow.commit()
            return first

    return run_again_after_unique_race(attempt)


def _claim(repository: IdempotencyRepository, request: KeyedRequest, key_digest: str, now: datetime) -> int:
    return repository.claim(
        scope=request.scope,
        key_digest=key_digest,
        request_digest=request.digest,
        user_id=request.user_id,
        now=now,
        expires_at=now + KEY_LIFETIME,
    )


def _run_held(
    uow: UnitOfWork, request: KeyedRequest, action: Callable[[UnitOfWork], T], answer: Callable[[T], Answer]
) -> Answer:
    held = uow.held()
    result = action(held)
    if held.rolled_back:
        raise Conflict(
            N_("a concurrent change interrupted this request: send it again with the same key"), request.field
        )
    return answer(result)


def _answer_of_the_winner(
    repository: IdempotencyRepository, request: KeyedRequest, key_digest: str, secret: str, now: datetime
) -> Answer:
    found = repository.find(request.scope, key_digest)
    if found is None or not found.live_at(now):
        raise Conflict(
            N_("a request with this key is still being stored: send it again in a moment"), request.field
        )
    return _replay(found, request, secret)


def _replay(row: StoredAnswer, request: KeyedRequest, secret: str) -> Answer:
    if not hmac.compare_digest(row.request_digest, request.digest):
        raise InputError(
            request.field, "was already used for a different request: use a new key for a new request"
        )
    plain = _unseal(secret, request.key, row.answer)
    if plain is None:
        raise Conflict(N_("the first answer to this key can no longer be read: use a new key"), request.field)
    first = _decode(plain)
    return Answer(first.status, first.body, first.headers, replayed=True)


def _encode(answer: Answer) -> bytes:
    return json.dumps(
        {"status": answer.status, "headers": answer.headers, "body": base64.b64encode(answer.body).decode()}
    ).encode()


def _decode(data: bytes) -> Answer:
    stored = json.loads(data)
    headers = tuple((str(name), str(value)) for name, value in stored["headers"])
    return Answer(int(stored["status"]), base64.b64decode(stored["body"]), headers)


def _derive(secret: str, purpose: str, key: str) -> bytes:
    return hmac.new(secret.encode(), f"idempotency-{purpose}:{key}".encode(), hashlib.sha256).digest()


def _seal(secret: str, key: str, plain: bytes) -> bytes:
    return security.seal(_derive(secret, "seal", key), plain)


def _unseal(secret: str, key: str, sealed: bytes) -> bytes | None:
    return security.unseal(_derive(secret, "seal", key), sealed)


def sweep_expired(new_uow: Callable[[], UnitOfWork], now: datetime) -> int:
    """Forget every key expired by ``now`` (the ``idempotency.sweep`` job); how many there were."""
    with new_uow() as uow:
        swept = uow.idempotency.forget_expired(now)
        uow.commit()
        return swept
