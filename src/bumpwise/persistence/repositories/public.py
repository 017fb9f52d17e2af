"""Leads from the free workout page and imported exercises awaiting review."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import ImportedExercise, Lead


class LeadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_email(self, email: str) -> Lead | None:
        return self.session.scalars(select(Lead).where(Lead.email == email)).first()

    def add(self, lead: Lead) -> None:
        self.session.add(lead)
        self.session.flush()

    def all(self) -> Sequence[Lead]:
        return self.session.scalars(select(Lead).order_by(Lead.consented_at, Lead.id)).all()


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, import_id: int) -> ImportedExercise | None:
        return self.session.get(ImportedExercise, import_id)

    def by_source(self, source: str, source_id: str) -> ImportedExercise | None:
        query = select(ImportedExercise).where(
            ImportedExercise.source == source, ImportedExercise.source_id == source_id
        )
        return self.session.scalars(query).first()

    def add(self, row: ImportedExercise) -> None:
        self.session.add(row)
        self.session.flush()

    def listing(self, *, pending_only: bool, limit: int = 200) -> Sequence[ImportedExercise]:
        query = select(ImportedExercise)
        if pending_only:
            query = query.where(ImportedExercise.review_needed.is_(True))
        query = query.order_by(ImportedExercise.name, ImportedExercise.id).limit(limit)
        return self.session.scalars(query).all()
