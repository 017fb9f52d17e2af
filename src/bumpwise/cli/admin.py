"""``bumpwise admin grant EMAIL``: how the first admin is made, by whoever runs the server.

The person signs up as a member first (no password ever passes through the command line); the
operator then runs this on the server with the same ``BUMPWISE_*`` settings as the app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bumpwise.domain.catalog import _

app = typer.Typer(help="Accounts on the server's database (run by the operator).", no_args_is_help=True)


@app.command("grant")
def grant(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="an existing account's e-mail")],
) -> None:
    """Make an existing account an admin (the first admin is made this way)."""
    from bumpwise.bootstrap import build, settings_from_environment
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services import admin

    settings = settings_from_environment()
    upgrade(settings.database_url)
    parts = build(settings)
    try:
        user = admin.grant_admin(parts.uow(), email)
    finally:
        parts.engine.dispose()
    typer.echo(_("%(email)s is now an admin", email=user.email))
