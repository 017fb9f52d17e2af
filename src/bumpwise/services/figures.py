"""One exercise's figure as an SVG image, for a stage week: the use case behind the figure endpoint
and the pages. Pure of the web; the ETag is a digest of the SVG, so it changes exactly when the
drawing does (a new week's bump, new pose data)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from bumpwise.domain.catalog import _
from bumpwise.domain.errors import InputError
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.stage import POSTPARTUM_WEEKS, PREGNANT_WEEKS, Stage
from bumpwise.domain.vocab import Delivery, StageKind
from bumpwise.services.errors import NotFound
from bumpwise.services.inputs import StrictInput

RENDER_CACHE_SIZE = 4096


class FigureQuery(StrictInput):
    week: int | None = Field(default=None, ge=PREGNANT_WEEKS[0] - 1, le=POSTPARTUM_WEEKS[1])
    stage: StageKind = StageKind.PREGNANT
    variant: str | None = Field(default=None, max_length=60)
    motion: Literal["animate", "reduce"] = "animate"


@dataclass(frozen=True)
class FigureImage:
    svg: str
    etag: str


def figure_stage(kind: StageKind, week: int | None) -> Stage | None:
    """The stage to draw, or None (no bump) when no week is given."""
    if week is None:
        return None
    low, high = PREGNANT_WEEKS if kind is StageKind.PREGNANT else POSTPARTUM_WEEKS
    if not low <= week <= high:
        raise InputError(
            "week", _("must be %(low)s to %(high)s for stage %(stage)s", low=low, high=high, stage=kind.value)
        )
    delivery = Delivery.VAGINAL if kind is StageKind.POSTPARTUM else None
    return Stage(kind=kind, week=week, delivery=delivery)


def exercise_figure(kb: KnowledgeBase, exercise_id: str, query: FigureQuery) -> FigureImage:
    exercise = kb.exercises.get(exercise_id)
    if exercise is None:
        raise NotFound(_("%(id)r is not an exercise in the library", id=exercise_id), "exercise_id")
    if query.variant is not None and exercise.variant(query.variant) is None:
        raise InputError(
            "variant",
            _("%(variant)r is not a variant of %(id)s", variant=query.variant, id=exercise_id),
            [v.key for v in exercise.variants],
        )
    stage = figure_stage(query.stage, query.week)
    key = (exercise_id, query.variant, stage, query.motion == "animate")
    cache: dict[object, FigureImage] = kb.memo.setdefault("figures", {})
    image = cache.get(key)
    if image is None:
        if len(cache) >= RENDER_CACHE_SIZE:
            cache.clear()
        image = cache[key] = _render(kb, *key)
    return image


def _render(
    kb: KnowledgeBase, exercise_id: str, variant_key: str | None, stage: Stage | None, animated: bool
) -> FigureImage:
    from bumpwise.figures import figure_svg

    exercise = kb.exercises[exercise_id]
    variant = exercise.variant(variant_key) if variant_key else None
    svg = figure_svg(exercise, variant, stage, animated=animated)
    return FigureImage(svg, '"' + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:24] + '"')


def stage_query(stage: Stage | None) -> str:
    """The figure URL's query for drawing this stage (empty: no bump)."""
    return "" if stage is None else f"stage={stage.kind.value}&week={stage.week}"


def figure_variant(kb: KnowledgeBase, exercise_id: str, applied: Sequence[str]) -> str | None:
    """Of the variants applied to an item, the last one the figure data draws differently."""
    from bumpwise.figures import default_figures

    return default_figures().drawn_variant(exercise_id, applied) if exercise_id in kb.exercises else None


def figure_url(
    kb: KnowledgeBase, exercise_id: str, applied: Sequence[str] = (), query: str = "", reduced: bool = False
) -> str:
    params = [query] if query else []
    variant = figure_variant(kb, exercise_id, applied)
    if variant:
        params.append(f"variant={variant}")
    if reduced:
        params.append("motion=reduce")
    suffix = "?" + "&".join(params) if params else ""
    return f"/api/v1/exercises/{exercise_id}/figure.svg{suffix}"


def figure_alt(kb: KnowledgeBase, exercise_id: str, applied: Sequence[str] = ()) -> str:
    """The drawing in words, for the ``alt`` of an image."""
    from bumpwise.figures import default_figures, positions_text

    exercise = kb.exercises[exercise_id]
    key = figure_variant(kb, exercise_id, applied)
    variant = exercise.variant(key) if key else None
    spec = default_figures().spec(exercise, variant)
    name = exercise.name if variant is None else variant.name
    return _("Drawing of %(name)s. %(positions)s", name=name, positions=positions_text(spec))
