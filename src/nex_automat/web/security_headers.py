"""Security headers on every answer the app gives: pages, API JSON, files, redirects, errors.

Pages set their own Content-Security-Policy (:data:`PAGE_POLICY`: own scripts and styles
only, no inline script or style, no framing); every other answer gets
:data:`DEFAULT_POLICY`, which allows nothing at all, since JSON and downloads are never
meant to run or be shown in a frame. The interactive API docs are FastAPI's pages, which
load their scripts from a CDN and inline, so they keep every header but a policy.
``Strict-Transport-Security`` is sent only when the installation says it is served over
https (``secure_cookies``): sent over plain http, it would lock browsers out.

Invoices, documents and keys must not linger in browser or proxy caches, so an answer
that does not say how it may be cached gets ``Cache-Control: no-store``; only the static
assets (scripts, styles, icons — no data) are left to the browser's usual caching.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DEFAULT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"

ALWAYS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
"""Headers every answer carries, whatever it is."""

STATIC_PREFIX = "/static/"
"""The workspace's own scripts, styles and icons: the same for everyone, cacheable."""

THIRD_PARTY_PAGES = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
"""FastAPI's own API documentation pages: no policy of ours fits their CDN scripts."""


class SecurityHeaders:
    """ASGI middleware adding the headers an answer does not set itself."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if path not in THIRD_PARTY_PAGES:
                    headers.setdefault("Content-Security-Policy", DEFAULT_POLICY)
                if not path.startswith(STATIC_PREFIX):
                    headers.setdefault("Cache-Control", "no-store")
                if self.https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)
