"""CSRF protection: every POST must carry the token of the session it acts for.

Forms send it in the hidden field ``csrf_token``, scripts (``fetch``) in the
``X-CSRF-Token`` header; a missing or wrong token is a 403 before the route runs. Routes
take :data:`CsrfUser` instead of ``CurrentUser``. The token is per session, random, and
compared in constant time; ``SameSite=Lax`` on the cookie is a second, independent wall.

The sign-in form has no session yet, so it uses a double-submit token: a random value in
a short-lived ``HttpOnly`` cookie and the same value in the form. A site that cannot read
the cookie cannot forge the form, so no one can be signed in to an attacker's account.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from nex_automat.ops.config import Settings
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.sessions import CurrentUser, SignedIn

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_CSRF_COOKIE = "nex_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600


async def sent_token(request: Request) -> str | None:
    """The token the request carries, from the header or else the form."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def same_token(sent: str | None, expected: str | None) -> bool:
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


async def require_csrf(request: Request, user: CurrentUser) -> SignedIn:
    if not same_token(await sent_token(request), user.csrf_token):
        raise PageError(403, "error.csrf")
    return user


CsrfUser = Annotated[SignedIn, Depends(require_csrf)]


def login_token(request: Request) -> str:
    """The sign-in form's token: the browser's existing one, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_token(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_MAX_AGE,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )


async def require_login_csrf(request: Request) -> None:
    if not same_token(await sent_token(request), request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise PageError(403, "error.csrf")
