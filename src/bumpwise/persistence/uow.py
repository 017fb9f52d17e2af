"""The unit of work: ``with uow: ...; uow.commit()``. Anything not committed is rolled back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bumpwise.persistence.db import RESTORE_SYNCHRONOUS
from bumpwise.persistence.repositories import (
    AccountRepository,
    CoachArticleRepository,
    CoachingRepository,
    HealthRepository,
    IdempotencyRepository,
    ImportRepository,
    LeadRepository,
    ReminderRepository,
    RoleRepository,
)


class UnitOfWork:
    accounts: AccountRepository
    health: HealthRepository
    coaching: CoachingRepository
    leads: LeadRepository
    imports: ImportRepository
    roles: RoleRepository
    coach_articles: CoachArticleRepository
    reminders: ReminderRepository
    idempotency: IdempotencyRepository

    def __init__(self, session_factory: sessionmaker[Session] | Callable[[], Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        session = self._session = self._factory()
        self.accounts = AccountRepository(session)
        self.health = HealthRepository(session)
        self.coaching = CoachingRepository(session)
        self.leads = LeadRepository(session)
        self.imports = ImportRepository(session)
        self.roles = RoleRepository(session)
        self.coach_articles = CoachArticleRepository(session)
        self.reminders = ReminderRepository(session)
        self.idempotency = IdempotencyRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the rows without expiring
        # them, so values read inside the block stay readable after it.
        session, self._session = self.session, None
        session.close()

    def not_durable(self) -> None:
        """Call before the block's first write: this unit of work's commit need not survive a
        power loss (a rate limit's count, whose loss lets a request more through; a token's or
        session's last-use stamp, whose loss shows an older last use). SQLite then does not sync
        its log at this commit (``synchronous=NORMAL`` for it; still safe from a killed process)
        and PostgreSQL does not wait for its WAL flush (``synchronous_commit=off``, this
        transaction only). Every other write keeps the configured durability."""
        session = self.session
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            connection = session.connection()
            driver: Any = connection.connection.driver_connection
            if driver.in_transaction:  # the level changes only between transactions
                return
            level = session.execute(text("PRAGMA synchronous")).scalar()
            if isinstance(level, int) and level > 1:
                session.execute(text("PRAGMA synchronous=NORMAL"))
                # set back by the pool on this same connection when it is returned (persistence.db)
                connection.info[RESTORE_SYNCHRONOUS] = level
        elif dialect == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit = off"))

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a with block")
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def held(self) -> HeldUnitOfWork:
        """A unit of work inside this one's transaction (see ``HeldUnitOfWork``)."""
        return HeldUnitOfWork(self.session)


def held_values(uow: UnitOfWork, writes: Sequence[Callable[[UnitOfWork], Any]]) -> list[Any] | None:
    """Each write's value, run in turn on a held unit of work inside ``uow``'s transaction (each
    sees the rows of the writes before it); None as soon as one rolls back."""
    values = []
    for write in writes:
        held = uow.held()
        values.append(write(held))
        if held.rolled_back:
            return None
    return values


class HeldUnitOfWork(UnitOfWork):
    """A unit of work inside a transaction someone else holds (``services.idempotency``): the
    services use it as usual, but ``commit()`` only flushes and leaving the block keeps the
    transaction open, so the holder commits their writes together with its own row, or none."""

    def __init__(self, session: Session) -> None:
        super().__init__(lambda: session)
        self.rolled_back = False

    def __exit__(self, *_: object) -> None:
        self._session = None

    def commit(self) -> None:
        self.session.flush()

    def not_durable(self) -> None:
        """Nothing: the holder's transaction commits these writes with its own, as durably."""

    def rollback(self) -> None:
        """The holder's own rows go too; it sees ``rolled_back`` and refuses to commit."""
        self.session.rollback()
        self.rolled_back = True
