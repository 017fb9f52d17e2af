"""Stored plans kept as compressed JSON (issue 18), on SQLite and PostgreSQL: the migration
converts every plan already stored and back again, and the stored form is a fraction of the JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from bumpwise.domain.contract import PlanDocument
from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence import migrate
from bumpwise.persistence.db import make_session_factory, normalise_url
from bumpwise.persistence.packing import pack, plan_json, plan_parts, unpack
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from bumpwise.services.plans import plan_for
from dbsupport import DATABASES, NOW, TODAY, fresh_postgres_schema, onboarded_member

BEFORE = "0014"
"""The last revision that stored plans as plain JSON."""
KB = default_knowledge()


@pytest.fixture(params=DATABASES)
def empty_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('plans') / 'plans.db'}"
        return
    yield from fresh_postgres_schema()


def _unit_of_work(database_url: str) -> Iterator[UnitOfWork]:
    engine = create_engine(normalise_url(database_url))
    try:
        yield UnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()


def _plain_json_plans(database_url: str) -> dict[int, object]:
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT user_id, plan FROM stored_plans")).all()
    engine.dispose()
    return {user_id: json.loads(plan) if isinstance(plan, str) else plan for user_id, plan in rows}


def test_the_migration_packs_every_stored_plan_and_unpacks_it_again(
    empty_database: str, rules: AccountRules
) -> None:
    migrate.upgrade(empty_database)
    for uow in _unit_of_work(empty_database):
        members = [onboarded_member(uow, rules, name=f"Mia {i}") for i in range(3)]
        with uow:
            plans = {m.user_id: plan_for(uow, KB, m.user_id, TODAY, NOW)[1] for m in members}
            uow.commit()

    migrate.downgrade(empty_database, BEFORE)
    unpacked = _plain_json_plans(empty_database)
    assert {i: PlanDocument.model_validate(p) for i, p in unpacked.items()} == plans

    migrate.upgrade(empty_database)
    for uow in _unit_of_work(empty_database):
        with uow:
            for member_id, plan in plans.items():
                inputs = uow.health.plan_inputs(member_id)
                body = inputs.stored_plan_body() if inputs else None
                assert body is not None and PlanDocument.model_validate_json(body[1]) == plan
                stored = uow.health.stored_plan(member_id)
                assert stored is not None
                whole = len(json.dumps(unpacked[member_id], separators=(",", ":")))
                assert len(stored.plan_z) * 4 < whole, (len(stored.plan_z), whole)


def test_packing_is_lossless() -> None:
    document = {"weeks": [{"days": ["ü", 1, None, True]}], "clearance": "cleared"}
    text = json.dumps(document).encode()
    assert unpack(pack(text)) == text


def test_a_plan_laid_out_in_lines_is_cut_where_its_week_and_days_begin() -> None:
    rest = json.dumps({"clearance": "cleared", "next_step": 'say ,"weeks":[\n in words'}).encode()
    week_rest = json.dumps({"notes": [',"days":[{"a":1}]}\n,'], "week": 1}, separators=(",", ":")).encode()
    days = [json.dumps({"day": n, "text": "]}]}\n"}, separators=(",", ":")).encode() for n in (1, 2, 3)]
    text = plan_json(rest, (week_rest, days))
    week = {**json.loads(week_rest), "days": [json.loads(day) for day in days]}
    assert json.loads(text) == {**json.loads(rest), "weeks": [week]}
    parts = plan_parts(text)
    assert parts is not None and parts.days == tuple(days)
    assert json.loads(parts.rest) == {**json.loads(rest), "weeks": []}
    assert json.loads(parts.week_rest or b"") == {**json.loads(week_rest), "days": []}
    assert json.loads(parts.week or b"") == week


def test_a_plan_with_no_week_or_no_days_is_cut_too() -> None:
    rest = b'{"clearance":"seek_care_now"}'
    no_week = plan_parts(plan_json(rest, None))
    assert no_week is not None and no_week.week is None and no_week.days == ()
    assert json.loads(no_week.rest) == {"clearance": "seek_care_now", "weeks": []}
    no_days = plan_parts(plan_json(rest, (b'{"week":1}', [])))
    assert (
        no_days is not None
        and no_days.days == ()
        and json.loads(no_days.week or b"") == {"week": 1, "days": []}
    )


def test_only_a_plan_laid_out_so_is_cut() -> None:
    compact = json.dumps({"clearance": "cleared", "weeks": [{"days": []}]}, separators=(",", ":"))
    assert plan_parts(compact.encode()) is None
    assert plan_parts(b'{"clearance":"cleared"}') is None
    laid_out = plan_json(b'{"a":1}', (b'{"week":1}', [b'{"day":1}', b'{"day":2}']))
    assert plan_parts(laid_out.replace(b"\n,", b"\n")) is None
    assert plan_parts(laid_out[:-1]) is None
    for rest in (b'{"clearance":"cleared","weeks":[]}', b"{}", b"[]", b'{\n"a":1}'):
        with pytest.raises(ValueError, match="compact JSON object"):
            plan_json(rest, None)
    with pytest.raises(ValueError, match="compact"):
        plan_json(b'{"a":1}', (b'{"week":1}', [b'{"day":\n1}']))
