"""Every request gets an id, a log context, a log line and its place in the metrics.

The id is the caller's ``X-Request-ID`` when it is a sane token (so a request can be
followed from a proxy or from n8n into our logs), else a new one; either way it is echoed
in the response's ``X-Request-ID`` and set as the log context of everything logged while
the request is handled. Metrics are labelled with the matched route's *template*
(``/api/v1/invoices/{invoice_id}``), never the raw path: ids in paths would make a new
time series per invoice. A path that matches no route counts as ``unmatched``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Protocol

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nex_automat.logcontext import log_context

log = logging.getLogger("nex_automat.http")

REQUEST_ID_HEADER = "X-Request-ID"
UNMATCHED_ROUTE = "unmatched"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
QUIET_PREFIXES = ("/health", "/ready", "/metrics", "/static/")
"""Probes, scrapes and static files are logged only at DEBUG: they would drown the rest."""


class RequestObserver(Protocol):
    def request_answered(self, method: str, route: str, status: int, seconds: float) -> None: ...


def request_id_from(headers: Headers) -> str:
    """The caller's id when it is a sane token, else a fresh one."""
    given = headers.get(REQUEST_ID_HEADER)
    if given is not None and _SANE_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The matched route's path template, ``/static/{path}`` for a mount, else unmatched."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED_ROUTE
    if isinstance(route, Mount):
        return f"{path}/{{path}}"
    return path or "/"


class RequestTracking:
    """ASGI middleware: request id, log context, access log and HTTP metrics."""

    def __init__(self, app: ASGIApp, observer: RequestObserver) -> None:
        self.app = app
        self.observer = observer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with log_context(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                method, path = scope["method"], scope["path"]
                route = route_template(scope)
                self.observer.request_answered(method, route, status, seconds)
                level = logging.DEBUG if path.startswith(QUIET_PREFIXES) else logging.INFO
                log.log(
                    level,
                    "%s %s %d %.0f ms",
                    method,
                    path,
                    status,
                    seconds * 1000,
                    extra={"route": route, "status": status, "duration_ms": round(seconds * 1000)},
                )
