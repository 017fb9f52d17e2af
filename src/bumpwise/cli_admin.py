"""``bumpwise admin grant EMAIL``: how the first admin is made, by whoever runs the server.

The person signs up as a member first (no password ever passes through the command line); the
operator then runs this on the server with the same ``BUMPWISE_*`` settings as the app.
"""

from __future__ import annotations

from typing import Annotated

import typer

admin_app = typer.Typer(help="Accounts on the server's database (run by the operator).", no_args_is_help=True)


@admin_app.command("grant")
def grant(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="an existing account's e-mail")],
) -> None:
    """Make an existing account an admin (the first admin is made this way)."""
    from bumpwise.cli import _web_settings
    from bumpwise.persistence.db import make_engine, make_session_factory
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.persistence.uow import UnitOfWork
    from bumpwise.services import admin

    settings = _web_settings()
    upgrade(settings.database_url)
    engine = make_engine(settings)
    try:
        user = admin.grant_admin(UnitOfWork(make_session_factory(engine)), email)
    finally:
        engine.dispose()
    typer.echo(f"{user.email} is now an admin")


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
