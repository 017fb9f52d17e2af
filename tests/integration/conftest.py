"""Integration tests run the services on real databases: SQLite and PostgreSQL."""

from dbsupport import database_url, engine, rules, uow  # noqa: F401
