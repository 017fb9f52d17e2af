"""Per-process caches of answers that are pure functions of their key (the exercise library's
pages, a free workout), kept on the knowledge base they were computed from.

Keeping them in the knowledge base's memo ties them to its language and knowledge version: a
knowledge base in another language, or loaded after a knowledge update, starts empty. Each cache
is bounded (least recently used out), since keys hold what callers send (query strings, answers).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from bumpwise.domain.knowledge import KnowledgeBase

V = TypeVar("V")
DEFAULT_SIZE = 512


class AnswerCache(Generic[V]):
    """A bounded, thread-safe least-recently-used map; values are shared, never changed."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        if self.size > 0:
            with self._lock:
                self._entries[key] = value
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def answer_cache(kb: KnowledgeBase, name: str, size: int = DEFAULT_SIZE) -> AnswerCache[V]:
    """The cache called ``name`` of this knowledge base (made on first use)."""
    key = ("answer-cache", name)
    found: AnswerCache[V] | None = kb.memo.get(key)
    if found is None:
        found = kb.memo.setdefault(key, AnswerCache(size))
    return found
