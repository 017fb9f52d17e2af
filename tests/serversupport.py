"""The real server in a subprocess: ``bumpwise serve`` on a free loopback port, its output captured
to a file, stopped gently or with ``kill -9``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cli_support import BUMPWISE
from dbsupport import PASSWORD, unique_email
from websupport import due_in

LOOPBACK = "127.0.0.1"
START_SECONDS = 60.0
PROBE_PATH = "/static/favicon.svg"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def development_env(folder: Path, **extra: str) -> dict[str, str]:
    """A development server's settings on a SQLite database in ``folder``, its mail written to
    ``folder/outbox``; ``extra`` adds or replaces ``BUMPWISE_*`` settings."""
    return {
        "BUMPWISE_ENV": "development",
        "BUMPWISE_DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
        "BUMPWISE_MAIL_OUTBOX": str(folder / "outbox"),
        "BUMPWISE_CHEAP_PASSWORD_HASHING": "true",
        **extra,
    }


@dataclass
class Server:
    env: dict[str, str]
    output: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> Server:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("BUMPWISE_")}
        with self.output.open("ab") as sink:
            self.process = subprocess.Popen(
                [str(BUMPWISE), "serve", "--host", LOOPBACK, "--port", str(self.port)],
                env={**clean, **self.env},
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.text()}")
            try:
                if httpx.get(self.base_url + PROBE_PATH, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"the server did not answer within {START_SECONDS} s:\n{self.text()}")

    def kill_hard(self) -> None:
        """``kill -9``: no shutdown handlers, no flushing; what the database has is what survives."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_hard()

    def wait_for_output(self, text: str, seconds: float = 20.0) -> None:
        """Until the server has printed ``text`` (what a job on its queue logs, say)."""
        deadline = time.monotonic() + seconds
        while text not in self.text():
            assert time.monotonic() < deadline, f"the server never printed {text!r}:\n{self.text()}"
            time.sleep(0.05)

    def text(self) -> str:
        """Everything the server printed so far."""
        return self.output.read_text(encoding="utf-8", errors="replace") if self.output.exists() else ""


def sign_up(base_url: str) -> tuple[str, str]:
    """A new member through the running server's API: (e-mail, API token)."""
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "display_name": "Mia"}
    answer = httpx.post(f"{base_url}/api/v1/auth/signup", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]["token"]
    return email, token


def onboard(base_url: str, api_token: str, *, screening: bool = True) -> None:
    """Save a 24-weeks-pregnant member's details (and an empty screening) through the API."""
    headers = {"Authorization": f"Bearer {api_token}"}
    details = {
        "stage_kind": "pregnant",
        "due_date": due_in(16),
        "activity_level": "active",
        "equipment": ["chair"],
        "days_per_week": 3,
        "minutes_per_session": 30,
    }
    parts = [("details", details), ("screening", {})] if screening else [("details", details)]
    for part, body in parts:
        answer = httpx.put(f"{base_url}/api/v1/me/profile/{part}", json=body, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
