"""Request body limits, enforced before and while the body is read.

A declared ``Content-Length`` over the limit is refused at once, before a byte of the
body is read. A body without one (chunked) is counted as it arrives and refused the
moment it passes the limit, so the server never holds more than the limit of any
request. Each route family has its own limit: the n8n JSON carries the file as base64
(a third larger), an upload carries the file itself, everything else is small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nex_automat.web.errors import ApiError, error_response

ENVELOPE_BYTES = 64 * 1024
"""Room for what travels with a file: JSON fields, multipart headers and boundaries."""


MULTIPART_PATHS = frozenset({"/api/v1/documents", "/admin/catalog/upload"})
"""Where a file is uploaded as multipart: a document, a catalogue export."""


def base64_length(size: int) -> int:
    return 4 * ((size + 2) // 3)


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """Largest accepted body per kind of request, in bytes."""

    upload_max_bytes: int

    @property
    def json_document(self) -> int:
        return base64_length(self.upload_max_bytes) + ENVELOPE_BYTES

    @property
    def multipart(self) -> int:
        return self.upload_max_bytes + ENVELOPE_BYTES

    def for_path(self, method: str, path: str) -> int:
        if method == "POST" and path == "/invoice":
            return self.json_document
        if method == "POST" and path in MULTIPART_PATHS:
            return self.multipart
        return ENVELOPE_BYTES


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"the request body exceeds the limit of {limit} bytes",
        limit_bytes=limit,
    )


class BodyLimit:
    """ASGI middleware applying :class:`BodyLimits`."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            error = too_large(limit)
            response = error_response(error.status_code, error.code, error.message, **error.extra)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
