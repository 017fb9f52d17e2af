"""Every write that can change what a member sees goes through the ORM session, whose hooks bump
the member's view version (``persistence/view_versions.py``) so her kept pages are rendered
afresh. A statement run on the session's bare connection skips those hooks: a log stored that
way once left the member's today page stale. This checks the source: the only statements run on
a bare connection are the ones listed here, none of which a member's page reads."""

from __future__ import annotations

import re

from importsupport import SOURCE

BARE = re.compile(r"\.connection\(\)\.execute\((\w+)")
ALLOWED = {
    "persistence/repositories/accounts.py": {"COUNT_HIT", "FORGET_HITS"},  # rate-limit counts
    "persistence/view_versions.py": {"_statements", "matched"},  # the bump, and rows a write will touch
}


def test_only_listed_statements_run_on_a_bare_connection() -> None:
    found: dict[str, set[str]] = {}
    for path in sorted((SOURCE / "bumpwise").rglob("*.py")):
        names = set(BARE.findall(path.read_text()))
        if names:
            found[path.relative_to(SOURCE / "bumpwise").as_posix()] = names
    assert found == ALLOWED
