"""Every write that can change what a member sees either goes through the ORM session, whose
hooks bump the member's view version (``persistence/view_versions.py``), or goes to a table whose
bump the database's triggers do (``BUMPED_BY_DATABASE``), so her kept pages are rendered afresh.
A statement run on the session's bare connection, or on the driver's cursor, skips those hooks: a
log stored that way once left the member's today page stale. This checks the source: the only
statements run on a bare connection are the ones listed here, none of which a member's page reads
on a table the database does not bump for, and the driver's cursor runs only ``driver_insert``'s
inserts (which refuse any other table, tests/integration/test_driver_insert.py) and selects
(``driver_sql.DriverSelect`` refuses anything else)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, insert, update
from sqlalchemy.sql import ClauseElement

from bumpwise.persistence.driver_sql import DriverSelect
from bumpwise.persistence.models import SessionLog, User
from importsupport import SOURCE

BARE = re.compile(r"\.connection\(\)\.execute\((\w+)")
DRIVER = re.compile(r"\bdriver_connection\b|\braw_connection\(")
ALLOWED = {
    "persistence/repositories/accounts.py": {"COUNT_HIT", "FORGET_HITS"},  # rate-limit counts
    "persistence/view_versions.py": {"_statements", "matched"},  # the bump, and rows a write will touch
}
ON_THE_DRIVER = {
    "persistence/driver_sql.py",  # runs driver_insert's inserts and DriverSelect's selects
    "persistence/callers.py",  # reads the caller
    "persistence/uow.py",  # asks whether a transaction is open
    "persistence/reads_first.py",  # turns autocommit on and off between statements; runs none
}


def _modules() -> dict[str, str]:
    root = SOURCE / "bumpwise"
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*.py"))}


def test_only_listed_statements_run_on_a_bare_connection() -> None:
    found = {path: names for path, text in _modules().items() if (names := set(BARE.findall(text)))}
    assert found == ALLOWED


def test_only_the_driver_insert_and_reads_reach_the_driver() -> None:
    found = {path for path, text in _modules().items() if DRIVER.search(text)}
    assert found <= ON_THE_DRIVER, found - ON_THE_DRIVER
    assert "persistence/driver_sql.py" in found


def test_driver_statements_are_built_only_for_the_insert_and_the_reads() -> None:
    """``DriverStatement`` runs whatever it is given: only these build one."""
    found = {path for path, text in _modules().items() if "DriverStatement(" in text}
    assert found == {"persistence/driver_sql.py", "persistence/driver_insert.py", "persistence/callers.py"}


@pytest.mark.parametrize(
    "statement",
    [insert(SessionLog).values(user_id=1), update(User).values(view_version=2), delete(User)],
    ids=["insert", "update", "delete"],
)
def test_a_driver_select_refuses_anything_but_a_select(statement: ClauseElement) -> None:
    with pytest.raises(TypeError, match="only a select"):
        DriverSelect(statement)
