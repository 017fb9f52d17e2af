"""Users and their credentials: sessions, API tokens, password resets and failed sign-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import ApiToken, CalendarFeed, LoginAttempt, PasswordReset, User, WebSession


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: User | WebSession | ApiToken | CalendarFeed | PasswordReset | LoginAttempt) -> None:
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

    def web_session(self, token_hash: str, now: datetime) -> tuple[WebSession, User] | None:
        query = (
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == token_hash, WebSession.expires_at > now)
        )
        row = self.session.execute(query).first()
        return None if row is None else (row[0], row[1])

    def delete_web_session(self, token_hash: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))

    def delete_web_sessions_of(self, user_id: int) -> None:
        self.session.execute(delete(WebSession).where(WebSession.user_id == user_id))

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

    def failures_since(self, keys: Sequence[str], since: datetime) -> int:
        query = select(func.count()).where(LoginAttempt.key.in_(keys), LoginAttempt.attempted_at > since)
        return int(self.session.scalar(query) or 0)

    def clear_failures(self, key: str) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))

    def forget_failures_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
