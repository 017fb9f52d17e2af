"""Stored plans as compressed JSON (issue 18): a week's plan is about 100 kB of JSON that repeats
each exercise's attributes, cues and reasons; zlib keeps about a seventh of it, and reading it
back is one decompression and one JSON parse (by pydantic, straight from the bytes).

A plan's JSON is stored with a line break before its week, before each of the week's days and
before their ends (``plan_json``). JSON allows white space there, and compact JSON has no line
break anywhere else (a string writes one as ``\\n``), so the parts can be cut apart again as
written (``plan_parts``): the API's week sends its week as stored, and today reads one day."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

LEVEL = 6
"""zlib's default: within a few per cent of the smallest size, several times faster than 9."""

BREAK = b"\n"
WEEKS = b',"weeks":['
DAYS = b',"days":['
NO_WEEK_END = b"]}"
WEEK_END = b"]}]}"


def pack(text: bytes) -> bytes:
    return zlib.compress(text, LEVEL)


def unpack(blob: bytes) -> bytes:
    """The JSON text of a packed document."""
    return zlib.decompress(blob)


@dataclass(frozen=True)
class PlanParts:
    """A stored plan's JSON cut apart: the document with no weeks (``"weeks":[]``), and its one
    week, if any, whole and as the week with no days beside each day's JSON."""

    rest: bytes
    week: bytes | None = None
    week_rest: bytes | None = None
    days: tuple[bytes, ...] = ()


def plan_json(rest: bytes, week: tuple[bytes, list[bytes]] | None) -> bytes:
    """A plan's JSON as stored: ``rest``, the document without its weeks, with its one week (or
    none) last; the week given as its JSON without its days and each day's JSON (all compact)."""
    _check_object(rest, WEEKS)
    if week is None:
        return rest[:-1] + WEEKS + BREAK + NO_WEEK_END
    week_rest, days = week
    _check_object(week_rest, DAYS)
    for day in days:
        if BREAK in day:
            raise ValueError("a day's JSON must be compact")
    joined = BREAK + (BREAK + b",").join(days) if days else b""
    return rest[:-1] + WEEKS + BREAK + week_rest[:-1] + DAYS + joined + BREAK + WEEK_END


def _check_object(text: bytes, key: bytes) -> None:
    if not (text.startswith(b"{") and text.endswith(b"}")) or text == b"{}" or key in text or BREAK in text:
        raise ValueError(f"expected a compact JSON object with keys but no {key.decode()!r}")


def plan_parts(text: bytes) -> PlanParts | None:
    """The parts of a plan's JSON as ``plan_json`` wrote it; None for one not laid out so (stored
    before it was)."""
    lines = text.split(BREAK)
    if not lines[0].endswith(WEEKS):
        return None
    rest = lines[0] + NO_WEEK_END
    if lines[1:] == [NO_WEEK_END]:
        return PlanParts(rest)
    later = lines[3:-1]
    if len(lines) < 3 or not lines[1].endswith(DAYS) or lines[-1] != WEEK_END:
        return None
    if not all(line.startswith(b",") for line in later):
        return None
    days = () if len(lines) == 3 else (lines[2], *(line[1:] for line in later))
    week = text[len(lines[0]) + 1 : -len(NO_WEEK_END)]
    return PlanParts(rest, week, lines[1] + NO_WEEK_END, days)
