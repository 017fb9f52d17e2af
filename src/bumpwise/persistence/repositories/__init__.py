"""Repositories: the only code that writes SQL queries. Services reach them through a unit of work."""

from bumpwise.persistence.repositories.accounts import AccountRepository
from bumpwise.persistence.repositories.coaching import CoachingRepository
from bumpwise.persistence.repositories.health import HealthRepository
from bumpwise.persistence.repositories.idempotency import IdempotencyRepository, KeyTaken
from bumpwise.persistence.repositories.public import CoachArticleRepository, ImportRepository, LeadRepository
from bumpwise.persistence.repositories.reminders import ReminderRepository
from bumpwise.persistence.repositories.roles import RoleRepository

__all__ = [
    "AccountRepository",
    "CoachArticleRepository",
    "CoachingRepository",
    "HealthRepository",
    "IdempotencyRepository",
    "ImportRepository",
    "KeyTaken",
    "LeadRepository",
    "ReminderRepository",
    "RoleRepository",
]
