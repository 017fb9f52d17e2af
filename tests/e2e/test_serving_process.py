"""A serving process (the app factory ``bumpwise serve`` runs in each worker) settles Python's
garbage collector once the app is built: its long-lived objects frozen out of the collector's
sight and the youngest generation collected less often. Checked in a fresh interpreter, as a
worker is, since it changes the whole process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bumpwise.web.app import YOUNGEST_GENERATION_THRESHOLD
from serversupport import development_env

REPORT = """
import gc
from bumpwise.web.app import app_from_environment
before = gc.get_freeze_count(), gc.get_threshold()
app_from_environment()
print(before[0], before[1][0], gc.get_freeze_count(), *gc.get_threshold())
"""


def test_the_app_factory_settles_the_collector_of_its_process(tmp_path: Path) -> None:
    env = {**os.environ, **development_env(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", REPORT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen_before, young_before, frozen, young, middle, oldest = map(int, done.stdout.split()[-6:])
    assert (frozen_before, young_before) == (0, 700)
    assert frozen > 100_000  # the knowledge base, templates and routes
    assert (young, middle, oldest) == (YOUNGEST_GENERATION_THRESHOLD, 10, 10)
