"""Deserialized workflows kept between completions of a case, in this process, checked out while in use.

Deserializing a case's workflow is a third of the engine's work on every step, and the
workflow a completion leaves in memory is exactly what the next completion of that case
would read back. So a completion that committed puts its workflow here, keyed by the case
and by the JSON it stored; the next one takes it instead of deserializing, if and only if
the row it has just locked still holds that very JSON. Any other writer (another thread,
another server process, another node, an administrator's repair) leaves different JSON in
the row, and the entry is not used: the row, not this cache, is the truth.

Checkout semantics: `take` removes the entry, so one workflow object is never in two hands
(gthread workers); it comes back only through `put`, which the caller does after its commit
(`webapp/services/cases/checkout.py`). A failure anywhere in between simply loses it: the
next completion deserializes from the row, as it would without the cache.
"""
import threading
from collections import OrderedDict

# Cases kept per process (bench/memory.py: 64 entrustment cases cost about 15 MiB); the oldest is dropped beyond it.
DEFAULT_SIZE = 64


class WorkflowCache:
    """case id → (stored JSON, workflow), least recently used dropped first; thread-safe."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = max(0, int(size))
        self._entries: OrderedDict[int, tuple[str, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0  # for the benchmark and the tests

    def take(self, case_id: int, stored: str):
        """The workflow the case's row `stored`, removed from the cache; None if absent or stale."""
        with self._lock:
            entry = self._entries.pop(case_id, None)
            if entry is None or entry[0] != stored:  # another writer's JSON (or none kept): not ours to use
                self.misses += 1
                return None
            self.hits += 1
            return entry[1]

    def put(self, case_id: int, stored: str, workflow) -> None:
        """Keep the workflow that was just committed as `stored` for the case's next checkout."""
        if self.size == 0:
            return
        with self._lock:
            self._entries[case_id] = (stored, workflow)
            self._entries.move_to_end(case_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, case_id: int) -> None:
        with self._lock:
            self._entries.pop(case_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
