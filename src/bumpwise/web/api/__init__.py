"""The JSON API under /api/v1: one module per resource, all over the same services as the pages."""

from fastapi import APIRouter

from bumpwise.web.api import (
    admin,
    auth,
    branding,
    coach,
    coaches,
    contract,
    exercises,
    free_workout,
    imports,
    library,
    logs,
    me,
    plans,
    profile,
    reminders,
    reports,
    roles,
    symptoms,
)

api_router = APIRouter(prefix="/api/v1", generate_unique_id_function=contract.operation_id)
# Routes are matched in order, one by one (about 10 µs each): the busiest go first, the public
# library, today and the week, log writes and the public free workout.
for module in (
    exercises,
    plans,
    logs,
    free_workout,
    auth,
    me,
    profile,
    reports,
    reminders,
    symptoms,
    coaches,
    coach,
    branding,
    imports,
    library,
    admin,
    roles,
):
    api_router.include_router(module.router)

__all__ = ["api_router"]
