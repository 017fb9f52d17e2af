"""The composition root: settings → engine → unit of work factory → what the services need.

The web app (``bumpwise.web.app.create_app``) and the CLI (``serve``, ``seed-demo``, ``db upgrade``)
both build from here, so neither reaches into the other for its wiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bumpwise.adapters.mail import Deliver, mailer
from bumpwise.adapters.queue import Queue
from bumpwise.adapters.security import Passwords
from bumpwise.config import SettingError, Settings, get_settings
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge
from bumpwise.domain.locale import current_language
from bumpwise.domain.validation import as_catalog_id
from bumpwise.jobs import Jobs, QueuedMailer, register
from bumpwise.persistence.callers import CallerReader
from bumpwise.persistence.db import make_engine, make_session_factory, never_waiting_engine
from bumpwise.persistence.group_commit import GroupCommit
from bumpwise.persistence.together import Together
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.persistence.write_lock import write_lock_for
from bumpwise.services.accounts import AccountRules, TokenLifetime
from bumpwise.services.mail_links import MailLinks
from bumpwise.services.plans import PLANS
from bumpwise.services.rate_limits import RequestLimits
from bumpwise.services.rendered import PAGES
from bumpwise.services.signin_limits import SigninLimits

if TYPE_CHECKING:
    from bumpwise.persistence.loop_connections import LoopConnections


@dataclass(frozen=True)
class Components:
    """Everything a use case may be handed, built once per process."""

    settings: Settings
    knowledge: KnowledgeBase
    """The English knowledge base; ``kb`` gives it in the language in force."""
    engine: Engine
    session_factory: sessionmaker[Session]
    rules: AccountRules
    deliver: Deliver
    jobs: Jobs

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge in the language in force (bumpwise.domain.locale): the same rules, ids and
        numbers as English, with its text translated where a translation exists."""
        lang = current_language()
        return self.knowledge if lang == self.knowledge.lang else default_knowledge(lang)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    @cached_property
    def callers(self) -> CallerReader:
        """The caller and its view version in one read (services.rendered)."""
        return CallerReader(self.engine)

    @cached_property
    def caller_reads(self) -> Together:
        """Caller reads that arrive together, one thread-pool hop for all (on a server database,
        web.deps.read_caller)."""
        return Together()

    @property
    def mail_links(self) -> MailLinks:
        """The site's address and the sender, for account e-mails."""
        return MailLinks(self.settings.base_url, self.deliver)

    @cached_property
    def loop_connections(self) -> LoopConnections | None:
        """On PostgreSQL, the event loop's own async connections (persistence.loop_connections),
        opened and closed by the web app's lifespan; None on SQLite."""
        if self.engine.dialect.name != "postgresql":
            return None
        from bumpwise.persistence.loop_connections import LoopConnections

        return LoopConnections(self.engine)

    @cached_property
    def writes(self) -> GroupCommit:
        """Writes that arrive together, committed together (persistence.group_commit): on a SQLite
        file, on the event loop when nothing there would wait; on PostgreSQL, on the event loop
        with their rows sent with the commit, while the app runs."""
        lock = write_lock_for(self.engine)
        never_waiting = never_waiting_engine(self.engine, self.settings)
        if never_waiting is not None:
            loop_sessions = make_session_factory(never_waiting)
            return GroupCommit(self.uow, lock=lock, on_the_loop=partial(UnitOfWork, loop_sessions))
        if self.loop_connections is not None:
            from bumpwise.persistence.loop_writes import LoopWrites

            sessions = make_session_factory(self.engine)
            loop_writes = LoopWrites(self.loop_connections, sessions, self.engine.dialect)
            return GroupCommit(self.uow, lock=lock, loop_writes=loop_writes)
        return GroupCommit(self.uow, lock=lock)


def settings_from_environment() -> Settings:
    """The ``BUMPWISE_*`` settings, or an ``InputError`` naming the variable that is wrong."""
    try:
        return get_settings()
    except ValidationError as exc:
        detail = exc.errors()[0]
        field = "_".join(map(str, detail["loc"])).upper()
        name = f"BUMPWISE_{field}" if field else "settings"
        error = (detail.get("ctx") or {}).get("error")
        if isinstance(error, SettingError):  # our own sentence, as a catalog id
            raise InputError(name, error.template, values=error.values) from None
        message, values = as_catalog_id(
            str(detail["msg"]).removeprefix("Value error, "), detail.get("ctx") or {}
        )
        raise InputError(name, message, values=values) from None


def account_rules(settings: Settings) -> AccountRules:
    return AccountRules(
        passwords=Passwords(cheap=settings.cheap_password_hashing),
        secret=settings.secret_key,
        session_hours=settings.session_hours,
        idle_minutes=settings.session_idle_minutes,
        tokens=TokenLifetime(settings.token_days, settings.token_days_max),
        signin=SigninLimits(
            pair_allowed=settings.login_attempts_allowed,
            window_seconds=settings.login_window_seconds,
            slowdown_email=settings.login_slowdown_email,
            slowdown_client=settings.login_slowdown_client,
            slowdown_seconds=settings.login_slowdown_seconds,
        ),
        requests=RequestLimits(
            signups_per_hour=settings.signups_per_hour,
            reset_requests_per_hour=settings.reset_requests_per_hour,
            free_pdfs_per_hour=settings.free_pdfs_per_hour,
            free_workouts_per_hour=settings.free_workouts_per_hour,
        ),
        reset_minutes=settings.reset_link_minutes,
    )


def build(settings: Settings) -> Components:
    engine = make_engine(settings)
    PLANS.size = settings.plan_cache_size
    PAGES.size = settings.page_cache_size
    knowledge, session_factory = default_knowledge("en"), make_session_factory(engine)
    jobs = register(Queue(settings.job_queue), settings, knowledge, lambda: UnitOfWork(session_factory))
    return Components(
        settings=settings,
        knowledge=knowledge,
        engine=engine,
        session_factory=session_factory,
        rules=account_rules(settings),
        deliver=mailer(settings) if jobs.queue.inline else QueuedMailer(settings, jobs.send_mail),
        jobs=jobs,
    )
