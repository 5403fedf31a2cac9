"""Rendering pages: the Jinja2 environment, what every template can use, safe headers.

Templates live in ``web/templates`` and extend ``base.html``. Each gets:

- ``t(key, **values)`` — a translated string (:mod:`nex_automat.web.ui.i18n`);
- ``fmt`` — the :class:`~nex_automat.web.ui.i18n.Locale` (``fmt.amount``, ``fmt.date``, …);
- ``user`` — the :class:`~nex_automat.web.ui.sessions.SignedIn` user or ``None``;
- ``csrf_token`` — to put in every POST form as the ``csrf_token`` field;
- ``can(permission)`` — whether the user's role allows it (see ``roles.py``);
- ``static(name)`` — the URL of a file in ``web/static``;
- ``languages`` — the codes of the UI languages, the default first (for language choices).

Undefined variables raise instead of rendering empty, so a template and its route cannot
drift apart silently. Every page is sent with a strict Content-Security-Policy (own
scripts and styles only, no inline script or style, framing refused) and ``no-store``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from nex_automat import __version__
from nex_automat.store.users import LANGUAGES
from nex_automat.web.security_headers import PAGE_POLICY
from nex_automat.web.ui.i18n import (
    DEFAULT_LANGUAGE,
    Locale,
    language_or_default,
    preferred_language,
)
from nex_automat.web.ui.roles import Permission, allowed
from nex_automat.web.ui.sessions import LANGUAGE_COOKIE, SignedIn, user_of

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
STATIC_PATH = "/static"

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": PAGE_POLICY,
    "Cache-Control": "no-store",
}
"""A page's own headers; the rest every answer gets (:mod:`nex_automat.web.security_headers`)."""

environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals["languages"] = LANGUAGES


def static_url(name: str) -> str:
    """A static file's URL, versioned so a new release is not served from a stale cache."""
    return f"{STATIC_PATH}/{name}?v={__version__}"


def page_language(request: Request, user: SignedIn | None) -> str:
    """The user's language; before sign-in the one chosen on the page, else the browser's."""
    if user is not None:
        return language_or_default(user.language)
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return preferred_language(request.headers.get("accept-language")) or DEFAULT_LANGUAGE


def render(
    request: Request,
    template: str,
    *,
    user: SignedIn | None,
    status_code: int = 200,
    language: str | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    locale = Locale(language or page_language(request, user))
    html = environment.get_template(template).render(
        request=request,
        user=user,
        t=locale.t,
        fmt=locale,
        language=locale.language,
        csrf_token=None if user is None else user.csrf_token,
        can=lambda permission: user is not None and allowed(user.role, Permission(permission)),
        static=static_url,
        **context,
    )
    return HTMLResponse(
        html, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )


def render_error(
    request: Request, status_code: int, message_key: str, values: dict[str, str] | None = None
) -> HTMLResponse:
    """The error page, in the signed-in user's language when there is one."""
    user = user_of(request)
    locale = Locale(page_language(request, user))
    return render(
        request,
        "error.html",
        user=user,
        status_code=status_code,
        message=locale.t(message_key, **(values or {})),
    )
