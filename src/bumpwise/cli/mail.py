"""``bumpwise mail send-due``: the reminder and weekly-summary e-mails that are due, for cron.

Run it every 15 minutes or so with the server's ``BUMPWISE_*`` settings; each member gets at most
one reminder a day and one summary a week however often it runs (a sent-marker per member and
day or week). Mail goes through SMTP (``BUMPWISE_SMTP_*``) or, in development, to the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import InputError

app = typer.Typer(
    help="E-mail that members asked for (run by the operator, from cron).", no_args_is_help=True
)


def _instant(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            "--now", N_("must be an ISO 8601 date and time such as 2026-12-07T06:30:00+00:00")
        ) from None
    if moment.tzinfo is None:
        raise InputError("--now", N_("needs a UTC offset, such as 2026-12-07T06:30:00+00:00"))
    return moment.astimezone(UTC)


@app.command("send-due")
def send_due(
    now: Annotated[
        str | None,
        typer.Option("--now", help="act as if it were this moment (ISO 8601 with offset); for testing"),
    ] = None,
) -> None:
    """Send every session reminder and weekly summary that is due now, each once."""
    from bumpwise.adapters.mail import mailer
    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services import reminders

    moment = _instant(now)
    settings = settings_from_environment()
    upgrade(settings.database_url)
    parts = build(settings)
    try:
        report = reminders.send_due(
            parts.uow(),
            parts.kb,
            mailer(settings),  # sent here and now: cron is already off the request path
            base_url=settings.base_url,
            secret=settings.secret_key,
            now=moment,
        )
    finally:
        parts.engine.dispose()
    typer.echo(report.text())
    if report.failed:
        raise SystemExit(1)
