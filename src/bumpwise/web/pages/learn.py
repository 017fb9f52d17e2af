"""The public article site: ``/learn`` (every article), ``/learn/{slug}``, ``/learn/tags/{tag}``,
the Atom feed ``/learn/feed.atom`` and ``/sitemap.xml``. No account needed; every page is
server-rendered with its structured data (schema.org Article) and Open Graph tags."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from bumpwise.domain.articles import Article, default_library
from bumpwise.domain.catalog import N_
from bumpwise.services.errors import NotFound
from bumpwise.web.deps import Ctx, MaybePageUser
from bumpwise.web.feeds import atom_feed, sitemap
from bumpwise.web.markdown import render_markdown
from bumpwise.web.rendering import page

router = APIRouter()
FEED_PATH = "/learn/feed.atom"
PUBLIC_PAGES = ("/", "/learn", "/free-workout", "/exercises")


@router.get("/learn", response_class=HTMLResponse)
def index(request: Request, user: MaybePageUser) -> Response:
    library = default_library()
    return page(
        request, user, "learn/index.html", articles=library.newest_first(), tags=library.tags.values()
    )


@router.get("/learn/tags/{tag}", response_class=HTMLResponse)
def tag_page(request: Request, tag: str, user: MaybePageUser) -> Response:
    library = default_library()
    if tag not in library.tags:
        raise NotFound(N_("no articles have this tag"), "tag")
    return page(request, user, "learn/tag.html", tag=library.tags[tag], articles=library.tagged(tag))


@router.get(FEED_PATH)
def feed(ctx: Ctx) -> Response:
    body = atom_feed(default_library().newest_first(), ctx.settings.base_url, FEED_PATH)
    return Response(body, media_type="application/atom+xml")


@router.get("/sitemap.xml")
def site_map(ctx: Ctx) -> Response:
    library = default_library()
    pages: list[tuple[str, date | None]] = [(path, None) for path in PUBLIC_PAGES]
    pages += [(f"/learn/{a.slug}", a.meta.reviewed_on) for a in library.newest_first()]
    pages += [(f"/learn/tags/{tag}", None) for tag in library.tags]
    return Response(sitemap(pages, ctx.settings.base_url), media_type="application/xml")


@router.get("/learn/{slug}", response_class=HTMLResponse)
def article_page(request: Request, slug: str, user: MaybePageUser, ctx: Ctx) -> Response:
    library = default_library()
    article = library.articles.get(slug)
    if article is None:
        raise NotFound(N_("there is no article at this address"), "slug")
    url = ctx.settings.base_url.rstrip("/") + f"/learn/{slug}"
    return page(
        request,
        user,
        "learn/article.html",
        article=article,
        body=render_markdown(article.body),
        url=url,
        structured_data=structured_data(article, url, author="bumpwise"),
        tags=[library.tags[t] for t in article.meta.tags],
        exercises=[ctx.kb.exercises[e] for e in article.meta.exercises],
        disclaimer=ctx.kb.disclaimer,
    )


def structured_data(article: Article, url: str, author: str) -> Markup:
    """schema.org Article as JSON-LD, safe inside a script element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.meta.title,
        "description": article.meta.summary,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": article.meta.reviewed_on.isoformat(),
        "datePublished": article.meta.reviewed_on.isoformat(),
        "keywords": ", ".join(article.meta.tags),
        "author": {"@type": "Organization" if author == "bumpwise" else "Person", "name": author},
        "publisher": {"@type": "Organization", "name": "bumpwise"},
    }
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)
