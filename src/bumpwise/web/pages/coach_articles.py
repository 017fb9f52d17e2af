"""Coaches write too: ``/coach/articles`` (list and write), ``/coach/articles/{article_id}`` (edit,
delete); and for anyone, the coach's public page ``/c/{handle}`` with their published articles,
each at ``/c/{handle}/articles/{slug}`` with a call to that coach's own free workout."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bumpwise.domain.articles import default_library
from bumpwise.domain.errors import InputError
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import coach_articles
from bumpwise.services.coach_articles import CoachArticleInput
from bumpwise.services.inputs import validated
from bumpwise.services.principal import Principal
from bumpwise.web.deps import Ctx, MaybePageUser, Now, PageUser
from bumpwise.web.idempotency import FormOnce
from bumpwise.web.markdown import render_markdown
from bumpwise.web.pages.forms import FormData
from bumpwise.web.params import RowId
from bumpwise.web.rendering import page

router = APIRouter()
EMPTY_FORM: dict[str, list[str]] = {"tags": [], "stages": []}


def _editor(
    request: Request,
    user: Principal,
    ctx: Ctx,
    *,
    form: Mapping[str, object],
    article_id: int | None = None,
    status: int = 200,
    error: Exception | None = None,
) -> Response:
    own = coach_articles.own_articles(ctx.uow(), user)
    return page(
        request,
        user,
        "coach/articles.html",
        status=status,
        articles=own,
        form=form,
        article_id=article_id,
        error=error,
        tags=default_library().tags.values(),
    )


@router.get("/coach/articles", response_class=HTMLResponse)
def articles(request: Request, user: PageUser, ctx: Ctx) -> Response:
    return _editor(request, user, ctx, form=EMPTY_FORM)


@router.post("/coach/articles", response_class=HTMLResponse)
def write(request: Request, user: PageUser, ctx: Ctx, form: FormData, now: Now, once: FormOnce) -> Response:
    def save(uow: UnitOfWork) -> Response:
        coach_articles.save_article(uow, user, validated(CoachArticleInput, form), now)
        return RedirectResponse("/coach/articles?notice=saved", status_code=303)

    try:
        return once.page(save)
    except InputError as exc:
        return _editor(request, user, ctx, form=form, status=422, error=exc)


@router.get("/coach/articles/{article_id}", response_class=HTMLResponse)
def edit(request: Request, article_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    article = coach_articles.own_article(ctx.uow(), user, article_id)
    form = {**article.model_dump(mode="json"), "publish": article.published}
    return _editor(request, user, ctx, form=form, article_id=article_id)


@router.post("/coach/articles/{article_id}", response_class=HTMLResponse)
def change(
    request: Request, article_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now
) -> Response:
    try:
        coach_articles.save_article(ctx.uow(), user, validated(CoachArticleInput, form), now, article_id)
    except InputError as exc:
        return _editor(request, user, ctx, form=form, article_id=article_id, status=422, error=exc)
    return RedirectResponse("/coach/articles?notice=saved", status_code=303)


@router.post("/coach/articles/{article_id}/delete")
def delete(article_id: RowId, user: PageUser, ctx: Ctx) -> Response:
    coach_articles.delete_article(ctx.uow(), user, article_id)
    return RedirectResponse("/coach/articles?notice=saved", status_code=303)


@router.post("/coach/clients/{member_id}/share")
def share(member_id: RowId, user: PageUser, ctx: Ctx, form: FormData, now: Now) -> Response:
    coach_articles.share_article(ctx.uow(), user, member_id, str(form.get("article", "")), now)
    return RedirectResponse(f"/coach/clients/{member_id}?notice=shared#share", status_code=303)


@router.get("/c/{handle}", response_class=HTMLResponse)
def coach_public_page(request: Request, handle: str, user: MaybePageUser, ctx: Ctx) -> Response:
    public = coach_articles.public_page(ctx.uow(), handle)
    url = _url(ctx, f"/c/{public.page.handle}")
    return page(request, user, "learn/coach_page.html", public=public, url=url)


@router.get("/c/{handle}/articles/{slug}", response_class=HTMLResponse)
def coach_article(request: Request, handle: str, slug: str, user: MaybePageUser, ctx: Ctx) -> Response:
    coach, article = coach_articles.public_article(ctx.uow(), handle, slug)
    library = default_library()
    return page(
        request,
        user,
        "learn/coach_article.html",
        coach=coach,
        article=article,
        body=render_markdown(article.body),
        url=_url(ctx, f"/c/{coach.handle}/articles/{article.slug}"),
        tags=[library.tags[t] for t in article.tags if t in library.tags],
        disclaimer=ctx.kb.disclaimer,
    )


def _url(ctx: Ctx, path: str) -> str:
    return ctx.settings.base_url.rstrip("/") + path
