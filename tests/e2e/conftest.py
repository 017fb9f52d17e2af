"""API and page tests: the app over TestClient, on SQLite and PostgreSQL."""

from dbsupport import database_url, engine, rules, uow  # noqa: F401
from websupport import app, client  # noqa: F401
