"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, no browser download)
against a live uvicorn server on a free port with a temporary SQLite database and demo data.

One browser for the session (pytest-playwright's ``browser``); every test gets a fresh context.
Screenshots go to tests/browser/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cisupport import missing
from serversupport import free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run `make install-browser` (apt-get install chromium)"
        missing(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@contextmanager
def serve(home: Path, **extra_env: str) -> Iterator[str]:
    """A uvicorn server with demo data on a temporary SQLite database; ``extra_env`` adds
    ``BUMPWISE_*`` settings (a mail server, say). Yields its address."""
    env = {
        **os.environ,
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": f"sqlite:///{home / 'bumpwise.db'}",
        "BUMPWISE_CHEAP_PASSWORD_HASHING": "true",
        # every browser test signs up from 127.0.0.1 on one server: the per-address limit of 10
        # sign-ups an hour is tested in tests/e2e, not here
        "BUMPWISE_SIGNUPS_PER_HOUR": "1000",
        "XDG_DATA_HOME": str(home),
        **extra_env,
    }
    port = free_port()
    env["BUMPWISE_BASE_URL"] = f"http://127.0.0.1:{port}"
    subprocess.run([str(BIN / "bumpwise"), "seed-demo"], env=env, check=True, capture_output=True)
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bumpwise.web.app:app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("server")) as url:
        yield url


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            urllib.request.urlopen(url + "/", timeout=0.5)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start within 20 s")


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture(scope="session", autouse=True)
def artifacts_dir() -> Path:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    (ARTIFACTS / "downloads").mkdir()
    return ARTIFACTS
