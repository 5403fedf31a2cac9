"""Signing in and out, and choosing the language.

``GET /login`` shows the form; ``POST /login`` checks the login CSRF token, the rate
limits (per username and per client address), then the password, and on success starts
a new session (a fresh secret every time, so a planted cookie cannot be adopted) and
returns to the page first asked for. Wrong username and wrong password get the same
answer. ``POST /logout`` deletes the session row, so the cookie is dead at once.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nex_automat.store.models import User
from nex_automat.store.users import (
    LANGUAGES,
    end_session,
    live_session,
    purge_expired_sessions,
    set_language,
    start_session,
    verify_credentials,
)
from nex_automat.web.deps import services_of
from nex_automat.web.ui.csrf import (
    LOGIN_CSRF_COOKIE,
    CsrfUser,
    login_token,
    require_login_csrf,
    set_login_token,
)
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.ratelimit import address_key, username_key
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.sessions import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    clear_session_cookie,
    set_session_cookie,
)
from nex_automat.web.ui.state import ui_state

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//host`` or ``https://host`` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _has_live_session(request: Request) -> bool:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return False
    with services_of(request).db.session() as session:
        return live_session(session, secret) is not None


def _login_page(
    request: Request,
    *,
    next_page: str,
    error: tuple[str, dict[str, str]] | None = None,
    status_code: int = 200,
    language: str | None = None,
) -> HTMLResponse:
    """The form; ``error`` is a catalogue key and its values."""
    token = login_token(request)
    response = render(
        request,
        "login.html",
        user=None,
        status_code=status_code,
        language=language,
        login_csrf=token,
        next_page=next_page,
        error=error,
    )
    set_login_token(response, token, services_of(request).settings)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "", lang: str = "") -> Response:
    if _has_live_session(request):
        return RedirectResponse(safe_next(next), status_code=303)
    chosen = lang if lang in LANGUAGES else None
    response = _login_page(request, next_page=safe_next(next), language=chosen)
    if chosen is not None:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.post(
    "/login",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(require_login_csrf)],
)
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    services = services_of(request)
    limiter = ui_state(request).limiter
    keys = (username_key(username), address_key(_client_address(request)))
    wait = limiter.retry_after(keys)
    if wait is not None:
        minutes = str(max(1, math.ceil(wait / 60)))
        refused = _login_page(
            request,
            next_page=safe_next(next),
            error=("login.too_many", {"minutes": minutes}),
            status_code=429,
        )
        refused.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return refused
    with services.db.session() as session:
        user = verify_credentials(session, username[:200], password[:1000])
        new = None
        if user is not None:
            old_secret = request.cookies.get(SESSION_COOKIE)
            if old_secret:
                end_session(session, old_secret)
            lifetime = timedelta(hours=services.settings.session_hours)
            new = start_session(session, user, lifetime=lifetime)
            purge_expired_sessions(session)
    if new is None:
        limiter.record_failure(keys)
        return _login_page(
            request, next_page=safe_next(next), error=("login.failed", {}), status_code=401
        )
    limiter.reset(keys[0])
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, new.secret, services.settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, user: CsrfUser) -> Response:
    services = services_of(request)
    with services.db.session() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, services.settings)
    return response


@router.post("/language", include_in_schema=False)
def choose_language(
    request: Request,
    user: CsrfUser,
    language: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    if language not in LANGUAGES:
        raise PageError(400, "error.not_found")
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        record = session.get(User, user.user_id)
        if record is None:
            raise PageError(404, "error.not_found")
        set_language(session, record, language)
    return RedirectResponse(safe_next(next), status_code=303)
