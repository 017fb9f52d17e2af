"""Settings for the web app, the database and the server commands, read from ``BUMPWISE_*``.

Nothing is read at import time: ``get_settings()`` builds (and caches) the settings on first use,
and tests build their own ``Settings(...)``. Outside development and tests, unsafe defaults are
refused: a missing or weak secret key stops the app from starting.
"""

from __future__ import annotations

import os
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def N_(message: str) -> str:
    """Marks a catalog id, as ``bumpwise.domain.catalog.N_`` does (the settings import no domain)."""
    return message


class SettingError(ValueError):
    """A setting's problem as a catalog id and its values: the message is the English sentence;
    ``bootstrap.settings_from_environment`` passes the id on to be translated where it is shown."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)


Environment = Literal["development", "test", "production"]
RELAXED_ENVIRONMENTS: frozenset[str] = frozenset({"development", "test"})
DEVELOPMENT_SECRET = "development-only-secret-key-never-use-in-production"
UNSAFE_SECRETS = frozenset({"", "changethis", "secret", "changeme", DEVELOPMENT_SECRET})
MIN_SECRET_LENGTH = 32


def data_dir() -> Path:
    """The user's data folder for bumpwise (XDG_DATA_HOME, else ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bumpwise"


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'bumpwise.db'}"


def parse_networks(text: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` as networks; a bad entry is an error naming it."""
    networks = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ip_network(part, strict=False))
        except ValueError:
            raise SettingError(
                N_("BUMPWISE_TRUSTED_PROXIES: %(value)s is not an IP address or network (e.g. 10.0.0.0/8)"),
                value=repr(part),
            ) from None
    return tuple(networks)


INLINE_QUEUE = "inline"
QUEUE_SCHEMES = ("redis://", "rediss://", "sqlite:///")

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BUMPWISE_", extra="ignore", frozen=True)

    env: Environment = "production"
    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    cheap_password_hashing: bool = Field(
        default=False, description="argon2id with the cheapest parameters: tests only"
    )
    max_request_bytes: int = Field(default=256 * 1024, ge=1024)
    max_import_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1024,
        description="a coach's upload of an exercise export (wger: about 4 MB)",
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="absolute session lifetime")
    session_idle_minutes: int = Field(default=30, ge=1, description="a session unused this long ends")
    token_days: int = Field(default=30, ge=1, description="API token lifetime when none is chosen")
    token_days_max: int = Field(default=365, ge=1, description="the longest API token lifetime")
    login_attempts_allowed: int = Field(
        default=5, ge=1, description="failed sign-ins per e-mail and client address in a window"
    )
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_slowdown_email: int = Field(
        default=20, ge=1, description="failures on one e-mail (any address) before attempts are spaced"
    )
    login_slowdown_client: int = Field(
        default=100, ge=1, description="failures from one address (any e-mail) before attempts are spaced"
    )
    login_slowdown_seconds: int = Field(default=10, ge=1, description="spacing once slowed down")
    trusted_proxies: str = Field(
        default="", description="comma-separated addresses or networks whose X-Forwarded-For is believed"
    )
    signups_per_hour: int = Field(default=10, ge=1, description="per client address")
    reset_requests_per_hour: int = Field(default=10, ge=1, description="per client address")
    free_pdfs_per_hour: int = Field(default=30, ge=1, description="per client address")
    free_workouts_per_hour: int = Field(
        default=60, ge=1, description="free workouts (API and page) per client address"
    )
    reset_link_minutes: int = Field(default=60, ge=5)
    migrate_on_start: bool = True
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        default="FULL",
        description="SQLite only: FULL syncs the write-ahead log at every commit, so an acknowledged "
        "write survives a power loss; NORMAL survives the process being killed, not a power loss",
    )
    worker_threads: int = Field(
        default=8, ge=1, le=200, description="threads per process for the blocking (database) work"
    )
    plan_cache_size: int = Field(
        default=0,
        ge=0,
        description="parsed stored plans kept per process, keyed by fingerprint (0, the default: none). "
        "Each is about 960 objects the garbage collector scans; with many members they churn through the "
        "cache and pause a worker (bench/README.md). Raise it only when every member's plan fits",
    )
    page_cache_size: int = Field(
        default=4096,
        ge=0,
        description="member pages (today, week) kept rendered per process (0: none), keyed by view version",
    )
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = Field(
        default=None, description="never logged or shown: a SecretStr prints as stars"
    )
    smtp_from: str = "bumpwise@localhost"
    smtp_starttls: bool = Field(
        default=True, description="upgrade with STARTTLS before login (turn off only for a relay on loopback)"
    )
    smtp_ca_file: Path | None = Field(
        default=None, description="PEM file of the CA that signed the mail server's certificate"
    )
    smtp_password_file: Path | None = Field(
        default=None, description="a file holding the SMTP password (a container secret), read when sending"
    )
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    mail_outbox: Path | None = Field(
        default=None, description="without SMTP, write each message here as .eml (development default)"
    )
    queue_url: str | None = Field(
        default=None,
        description="where jobs wait: redis://host:port/db, sqlite:///file, or inline (run at once); "
        "default: a SQLite file in the data folder, worked by `bumpwise serve` itself (tests: inline)",
    )
    queue_threads: int = Field(default=2, ge=1, le=64, description="threads working the job queue")
    mail_retries: int = Field(default=5, ge=0, le=50, description="attempts after a failed send")
    mail_retry_seconds: int = Field(default=60, ge=1, description="wait before each new attempt")

    @field_validator("queue_url")
    @classmethod
    def _queue_url_is_known(cls, value: str | None) -> str | None:
        if value is not None and value != INLINE_QUEUE and not value.startswith(QUEUE_SCHEMES):
            raise SettingError(
                N_(
                    "BUMPWISE_QUEUE_URL must be %(inline)s or start with one of %(schemes)s "
                    "(got %(scheme)s:…)"
                ),
                inline=repr(INLINE_QUEUE),
                schemes=", ".join(QUEUE_SCHEMES),
                scheme=repr(value.split(":", 1)[0]),
            )
        return value

    @property
    def job_queue(self) -> str:
        """The queue in use: the one set, else inline for tests, else a SQLite file that
        ``bumpwise serve`` works itself (one machine, nothing else to run): beside a SQLite
        database (so each database has its own queue), else in the data folder."""
        if self.queue_url is not None:
            return self.queue_url
        if self.env == "test":
            return INLINE_QUEUE
        database = self.database_url.removeprefix("sqlite:///")
        beside = self.is_sqlite and database not in ("", ":memory:") and database != self.database_url
        path = f"{database}-queue.sqlite3" if beside else str(data_dir() / "queue.sqlite3")
        return f"sqlite:///{path}"

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return parse_networks(self.trusted_proxies)

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> Settings:
        if not self.smtp_starttls and self.smtp_user and self.smtp_host not in LOOPBACK_HOSTS:
            raise SettingError(
                N_(
                    "BUMPWISE_SMTP_STARTTLS may be off only for a mail relay on loopback "
                    "(%(hosts)s): a login would send the password in clear"
                ),
                hosts=", ".join(sorted(LOOPBACK_HOSTS)),
            )
        return self

    def smtp_secret(self) -> str | None:
        """The SMTP password: BUMPWISE_SMTP_PASSWORD, else the file BUMPWISE_SMTP_PASSWORD_FILE."""
        if self.smtp_password is not None:
            return self.smtp_password.get_secret_value()
        if self.smtp_password_file is not None:
            return self.smtp_password_file.read_text(encoding="utf-8").strip()
        return None

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.relaxed:
            if not self.secret_key:
                object.__setattr__(self, "secret_key", DEVELOPMENT_SECRET)
            return self
        if self.secret_key in UNSAFE_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingError(
                N_(
                    "BUMPWISE_SECRET_KEY must be set to a random value of at least "
                    "%(length)s characters outside development (set BUMPWISE_ENV=development "
                    "to run locally with a development key)"
                ),
                length=MIN_SECRET_LENGTH,
            )
        if self.cheap_password_hashing:
            raise SettingError(N_("BUMPWISE_CHEAP_PASSWORD_HASHING is for tests only"))
        return self

    @property
    def relaxed(self) -> bool:
        """Development or tests: development defaults allowed, cookies without ``Secure``."""
        return self.env in RELAXED_ENVIRONMENTS

    @property
    def secure_cookies(self) -> bool:
        return not self.relaxed

    @property
    def email_enabled(self) -> bool:
        return self.smtp_host is not None

    @property
    def outbox(self) -> Path | None:
        """Where mail goes without SMTP: the folder set, or in development ``<data>/outbox``."""
        if self.mail_outbox is not None:
            return self.mail_outbox
        return data_dir() / "outbox" if self.env == "development" else None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
