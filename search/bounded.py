"""A thread-safe least-recently-used cache bounded by a budget (entries, bytes, or any weight)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class BoundedCache(Generic[Value]):
    """Values by key, the least recently used dropped once their weights exceed the budget.

    Values are shared between threads as they are: store only what no caller changes.
    A budget of 0 turns the cache off (nothing is kept).
    """

    def __init__(self, budget: int, weigh: Callable[[Value], int] = lambda value: 1) -> None:
        self.budget = budget
        self._weigh = weigh
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self.held = 0  # the sum of the kept values' weights
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Value | None:
        """The value kept for `key`, now the most recently used; None when there is none."""
        with self._lock:
            found = self._values.get(key)
            if found is None:
                self.misses += 1
                return None
            self._values.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: Value) -> Value:
        """Keep `value` for `key` (unless it alone outweighs the budget); return it."""
        weight = self._weigh(value)
        if weight > self.budget:
            return value
        with self._lock:
            previous = self._values.pop(key, None)
            if previous is not None:
                self.held -= previous[1]
            self._values[key] = (value, weight)
            self.held += weight
            while self.held > self.budget:
                _, (_, dropped) = self._values.popitem(last=False)
                self.held -= dropped
        return value

    def __len__(self) -> int:
        return len(self._values)
