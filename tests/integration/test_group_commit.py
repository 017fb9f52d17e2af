"""Group commit (persistence.group_commit) on SQLite and PostgreSQL: writes sent at the same moment
share one transaction and one commit, and each gets exactly the answer it would have had alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from asyncsupport import in_its_own_loop
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.domain.locale import current_language, request_scope
from bumpwise.persistence.db import make_session_factory, never_waiting_engine
from bumpwise.persistence.group_commit import GroupCommit
from bumpwise.persistence.models import SessionLog, User
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import idempotency
from bumpwise.services.accounts import AccountRules
from bumpwise.services.idempotency import Answer, KeyedRequest
from bumpwise.services.principal import Principal
from bumpwise.services.views import LogView
from dbsupport import NOW, TODAY, log_of, onboarded_member, settings_for

KB = default_knowledge()
Write = Callable[[UnitOfWork], Any]


@pytest.fixture(params=["as_the_app_builds_it", "always_in_a_thread"])
def writes(
    request: pytest.FixtureRequest, uow: UnitOfWork, engine: Engine, database_url: str
) -> Iterator[GroupCommit]:
    """As the app builds it (on a SQLite file, a batch on the event loop when nothing waits), and
    with every batch in a thread (as on PostgreSQL, and on SQLite when the lock is taken)."""
    loop_engine = None
    if request.param == "as_the_app_builds_it":
        loop_engine = never_waiting_engine(engine, settings_for(database_url))
    on_the_loop = None if loop_engine is None else partial(UnitOfWork, make_session_factory(loop_engine))
    yield GroupCommit(partial(UnitOfWork, make_session_factory(engine)), on_the_loop=on_the_loop)
    if loop_engine is not None:
        loop_engine.dispose()


@pytest.fixture
def commits() -> Iterator[list[object]]:
    """One entry per transaction any engine commits while the test runs."""
    seen: list[object] = []

    def count(connection: object) -> None:
        seen.append(connection)

    event.listen(Engine, "commit", count)
    yield seen
    event.remove(Engine, "commit", count)


def sent_together(writes: GroupCommit, jobs: list[Write]) -> list[Any]:
    """Every job handed over in the same turn of the event loop, as concurrent requests are."""

    async def at_once() -> list[Any]:
        return await asyncio.gather(*(writes.run(job) for job in jobs), return_exceptions=True)

    return in_its_own_loop(at_once)


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


def stored_notes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(select(SessionLog.notes)).scalars())


def view_version(engine: Engine, member: Principal) -> int:
    with engine.connect() as connection:
        found = connection.execute(select(User.view_version).where(User.id == member.user_id)).scalar_one()
        return int(found)


def test_writes_sent_together_share_one_commit(
    writes: GroupCommit, uow: UnitOfWork, rules: AccountRules, engine: Engine, commits: list[object]
) -> None:
    mia, ana = onboarded_member(uow, rules, name="Mia"), onboarded_member(uow, rules, name="Ana")
    versions = view_version(engine, mia), view_version(engine, ana)
    commits.clear()

    answers = sent_together(
        writes, [log_of(who, f"{who.display_name}-{n}") for n in range(4) for who in (mia, ana)]
    )

    assert len(commits) == 1
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
    writes: GroupCommit,
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
    writes: GroupCommit, uow: UnitOfWork, rules: AccountRules, engine: Engine
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


def test_each_write_runs_in_its_own_requests_language(writes: GroupCommit, uow: UnitOfWork) -> None:
    async def in_language(code: str) -> str:
        with request_scope(code):
            return await writes.run(lambda _uow: current_language())

    async def at_once() -> list[str]:
        return list(await asyncio.gather(in_language("es"), in_language("en"), in_language("es")))

    assert in_its_own_loop(at_once) == ["es", "en", "es"]


def test_a_write_is_committed_before_it_is_answered(
    writes: GroupCommit, uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    mia = onboarded_member(uow, rules)

    async def log_then_read() -> tuple[int, int]:
        answer = await writes.run(log_of(mia, "durable"))
        with engine.connect() as other_connection:
            count = other_connection.execute(select(func.count()).select_from(SessionLog)).scalar_one()
        return answer.id, count

    log_id, count = in_its_own_loop(log_then_read)
    assert log_id > 0 and count == 1
