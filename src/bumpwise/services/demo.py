"""Demo data for ``make run``: an admin, a coach (invited by the admin, as every coach is) and
three members at different stages, with some history.

Idempotent: running it again keeps the existing demo accounts and prints the same logins.
The demo password is public, so this refuses to run outside development and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.persistence.models import SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import accounts, admin, coaching, profiles, symptoms, vetting
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal, Role

DEMO_PASSWORD = "bumpwise-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    who: str


@dataclass(frozen=True)
class DemoMember:
    email: str
    name: str
    who: str
    details: profiles.DetailsInput
    screening: profiles.ScreeningInput
    symptoms: tuple[str, ...] = ()


def demo_members(today: date) -> list[DemoMember]:
    return [
        DemoMember(
            "maya@example.com",
            "Maya",
            "28 weeks pregnant, pelvic girdle pain",
            profiles.DetailsInput.model_validate(
                {
                    "stage_kind": "pregnant",
                    "due_date": today + timedelta(weeks=12, days=-3),
                    "activity_level": "active",
                    "equipment": ["dumbbells", "resistance_band", "chair", "small_ball"],
                    "days_per_week": 4,
                    "minutes_per_session": 30,
                }
            ),
            profiles.ScreeningInput.model_validate({"conditions": ["pelvic_girdle_pain"]}),
            ("pelvic_pain_flare",),
        ),
        DemoMember(
            "lena@example.com",
            "Lena",
            "9 weeks after a caesarean birth",
            profiles.DetailsInput.model_validate(
                {
                    "stage_kind": "postpartum",
                    "birth_date": today - timedelta(weeks=9, days=4),
                    "delivery": "caesarean",
                    "activity_level": "inactive",
                    "equipment": ["small_ball", "resistance_band"],
                    "days_per_week": 3,
                    "minutes_per_session": 20,
                }
            ),
            profiles.ScreeningInput.model_validate({"conditions": ["diastasis_recti"]}),
        ),
        DemoMember(
            "sam@example.com",
            "Sam",
            "16 weeks pregnant, trained hard before",
            profiles.DetailsInput.model_validate(
                {
                    "stage_kind": "pregnant",
                    "due_date": today + timedelta(weeks=24, days=-5),
                    "activity_level": "vigorous",
                    "equipment": ["dumbbells", "kettlebell", "bench", "stationary_bike", "mini_band"],
                    "days_per_week": 5,
                    "minutes_per_session": 45,
                }
            ),
            profiles.ScreeningInput(),
        ),
    ]


def seed_demo(uow: UnitOfWork, kb: KnowledgeBase, rules: AccountRules, now: datetime) -> list[DemoLogin]:
    operator = _admin(uow, rules, "admin@example.com", now)
    coach = _coach(uow, rules, operator, "coach@example.com", "Coach Robin", now)
    logins = [
        DemoLogin("admin", "admin@example.com", DEMO_PASSWORD, "invites coaches, manages roles"),
        DemoLogin("coach", "coach@example.com", DEMO_PASSWORD, "a coach with the three members below"),
    ]
    invite: coaching.InviteView | None = None
    for member in demo_members(now.date()):
        principal = _account(uow, rules, member.email, member.name, now)
        if _needs_profile(uow, principal):
            _onboard(uow, kb, principal, member, now)
            _history(uow, kb, principal, member, now)
            invite = invite or coaching.create_invite(uow, coach, now)
            coaching.accept_invite(uow, principal, invite.code, now)
        logins.append(DemoLogin("member", member.email, DEMO_PASSWORD, member.who))
    return logins


def _existing(uow: UnitOfWork, email: str) -> Principal | None:
    with uow:
        user = uow.accounts.user_by_email(email)
        return None if user is None else accounts.principal_of(user)


def _account(uow: UnitOfWork, rules: AccountRules, email: str, name: str, now: datetime) -> Principal:
    found = _existing(uow, email)
    if found is not None:
        return found
    return accounts.sign_up(uow, rules, email=email, password=DEMO_PASSWORD, display_name=name, now=now)


def _admin(uow: UnitOfWork, rules: AccountRules, email: str, now: datetime) -> Principal:
    """Made as the first admin of a real install is: a member account, then ``admin grant``."""
    found = _existing(uow, email)
    if found is not None:
        return found
    _account(uow, rules, email, "Admin Ada", now)
    user = admin.grant_admin(uow, email)
    return Principal(user.id, Role.ADMIN, user.display_name, user.email)


def _coach(
    uow: UnitOfWork, rules: AccountRules, operator: Principal, email: str, name: str, now: datetime
) -> Principal:
    """Invited by the admin and signed up with the invitation, like every coach."""
    found = _existing(uow, email)
    if found is not None:
        return found
    invitation = vetting.invite_coach(
        uow, operator, email=email, base_url="", deliver=lambda *message: None, now=now
    )
    return vetting.sign_up_as_coach(
        uow,
        rules,
        invitation=invitation.link.rsplit("/", 1)[-1],
        email=email,
        password=DEMO_PASSWORD,
        display_name=name,
        now=now,
    )


def _needs_profile(uow: UnitOfWork, principal: Principal) -> bool:
    with uow:
        return uow.health.profile(principal.user_id) is None


def _onboard(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, member: DemoMember, now: datetime
) -> None:
    started = now - timedelta(weeks=3)
    profiles.save_details(uow, kb, principal, member.details, started)
    profiles.save_screening(uow, kb, principal, member.screening, started)


def _history(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal, member: DemoMember, now: datetime
) -> None:
    with uow:
        for days_ago, kind, minutes, rpe in (
            (9, "strength", 28, 13),
            (6, "cardio", 30, 12),
            (2, "strength", 25, 14),
        ):
            uow.health.add(
                SessionLog(
                    user_id=principal.user_id,
                    session_date=now.date() - timedelta(days=days_ago),
                    session_kind=kind,
                    items_done=[],
                    rpe=rpe,
                    minutes=minutes,
                    notes="",
                    created_at=now,
                )
            )
        uow.commit()
    for days_ago in (5, 3, 1) if member.symptoms else ():
        entry = validated(symptoms.CheckInInput, {"symptoms": list(member.symptoms)})
        symptoms.check_in(uow, kb, principal, entry, now - timedelta(days=days_ago))
