"""What some use cases need of the unit of work, as protocols: the real one (``persistence.uow``)
satisfies them, and so does a small in-memory fake in the tests, so plan caching, swaps and the
audit log get fast unit tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bumpwise.persistence.models import (
    AuditEntry,
    CoachSwap,
    ImportedExercise,
    MemberProfile,
    StoredPlan,
)
from bumpwise.persistence.repositories.health import PlanInputs, PlanRecord, SymptomState


class HealthStore(Protocol):
    def profile(self, user_id: int) -> MemberProfile | None: ...

    def plan_inputs(self, user_id: int) -> PlanInputs | None: ...

    def symptom_state(self, user_id: int) -> SymptomState: ...

    def stored_plan(self, user_id: int) -> StoredPlan | None: ...

    def save_plan(self, record: PlanRecord) -> None: ...


class CoachingStore(Protocol):
    def swaps_of(self, member_id: int) -> Sequence[CoachSwap]: ...

    def record_reads(
        self,
        member_ids: Sequence[int],
        *,
        actor_id: int,
        actor_name: str,
        action: str,
        event: dict[str, Any],
        at: datetime,
    ) -> None: ...

    def audit_of(self, member_id: int, limit: int = 200) -> Sequence[AuditEntry]: ...


class LibraryStore(Protocol):
    def library_stamps(self, member_ids: Sequence[int]) -> dict[int, str]: ...

    def library_of_member(self, member_id: int) -> Sequence[ImportedExercise]: ...


class PlanUnitOfWork(Protocol):
    """A member's plan, swaps, audit log and their coaches' libraries inside one transaction."""

    @property
    def health(self) -> HealthStore: ...

    @property
    def imports(self) -> LibraryStore: ...

    @property
    def coaching(self) -> CoachingStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
