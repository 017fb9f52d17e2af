"""session logs bump their member's view version in the database (issue 18)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 19:00:00

Until now the ORM session's hooks bumped ``users.view_version`` for every write
(persistence/view_versions.py). A session log is now stored on the driver's cursor, around the
session and its hooks (a log written and committed alone on SQLite: 137 µs of CPU, against 275
through the session with the hooks' bump; bench/README.md), so the database itself bumps for
this table: a trigger after each insert, update and delete, in the same transaction as the write,
whatever wrote it. The hooks leave the table to these triggers (``view_versions.BUMPED_BY_DATABASE``).

On PostgreSQL the bump waits for the commit, as the hooks' bump is the transaction's last
statement: a trigger after each write notes the member in a setting local to the transaction, and
a constraint trigger deferred to the commit bumps every member noted, in one statement, after
locking their rows in the order of their ids. So a batch of writes does not lock its members'
rows while it writes, and two batches committing at once lock them in one order: a bump per row
at the commit, in the order the rows were written, deadlocked two workers' batches holding the
same members in opposite orders (seen in the scale bench: PostgreSQL found it after its 1 s
deadlock timeout, and that worker's writes waited behind it). SQLite lets one transaction write at
a time, so its triggers bump with each statement.

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
NOTED = "bumpwise.members_to_bump"
"""A setting local to the transaction: the members whose logs it wrote, comma-separated."""
POSTGRES_FUNCTIONS = (
    f"""
CREATE FUNCTION session_logs_note_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    noted text := nullif(current_setting('{NOTED}', true), '');
BEGIN
    IF TG_OP <> 'INSERT' THEN
        noted := concat_ws(',', noted, OLD.user_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        noted := concat_ws(',', noted, NEW.user_id);
    END IF;
    PERFORM set_config('{NOTED}', noted, true);
    RETURN NULL;
END
$$
""",
    f"""
CREATE FUNCTION session_logs_bump_noted_members() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    noted integer[] := string_to_array(nullif(current_setting('{NOTED}', true), ''), ',')::integer[];
BEGIN
    IF noted IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('{NOTED}', '', true);
    PERFORM 1 FROM users WHERE id = ANY(noted) ORDER BY id FOR NO KEY UPDATE;
    UPDATE users SET view_version = view_version + 1 WHERE id = ANY(noted);
    RETURN NULL;
END
$$
""",
)
POSTGRES_TRIGGERS = (
    "CREATE TRIGGER session_logs_note AFTER INSERT OR UPDATE OR DELETE ON session_logs "
    "FOR EACH ROW EXECUTE FUNCTION session_logs_note_member()",
    "CREATE CONSTRAINT TRIGGER session_logs_bump AFTER INSERT OR UPDATE OR DELETE ON session_logs "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION session_logs_bump_noted_members()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS):
            op.execute(statement)
        return
    for name, (when, statements) in SQLITE_TRIGGERS.items():
        body = "; ".join(statements)
        op.execute(f"CREATE TRIGGER {name} {when} ON session_logs FOR EACH ROW BEGIN {body}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("session_logs_bump", "session_logs_note"):
            op.execute(f"DROP TRIGGER {trigger} ON session_logs")
        for function in ("session_logs_bump_noted_members", "session_logs_note_member"):
            op.execute(f"DROP FUNCTION {function}()")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
