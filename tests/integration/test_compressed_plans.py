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
from bumpwise.persistence.packing import pack, unpack
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
    assert json.loads(unpack(pack(document))) == document
