"""The exercise library for people: search and filters, and one exercise with this member's verdict.

Built on ``services.library`` (the same listing the CLI prints).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from bumpwise.domain.catalog import _
from bumpwise.domain.contract import exercise_detail_json, verdict_json
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.domain.profile import Profile
from bumpwise.domain.search import matches, normalise, searchable_text, synonyms
from bumpwise.domain.suggestions import usable_ids
from bumpwise.domain.vocab import Equipment, Muscle, Pattern, Position
from bumpwise.persistence.models import MemberProfile as ProfileRow
from bumpwise.persistence.models import SymptomReport
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.answer_cache import AnswerCache, answer_cache
from bumpwise.services.errors import NotFound
from bumpwise.services.figures import stage_query
from bumpwise.services.inputs import StrictInput
from bumpwise.services.library import ExerciseRow, check_with_suggestions, find_exercise, list_exercises
from bumpwise.services.principal import Principal
from bumpwise.services.profiles import member_state, state_of

PROFILE_CACHE_SIZE = 4096


class LibraryQuery(StrictInput):
    q: str = Field(default="", max_length=80)
    pattern: Pattern | None = None
    muscle: Muscle | None = None
    equipment: Equipment | None = None
    position: Position | None = None
    safe_for_me: bool = False


class LibraryPage(BaseModel):
    exercises: list[ExerciseRow]
    total: int
    safe_for_me: bool
    stage: str | None


class ExercisePage(BaseModel):
    exercise: dict[str, object]
    """The exercise as ``exercise_detail_json`` writes it (``bumpwise exercises show --format json``)."""
    verdict: dict[str, object] | None
    """The member's verdict as ``verdict_json`` writes it, with what to try instead."""
    stage: str | None
    disclaimer: str
    figure_query: str = ""
    """The member's stage for the figure (empty for a visitor)."""
    stage_kind: str | None = None
    """The member's kind of stage (None for a visitor): after the birth, the page offers no
    pregnancy week to draw."""


def member_profile(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal | None, today: date
) -> tuple[Profile, str] | None:
    """This member's profile for today, when there is one to judge exercises against."""
    if principal is None or not principal.is_member:
        return None
    with uow:
        row = uow.health.profile(principal.user_id)
        if row is None or not row.screening_answered:
            return None
        state = member_state(uow, kb, principal.user_id, today)
        return state.profile, state.stage.label


@dataclass(frozen=True)
class JudgedProfile:
    """A member's profile for today as the library judges exercises against it."""

    profile: Profile
    stage: str
    key: str
    """The profile as JSON: equal keys, equal verdicts (with the same knowledge base)."""

    @property
    def pair(self) -> tuple[Profile, str]:
        return self.profile, self.stage


def member_profile_now(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal | None, today: date
) -> JudgedProfile | None:
    """``member_profile`` from two column queries: the profile's stored values and the reports its
    symptoms come from are read fresh on every call, and the profile is parsed from them once per
    process (kept by everything it is computed from: those values, the day, the knowledge base)."""
    if principal is None or not principal.is_member:
        return None
    with uow:
        values, reports = uow.health.profile_values(principal.user_id)
    if values is None or not values["screening_answered"]:
        return None
    inputs = repr((sorted(values.items()), [sorted(r.items()) for r in reports], today.isoformat()))
    cache: AnswerCache[JudgedProfile] = answer_cache(kb, "member-profile", PROFILE_CACHE_SIZE)
    found = cache.get(inputs)
    if found is not None:
        return found
    rows = [SymptomReport(**report) for report in reports]
    open_warnings = sorted((r for r in rows if r.has_warning and r.resolved_at is None), key=lambda r: r.id)
    state = state_of(kb, ProfileRow(**values), rows[0] if rows else None, open_warnings, today)
    return cache.put(inputs, JudgedProfile(state.profile, state.stage.label, state.profile.model_dump_json()))


def browse(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal | None, query: LibraryQuery, today: date
) -> LibraryPage:
    mine = member_profile(uow, kb, principal, today) if query.safe_for_me else None
    return library_page(kb, mine, query)


def library_page(kb: KnowledgeBase, mine: tuple[Profile, str] | None, query: LibraryQuery) -> LibraryPage:
    """The listing for ``query``: a pure function of the knowledge base, the member's profile and
    stage label (``member_profile``; None: the whole library) and the query."""
    rows = list_exercises(kb, mine[0]) if mine else _whole_library(kb)
    terms = synonyms().expand(query.q)
    matching = [row for row in rows if matches(terms, _text_of(kb, row)) and _matches(row, query)]
    return LibraryPage(
        exercises=matching, total=len(matching), safe_for_me=mine is not None, stage=mine[1] if mine else None
    )


def _whole_library(kb: KnowledgeBase) -> list[ExerciseRow]:
    """Every exercise as listed, computed once per knowledge base (a pure function of it)."""
    key = ("catalog", "whole-library")
    rows: list[ExerciseRow] | None = kb.memo.get(key)
    if rows is None:
        rows = kb.memo[key] = list_exercises(kb)
    return rows


def _text_of(kb: KnowledgeBase, row: ExerciseRow) -> str:
    """The searchable text of a listed exercise, computed once per knowledge base."""
    key = ("catalog", "search-text", row.id)
    text: str | None = kb.memo.get(key)
    if text is None:
        found = kb.exercises.get(row.id)
        text = kb.memo[key] = (
            searchable_text(found) if found else normalise(f"{row.id} {row.name} {row.summary}")
        )
    return text


def _matches(row: ExerciseRow, query: LibraryQuery) -> bool:
    """The filters other than the words searched for."""
    return (
        (query.pattern is None or row.pattern == query.pattern)
        and (
            query.muscle is None
            or query.muscle in row.primary_muscles
            or query.muscle in row.secondary_muscles
        )
        and (query.equipment is None or query.equipment in row.equipment)
        and (query.position is None or row.position == query.position)
    )


def exercise_page(
    uow: UnitOfWork, kb: KnowledgeBase, principal: Principal | None, exercise_id: str, today: date
) -> ExercisePage:
    if exercise_id not in kb.exercises:
        raise NotFound(_("%(id)r is not an exercise in the library", id=exercise_id), "exercise_id")
    exercise = find_exercise(kb, exercise_id)
    mine = member_profile(uow, kb, principal, today)
    stage_kind = mine[0].stage.kind if mine else None
    detail = exercise_detail_json(exercise, stage_kind)
    verdict = None
    if mine:
        checked, suggestions = check_with_suggestions(kb, exercise.id, mine[0])
        verdict = {**verdict_json(checked), **suggestions.as_dict()}
        detail["substitutes"] = usable_ids(mine[0], kb, exercise.substitutes)
        detail["regressions"] = usable_ids(mine[0], kb, exercise.regressions)
        detail["progressions"] = usable_ids(mine[0], kb, exercise.progressions)
    return ExercisePage(
        exercise=detail,
        verdict=verdict,
        stage=mine[1] if mine else None,
        disclaimer=kb.disclaimer,
        figure_query=stage_query(mine[0].stage) if mine else "",
        stage_kind=None if stage_kind is None else stage_kind.value,
    )
