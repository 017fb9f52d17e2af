"""The tables. Importing this package registers every model on ``Base.metadata``."""

from bumpwise.persistence.base import Base
from bumpwise.persistence.models.accounts import (
    ROLES,
    ApiToken,
    CalendarFeed,
    LoginAttempt,
    PasswordReset,
    RateLimitHit,
    User,
    WebSession,
)
from bumpwise.persistence.models.coaching import AuditEntry, CoachBranding, CoachGrant, CoachInvite, CoachSwap
from bumpwise.persistence.models.health import MemberProfile, SessionLog, StoredPlan, SymptomReport
from bumpwise.persistence.models.idempotency import IdempotentRequest
from bumpwise.persistence.models.public import ArticleShare, CoachArticle, ImportedExercise, Lead
from bumpwise.persistence.models.reminders import MailSent, ReminderSettings
from bumpwise.persistence.models.roles import CoachInvitation, CoachPage

__all__ = [
    "ROLES",
    "ApiToken",
    "ArticleShare",
    "AuditEntry",
    "Base",
    "CalendarFeed",
    "CoachArticle",
    "CoachBranding",
    "CoachGrant",
    "CoachInvitation",
    "CoachInvite",
    "CoachPage",
    "CoachSwap",
    "IdempotentRequest",
    "ImportedExercise",
    "Lead",
    "LoginAttempt",
    "MailSent",
    "MemberProfile",
    "PasswordReset",
    "RateLimitHit",
    "ReminderSettings",
    "SessionLog",
    "StoredPlan",
    "SymptomReport",
    "User",
    "WebSession",
]
