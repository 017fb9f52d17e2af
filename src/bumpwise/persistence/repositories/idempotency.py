"""Idempotency keys: find a caller's key, claim a new one, forget expired ones.

Each is one statement on the table, built once, with no entity loaded or flushed: a keyed write
sends three of them besides its own (find, claim, record), and the ORM's unit of work cost more
than the statements. Expired keys are swept by a job (``idempotency.sweep``), not by each write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bumpwise.persistence.models import IdempotentRequest

_KEYS: Table = IdempotentRequest.__table__  # type: ignore[assignment]  # a mapped class's own table
FIND = select(_KEYS.c.id, _KEYS.c.request_digest, _KEYS.c.answer, _KEYS.c.expires_at).where(
    _KEYS.c.scope == bindparam("scope"), _KEYS.c.key_digest == bindparam("key_digest")
)
CLAIM = insert(_KEYS).returning(_KEYS.c.id)
RECORD_ANSWER = (
    update(_KEYS)
    .where(_KEYS.c.id == bindparam("key_id"))
    .values(status=bindparam("status"), answer=bindparam("sealed"))
)
FORGET_EXPIRED = delete(_KEYS).where(_KEYS.c.expires_at <= bindparam("now"))
FORGET_ONE_EXPIRED = delete(_KEYS).where(
    _KEYS.c.id == bindparam("key_id"), _KEYS.c.expires_at <= bindparam("now")
)


class KeyTaken(Exception):
    """Another request with this scope and key was stored first (or is being stored now)."""


@dataclass(frozen=True)
class StoredAnswer:
    """What a key holds: the digest of the request it was first sent with, and its first answer,
    sealed (committed together with the write it answers); and until when it holds."""

    key_id: int
    request_digest: str
    answer: bytes
    expires_at: datetime

    def live_at(self, now: datetime) -> bool:
        return self.expires_at > now


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, scope: str, key_digest: str) -> StoredAnswer | None:
        """The key's row, expired or not (an expired one lasts until the sweep, or until the key
        is sent again: ``forget_expired_key``)."""
        found = self.session.execute(FIND, {"scope": scope, "key_digest": key_digest}).first()
        if found is None:
            return None
        return StoredAnswer(found.id, found.request_digest, found.answer, found.expires_at)

    def claim(
        self,
        *,
        scope: str,
        key_digest: str,
        request_digest: str,
        user_id: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        """Insert the key's row now, before the guarded write, with no answer yet, and give its
        id: a concurrent request with the same key waits on the unique index (PostgreSQL) or the
        write lock (SQLite) and then fails with ``KeyTaken``."""
        values = {
            "scope": scope,
            "key_digest": key_digest,
            "request_digest": request_digest,
            "user_id": user_id,
            "status": 0,
            "answer": b"",
            "created_at": now,
            "expires_at": expires_at,
        }
        try:
            key_id: int = self.session.execute(CLAIM, values).scalar_one()
        except IntegrityError as exc:
            raise KeyTaken from exc
        return key_id

    def record_answer(self, key_id: int, status: int, sealed: bytes) -> None:
        """The first answer to the key, sealed, stored with the write it answers."""
        self.session.execute(RECORD_ANSWER, {"key_id": key_id, "status": status, "sealed": sealed})

    def forget_expired_key(self, key_id: int, now: datetime) -> None:
        """The row of a key that was sent again after it expired (and before the sweep)."""
        self.session.execute(FORGET_ONE_EXPIRED, {"key_id": key_id, "now": now})

    def forget_expired(self, now: datetime) -> int:
        """Every key expired by ``now`` (the sweep); how many there were."""
        swept = self.session.execute(FORGET_EXPIRED, {"now": now})
        return int(getattr(swept, "rowcount", 0))
