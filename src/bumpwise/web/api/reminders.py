"""Reminders: the member's time zone and session time (the calendar feed's events and alarms),
and whether session reminders and a weekly summary come by e-mail."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwise.services import reminders
from bumpwise.services.reminders import ReminderInput, ReminderView
from bumpwise.web.deps import ApiUser, Ctx, Now

router = APIRouter(prefix="/me/reminders", tags=["reminders"])


@router.get("")
def get_reminders(user: ApiUser, ctx: Ctx) -> ReminderView:
    return reminders.reminder_settings(ctx.uow(), user)


@router.put("")
def put_reminders(body: ReminderInput, user: ApiUser, ctx: Ctx, now: Now) -> ReminderView:
    """Replace the settings. E-mails go only to a confirmed address."""
    return reminders.save_reminders(ctx.uow(), user, body, now)
