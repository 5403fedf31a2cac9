"""Who is signed in: the session cookie, checked against its row on every request.

The cookie holds only a random secret (see :mod:`nex_automat.store.users`); it is
``HttpOnly`` (scripts cannot read it), ``SameSite=Lax`` (other sites' forms do not carry
it) and ``Secure`` when the installation says it is served over https
(``secure_cookies``). Pages take the user with the :data:`CurrentUser` dependency; without
a live session they answer with a redirect to the sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from nex_automat.ops.config import Settings
from nex_automat.store.models import Role, User, UserSession
from nex_automat.store.users import live_session
from nex_automat.web.deps import services_of
from nex_automat.web.ui.errors import NotSignedIn

SESSION_COOKIE = "nex_session"
LANGUAGE_COOKIE = "nex_lang"
"""The language chosen on the sign-in page, before anyone is signed in."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The signed-in user as a page needs it, detached from any database session."""

    user_id: str
    username: str
    tenant_id: str
    role: Role
    language: str
    csrf_token: str


def signed_in(record: UserSession, user: User) -> SignedIn:
    return SignedIn(
        user_id=user.id,
        username=user.username,
        tenant_id=user.tenant_id,
        role=user.role,
        language=user.language,
        csrf_token=record.csrf_token,
    )


def current_user(request: Request) -> SignedIn:
    """The user of the request's live session; otherwise the browser is sent to sign in."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise NotSignedIn()
    with services_of(request).db.session() as session:
        found = live_session(session, secret)
        user = None if found is None else signed_in(*found)
    if user is None:
        raise NotSignedIn()
    request.state.user = user
    return user


CurrentUser = Annotated[SignedIn, Depends(current_user)]


def user_of(request: Request) -> SignedIn | None:
    """The user an earlier dependency of this request found, if any (for error pages)."""
    user = getattr(request.state, "user", None)
    return user if isinstance(user, SignedIn) else None


def set_session_cookie(response: Response, secret: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )
