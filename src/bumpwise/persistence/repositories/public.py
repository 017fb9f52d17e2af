"""Leads from the free workout pages and imported exercises awaiting review."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bumpwise.persistence.models import ImportedExercise, Lead


class LeadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def on_page(self, email: str, coach_id: int | None) -> Lead | None:
        """The lead of this e-mail on this coach's page (None: the general page)."""
        page = Lead.coach_id.is_(None) if coach_id is None else Lead.coach_id == coach_id
        return self.session.scalars(select(Lead).where(Lead.email == email, page)).first()

    def with_email(self, email: str) -> Sequence[Lead]:
        return self.session.scalars(select(Lead).where(Lead.email == email).order_by(Lead.id)).all()

    def by_unsubscribe_hash(self, token_hash: str) -> Lead | None:
        return self.session.scalars(select(Lead).where(Lead.unsubscribe_hash == token_hash)).first()

    def add(self, lead: Lead) -> None:
        self.session.add(lead)
        self.session.flush()

    def delete(self, lead: Lead) -> None:
        self.session.delete(lead)
        self.session.flush()

    def delete_with_email(self, email: str) -> None:
        self.session.execute(delete(Lead).where(Lead.email == email))

    def of_page(self, coach_id: int | None) -> Sequence[Lead]:
        """Every lead of one coach's page, or of the general page (None)."""
        page = Lead.coach_id.is_(None) if coach_id is None else Lead.coach_id == coach_id
        return self.session.scalars(select(Lead).where(page).order_by(Lead.consented_at, Lead.id)).all()


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, import_id: int) -> ImportedExercise | None:
        return self.session.get(ImportedExercise, import_id)

    def by_source(self, owner_id: int, source: str, source_id: str) -> ImportedExercise | None:
        query = select(ImportedExercise).where(
            ImportedExercise.imported_by == owner_id,
            ImportedExercise.source == source,
            ImportedExercise.source_id == source_id,
        )
        return self.session.scalars(query).first()

    def add(self, row: ImportedExercise) -> None:
        self.session.add(row)
        self.session.flush()

    def listing(
        self, owner_id: int, *, pending_only: bool, with_ownerless: bool = False, limit: int = 200
    ) -> Sequence[ImportedExercise]:
        owned = ImportedExercise.imported_by == owner_id
        query = select(ImportedExercise).where(
            or_(owned, ImportedExercise.imported_by.is_(None)) if with_ownerless else owned
        )
        if pending_only:
            query = query.where(ImportedExercise.review_needed.is_(True))
        query = query.order_by(ImportedExercise.name, ImportedExercise.id).limit(limit)
        return self.session.scalars(query).all()
