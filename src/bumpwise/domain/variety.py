"""Variety within a week: no main strength exercise twice when the library has another.

Slots are filled day by day, so an early slot can take the only fallback a later slot has: the
glute bridge that a too-hard ball hamstring curl regresses to, when the bridge slot already has
it, or the hamstring presses that stand in for a kickback the rules exclude, when the knee flexion
slots need them. ``vary`` looks at the finished week. For an exercise that comes up twice it asks
the slot of each occurrence, earliest first, for an exercise not yet in the week; failing that, it
frees one held by another slot, when that slot has a fresh exercise of its own. A new item must
fit in the time the old one took plus its session's spare minutes.

``drop_session_repeats`` removes an accessory that would only do again what its own session
already does, and ``repeat_notes`` names whatever still repeats, so the plan says why.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping

from bumpwise.domain.drafts import ItemDraft, SessionDraft, fit_sets
from bumpwise.domain.exercise import Exercise
from bumpwise.domain.vocab import Pattern

Rechoose = Callable[[ItemDraft, frozenset[str]], "ItemDraft | None"]
"""Given an item and the exercise ids taken in the week, a new item for the same slot (which may
still be a taken one, when nothing else fits)."""

Position = tuple[SessionDraft, int]


def slot_items(sessions: list[SessionDraft]) -> Iterator[ItemDraft]:
    """The main items that fill a template slot (not warm-up, cool-down or cardio)."""
    for session, index in _positions(sessions):
        yield session.items[index]


def has_repeats(sessions: list[SessionDraft]) -> bool:
    ids = [d.exercise_id for d in slot_items(sessions)]
    return len(ids) > len(set(ids))


def vary(sessions: list[SessionDraft], rechoose: Rechoose, seconds_per_rep: int) -> None:
    """Swap repeated main exercises for ones not yet in the week, where the slots allow."""
    week = _Week(sessions, rechoose, seconds_per_rep)
    for position in _positions(sessions):
        if week.repeated(position):
            week.swap_fresh(position) or week.swap_through_other(position)


def drop_session_repeats(sessions: list[SessionDraft]) -> list[Pattern]:
    """Remove an accessory item whose exercise is already in the same session (a knee flexion
    slot that could only get the bridge the session already has); the slots left empty."""
    emptied: list[Pattern] = []
    for session in sessions:
        seen: set[str] = set()
        kept: list[ItemDraft] = []
        for draft in session.items:
            if _fills_slot(draft) and draft.exercise_id in seen and draft.removable:
                assert draft.slot is not None
                emptied.append(draft.slot)
                continue
            seen.add(draft.exercise_id)
            kept.append(draft)
        session.items = kept
    return emptied


def repeat_notes(sessions: list[SessionDraft], exercises: Mapping[str, Exercise]) -> list[str]:
    """One note per main exercise that still comes up more than once in the week."""
    counts: Counter[str] = Counter()
    slots: dict[str, set[Pattern]] = defaultdict(set)
    for draft in slot_items(sessions):
        assert draft.slot is not None
        counts[draft.exercise_id] += 1
        slots[draft.exercise_id].add(draft.slot)
    return [
        f"{exercises[exercise_id].name} is planned {times} times this week: your equipment and this week's "
        f"rules leave no other {_kinds(slots[exercise_id])} exercise to vary it with."
        for exercise_id, times in counts.items()
        if times > 1
    ]


class _Week:
    """The week's slot items and how often each exercise comes up, changed one swap at a time."""

    def __init__(self, sessions: list[SessionDraft], rechoose: Rechoose, seconds_per_rep: int) -> None:
        self.positions = list(_positions(sessions))
        self.rechoose = rechoose
        self.seconds_per_rep = seconds_per_rep
        self.counts = Counter(s.items[i].exercise_id for s, i in self.positions)

    def repeated(self, position: Position) -> bool:
        return self.counts[_at(position).exercise_id] > 1

    def taken(self, but: str | None = None) -> frozenset[str]:
        return frozenset(e for e, n in self.counts.items() if n > 0 and e != but)

    def swap_fresh(self, position: Position) -> bool:
        """Give the slot an exercise not yet in the week, if it has one that fits the time."""
        fresh = self.rechoose(_at(position), self.taken())
        if fresh is None or self.counts[fresh.exercise_id] > 0:
            return False
        return self._put(position, fresh)

    def swap_through_other(self, position: Position) -> bool:
        """Take the exercise another slot holds (hamstring presses standing in for a kickback)
        when that slot has a fresh exercise of its own."""
        draft = _at(position)
        for other in self.positions:
            held = _at(other)
            if not self._could_lend(draft, held):
                continue
            taking = self.rechoose(draft, self.taken(but=held.exercise_id))
            if taking is None or taking.exercise_id != held.exercise_id or not self.swap_fresh(other):
                continue
            if self._put(position, taking):
                return True
            self._put(other, held)  # undo: the lent exercise did not fit this slot's time
        return False

    def _could_lend(self, draft: ItemDraft, held: ItemDraft) -> bool:
        """Another slot's exercise, used once, of the pattern this slot trains or stands in with."""
        patterns = {draft.slot, draft.choice.verdict.exercise.pattern}
        return (
            held is not draft
            and held.slot != draft.slot
            and self.counts[held.exercise_id] == 1
            and held.choice.verdict.exercise.pattern in patterns
        )

    def _put(self, position: Position, fresh: ItemDraft) -> bool:
        """Replace the item at ``position`` when ``fresh`` fits its time; False leaves it."""
        session, index = position
        old = session.items[index]
        spare = max(0, session.minutes * 60 - session.seconds(self.seconds_per_rep))
        if not fit_sets(fresh, old.seconds(self.seconds_per_rep) + spare, self.seconds_per_rep):
            return False
        fresh.removable = old.removable
        session.items[index] = fresh
        self.counts[old.exercise_id] -= 1
        self.counts[fresh.exercise_id] += 1
        return True


def _positions(sessions: list[SessionDraft]) -> Iterator[Position]:
    for session in sessions:
        for index, draft in enumerate(session.items):
            if _fills_slot(draft):
                yield session, index


def _fills_slot(draft: ItemDraft) -> bool:
    return draft.block == "main" and draft.slot is not None


def _at(position: Position) -> ItemDraft:
    session, index = position
    return session.items[index]


def _kinds(slots: set[Pattern]) -> str:
    return " or ".join(sorted(p.value.replace("_", " ") for p in slots))
