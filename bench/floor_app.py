"""The framework floor for bench/api.py: a minimal FastAPI app with no database.

``/ping`` is the smallest typed JSON answer; ``/items`` is 20 small items through a response
model, the shape perf-anchors.md measured as "items-model".
"""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from pydantic import BaseModel


class Ping(BaseModel):
    status: str


class Item(BaseModel):
    id: int
    name: str
    pattern: str
    position: str
    impact: str
    load: str
    minutes: int
    difficulty: int
    day: date
    muscles: list[str]


ITEMS = [
    Item(
        id=i,
        name=f"Exercise {i}",
        pattern="squat",
        position="standing",
        impact="low",
        load="light",
        minutes=10,
        difficulty=2,
        day=date(2026, 1, 1),
        muscles=["glutes", "quadriceps"],
    )
    for i in range(20)
]
app = FastAPI()


@app.get("/ping")
def ping() -> Ping:
    return Ping(status="ok")


@app.get("/items")
def items() -> list[Item]:
    return ITEMS
