"""Idempotency keys: find a caller's key, claim a new one, forget expired ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bumpwise.persistence.models import IdempotentRequest

# Built once: composing a statement costs more than running it (every keyed write runs both).
FIND = select(IdempotentRequest).where(
    IdempotentRequest.scope == bindparam("scope"),
    IdempotentRequest.key_digest == bindparam("key_digest"),
    IdempotentRequest.expires_at > bindparam("now"),
)
_KEYS: Table = IdempotentRequest.__table__  # type: ignore[assignment]  # a mapped class's own table
FORGET_EXPIRED = delete(_KEYS).where(_KEYS.c.expires_at <= bindparam("now"))
"""On the table, not the entity: the ORM's delete would first look for matching rows in the session."""


class KeyTaken(Exception):
    """Another request with this scope and key was stored first (or is being stored now)."""


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, scope: str, key_digest: str, now: datetime) -> IdempotentRequest | None:
        return self.session.scalars(FIND, {"scope": scope, "key_digest": key_digest, "now": now}).first()

    def claim(
        self,
        *,
        scope: str,
        key_digest: str,
        request_digest: str,
        user_id: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> IdempotentRequest:
        """Insert the key's row now, before the guarded write, with no answer yet: a concurrent
        request with the same key waits on the unique index (PostgreSQL) or the write lock
        (SQLite) and then fails with ``KeyTaken``."""
        row = IdempotentRequest(
            scope=scope,
            key_digest=key_digest,
            request_digest=request_digest,
            user_id=user_id,
            status=0,
            answer=b"",
            created_at=now,
            expires_at=expires_at,
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise KeyTaken from exc
        return row

    @staticmethod
    def record_answer(row: IdempotentRequest, status: int, sealed: bytes) -> None:
        """The first answer to the key, sealed, stored with the write it answers."""
        row.status, row.answer = status, sealed

    def forget_expired(self, now: datetime) -> None:
        self.session.execute(FORGET_EXPIRED, {"now": now})
