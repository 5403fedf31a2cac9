"""Security headers on every answer the app gives: pages, API JSON, files, redirects, errors.

Pages set their own Content-Security-Policy (:data:`PAGE_POLICY`: own scripts and styles
only, no inline script or style, no framing); every other answer gets
:data:`DEFAULT_POLICY`, which allows nothing at all, since JSON and downloads are never
meant to run or be shown in a frame. The interactive API docs are FastAPI's pages, which
load their scripts and styles from a CDN and run one inline script: they get
:func:`docs_policy`, which allows that CDN and exactly the inline scripts the page holds
(by their SHA-256), may talk only to this server, and can be framed by no one.
``Strict-Transport-Security`` is sent only when the installation says it is served over
https (``secure_cookies``): sent over plain http, it would lock browsers out.

Invoices, documents and keys must not linger in browser or proxy caches, so an answer
that does not say how it may be cached gets ``Cache-Control: no-store``; only the static
assets (scripts, styles, icons — no data) are left to the browser's usual caching.
"""

from __future__ import annotations

import base64
import hashlib
import re

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
"""FastAPI's own API documentation pages, built from a CDN's scripts and styles."""

DOCS_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(page: bytes) -> str:
    """The policy of an API documentation page: the CDN, and the page's own inline scripts
    by hash, so an injected script runs no more than on our own pages."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src {DOCS_CDN} {hashes}; "
        f"style-src {DOCS_CDN} https://fonts.googleapis.com 'unsafe-inline'; "
        "font-src https://fonts.gstatic.com; "
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
        "connect-src 'self'; worker-src blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


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
        if path in THIRD_PARTY_PAGES:
            await self._documentation_page(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), path, DEFAULT_POLICY)
            await send(message)

        await self.app(scope, receive, with_headers)

    def _add(self, headers: MutableHeaders, path: str, policy: str) -> None:
        for name, value in ALWAYS.items():
            headers.setdefault(name, value)
        headers.setdefault("Content-Security-Policy", policy)
        if not path.startswith(STATIC_PREFIX):
            headers.setdefault("Cache-Control", "no-store")
        if self.https:
            headers.setdefault("Strict-Transport-Security", HSTS)

    async def _documentation_page(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The page is held until its body is complete: the policy names its scripts."""
        start: Message | None = None
        body = bytearray()

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            self._add(MutableHeaders(scope=start), scope["path"], docs_policy(bytes(body)))
            await send(start)
            await send({"type": "http.response.body", "body": bytes(body)})

        await self.app(scope, receive, held)
