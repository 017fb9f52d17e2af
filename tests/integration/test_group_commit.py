"""Group commit (persistence.group_commit) on SQLite and PostgreSQL: writes sent at the same moment
share one transaction and one commit, and each gets exactly the answer it would have had alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event, func, select, text

from asyncsupport import as_the_app_runs
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.locale import current_language, request_scope
from bumpwise.persistence.db import make_session_factory, never_waiting_engine
from bumpwise.persistence.group_commit import GroupCommit
from bumpwise.persistence.loop_connections import LoopConnections
from bumpwise.persistence.loop_writes import LoopWrites
from bumpwise.persistence.models import SessionLog, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import idempotency
from bumpwise.services.accounts import AccountRules
from bumpwise.services.idempotency import Answer, KeyedRequest
from bumpwise.services.principal import Principal
from bumpwise.services.views import LogView
from dbsupport import NOW, TODAY, log_of, onboarded_member, settings_for, stored_notes

KB = default_knowledge()
Write = Callable[[UnitOfWork], Any]
T = TypeVar("T")


@dataclass
class Writes:
    """The group commit under test and, on PostgreSQL as the app builds it, the event loop's own
    connections, started on the test's loop as the app's lifespan starts them."""

    commit: GroupCommit
    connections: LoopConnections | None = None

    async def run(self, write: Callable[[UnitOfWork], T]) -> T:
        return await self.commit.run(write)


@pytest.fixture(params=["as_the_app_builds_it", "always_in_a_thread"])
def writes(
    request: pytest.FixtureRequest, uow: UnitOfWork, engine: Engine, database_url: str
) -> Iterator[Writes]:
    """As the app builds it (on a SQLite file, a batch on the event loop when nothing waits; on
    PostgreSQL, on the event loop with its rows sent with the commit), and with every batch in a
    thread (on SQLite when the lock is taken, anywhere when a write must talk to the database)."""
    new_uow = partial(UnitOfWork, make_session_factory(engine))
    if request.param == "always_in_a_thread":
        yield Writes(GroupCommit(new_uow))
        return
    loop_engine = never_waiting_engine(engine, settings_for(database_url))
    if loop_engine is not None:
        yield Writes(GroupCommit(new_uow, on_the_loop=partial(UnitOfWork, make_session_factory(loop_engine))))
        loop_engine.dispose()
        return
    connections = LoopConnections(engine)
    loop_writes = LoopWrites(connections, make_session_factory(engine), engine.dialect)
    yield Writes(GroupCommit(new_uow, loop_writes=loop_writes), connections)


@pytest.fixture
def commits() -> Iterator[list[object]]:
    """One entry per transaction any engine commits while the test runs."""
    seen: list[object] = []

    def count(connection: object) -> None:
        seen.append(connection)

    event.listen(Engine, "commit", count)
    yield seen
    event.remove(Engine, "commit", count)


def sent_together(writes: Writes, jobs: list[Write]) -> list[Any]:
    """Every job handed over in the same turn of the event loop, as concurrent requests are."""

    async def at_once() -> list[Any]:
        return await asyncio.gather(*(writes.run(job) for job in jobs), return_exceptions=True)

    return as_the_app_runs(writes.connections, at_once)


def bare_log(member: Principal, notes: str) -> SessionLog:
    """A row flushed by a write that then goes wrong (a service validates before it writes)."""
    return SessionLog(
        user_id=member.user_id,
        session_date=TODAY,
        session_kind="strength",
        items_done=[],
        records=[],
        notes=notes,
        created_at=NOW,
    )


def transactions_that_stored_logs(engine: Engine, commits: list[object]) -> int:
    """On PostgreSQL, read off the rows (each row's ``xmin`` is the transaction that inserted it,
    whatever connection committed it); on SQLite, the commits the engine saw."""
    if engine.dialect.name != "postgresql":
        return len(commits)
    with engine.connect() as connection:
        return int(
            connection.execute(text("SELECT count(DISTINCT xmin::text) FROM session_logs")).scalar_one()
        )


def view_version(engine: Engine, member: Principal) -> int:
    with engine.connect() as connection:
        found = connection.execute(select(User.view_version).where(User.id == member.user_id)).scalar_one()
        return int(found)


def test_writes_sent_together_share_one_commit(
    writes: Writes, uow: UnitOfWork, rules: AccountRules, engine: Engine, commits: list[object]
) -> None:
    mia, ana = onboarded_member(uow, rules, name="Mia"), onboarded_member(uow, rules, name="Ana")
    versions = view_version(engine, mia), view_version(engine, ana)
    commits.clear()

    answers = sent_together(
        writes, [log_of(who, f"{who.display_name}-{n}") for n in range(4) for who in (mia, ana)]
    )

    assert transactions_that_stored_logs(engine, commits) == 1
    assert all(isinstance(answer, LogView) for answer in answers)
    assert len({answer.id for answer in answers}) == 8
    assert [answer.notes for answer in answers] == [f"{who}-{n}" for n in range(4) for who in ("Mia", "Ana")]
    assert len(stored_notes(engine)) == 8
    assert view_version(engine, mia) > versions[0] and view_version(engine, ana) > versions[1]


def fails_after_its_flush(member: Principal) -> Write:
    def write(held: UnitOfWork) -> None:
        with held:
            held.health.add_log(bare_log(member, "undone"))
            raise RuntimeError("after its row was flushed")

    return write


def rolls_back(member: Principal) -> Write:
    def write(held: UnitOfWork) -> str:
        with held:
            held.health.add_log(bare_log(member, "undone"))
            held.rollback()
        return "rolled back"

    return write


@pytest.mark.parametrize(
    ("misbehaving", "its_answer"), [(fails_after_its_flush, RuntimeError), (rolls_back, "rolled back")]
)
def test_a_write_that_fails_or_rolls_back_stores_nothing_and_the_others_stand(
    misbehaving: Callable[[Principal], Write],
    its_answer: object,
    writes: Writes,
    uow: UnitOfWork,
    rules: AccountRules,
    engine: Engine,
) -> None:
    mia = onboarded_member(uow, rules)

    answers = sent_together(
        writes,
        [
            log_of(mia, "first"),
            log_of(mia, "unknown", ["no-such-move"]),
            misbehaving(mia),
            log_of(mia, "last"),
        ],
    )

    assert isinstance(answers[0], LogView) and isinstance(answers[3], LogView)
    assert isinstance(answers[1], InputError) and answers[1].field == "items_done[0]"
    assert (type(answers[2]) if isinstance(answers[2], Exception) else answers[2]) == its_answer
    assert stored_notes(engine) == ["first", "last"]


def test_the_same_idempotency_key_twice_in_one_batch_stores_once(
    writes: Writes, uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)
    keyed = KeyedRequest("k" * 20, f"user:{mia.user_id}", "digest", mia.user_id, "Idempotency-Key")

    def keyed_log(held: UnitOfWork) -> Answer:
        def answer(view: LogView) -> Answer:
            return Answer(201, view.model_dump_json().encode())

        return idempotency.once(lambda: held, "secret", keyed, NOW, log_of(mia, "once"), answer)

    first, second = sent_together(writes, [keyed_log, keyed_log])

    assert (first.replayed, second.replayed) == (False, True)
    assert first.body == second.body
    assert stored_notes(engine) == ["once"]


def test_each_write_runs_in_its_own_requests_language(writes: Writes, uow: UnitOfWork) -> None:
    async def in_language(code: str) -> str:
        with request_scope(code):
            return await writes.run(lambda _uow: current_language())

    async def at_once() -> list[str]:
        return list(await asyncio.gather(in_language("es"), in_language("en"), in_language("es")))

    assert as_the_app_runs(writes.connections, at_once) == ["es", "en", "es"]


def test_a_write_is_committed_before_it_is_answered(
    writes: Writes, uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)

    async def log_then_read() -> tuple[int, int]:
        answer = await writes.run(log_of(mia, "durable"))
        with engine.connect() as other_connection:
            count = other_connection.execute(select(func.count()).select_from(SessionLog)).scalar_one()
        return answer.id, count

    log_id, count = as_the_app_runs(writes.connections, log_then_read)
    assert log_id > 0 and count == 1
