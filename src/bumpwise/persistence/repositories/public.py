"""Leads from the free workout pages and imported exercises awaiting review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bumpwise.persistence.models import ArticleShare, CoachArticle, CoachGrant, ImportedExercise, Lead

# Built once (a member's page view sends it when its plan is not kept): composing it cost more
# than running it.
LIBRARY_STAMPS = (
    select(
        CoachGrant.member_id,
        CoachGrant.coach_id,
        func.count(ImportedExercise.id),
        func.coalesce(func.sum(ImportedExercise.version), 0),
        func.coalesce(func.sum(ImportedExercise.id), 0),
    )
    .join(
        ImportedExercise,
        (ImportedExercise.imported_by == CoachGrant.coach_id) & ImportedExercise.confirmed_at.is_not(None),
    )
    .where(CoachGrant.member_id.in_(bindparam("member_ids", expanding=True)))
    .group_by(CoachGrant.member_id, CoachGrant.coach_id)
    .order_by(CoachGrant.member_id, CoachGrant.coach_id)
)


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

    def by_confirm_hash(self, token_hash: str) -> Lead | None:
        return self.session.scalars(select(Lead).where(Lead.confirm_hash == token_hash)).first()

    def forget_stale_opt_ins(self, cutoff: datetime) -> None:
        """Opt-ins not confirmed since ``cutoff``: an unconfirmed lead is deleted, and a confirmed
        lead's unused new confirmation (its link and the answers waiting with it) is dropped."""
        stale = Lead.consented_at < cutoff
        self.session.execute(delete(Lead).where(stale, Lead.confirmed_at.is_(None)))
        self.session.execute(
            update(Lead)
            .where(stale, Lead.confirm_hash.is_not(None))
            .values(confirm_hash=None, pending_answers=None)
        )

    def add(self, lead: Lead) -> None:
        self.session.add(lead)
        self.session.flush()

    def delete(self, lead: Lead) -> None:
        self.session.delete(lead)
        self.session.flush()

    def delete_with_email(self, email: str) -> None:
        self.session.execute(delete(Lead).where(Lead.email == email))

    def of_page(self, coach_id: int | None) -> Sequence[Lead]:
        """Every confirmed lead of one coach's page, or of the general page (None)."""
        page = Lead.coach_id.is_(None) if coach_id is None else Lead.coach_id == coach_id
        query = select(Lead).where(page, Lead.confirmed_at.is_not(None))
        return self.session.scalars(query.order_by(Lead.consented_at, Lead.id)).all()


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
        self,
        owner_id: int,
        *,
        pending_only: bool,
        with_ownerless: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> Sequence[ImportedExercise]:
        owned = ImportedExercise.imported_by == owner_id
        query = select(ImportedExercise).where(
            or_(owned, ImportedExercise.imported_by.is_(None)) if with_ownerless else owned
        )
        if pending_only:
            query = query.where(ImportedExercise.review_needed.is_(True))
        query = query.order_by(ImportedExercise.name, ImportedExercise.id).limit(limit).offset(offset)
        return self.session.scalars(query).all()

    def page_of(
        self, owner_id: int, *, reviewed: bool | None, limit: int, offset: int
    ) -> Sequence[ImportedExercise]:
        """A coach's library, by name: all, only the reviewed (in plans) or only the unreviewed."""
        query = select(ImportedExercise).where(ImportedExercise.imported_by == owner_id)
        if reviewed is not None:
            marked = ImportedExercise.confirmed_at.is_not(None)
            query = query.where(marked if reviewed else ImportedExercise.confirmed_at.is_(None))
        query = query.order_by(ImportedExercise.name, ImportedExercise.id).limit(limit).offset(offset)
        return self.session.scalars(query).all()

    def record_confirmations(
        self, row: ImportedExercise, values: dict[str, object], *, by: int, at: datetime
    ) -> None:
        """The coach confirms (or corrects) some attributes: each keeps its value, who and when;
        the row joins the coach's library and its version grows (plans using it are rebuilt)."""
        stamp = at.isoformat()
        row.confirmations = {
            **row.confirmations,
            **{name: {"value": value, "by": by, "at": stamp} for name, value in values.items()},
        }
        row.confirmed_by, row.confirmed_at = by, at
        row.version = (row.version or 0) + 1
        self.session.flush()

    def library_of_member(self, member_id: int) -> Sequence[ImportedExercise]:
        """The reviewed exercises of every coach the member has granted access, by id."""
        coaches = select(CoachGrant.coach_id).where(CoachGrant.member_id == member_id)
        query = select(ImportedExercise).where(
            ImportedExercise.imported_by.in_(coaches), ImportedExercise.confirmed_at.is_not(None)
        )
        return self.session.scalars(query.order_by(ImportedExercise.id)).all()

    def library_stamps(self, member_ids: Sequence[int]) -> dict[int, str]:
        """Per member, a text that changes whenever the library their plan may use changes: a
        coach granted or revoked, an exercise reviewed, corrected or removed (one query)."""
        if not member_ids:
            return {}
        stamps: dict[int, list[str]] = {member_id: [] for member_id in member_ids}
        for member_id, coach_id, count, versions, ids in self.session.execute(
            LIBRARY_STAMPS, {"member_ids": list(member_ids)}
        ):
            stamps[member_id].append(f"{coach_id}:{count}:{versions}:{ids}")
        return {member_id: ";".join(parts) for member_id, parts in stamps.items()}


class CoachArticleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, article_id: int) -> CoachArticle | None:
        return self.session.get(CoachArticle, article_id)

    def of_coach(self, coach_id: int) -> Sequence[CoachArticle]:
        """Newest first."""
        query = select(CoachArticle).where(CoachArticle.coach_id == coach_id)
        return self.session.scalars(query.order_by(CoachArticle.updated_at.desc(), CoachArticle.id)).all()

    def share(self, coach_id: int, member_id: int, path: str) -> ArticleShare | None:
        query = select(ArticleShare).where(
            ArticleShare.coach_id == coach_id, ArticleShare.member_id == member_id, ArticleShare.path == path
        )
        return self.session.scalars(query).first()

    def shared_with(self, member_id: int) -> Sequence[ArticleShare]:
        """Newest first."""
        query = select(ArticleShare).where(ArticleShare.member_id == member_id)
        return self.session.scalars(query.order_by(ArticleShare.shared_at.desc(), ArticleShare.id)).all()
