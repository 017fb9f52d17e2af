"""session logs bump their member's view version in the database (issue 18)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 19:00:00

Until now the ORM session's hooks bumped ``users.view_version`` for every write
(persistence/view_versions.py). A session log is now stored on the driver's connection, which
costs a tenth of a statement through the session, so the database itself bumps for this table:
a trigger after each insert, update and delete, in the same transaction as the write, whatever
wrote it. The hooks leave the table to these triggers (``view_versions.BUMPED_BY_DATABASE``).

On PostgreSQL the trigger is deferred to the commit, as the hooks' bump is the transaction's last
statement: the member's ``users`` row is locked for the shortest time, not from the first log of
a batch of writes to its commit (two batches locking members in opposite orders would deadlock).
SQLite has one writer at a time, so its triggers run with each statement.

A session log is always a member's own (only members log), so the trigger bumps that member:
no coach's linked members are involved, as they are for a coach's rows.

SQLite drops a table's triggers when a migration rebuilds the table (Alembic's batch mode does,
for most column changes): a later migration that rebuilds ``session_logs`` must create them
again. tests/integration/test_view_versions.py fails at head if they are missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE users SET view_version = view_version + 1 WHERE id = {row}.user_id"
SQLITE_TRIGGERS = {
    "session_logs_bump_on_insert": ("AFTER INSERT", [BUMP.format(row="NEW")]),
    "session_logs_bump_on_update": ("AFTER UPDATE", [BUMP.format(row="OLD"), BUMP.format(row="NEW")]),
    "session_logs_bump_on_delete": ("AFTER DELETE", [BUMP.format(row="OLD")]),
}
POSTGRES_FUNCTION = f"""
CREATE FUNCTION session_logs_bump_view_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {BUMP.format(row="OLD")};
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        {BUMP.format(row="NEW")};
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRES_TRIGGER = (
    "CREATE CONSTRAINT TRIGGER session_logs_bump AFTER INSERT OR UPDATE OR DELETE ON session_logs "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION session_logs_bump_view_version()"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
        return
    for name, (when, statements) in SQLITE_TRIGGERS.items():
        body = "; ".join(statements)
        op.execute(f"CREATE TRIGGER {name} {when} ON session_logs FOR EACH ROW BEGIN {body}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER session_logs_bump ON session_logs")
        op.execute("DROP FUNCTION session_logs_bump_view_version()")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
