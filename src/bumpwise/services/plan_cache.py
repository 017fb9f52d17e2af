"""A per-process cache of parsed stored plans, keyed by the member and the plan's fingerprint.

Reading a stored plan means fetching and parsing its JSON (tens of kB, about 2 ms); a member's
plan changes only when its fingerprint does (profile, stage week, symptoms, swaps, knowledge).
The key always holds the member's id as well as the fingerprint, since two members with the same
profile share a fingerprint but not a plan (the planner is seeded with the member's id). A
changed profile, swap or check-in changes the fingerprint, so the old entry is never read again
and ages out. Processes share nothing: each worker fills its own cache from the database.

The cache stores whatever the parser returns and hands out the same object to every reader:
readers must not change it.

What a full cache costs beside its memory: every entry it holds is objects the garbage collector
tracks (a parsed plan is about 960), and CPython starts a young collection by allocations *net* of
frees. When entries churn (members outnumber the size), each new plan's objects are allocated and
an old one's freed, so the count hardly moves while the new objects pile up in the youngest
generation; the collection that finally runs scans them all at once (458-1,045 ms for a cache of
1,024 plans, bench/README.md). So the plan cache (services.plans.PLANS) is off unless configured;
rendered pages (services.rendered) hold bytes, which the collector does not track.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")
DEFAULT_SIZE = 1024


class PlanCache(Generic[T]):
    """A bounded, thread-safe least-recently-used map of (member id, fingerprint) to a plan."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, str], T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: int, fingerprint: str) -> T | None:
        key = (user_id, fingerprint)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, user_id: int, fingerprint: str, plan: T) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[(user_id, fingerprint)] = plan
            self._entries.move_to_end((user_id, fingerprint))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, user_id: int) -> None:
        """Drop every entry of a member (account deleted)."""
        with self._lock:
            for key in [key for key in self._entries if key[0] == user_id]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
