"""Login rate limiting: too many failed sign-ins for one username or one address wait.

:class:`LoginLimiter` is the interface the sign-in page uses; :class:`MemoryLoginLimiter`
keeps the failures in this process, which is right for the embedded single-process
service (a restart forgets them; several processes behind a balancer would need a shared
store behind the same interface). Failures count in a sliding window; once a key has
``max_failures`` in it, sign-ins for that key are refused until the oldest failure leaves
the window. Usernames and addresses are limited separately, so one address cannot try
many usernames and many addresses cannot try one username.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

MAX_FAILURES = 5
WINDOW_SECONDS = 300.0
MAX_TRACKED_KEYS = 100_000
"""Beyond this many keys the oldest are forgotten, so a flood cannot exhaust memory."""


def username_key(username: str) -> str:
    return f"user:{username.strip().lower()}"


def address_key(address: str) -> str:
    return f"ip:{address}"


class LoginLimiter(Protocol):
    def retry_after(self, keys: Iterable[str]) -> float | None:
        """Seconds until a sign-in for these keys is allowed again; ``None`` when it is now."""
        ...

    def record_failure(self, keys: Iterable[str]) -> None: ...

    def reset(self, key: str) -> None:
        """Forget a key's failures (its username signed in successfully)."""
        ...


class MemoryLoginLimiter:
    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window_seconds:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def retry_after(self, keys: Iterable[str]) -> float | None:
        now = self._clock()
        waits = []
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.max_failures:
                    oldest = failures[-self.max_failures]
                    waits.append(oldest + self.window_seconds - now)
        return max(waits) if waits else None

    def record_failure(self, keys: Iterable[str]) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                failures.append(now)
                self._failures[key] = failures
            while len(self._failures) > MAX_TRACKED_KEYS:
                self._failures.pop(next(iter(self._failures)))

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
