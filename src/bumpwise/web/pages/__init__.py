"""Server-rendered pages (Jinja2), over the same services and view models as the API.

Every page route sits behind the CSRF guard: a POST without the form's token is refused.
"""

from fastapi import APIRouter, Depends

from bumpwise.web.deps import csrf_protect
from bumpwise.web.pages import (
    account,
    admin,
    auth,
    calendar,
    coach,
    coach_articles,
    coach_library,
    free_workout,
    learn,
    library,
    logs,
    member,
    onboarding,
    player,
    public,
    reminders,
    reports,
    rules,
    unsubscribe,
    vetting,
)

pages_router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
for module in (public, auth, onboarding, member, reports, library, account, calendar, coach, free_workout):
    pages_router.include_router(module.router)
for module in (
    admin,
    vetting,
    unsubscribe,
    learn,
    coach_articles,
    coach_library,
    player,
    logs,
    reminders,
    rules,
):
    pages_router.include_router(module.router)

__all__ = ["pages_router"]
