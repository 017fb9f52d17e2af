"""The job queue (issue 18) with its real storages: Redis on this machine and a SQLite file.

A request only enqueues the message; a worker sends it, through a real SMTP server (STARTTLS),
and tries again when the mail server is away. ``bumpwise serve`` on one machine works its own
SQLite queue, so a sign-up's confirmation arrives with nothing else running.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import redis

from bumpwise.bootstrap import Components, build
from bumpwise.config import Settings
from bumpwise.persistence import migrate
from bumpwise.persistence.models import IdempotentRequest
from bumpwise.services import idempotency
from serversupport import Server, development_env, sign_up
from smtpsupport import certificate, free_port, smtp_server
from websupport import sent_mail

REDIS_URL = "redis://127.0.0.1:6379/14"
SECRET_LINK = "http://127.0.0.1:8000/reset/secret-token-in-the-body"
WAIT_SECONDS = 20.0


@pytest.fixture(params=["redis", "sqlite"])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def parts(tmp_path: Path, queue_url: str, smtp_port: int) -> Components:
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        queue_url=queue_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_ca_file=certificate(tmp_path),
        mail_retries=3,
        mail_retry_seconds=1,
    )
    return build(settings)


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the queued job did not run in time"
        time.sleep(0.05)


def test_a_message_waits_on_the_queue_until_a_worker_sends_it(tmp_path: Path, queue_url: str) -> None:
    with smtp_server(tmp_path) as (inbox, port):
        app = parts(tmp_path, queue_url, port)
        app.deliver("mia@example.org", "Reset your password", f"Open {SECRET_LINK}")
        assert app.jobs.queue.pending() == 1 and inbox.messages == []
        worker = app.jobs.queue.worker(1, periodic=False)
        worker.start()
        try:
            wait_for(lambda: len(inbox.to("mia@example.org")) == 1)
        finally:
            worker.stop()
    [message] = inbox.to("mia@example.org")
    assert message["Subject"] == "Reset your password" and inbox.encrypted == [True]
    assert SECRET_LINK in message.get_content() and app.jobs.queue.pending() == 0


def test_a_mail_server_that_is_away_costs_a_retry_not_the_message(
    tmp_path: Path, queue_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()  # nothing listens there yet: the first attempt is refused
    app = parts(tmp_path, queue_url, port)
    app.deliver("mia@example.org", "Reset your password", f"Open {SECRET_LINK}")
    worker = app.jobs.queue.worker(1, periodic=False)
    worker.start()
    try:
        wait_for(lambda: "MailNotSent: ConnectionRefusedError sending to m***@example.org" in caplog.text)
        with smtp_server(tmp_path, port=port) as (inbox, _):
            wait_for(lambda: len(inbox.to("mia@example.org")) == 1)
    finally:
        worker.stop()
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("huey", "bumpwise")))
    assert "Requeueing" in ours  # the job went back on the queue after the refusal
    assert SECRET_LINK not in ours and "mia@example.org" not in ours  # the app's log keeps no secret


def test_an_unknown_queue_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="BUMPWISE_QUEUE_URL must be 'inline' or start with one of"):
        Settings(env="test", queue_url="amqp://guest:guest@127.0.0.1:5672/")


def test_tests_run_jobs_inline_and_a_server_keeps_its_queue_beside_its_sqlite_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings(env="test").job_queue == "inline"
    in_data_folder = f"sqlite:///{tmp_path / 'bumpwise' / 'queue.sqlite3'}"
    assert Settings(env="development", database_url="postgresql://db/bumpwise").job_queue == in_data_folder
    beside = Settings(env="development", database_url=f"sqlite:///{tmp_path / 'app.db'}")
    assert beside.job_queue == f"sqlite:///{tmp_path / 'app.db'}-queue.sqlite3"


def test_serve_on_one_machine_works_its_own_queue(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    env = development_env(tmp_path, XDG_DATA_HOME=str(tmp_path / "data"))
    server = Server(env, tmp_path / "server.log").start()
    try:
        email, _ = sign_up(server.base_url)
        wait_for(lambda: any(to == email for to, _ in sent_mail(outbox)))
        assert httpx.get(server.base_url + "/", timeout=10).status_code == 200
    finally:
        server.stop()
    assert "worked here" in server.text()
    assert (tmp_path / "app.db-queue.sqlite3").stat().st_mode & 0o077 == 0


def test_the_hourly_sweep_forgets_expired_idempotency_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate.upgrade(url)
    app = build(Settings(env="test", database_url=url))
    expired = datetime.now(UTC) - idempotency.KEY_LIFETIME - timedelta(minutes=1)
    request = idempotency.KeyedRequest("k" * 20, "anon:sweep", "d" * 64, None, "Idempotency-Key")
    answer = idempotency.once(
        app.uow, "s" * 40, request, expired, lambda _: None, lambda _: idempotency.Answer(201, b"")
    )
    assert answer.status == 201

    app.jobs.sweep_keys()  # run inline in tests, as the worker runs it every hour at :20

    with app.uow() as uow:
        assert uow.session.query(IdempotentRequest).count() == 0
    app.engine.dispose()
