"""``services.idempotency.once`` on real databases: the key row and the write commit together,
concurrent repeats of one key store once and all get the first answer, a failed write leaves no
key. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.orm import Session

from bumpwise.domain.knowledge import default_knowledge as KB
from bumpwise.persistence.db import make_session_factory
from bumpwise.persistence.models import IdempotentRequest, Lead, SessionLog
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import idempotency, leads, sessions
from bumpwise.services.accounts import AccountRules
from bumpwise.services.errors import Conflict
from bumpwise.services.idempotency import KEY_LIFETIME, Answer, KeyedRequest
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from dbsupport import NOW, TODAY, onboarded_member

SECRET = "a-secret-key-for-these-tests-only-0123456789"
FIELD = "Idempotency-Key"
CONCURRENT = 6


def keyed(member: Principal, key: str, body: bytes = b"log") -> KeyedRequest:
    return KeyedRequest(
        key=key,
        scope=f"user:{member.user_id}",
        digest=idempotency.request_digest(b"POST", b"/api/v1/me/logs", body),
        user_id=member.user_id,
        field=FIELD,
    )


def log_action(member: Principal, pause: float = 0.0) -> Callable[[UnitOfWork], sessions.LogView]:
    entry = validated(sessions.LogInput, {"session_date": TODAY.isoformat(), "session_kind": "strength"})

    def act(uow: UnitOfWork) -> sessions.LogView:
        view = sessions.log_session(uow, KB(), member, entry, TODAY, NOW)
        time.sleep(pause)  # hold the transaction open while the repeats arrive
        return view

    return act


def as_json(view: sessions.LogView) -> Answer:
    return Answer(201, view.model_dump_json().encode(), (("content-type", "application/json"),))


def new_uows(engine: Engine) -> Callable[[], UnitOfWork]:
    """Units of work on sessions of their own, as the web app makes one per request."""
    return partial(UnitOfWork, make_session_factory(engine))


def at_once(send: Callable[[], Answer]) -> list[Answer]:
    """``send`` from ``CONCURRENT`` threads released together."""
    start = threading.Barrier(CONCURRENT)

    def when_all_are_ready(_: int) -> Answer:
        start.wait()
        return send()

    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(when_all_are_ready, range(CONCURRENT)))


def send_once(
    engine: Engine, request: KeyedRequest, action: Callable[[UnitOfWork], sessions.LogView]
) -> Answer:
    return idempotency.once(new_uows(engine), SECRET, request, NOW, action, as_json)


def logs_at_once(
    engine: Engine, member: Principal, key: Callable[[], str], pause: float = 0.0
) -> list[Answer]:
    """The member logs a session from ``CONCURRENT`` threads at once, each with the key ``key()``."""
    factory = new_uows(engine)
    return at_once(
        lambda: idempotency.once(
            factory, SECRET, keyed(member, key()), NOW, log_action(member, pause), as_json
        )
    )


def stored(engine: Engine, model: type[SessionLog] | type[IdempotentRequest]) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_concurrent_repeats_of_one_key_store_once_and_all_get_the_first_answer(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    key = str(uuid.uuid4())
    answers = logs_at_once(engine, member, lambda: key, pause=0.3)
    assert stored(engine, SessionLog) == 1 and stored(engine, IdempotentRequest) == 1
    assert len({a.body for a in answers}) == 1 and json.loads(answers[0].body)["session_kind"] == "strength"
    assert sorted(a.replayed for a in answers) == [False] + [True] * (CONCURRENT - 1)


def test_concurrent_different_keys_each_store(uow: UnitOfWork, rules: AccountRules, engine: Engine) -> None:
    answers = logs_at_once(engine, onboarded_member(uow, rules), lambda: str(uuid.uuid4()))
    assert not any(a.replayed for a in answers)
    assert stored(engine, SessionLog) == CONCURRENT and stored(engine, IdempotentRequest) == CONCURRENT


def test_a_failing_write_stores_neither_the_write_nor_the_key(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    request = keyed(member, str(uuid.uuid4()))

    def log_then_fail(held: UnitOfWork) -> sessions.LogView:
        log_action(member)(held)
        raise RuntimeError("the server fell over after the write")

    with pytest.raises(RuntimeError):
        send_once(engine, request, log_then_fail)
    assert stored(engine, SessionLog) == 0 and stored(engine, IdempotentRequest) == 0
    answer = send_once(engine, request, log_action(member))
    assert not answer.replayed and stored(engine, SessionLog) == 1


def test_a_stored_answer_that_was_altered_is_not_replayed(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    request = keyed(member, str(uuid.uuid4()))
    send_once(engine, request, log_action(member))
    with engine.begin() as connection:
        sealed = connection.execute(select(IdempotentRequest.answer)).scalar_one()
        altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
        connection.execute(update(IdempotentRequest).values(answer=altered))
    with pytest.raises(Conflict) as refused:
        send_once(engine, request, log_action(member))
    assert refused.value.field == FIELD and "can no longer be read" in refused.value.message
    assert stored(engine, SessionLog) == 1


def test_one_lead_sent_at_once_under_two_keys_is_stored_once_and_both_answer(
    engine: Engine, database_url: str
) -> None:
    """The unique race inside an idempotent transaction: the loser's whole attempt (its key's row
    too) is rolled back and run again, and then finds the winner's lead. A barrier holds both at
    the lead's insert, after both looked for it and found none."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer in at a time from the key's claim on: there is no race to force")
    sessions_made = make_session_factory(engine)
    factory = partial(UnitOfWork, sessions_made)
    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()

    def hold_at_the_lead(session: Session, *_: object) -> None:
        if any(isinstance(row, Lead) for row in session.new) and not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()

    event.listen(sessions_made, "before_flush", hold_at_the_lead)

    def send(key: str) -> Answer:
        request = KeyedRequest(
            key=key,
            scope="anonymous:free-workout",
            digest=idempotency.request_digest(b"POST", b"/api/v1/free-workout", key.encode()),
            user_id=None,
            field=FIELD,
        )

        def add(uow: UnitOfWork) -> leads.OptIn:
            return leads.start_opt_in(
                uow, email="twice@example.org", page=None, answers={}, now=NOW, base_url="", deliver=None
            )

        return idempotency.once(factory, SECRET, request, NOW, add, lambda path: Answer(200, b"{}", ()))

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, [str(uuid.uuid4()), str(uuid.uuid4())]))
    assert [a.status for a in answers] == [200, 200]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Lead)) == 1


def send_at(
    engine: Engine, request: KeyedRequest, action: Callable[[UnitOfWork], sessions.LogView], now: datetime
) -> Answer:
    return idempotency.once(new_uows(engine), SECRET, request, now, action, as_json)


def key_rows(engine: Engine) -> list[datetime]:
    """When each stored key expires."""
    with engine.connect() as connection:
        return list(connection.execute(select(IdempotentRequest.expires_at)).scalars())


def test_a_key_sent_again_after_it_expired_stores_again_before_any_sweep(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    request = keyed(member, str(uuid.uuid4()))
    assert not send_at(engine, request, log_action(member), NOW).replayed
    assert send_at(engine, request, log_action(member), NOW + KEY_LIFETIME - timedelta(seconds=1)).replayed
    later = NOW + KEY_LIFETIME + timedelta(seconds=1)

    again = send_at(engine, request, log_action(member), later)

    assert not again.replayed
    assert stored(engine, SessionLog) == 2
    assert key_rows(engine) == [later + KEY_LIFETIME]


def test_a_keyed_write_sends_no_statement_for_other_keys(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    """Forgetting expired keys is the sweep's work: a keyed write neither deletes nor waits on the
    rows of other keys (each write did before, with writes waiting on each other's deletes)."""
    member = onboarded_member(uow, rules)
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        send_once(engine, keyed(member, str(uuid.uuid4())), log_action(member))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert "DELETE" not in sent
    assert sent.count("INSERT") == 2 and stored(engine, IdempotentRequest) == 1


def test_the_sweep_forgets_the_keys_expired_and_keeps_the_rest(
    uow: UnitOfWork, rules: AccountRules, engine: Engine
) -> None:
    member = onboarded_member(uow, rules)
    send_at(
        engine, keyed(member, str(uuid.uuid4())), log_action(member), NOW - KEY_LIFETIME - timedelta(hours=1)
    )
    send_at(
        engine, keyed(member, str(uuid.uuid4())), log_action(member), NOW - KEY_LIFETIME + timedelta(hours=1)
    )

    swept = idempotency.sweep_expired(new_uows(engine), NOW)

    assert swept == 1
    assert key_rows(engine) == [NOW + timedelta(hours=1)]
    assert stored(engine, SessionLog) == 2
