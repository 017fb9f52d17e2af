"""Durability: the real server is killed with ``kill -9`` while creates stream in, then restarted;
every request whose answer was lost is sent again with its ``Idempotency-Key``. Every
acknowledged write must be stored exactly once, and every retried one once. SQLite (WAL,
synchronous=FULL, the default) and PostgreSQL.

Bounded: ``REQUESTS`` writes, ``KILLS`` kills, ``WORKERS`` clients at once, all within
``BOUND_SECONDS``; the server listens on a free loopback port only.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from bumpwise.persistence.db import normalise_url
from bumpwise.persistence.models import SessionLog
from dbsupport import DATABASES, fresh_postgres_schema
from serversupport import Server, onboard, sign_up

REQUESTS = 120
KILLS = 4
WORKERS = 4
BOUND_SECONDS = 240.0
RETRY_ATTEMPTS = 5


@pytest.fixture(params=DATABASES)
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'durable.db'}"
        return
    yield from fresh_postgres_schema()


@dataclass
class Write:
    number: int
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    answer: dict[str, object] | None = None
    lost: int = 0
    replayed_on_retry: bool = False

    @property
    def body(self) -> dict[str, object]:
        return {
            "session_date": date.today().isoformat(),
            "session_kind": "strength",
            "minutes": 20,
            "notes": f"durability-{self.number}",
        }


@dataclass
class Stream:
    """The writes to send, shared by the worker threads; ``up`` is clear while the server restarts."""

    writes: list[Write]
    headers: dict[str, str]
    base_url: str
    up: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_index: int = 0
    acknowledged: int = 0
    unexpected: list[str] = field(default_factory=list)

    def take(self) -> Write | None:
        with self.lock:
            if self.next_index >= len(self.writes):
                return None
            write = self.writes[self.next_index]
            self.next_index += 1
            return write

    def send(self, client: httpx.Client, write: Write) -> httpx.Response | None:
        headers = {**self.headers, "Idempotency-Key": write.key}
        try:
            answer = client.post(f"{self.base_url}/api/v1/me/logs", json=write.body, headers=headers)
        except httpx.TransportError:
            write.lost += 1
            return None
        if answer.status_code != 201:
            self.unexpected.append(f"{write.number}: {answer.status_code} {answer.text[:200]}")
            return None
        return answer

    def work(self, deadline: float) -> None:
        with httpx.Client(timeout=10) as client:
            while time.monotonic() < deadline and (write := self.take()) is not None:
                self.up.wait(timeout=max(0.0, deadline - time.monotonic()))
                answer = self.send(client, write)
                if answer is not None:
                    write.answer = answer.json()
                    with self.lock:
                        self.acknowledged += 1


def member_token(base_url: str) -> dict[str, str]:
    _, token = sign_up(base_url)
    onboard(base_url, token, screening=False)
    return {"Authorization": f"Bearer {token}"}


def kill_during_the_stream(server: Server, stream: Stream, deadline: float) -> int:
    """Kill -9 each time another share of the writes is acknowledged; restart; count the kills."""
    kills = 0
    for share in range(1, KILLS + 1):
        target = share * len(stream.writes) // (KILLS + 1)
        while stream.acknowledged < target and stream.next_index < len(stream.writes):
            if time.monotonic() > deadline:
                return kills
            time.sleep(0.01)
        if stream.next_index >= len(stream.writes):
            return kills
        stream.up.clear()
        server.kill_hard()
        kills += 1
        server.start()
        stream.up.set()
    return kills


def retry_lost(stream: Stream) -> None:
    with httpx.Client(timeout=30) as client:
        for write in (w for w in stream.writes if w.answer is None):
            for _ in range(RETRY_ATTEMPTS):
                answer = stream.send(client, write)
                if answer is not None:
                    write.answer = answer.json()
                    write.replayed_on_retry = answer.headers.get("idempotent-replayed") == "true"
                    break
                time.sleep(0.5)


def stored_notes(database_url: str) -> dict[str, list[int]]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(SessionLog.notes, SessionLog.id)).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {}
    for notes, row_id in rows:
        found.setdefault(notes, []).append(row_id)
    return found


def test_every_acknowledged_write_survives_kill_9_exactly_once(server_database: str, tmp_path: Path) -> None:
    env = {
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": server_database,
        "BUMPWISE_CHEAP_PASSWORD_HASHING": "true",
    }
    server = Server(env=env, output=tmp_path / "server.log").start()
    deadline = time.monotonic() + BOUND_SECONDS
    try:
        stream = Stream([Write(n) for n in range(REQUESTS)], member_token(server.base_url), server.base_url)
        stream.up.set()
        workers = [threading.Thread(target=stream.work, args=(deadline,)) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        kills = kill_during_the_stream(server, stream, deadline)
        for worker in workers:
            worker.join(timeout=max(1.0, deadline - time.monotonic()))
        retry_lost(stream)
        repeats = [w for w in stream.writes if w.answer is not None][:5]
        with httpx.Client(timeout=30) as client:
            replays = [stream.send(client, w) for w in repeats]
    finally:
        server.stop()
    assert time.monotonic() < deadline, "the durability run took longer than its bound"
    assert stream.unexpected == []
    assert kills == KILLS
    lost = [w for w in stream.writes if w.lost]
    print(  # the figures for the report (pytest -s shows them)
        f"\n{server_database.split(':')[0]}: {REQUESTS} writes, {kills} kills, {len(lost)} answers lost, "
        f"{sum(w.replayed_on_retry for w in lost)} of them had been stored before the kill"
    )
    assert all(w.answer is not None for w in stream.writes), "a lost write could not be sent again"
    stored = stored_notes(server_database)
    for write in stream.writes:
        ids = stored.get(f"durability-{write.number}", [])
        assert write.answer is not None
        assert ids == [write.answer["id"]], f"write {write.number} is stored {len(ids)} times: {ids}"
    assert len(stored) == REQUESTS
    for write, replay in zip(repeats, replays, strict=True):
        assert replay is not None and replay.headers["idempotent-replayed"] == "true"
        assert replay.json() == write.answer
