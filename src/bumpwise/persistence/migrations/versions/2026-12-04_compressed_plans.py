"""stored plans as compressed JSON

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:30:00

A week's plan is about 100 kB of JSON that repeats each exercise's attributes, cues and reasons;
it is now kept zlib-compressed (``persistence.packing``), about a seventh of the size. Every
stored plan is converted in place, in batches; the downgrade converts them back.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
PLANS = sa.table(
    "stored_plans",
    sa.column("user_id", sa.Integer),
    sa.column("plan", sa.JSON),
    sa.column("plan_z", sa.LargeBinary),
)


def upgrade() -> None:
    with op.batch_alter_table("stored_plans") as batch:
        batch.add_column(sa.Column("plan_z", sa.LargeBinary(), nullable=True))
    _convert(PLANS.c.plan, PLANS.c.plan_z, _pack)
    with op.batch_alter_table("stored_plans") as batch:
        batch.drop_column("plan")
        batch.alter_column("plan_z", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("stored_plans") as batch:
        batch.add_column(sa.Column("plan", sa.JSON(), nullable=True))
    _convert(PLANS.c.plan_z, PLANS.c.plan, _unpack)
    with op.batch_alter_table("stored_plans") as batch:
        batch.drop_column("plan_z")
        batch.alter_column("plan", existing_type=sa.JSON(), nullable=False)


def _pack(plan: object) -> bytes:
    return zlib.compress(json.dumps(plan, separators=(",", ":")).encode(), 6)


def _unpack(blob: bytes) -> object:
    return json.loads(zlib.decompress(blob))


def _convert(
    source: sa.ColumnClause[Any], target: sa.ColumnClause[Any], change: Callable[[Any], object]
) -> None:
    """Fill ``target`` from ``source`` for every row, BATCH rows at a time (by user id)."""
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.select(PLANS.c.user_id, source)
            .where(PLANS.c.user_id > after)
            .order_by(PLANS.c.user_id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            PLANS.update()
            .where(PLANS.c.user_id == sa.bindparam("uid"))
            .values({target.name: sa.bindparam("value")}),
            [{"uid": user_id, "value": change(value)} for user_id, value in rows],
        )
        after = rows[-1][0]
