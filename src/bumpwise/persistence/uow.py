"""The unit of work: ``with uow: ...; uow.commit()``. Anything not committed is rolled back."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from bumpwise.persistence.repositories import (
    AccountRepository,
    CoachingRepository,
    HealthRepository,
    ImportRepository,
    LeadRepository,
    RoleRepository,
)


class UnitOfWork:
    accounts: AccountRepository
    health: HealthRepository
    coaching: CoachingRepository
    leads: LeadRepository
    imports: ImportRepository
    roles: RoleRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
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

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a with block")
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
