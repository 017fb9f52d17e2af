"""Work that does not belong on the request path (issue 18), as jobs on the queue:

- ``mail.send``: every e-mail the app sends (resets, invitations, confirmations, the free-workout
  PDF), retried ``BUMPWISE_MAIL_RETRIES`` times ``BUMPWISE_MAIL_RETRY_SECONDS`` apart when the
  mail server refuses or is away;
- ``mail.free_workout``: a confirmed free-workout lead's PDF, printed and sent (seconds of
  WeasyPrint that the confirmation page no longer waits for);
- ``mail.send_due`` every 15 minutes: the session reminders and weekly summaries that are due
  (each still sent once: ``services.reminders`` keeps a sent-marker per member and day or week);
- ``plans.refresh`` daily at 00:10 UTC: stored plans rebuilt for a new stage week or a knowledge
  update, so that no page view pays for a rebuild;
- ``idempotency.sweep`` hourly: idempotency keys past their lifetime forgotten, which each keyed
  write did before (a statement on every write, and writes waiting on each other's deletes).

A request only enqueues; ``bumpwise serve`` works a SQLite queue itself on one machine, and
``bumpwise worker`` works a Redis queue shared by several (docs/deploy.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bumpwise.adapters.mail import Attachment, Letter, Mailer, redacted_address
from bumpwise.adapters.queue import Queue, Task
from bumpwise.config import Settings
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import idempotency, reminders, reports
from bumpwise.services.free_workout import mail_confirmed_workout
from bumpwise.services.leads import Confirmed
from bumpwise.services.plans import refresh_stored_plans

log = logging.getLogger("bumpwise.jobs")


class MailNotSent(Exception):
    """A send that failed and will be tried again (the queue counts the retries)."""


@dataclass(frozen=True)
class Jobs:
    queue: Queue
    send_mail: Task
    mail_workout: Task
    send_due: Task
    refresh_plans: Task
    sweep_keys: Task


def register(queue: Queue, settings: Settings, kb: KnowledgeBase, new_uow: Callable[[], UnitOfWork]) -> Jobs:
    """The jobs on ``queue``; the web app, ``bumpwise worker`` and ``serve`` register the same
    ones, so what one process enqueues another can run."""
    mailer = Mailer(settings)

    @queue.task("mail.send", retries=settings.mail_retries, retry_delay=settings.mail_retry_seconds)
    def send_mail(
        to: str, subject: str, body: str, attachments: Sequence[Attachment], headers: Mapping[str, str]
    ) -> None:
        try:
            mailer.send(Letter(to, subject, body, attachments, headers))
        except Exception as exc:
            # The queue logs a failed job with its traceback; a mail server's refusal can quote the
            # address, so only the kind of failure and a redacted address go on.
            raise MailNotSent(f"{type(exc).__name__} sending to {redacted_address(to)}") from None

    @queue.task("mail.free_workout", retries=settings.mail_retries, retry_delay=settings.mail_retry_seconds)
    def mail_workout(confirmed: dict[str, object], today: str) -> None:
        lead = Confirmed.model_validate(confirmed)
        if not mail_confirmed_workout(
            kb,
            lead,
            date.fromisoformat(today),
            base_url=settings.base_url,
            deliver=mailer,
            printer=lambda workout: reports.free_workout_pdf(kb, workout),
        ):
            raise MailNotSent(f"the free workout to {redacted_address(lead.email)}")

    @queue.periodic("mail.send_due", minute="*/15")
    def send_due() -> None:
        report = reminders.send_due(
            new_uow(),
            kb,
            mailer,
            base_url=settings.base_url,
            secret=settings.secret_key,
            now=datetime.now(UTC),
        )
        log.info("mail.send_due: %s", report.text())

    @queue.periodic("plans.refresh", minute="10", hour="0")
    def refresh_plans() -> None:
        done = refresh_stored_plans(new_uow, kb, date.today(), datetime.now(UTC))
        log.info("plans.refresh: %d members checked, %d plans rebuilt", done.checked, done.rebuilt)

    @queue.periodic("idempotency.sweep", minute="20")
    def sweep_keys() -> None:
        swept = idempotency.sweep_expired(new_uow, datetime.now(UTC))
        log.info("idempotency.sweep: %d expired keys forgotten", swept)

    return Jobs(queue, send_mail, mail_workout, send_due, refresh_plans, sweep_keys)


@dataclass(frozen=True)
class QueuedMailer(Mailer):
    """A ``Mailer`` whose ``send`` puts the message on the queue: the request that asked for it
    answers at once, and a mail server that is slow or away costs a retry, not a page."""

    enqueue: Task

    def send(self, letter: Letter) -> None:
        # The job keeps its flat arguments so that jobs already waiting on a queue still run.
        attachments, headers = tuple(letter.attachments), dict(letter.headers)
        self.enqueue(letter.to, letter.subject, letter.body, attachments, headers)
