"""``/rules``: every safety and planning rule in plain words with its sources, public. The
"bumpwise design choice" source links here, so a design choice is always explained on a page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from bumpwise.domain.catalog import gettext
from bumpwise.domain.rule import DESIGN_SOURCE, Rule
from bumpwise.rules_doc import SECTIONS
from bumpwise.web.deps import Ctx, MaybePageUser
from bumpwise.web.rendering import page

router = APIRouter()
RULES_PATH = "/rules"


class RuleSection(BaseModel):
    title: str
    anchor: str
    rules: list[dict[str, object]]


def _rule_view(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "text": rule.summary,
        "why": rule.rationale,
        "sources": rule.sources,
        "conflict": rule.conflict,
    }


@router.get(RULES_PATH, response_class=HTMLResponse)
def rules_page(request: Request, user: MaybePageUser, ctx: Ctx) -> Response:
    sections = [
        RuleSection(
            title=gettext(title),
            anchor=title.lower().replace(" ", "-"),
            rules=[_rule_view(r) for r in ctx.kb.rules if belongs(r)],
        )
        for title, belongs in SECTIONS
    ]
    design = ctx.kb.sources[DESIGN_SOURCE]
    return page(
        request, user, "rules/index.html", sections=sections, design=design, disclaimer=ctx.kb.disclaimer
    )
