"""Running the app under uvicorn for ``bumpwise serve``, with an access log that keeps no secret.

Some addresses are credentials: a calendar feed (``/calendar/<token>.ics``), a password-reset link
(``/reset/<token>``), a coach's invite (``/invite/<code>``), an admin's coach invitation, a lead's
unsubscribe and confirmation links, an e-mail change link and an e-mail confirmation link. The
access log shows them as ``[redacted]``; a query parameter that looks like a credential is blanked
the same way.
"""

from __future__ import annotations

import copy
import logging
import re

SECRET_PATHS = re.compile(
    r"^(?P<prefix>/(?:calendar|reset|invite|coach-invitation|unsubscribe/mail|unsubscribe|free-workout/confirm"
    r"|account/email|confirm-email)/)[^/?#\s]+?(?P<suffix>\.ics)?(?=$|[/?#\s])"
)
SECRET_PARAMS = re.compile(r"(?P<name>[?&](?:token|code|key|password)=)[^&#\s]*", re.IGNORECASE)
REDACTED = "[redacted]"
ACCESS_PATH_ARG = 2
"""uvicorn's access record: (client, method, path with query, HTTP version, status)."""


def redact(path: str) -> str:
    path = SECRET_PATHS.sub(lambda m: f"{m['prefix']}{REDACTED}{m['suffix'] or ''}", path)
    return SECRET_PARAMS.sub(lambda m: f"{m['name']}{REDACTED}", path)


class RedactSecrets(logging.Filter):
    """Rewrites the path of each access-log record; every record is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > ACCESS_PATH_ARG:
            path = args[ACCESS_PATH_ARG]
            if isinstance(path, str):
                record.args = (*args[:ACCESS_PATH_ARG], redact(path), *args[ACCESS_PATH_ARG + 1 :])
        return True


def log_config() -> dict[str, object]:
    """uvicorn's own logging setup, with ``RedactSecrets`` on the access handler."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = copy.deepcopy(LOGGING_CONFIG)
    filters, handlers = config.setdefault("filters", {}), config["handlers"]
    assert isinstance(filters, dict) and isinstance(handlers, dict)  # the shape of LOGGING_CONFIG
    filters["redact_secrets"] = {"()": RedactSecrets}
    handlers["access"].setdefault("filters", []).append("redact_secrets")
    return config


def serve(app_factory: str, host: str, port: int, workers: int = 1) -> None:
    """Run ``app_factory`` (``module:function``) under uvicorn with the redacting access log, in
    ``workers`` processes that share nothing but the database."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    uvicorn.run(
        app_factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(),
        # The app reads X-Forwarded-For itself (web/proxies.py), so uvicorn must not rewrite the peer.
        proxy_headers=False,
    )
