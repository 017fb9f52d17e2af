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

GUARDS = [Depends(csrf_protect)]
ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        public,
        auth,
        onboarding,
        member,
        reports,
        library,
        account,
        calendar,
        coach,
        free_workout,
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
    )
)
"""Each page route sits behind ``GUARDS`` and out of the OpenAPI document."""

__all__ = ["GUARDS", "ROUTERS"]
