"""Issue 10, point 8: two identical requests at once, on both databases. Each request runs in
its own thread with its own session and connection; a barrier holds both at their first write
until both have looked for the row and found none, so the race happens every time. The unique
constraint decides: the loser gets the winner's row (or an honest Conflict), never an error."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.db import make_session_factory
from bumpwise.persistence.models import (
    CalendarFeed,
    CoachBranding,
    CoachGrant,
    CoachSwap,
    ImportedExercise,
    Lead,
    MemberProfile,
    StoredPlan,
    User,
)
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import (
    accounts,
    branding,
    calendar,
    clients,
    coaching,
    email_change,
    imports,
    leads,
    profiles,
    sessions,
)
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Conflict
from bumpwise.services.inputs import validated
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.plans import plan_for
from bumpwise.services.principal import Principal, Role
from bumpwise.services.views import WeekView
from dbsupport import NOW, PASSWORD, TODAY, new_account, onboarded_member

KB = default_knowledge()
T = TypeVar("T")


class RacingWrites:
    """Units of work whose sessions wait for each other at their first flush."""

    def __init__(self, engine: Engine, parties: int = 2) -> None:
        self.factory = make_session_factory(engine)
        self.barrier = threading.Barrier(parties, timeout=20)
        self.held = threading.local()
        self.met = 0
        event.listen(self.factory, "before_flush", self._hold_first_flush)

    def _hold_first_flush(self, session: Session, *_: Any) -> None:
        if getattr(self.held, "done", False):
            return
        self.held.done = True
        self.barrier.wait()
        self.met += 1

    def run(self, use_case: Callable[[UnitOfWork], T], times: int = 2) -> list[T | Exception]:
        def one() -> T | Exception:
            try:
                return use_case(UnitOfWork(self.factory))
            except Exception as exc:  # kept to assert on: which error each request got
                return exc

        with ThreadPoolExecutor(times) as pool:
            results = list(pool.map(lambda _: one(), range(times)))
        assert self.met == times, "both requests must have checked before either wrote"
        return results


@pytest.fixture
def racing(uow: UnitOfWork, engine: Engine) -> Iterator[RacingWrites]:
    yield RacingWrites(engine)


def count(uow: UnitOfWork, model: type[Any]) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def no_errors(results: list[T | Exception]) -> list[T]:
    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == []
    return [r for r in results if not isinstance(r, Exception)]


def coach_and_member(uow: UnitOfWork, rules: AccountRules) -> tuple[Principal, Principal]:
    return new_account(uow, rules, "coach", "Coach Cara"), onboarded_member(uow, rules)


def test_accepting_one_invite_twice_at_once_grants_once(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    coach, member = coach_and_member(uow, rules)
    code = coaching.create_invite(uow, coach, NOW).code
    views = no_errors(racing.run(lambda u: coaching.accept_invite(u, member, code, NOW)))
    assert {v.id for v in views} == {coach.user_id}
    assert len({v.granted_at for v in views}) == 1
    assert count(uow, CoachGrant) == 1


def test_the_same_swap_twice_at_once_is_stored_once(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    coach, member = coach_and_member(uow, rules)
    coaching.accept_invite(uow, member, coaching.create_invite(uow, coach, NOW).code, NOW)
    with uow:
        _, plan = plan_for(uow, KB, member.user_id, TODAY, NOW)
        uow.commit()
    assert plan.current_week is not None
    days = plan.current_week.days
    item = next(i for d in days for s in d.sessions if s.kind == "strength" for i in s.items)
    planned = item.exercise.id
    target = next(
        e.id
        for e in KB.exercises.values()
        if e.pattern == item.exercise.pattern and e.id != planned and not e.equipment
    )
    swap = validated(clients.SwapInput, {"from_exercise": planned, "to_exercise": target})
    views = no_errors(racing.run(lambda u: clients.add_swap(u, KB, coach, member.user_id, swap, TODAY, NOW)))
    assert {v.to_exercise for v in views} == {target}
    assert count(uow, CoachSwap) == 1


def test_branding_saved_twice_at_once_is_one_row(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    change = branding.BrandingChange(accent="#336699")
    views = no_errors(racing.run(lambda u: branding.update_branding(u, coach, change, NOW)))
    assert len(views) == 2
    assert count(uow, CoachBranding) == 1


def test_the_same_lead_twice_at_once_is_one_row(uow: UnitOfWork, racing: RacingWrites) -> None:
    no_errors(
        racing.run(
            lambda u: leads.start_opt_in(
                u, email="Lea@Example.org", page=None, answers={}, now=NOW, base_url="", deliver=None
            )
        )
    )
    assert count(uow, Lead) == 1


def test_two_sign_ups_with_one_email_at_once_make_one_account(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    def sign_up(u: UnitOfWork) -> Principal:
        return accounts.sign_up(
            u,
            rules,
            email="twin@example.org",
            password=PASSWORD,
            display_name="Twin",
            role=Role.MEMBER,
            now=NOW,
        )

    results = racing.run(sign_up)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Principal"]
    conflict = next(r for r in results if isinstance(r, Conflict))
    assert conflict.field == "email"
    assert count(uow, User) == 1


def test_the_first_look_at_this_weeks_plan_twice_at_once_stores_one_plan(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    """The plan is saved with one insert-or-update statement (no ORM flush to hold at): both
    requests are held at it, after both found no stored plan."""
    member = onboarded_member(uow, rules)
    barrier = threading.Barrier(2, timeout=20)
    held: list[str] = []

    def hold_at_the_plans_insert(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO STORED_PLANS"):
            held.append(statement)
            barrier.wait()

    event.listen(engine, "before_cursor_execute", hold_at_the_plans_insert)
    try:
        factory = make_session_factory(engine)

        def look(_: int) -> WeekView:
            return sessions.this_week(UnitOfWork(factory), KB, member, TODAY, NOW)

        with ThreadPoolExecutor(2) as pool:
            weeks = list(pool.map(look, range(2)))
    finally:
        event.remove(engine, "before_cursor_execute", hold_at_the_plans_insert)
    assert len(held) == 2, "both requests must have looked before either stored"
    assert weeks[0] == weeks[1]
    assert count(uow, StoredPlan) == 1


def test_first_details_saved_twice_at_once_make_one_profile(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    member = new_account(uow, rules)
    details = validated(
        profiles.DetailsInput,
        {
            "stage_kind": "pregnant",
            "due_date": "2026-06-15",
            "activity_level": "active",
            "equipment": ["chair"],
            "days_per_week": 3,
            "minutes_per_session": 30,
        },
    )
    no_errors(racing.run(lambda u: profiles.save_details(u, KB, member, details, NOW)))
    assert count(uow, MemberProfile) == 1


def test_a_calendar_feed_issued_twice_at_once_leaves_one_feed(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    member = onboarded_member(uow, rules)
    tokens = no_errors(racing.run(lambda u: calendar.issue_feed(u, member, NOW)))
    assert len(set(tokens)) == 2
    assert count(uow, CalendarFeed) == 1


def test_two_accounts_taking_one_email_at_once_leave_one_owner(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    links: list[str] = []
    for person in (new_account(uow, rules), new_account(uow, rules)):
        email_change.request_email_change(
            uow,
            rules,
            person,
            MailLinks(
                "http://testserver",
                lambda to, subject, body: links.append(body.split("/account/email/")[1].split()[0]),
            ),
            new_email="shared@example.org",
            password=PASSWORD,
        )
    tokens = iter(links)
    lock = threading.Lock()

    def take_email(u: UnitOfWork) -> object:
        with lock:
            token = next(tokens)
        return email_change.confirm_email_change(u, rules, token)

    results = racing.run(take_email)
    assert sorted(type(r).__name__ for r in results) == ["NotFound", "UserView"]
    with uow:
        owners = uow.session.scalars(select(User).where(User.email == "shared@example.org")).all()
    assert len(owners) == 1


def test_one_import_batch_stored_twice_at_once_keeps_each_row_once(
    uow: UnitOfWork, rules: AccountRules, racing: RacingWrites
) -> None:
    coach = new_account(uow, rules, "coach", "Coach Cara")
    batch = validated(imports.ImportBatch, {"rows": [{"source_id": "42", "name": "Wall sit"}]})
    no_errors(racing.run(lambda u: imports.store_imports(u, coach, batch, NOW)))
    assert count(uow, ImportedExercise) == 1
