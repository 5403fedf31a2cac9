"""How pages answer what goes wrong: an HTML page in the user's language, or the sign-in.

Routes raise :class:`PageError` (status and catalogue key) or :class:`NotSignedIn`; the
handlers :func:`nex_automat.web.ui.mount_ui` installs turn them into a rendered error
page or a redirect to ``/login`` that comes back to the page asked for. They are not
``HTTPException`` subclasses, so the API's JSON error handlers never see them.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse


class PageError(Exception):
    def __init__(self, status_code: int, message_key: str, **values: str) -> None:
        super().__init__(message_key)
        self.status_code = status_code
        self.message_key = message_key
        self.values = values


class NotSignedIn(Exception):
    """The request has no live session; the browser is sent to sign in."""


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path
    if request.url.query:
        target += f"?{request.url.query}"
    if request.method != "GET" or target == "/":
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
