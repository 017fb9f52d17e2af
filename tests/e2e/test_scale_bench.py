"""bench/scale.py keeps working: built and measured at a tiny size on PostgreSQL (the full size,
100,000 members and millions of logs, is run by hand and recorded in bench/README.md)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

from cisupport import missing
from dbsupport import POSTGRES_URL, postgres_reachable

BENCH = Path(__file__).parents[2] / "bench" / "scale.py"


def test_the_scale_bench_builds_and_measures_a_small_database() -> None:
    problem = postgres_reachable(POSTGRES_URL)
    if problem is not None:
        missing(f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem})")
    schema = f"bw_scale_ci_{secrets.token_hex(4)}"
    sizes = ["--templates", "3", "--members", "300", "--logs", "3000", "--coaches", "1", "--clients", "120"]
    command = [sys.executable, str(BENCH), "--url", POSTGRES_URL, "--schema", schema, "--build", *sizes]
    options = ["--sample", "20", "--runs", "6", "--no-http", "--drop-after"]
    result = subprocess.run([*command, *options], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "300 members" in out and "3,000 session logs" in out
    assert "| today, random member |" in out and "| roster page of 50, random page |" in out
    assert "EXPLAIN ANALYZE" in out and "| stored_plans |" in out
