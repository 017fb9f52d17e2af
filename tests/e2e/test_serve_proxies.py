"""``bumpwise serve`` believes X-Forwarded-For only from ``--forwarded-allow-ips``: real requests
to a real server, seen through the sign-in limit (five failures shut out one e-mail and address)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from cli_support import BUMPWISE
from dbsupport import PASSWORD
from serversupport import free_port


@contextmanager
def serving(tmp_path: Path, *options: str) -> Iterator[httpx.Client]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUMPWISE_")}
    env.update(BUMPWISE_ENV="development", BUMPWISE_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    server = subprocess.Popen(
        [str(BUMPWISE), "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(100):
                try:
                    client.get("/api/v1/openapi.json")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


def _guess_five_times_then_sign_in(client: httpx.Client, email: str, forwarded: tuple[str, str]) -> list[int]:
    """Five wrong passwords "from" the first address, then the right one from each address."""
    body = {"email": email, "password": PASSWORD, "display_name": "Mia"}
    assert client.post("/api/v1/auth/signup", json=body).status_code == 201
    for _ in range(5):
        wrong = {"email": email, "password": "wrong password"}
        client.post("/api/v1/auth/tokens", json=wrong, headers={"X-Forwarded-For": forwarded[0]})
    right = {"email": email, "password": PASSWORD}
    return [
        client.post("/api/v1/auth/tokens", json=right, headers={"X-Forwarded-For": hop}).status_code
        for hop in forwarded
    ]


def test_serve_believes_forwarded_for_only_from_the_proxies_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with serving(tmp_path / "a") as client:
        statuses = _guess_five_times_then_sign_in(client, "mia@example.org", ("203.0.113.66", "198.51.100.7"))
    assert statuses == [429, 429], "without --forwarded-allow-ips the header must be ignored"
    with serving(tmp_path / "b", "--forwarded-allow-ips", "127.0.0.1") as client:
        statuses = _guess_five_times_then_sign_in(client, "mia@example.org", ("203.0.113.66", "198.51.100.7"))
    assert statuses == [429, 201]


def test_serve_refuses_a_forwarded_allow_ips_that_is_not_an_address(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUMPWISE_")}
    env.update(BUMPWISE_ENV="development", BUMPWISE_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    result = subprocess.run(
        [str(BUMPWISE), "serve", "--forwarded-allow-ips", "proxy.local"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "BUMPWISE_TRUSTED_PROXIES" in result.stderr
