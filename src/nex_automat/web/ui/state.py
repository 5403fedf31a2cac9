"""What the UI keeps in the process between requests: login failures and status counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from nex_automat.web.ui.inbox import CountCache
from nex_automat.web.ui.ratelimit import LoginLimiter, MemoryLoginLimiter


@dataclass
class UiState:
    limiter: LoginLimiter = field(default_factory=MemoryLoginLimiter)
    counts: CountCache = field(default_factory=CountCache)


def ui_state(request: Request) -> UiState:
    return request.app.state.ui  # type: ignore[no-any-return]
