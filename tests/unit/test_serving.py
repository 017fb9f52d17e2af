"""The access log of ``bumpwise serve``: credentials in addresses are redacted, nothing else."""

from __future__ import annotations

import logging
import re

import pytest

from bumpwise.serving import RedactSecrets, log_config, redact


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/calendar/Zm9vYmFyLXNlY3JldA.ics", "/calendar/[redacted].ics"),
        ("/reset/abc_DEF-123?x=1", "/reset/[redacted]?x=1"),
        ("/invite/K7M2P9QX", "/invite/[redacted]"),
        ("/coach-invitation/abc_DEF-123", "/coach-invitation/[redacted]"),
        ("/unsubscribe/abc_DEF-123/", "/unsubscribe/[redacted]/"),
        ("/unsubscribe/mail/12.reminder.a1b2c3", "/unsubscribe/mail/[redacted]"),
        ("/confirm-email/eyJ1c2VyIjoxfQ.abc_DEF-123", "/confirm-email/[redacted]"),
        ("/account/email-verification", "/account/email-verification"),
        ("/x?token=abc&y=2&code=9", "/x?token=[redacted]&y=2&code=[redacted]"),
        ("/reset", "/reset"),
        ("/account/calendar/revoke", "/account/calendar/revoke"),
        ("/signin?next=%2Ftoday", "/signin?next=%2Ftoday"),
    ],
)
def test_credentials_in_addresses_are_redacted(path: str, logged: str) -> None:
    assert redact(path) == logged


def test_the_filter_rewrites_uvicorns_access_record_and_keeps_it() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/reset/secret-token-value", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "secret-token-value" not in record.getMessage() and "/reset/[redacted]" in record.getMessage()


def test_the_filter_is_on_the_access_handler() -> None:
    handlers = log_config()["handlers"]
    assert isinstance(handlers, dict) and "redact_secrets" in handlers["access"]["filters"]


NOT_SECRET = re.compile(r"_id$|^handle$|^export$|^slug$|^tag$")
"""Path parameters that are public: row ids, a coach's public handle, an export's file name, an
article's slug and a tag."""


def test_every_route_that_takes_a_secret_in_its_path_is_redacted() -> None:
    """Derived from the app's routes: any path parameter that is not public must be redacted, so a
    new secret link cannot be forgotten here."""
    from fastapi.routing import iter_route_contexts

    from bumpwise.config import Settings
    from bumpwise.web.app import create_app

    app = create_app(Settings(env="test", database_url="sqlite://", migrate_on_start=False))
    secret = "S3cretValue_-x"
    checked = set()
    for context in iter_route_contexts(app.routes):
        path = str(context.path)
        if any(not NOT_SECRET.search(name) for name in re.findall(r"{(\w+)", path)):
            assert secret not in redact(re.sub(r"{\w+(?::\w+)?}", secret, path)), path
            checked.add(path)
    assert {"/calendar/{token}.ics", "/reset/{token}", "/unsubscribe/{lead_token}"} <= checked
    assert "/free-workout/confirm/{confirm_token}" in checked
