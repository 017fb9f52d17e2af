"""``bumpwise db refresh-plans``: stored plans brought up to date off the request path."""

from __future__ import annotations

import re
from pathlib import Path

from cli_support import run


def test_refresh_plans_rebuilds_what_is_stale_once(tmp_path: Path) -> None:
    env = {
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "BUMPWISE_CHEAP_PASSWORD_HASHING": "true",
    }
    assert run("seed-demo", env=env).returncode == 0
    first = run("db", "refresh-plans", "--batch", "2", env=env)
    assert first.returncode == 0, first.stderr
    found = re.fullmatch(r"(\d+) members checked, (\d+) plans rebuilt\n", first.stdout)
    assert found is not None and int(found[1]) >= 3
    again = run("db", "refresh-plans", env=env)
    assert again.stdout == f"{found[1]} members checked, 0 plans rebuilt\n"
