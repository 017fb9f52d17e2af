"""Users and their credentials: sessions, API tokens, password resets and failed sign-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bumpwise.persistence.driver_sql import DriverSelect
from bumpwise.persistence.models import (
    ApiToken,
    CalendarFeed,
    LoginAttempt,
    PasswordReset,
    RateLimitHit,
    User,
    WebSession,
)

TokenCaller = tuple[int, datetime, datetime | None, int, str, str, str, str | None]
SessionCaller = tuple[datetime, int, str, str, str, str | None]
PRUNED_AT_ONCE = 100
# A counted request's statements, built once (composing them costs more than running them).
_HITS = RateLimitHit.__table__.c
HITS_SINCE = select(func.count(), func.min(_HITS.hit_at)).where(
    _HITS.key == bindparam("key"), _HITS.hit_at > bindparam("since")
)
COUNT_HIT = insert(RateLimitHit).values(key=bindparam("key"), hit_at=bindparam("hit_at"))
_OLDEST_HITS = select(_HITS.id).order_by(_HITS.id).limit(bindparam("at_most"))
FORGET_HITS = delete(RateLimitHit).where(_HITS.id.in_(_OLDEST_HITS), _HITS.hit_at < bindparam("cutoff"))
# Built once: composing a select costs more than running it on SQLite (about 0.5 ms a request).
TOKEN_CALLER = (
    select(
        ApiToken.id,
        ApiToken.expires_at,
        ApiToken.last_used_at,
        User.id,
        User.role,
        User.display_name,
        User.email,
        User.language,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
SESSION_CALLER = (
    select(WebSession.last_seen_at, User.id, User.role, User.display_name, User.email, User.language)
    .join(User, User.id == WebSession.user_id)
    .where(WebSession.token_hash == bindparam("token_hash"), WebSession.expires_at > bindparam("now"))
)

# A token's full check and every page's session check read one of these, on the driver's cursor:
# SQLAlchemy's execution of the same select cost about 3.5 times as much (issue 18).
READ_TOKEN_CALLER = DriverSelect(TOKEN_CALLER)
READ_SESSION_CALLER = DriverSelect(SESSION_CALLER)

Row = User | WebSession | ApiToken | CalendarFeed | PasswordReset | LoginAttempt | RateLimitHit


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: Row) -> None:
        self.session.add(row)
        self.session.flush()

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def user_by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).first()

    def users(self, *, limit: int, offset: int) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.id).limit(limit).offset(offset)).all()

    def delete_user(self, user: User) -> None:
        self.session.delete(user)
        self.session.flush()

    def delete_web_session(self, token_hash: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))

    def delete_web_sessions_of(self, user_id: int, *, keep: str | None = None) -> None:
        """End every browser session of the user, but the one whose digest is ``keep``."""
        query = delete(WebSession).where(WebSession.user_id == user_id)
        if keep is not None:
            query = query.where(WebSession.token_hash != keep)
        self.session.execute(query)

    def web_sessions_of(self, user_id: int, now: datetime) -> Sequence[WebSession]:
        query = select(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at > now)
        return self.session.scalars(query.order_by(WebSession.last_seen_at.desc())).all()

    def forget_sessions_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(WebSession).where(WebSession.expires_at < cutoff))

    def last_user_id(self) -> int:
        return int(self.session.scalar(select(func.max(User.id))) or 0)

    def last_token_id(self) -> int:
        return int(self.session.scalar(select(func.max(ApiToken.id))) or 0)

    def token_caller(self, token_hash: str) -> TokenCaller | None:
        """The few columns a request's token check needs: token id, expiry, last use, and the
        owner's id, role, name, e-mail and language (one prepared query, no entities loaded)."""
        found = READ_TOKEN_CALLER.first(self.session, {"token_hash": token_hash})
        return cast("TokenCaller | None", found)

    def touch_token(self, token_id: int, now: datetime) -> None:
        self.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))

    def session_caller(self, token_hash: str, now: datetime) -> SessionCaller | None:
        """A live browser session's last activity and its owner's id, role, name, e-mail and language."""
        found = READ_SESSION_CALLER.first(self.session, {"token_hash": token_hash, "now": now})
        return cast("SessionCaller | None", found)

    def touch_web_session(self, token_hash: str, now: datetime) -> None:
        query = update(WebSession).where(WebSession.token_hash == token_hash).values(last_seen_at=now)
        self.session.execute(query)

    def token_owner(self, token_hash: str) -> tuple[ApiToken, User] | None:
        query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        row = self.session.execute(query.where(ApiToken.token_hash == token_hash)).first()
        return None if row is None else (row[0], row[1])

    def tokens_of(self, user_id: int) -> Sequence[ApiToken]:
        query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
        return self.session.scalars(query).all()

    def token(self, token_id: int) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def delete_token(self, token: ApiToken) -> None:
        self.session.delete(token)
        self.session.flush()

    def delete_tokens_of(self, user_id: int, *, keep: int | None = None) -> None:
        query = delete(ApiToken).where(ApiToken.user_id == user_id)
        if keep is not None:
            query = query.where(ApiToken.id != keep)
        self.session.execute(query)

    def calendar_feed(self, user_id: int) -> CalendarFeed | None:
        return self.session.get(CalendarFeed, user_id)

    def calendar_feed_by_hash(self, token_hash: str) -> CalendarFeed | None:
        return self.session.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash)).first()

    def delete_calendar_feed(self, feed: CalendarFeed) -> None:
        self.session.delete(feed)
        self.session.flush()

    def reset_by_hash(self, token_hash: str) -> PasswordReset | None:
        query = select(PasswordReset).where(PasswordReset.token_hash == token_hash)
        return self.session.scalars(query).first()

    def delete_resets_of(self, user_id: int) -> None:
        self.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user_id))

    def failures_since(
        self, since: datetime, *, email_key: str | None = None, client_key: str | None = None
    ) -> tuple[int, datetime | None]:
        """How many failed sign-ins match since ``since``, and when the latest was."""
        query = select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.attempted_at > since
        )
        if email_key is not None:
            query = query.where(LoginAttempt.email_key == email_key)
        if client_key is not None:
            query = query.where(LoginAttempt.client_key == client_key)
        count, latest = self.session.execute(query).one()
        return int(count or 0), _aware(latest)

    def clear_failures(self, email_key: str, client_key: str) -> None:
        self.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.email_key == email_key, LoginAttempt.client_key == client_key
            )
        )

    def forget_failures_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))

    def hits_since(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        """How many counted requests ``key`` made since ``since``, and when the oldest of them was."""
        count, oldest = self.session.execute(HITS_SINCE, {"key": key, "since": since}).one()
        return int(count or 0), _aware(oldest)

    def count_hit(self, key: str, at: datetime) -> None:
        """One counted request of ``key`` (a plain insert: nothing reads the row back)."""
        self.session.connection().execute(COUNT_HIT, {"key": key, "hit_at": at})

    def forget_hits_before(self, cutoff: datetime, at_most: int = PRUNED_AT_ONCE) -> None:
        """Delete counted requests older than ``cutoff`` among the ``at_most`` oldest rows (by id,
        which grows with time): an index range instead of a scan of every row on each count, and
        since each count adds one row, the table still shrinks to the window."""
        self.session.connection().execute(FORGET_HITS, {"cutoff": cutoff, "at_most": at_most})


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates skip the column type, so naive UTC comes back from min() and max()."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
