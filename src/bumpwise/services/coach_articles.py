"""Articles a coach writes: the same shape as bumpwise's (title, summary, tags, stages, Markdown
body), stored per coach, shown on the coach's public page (``/c/{handle}``) once published.

The body is kept as the coach typed it; it only ever reaches a page through the safe renderer
(raw HTML off, then sanitised), so nothing a coach types runs in a reader's browser.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from bumpwise.domain.articles import default_library
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import InputError
from bumpwise.domain.vocab import StageKind
from bumpwise.persistence.models import ArticleShare, CoachArticle
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.clients import client_access
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput
from bumpwise.services.leads import CoachPageView, coach_page
from bumpwise.services.principal import Principal, Role, require_role
from bumpwise.services.views import view_of

MAX_ARTICLES = 200


class CoachArticleInput(StrictInput):
    title: str = Field(min_length=5, max_length=120)
    summary: str = Field(min_length=10, max_length=300)
    tags: list[str] = Field(min_length=1, max_length=6)
    stages: list[StageKind] = Field(min_length=1)
    body: str = Field(min_length=50, max_length=20000)
    publish: bool = False

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: list[str]) -> list[str]:
        known = default_library().tags
        for tag in tags:
            if tag not in known:
                raise ValueError(
                    _("%(tag)r is not a tag; allowed: %(known)s", tag=tag, known=", ".join(sorted(known)))
                )
        return list(dict.fromkeys(tags))


class CoachArticleView(BaseModel):
    id: int
    slug: str
    title: str
    summary: str
    tags: list[str]
    stages: list[StageKind]
    body: str
    published: bool
    updated_at: datetime


class CoachPublicPage(BaseModel):
    page: CoachPageView
    articles: list[CoachArticleView]


def _view(row: CoachArticle) -> CoachArticleView:
    return view_of(
        CoachArticleView,
        row,
        tags=row.tags.split(","),
        stages=[StageKind(s) for s in row.stages.split(",")],
        published=row.published_at is not None,
    )


def slug_of(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70].strip("-")
    return slug or "article"


def save_article(
    uow: UnitOfWork,
    principal: Principal,
    entry: CoachArticleInput,
    now: datetime,
    article_id: int | None = None,
) -> CoachArticleView:
    """Write a new article, or change one of the caller's own (another coach's is a 404)."""
    require_role(principal, Role.COACH)
    with uow:
        if article_id is None:
            if len(uow.coach_articles.of_coach(principal.user_id)) >= MAX_ARTICLES:
                raise InputError("title", _("a coach can keep up to %(max)s articles", max=MAX_ARTICLES))
            row = CoachArticle(coach_id=principal.user_id, created_at=now)
            row.slug = _free_slug(uow, principal.user_id, slug_of(entry.title))
            uow.session.add(row)
        else:
            row = _own(uow, principal, article_id)
        row.title, row.summary, row.body = entry.title.strip(), entry.summary.strip(), entry.body
        row.tags, row.stages = ",".join(entry.tags), ",".join(s.value for s in entry.stages)
        row.updated_at = now
        row.published_at = (row.published_at or now) if entry.publish else None
        uow.session.flush()
        view = _view(row)
        uow.commit()
    return view


def _free_slug(uow: UnitOfWork, coach_id: int, slug: str) -> str:
    taken = {a.slug for a in uow.coach_articles.of_coach(coach_id)}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _own(uow: UnitOfWork, principal: Principal, article_id: int) -> CoachArticle:
    row = uow.coach_articles.get(article_id)
    if row is None or row.coach_id != principal.user_id:
        raise NotFound(N_("you have no article with this id"), "article_id")
    return row


def own_articles(uow: UnitOfWork, principal: Principal) -> list[CoachArticleView]:
    require_role(principal, Role.COACH)
    with uow:
        return [_view(row) for row in uow.coach_articles.of_coach(principal.user_id)]


def own_article(uow: UnitOfWork, principal: Principal, article_id: int) -> CoachArticleView:
    require_role(principal, Role.COACH)
    with uow:
        return _view(_own(uow, principal, article_id))


def delete_article(uow: UnitOfWork, principal: Principal, article_id: int) -> None:
    require_role(principal, Role.COACH)
    with uow:
        uow.session.delete(_own(uow, principal, article_id))
        uow.commit()


def public_page(uow: UnitOfWork, handle: str) -> CoachPublicPage:
    """A coach's page for anyone: their name, their published articles (404: no such coach)."""
    page = coach_page(uow, handle)
    with uow:
        rows = uow.coach_articles.of_coach(page.coach_id)
        return CoachPublicPage(page=page, articles=[_view(r) for r in rows if r.published_at is not None])


def public_article(uow: UnitOfWork, handle: str, slug: str) -> tuple[CoachPageView, CoachArticleView]:
    public = public_page(uow, handle)
    for article in public.articles:
        if article.slug == slug:
            return public.page, article
    raise NotFound(N_("this coach has published no article at this address"), "slug")


class ShareOption(BaseModel):
    value: str
    title: str


class SharedArticle(BaseModel):
    title: str
    path: str
    coach_name: str
    shared_at: datetime


COACH_PREFIX = "coach:"


def shareable(uow: UnitOfWork, principal: Principal) -> list[ShareOption]:
    """What a coach can share: every bumpwise article and their own published ones."""
    own = [a for a in own_articles(uow, principal) if a.published]
    options = [
        ShareOption(value=f"{COACH_PREFIX}{a.id}", title=_("%(title)s (yours)", title=a.title)) for a in own
    ]
    library = default_library().newest_first()
    return options + [ShareOption(value=a.slug, title=a.meta.title) for a in library]


def share_article(uow: UnitOfWork, principal: Principal, member_id: int, article: str, now: datetime) -> None:
    """Share an article with a client who granted the coach access (else a 404)."""
    with uow:
        client_access(uow, principal, member_id)
        title, path = _share_target(uow, principal, article)
        if uow.coach_articles.share(principal.user_id, member_id, path) is None:
            uow.session.add(
                ArticleShare(
                    coach_id=principal.user_id, member_id=member_id, path=path, title=title, shared_at=now
                )
            )
        uow.commit()


def _share_target(uow: UnitOfWork, principal: Principal, article: str) -> tuple[str, str]:
    if article.startswith(COACH_PREFIX) and article.removeprefix(COACH_PREFIX).isdigit():
        row = _own(uow, principal, int(article.removeprefix(COACH_PREFIX)))
        page = uow.roles.page_of(principal.user_id)
        if row.published_at is None or page is None:
            raise InputError("article", N_("publish the article before you share it"))
        return row.title, f"/c/{page.handle}/articles/{row.slug}"
    library = default_library()
    if article not in library.articles:
        allowed = sorted(library.articles)
        raise InputError(
            "article", "is not an article; give a bumpwise article's slug or coach:<id>", allowed
        )
    return library.articles[article].meta.title, f"/learn/{article}"


def shared_with_me(uow: UnitOfWork, principal: Principal) -> list[SharedArticle]:
    """Articles the member's coaches shared, while each coach still holds the member's grant."""
    require_role(principal, Role.MEMBER)
    with uow:
        result = []
        for share in uow.coach_articles.shared_with(principal.user_id):
            coach = uow.accounts.user(share.coach_id)
            if coach is None or uow.coaching.grant(principal.user_id, share.coach_id) is None:
                continue
            result.append(
                SharedArticle(
                    title=share.title,
                    path=share.path,
                    coach_name=coach.display_name,
                    shared_at=share.shared_at,
                )
            )
        return result
