"""A small in-memory unit of work for the use cases typed with ``services.ports``: the plan cache,
coach swaps and the audit log, held in lists and dicts. Rows are the real (transient) ORM classes,
so the services read them exactly as they read stored ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from bumpwise.persistence.models import (
    AuditEntry,
    CoachSwap,
    ImportedExercise,
    MemberProfile,
    StoredPlan,
    SymptomReport,
)
from bumpwise.persistence.repositories.health import (
    PlanInputs,
    PlanRecord,
    SymptomState,
    stored_plan_values,
    symptom_state_of,
)


class FakeHealth:
    def __init__(self) -> None:
        self.profiles: dict[int, MemberProfile] = {}
        self.reports: list[SymptomReport] = []
        self.plans: dict[int, StoredPlan] = {}
        self.saves = 0

    def profile(self, user_id: int) -> MemberProfile | None:
        return self.profiles.get(user_id)

    def plan_inputs(self, user_id: int) -> PlanInputs | None:
        """Coach and swaps always reported possible, so the services read the fake's own."""
        profile, stored = self.profiles.get(user_id), self.plans.get(user_id)
        if profile is None:
            return None
        fingerprint, packed = (stored.fingerprint, stored.plan_z) if stored else (None, None)
        state = self.symptom_state(user_id)
        return PlanInputs(profile, fingerprint, packed, has_coach=True, has_swaps=True, symptom_state=state)

    def symptom_state(self, user_id: int) -> SymptomState:
        mine = [r for r in self.reports if r.user_id == user_id]
        return symptom_state_of(sorted(mine, key=lambda r: (r.reported_at, r.id), reverse=True))

    def stored_plan(self, user_id: int) -> StoredPlan | None:
        return self.plans.get(user_id)

    def save_plan(self, record: PlanRecord) -> None:
        self.saves += 1
        self.plans[record.user_id] = StoredPlan(**stored_plan_values(record))


class FakeCoaching:
    def __init__(self) -> None:
        self.swaps: list[CoachSwap] = []
        self.audit: list[AuditEntry] = []

    def swaps_of(self, member_id: int) -> Sequence[CoachSwap]:
        return [s for s in self.swaps if s.member_id == member_id]

    def record_reads(
        self,
        member_ids: Sequence[int],
        *,
        actor_id: int,
        actor_name: str,
        action: str,
        event: dict[str, Any],
        at: datetime,
    ) -> None:
        self.audit.extend(
            AuditEntry(
                member_id=m,
                actor_id=actor_id,
                actor_name=actor_name,
                action=action,
                event=event,
                at=at,
            )
            for m in member_ids
        )

    def audit_of(self, member_id: int, limit: int = 200) -> Sequence[AuditEntry]:
        mine = [e for e in self.audit if e.member_id == member_id]
        return sorted(mine, key=lambda e: e.at, reverse=True)[:limit]


class FakeLibrary:
    """No coach has a library of their own here."""

    def library_stamps(self, member_ids: Sequence[int]) -> dict[int, str]:
        return {member_id: "" for member_id in member_ids}

    def library_of_member(self, member_id: int) -> Sequence[ImportedExercise]:
        return []


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.health = FakeHealth()
        self.coaching = FakeCoaching()
        self.imports = FakeLibrary()
        self.commits = 0
        self.open = False

    def __enter__(self) -> FakeUnitOfWork:
        assert not self.open, "this unit of work is already open"
        self.open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.open = False

    def commit(self) -> None:
        assert self.open, "commit inside the with block"
        self.commits += 1

    def rollback(self) -> None:
        pass
