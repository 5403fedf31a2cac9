"""Request rate limits per API key: a token bucket for each key.

A bucket holds up to ``burst`` tokens and refills at ``per_minute`` tokens a minute; each
request takes one. A client within its rate never waits, a burst (n8n posting a holiday's
invoices at once) is absorbed up to ``burst`` and then paced, and a runaway client gets
``429`` with ``Retry-After`` saying when its next request will be accepted. One key's
traffic never slows another's. The rate and burst are the installation's
(``api_requests_per_minute``, ``api_burst``) unless the key's tenant has its own
(``tenants.<id>``).

The buckets live in this process, which is right for the embedded single-process service
(several processes behind a balancer each grant the rate). Keys not seen for a while hold
full buckets, which is the same as holding none, so the oldest are forgotten beyond
:data:`MAX_TRACKED_KEYS` and a flood of keys cannot exhaust memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from nex_automat.ops.config import Settings

MAX_TRACKED_KEYS = 100_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets by key; :meth:`take` answers whether a request may go ahead."""

    def __init__(
        self,
        *,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0 or burst <= 0:
            raise ValueError("a rate limit needs a positive rate and burst")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Take a token for ``key``: ``None`` when the request may go ahead, else the
        seconds until a token will be there (nothing is taken then)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[key] = bucket
            while len(self._buckets) > MAX_TRACKED_KEYS:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / self.rate


class ApiRateLimits:
    """The buckets of API keys, each at the rate and burst in effect for its tenant."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._clock = clock
        self._by_limits: dict[tuple[int, int], TokenBuckets] = {}
        """Tenants with the same limits share buckets; a key is in one tenant only."""
        self._lock = threading.Lock()

    def take(self, tenant_id: str, key: str) -> float | None:
        """:meth:`TokenBuckets.take` for ``key``, one of ``tenant_id``'s."""
        tenant = self._settings.for_tenant(tenant_id)
        limits = (tenant.api_requests_per_minute, tenant.api_burst)
        with self._lock:
            buckets = self._by_limits.get(limits)
            if buckets is None:
                per_minute, burst = limits
                buckets = TokenBuckets(per_minute=per_minute, burst=burst, clock=self._clock)
                self._by_limits[limits] = buckets
        return buckets.take(key)
